package middleware

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"

	"github.com/consentgate/consentgate/consent"
)

// sniffLen is how much body http.DetectContentType looks at.
const sniffLen = 512

// body states of a response.
const (
	bodyUndecided   = iota // no final status yet
	bodySniff              // status known, Content-Type missing: buffering up to sniffLen bytes
	bodyPass               // bytes go straight to the client
	bodyRewrite            // bytes go through the HTML rewriter
	bodyDiscard            // HEAD of a page whose GET is rewritten: the server drops the bytes anyway
	bodyDecodeSniff        // Content-Type missing on a gzip/deflate body: decoded, then sniffed (decodedsniff.go)
)

// responseWriter is the Gate's http.ResponseWriter. It filters Set-Cookie
// before any header leaves and, for HTML, streams the body through the
// rewriter. Instances are pooled; one serves one request.
type responseWriter struct {
	responseState
	sniffBuf [sniffLen]byte // only sniffBuf[:sniffed] is meaningful, so it is never cleared
}

// responseState is what a responseWriter must forget between requests.
type responseState struct {
	w     http.ResponseWriter
	g     *Gate
	r     *http.Request
	reqCh consent.Choices // the request's choices
	ch    consent.Choices // the choices gating the response: reqCh, or those a new consent cookie in it sets

	// What resolveChoices found in the header map, for the filtering and
	// sending that follow it at once.
	setCookie []string  // h["Set-Cookie"]
	present   headerSet // which gated headers h holds

	code       int  // first final status; 0 = none yet
	sent       bool // the final header has been passed to w
	hijacked   bool
	state      int
	writeErr   error
	sniffed    int
	rewriter   bodyRewriter
	out        *bufio.Writer // gathers the rewriter's output for w
	bannerBuf  *bytes.Buffer
	decoder    *decoder
	bodyTarget io.Writer // rewriter, or what feeds it
	afterSniff io.Writer // bodyDecodeSniff: where decoded bytes go once sniffed; nil before

	charset charsetStage // in front of the rewriter (charset.go)
}

var writerPool = sync.Pool{New: func() any { return new(responseWriter) }}

// Interfaces handlers probe for. Hijack returns an error where the inner
// writer cannot hijack (HTTP/2), as http.ResponseController does.
var (
	_ http.Flusher                    = (*responseWriter)(nil)
	_ http.Hijacker                   = (*responseWriter)(nil)
	_ io.ReaderFrom                   = (*responseWriter)(nil)
	_ io.StringWriter                 = (*responseWriter)(nil)
	_ interface{ FlushError() error } = (*responseWriter)(nil)
)

func (g *Gate) serve(w http.ResponseWriter, r *http.Request, next http.Handler) {
	ch := g.choices(r)
	if ch != (consent.Choices{}) || consent.FromContext(r.Context()) != (consent.Choices{}) {
		r = r.WithContext(consent.WithChoices(r.Context(), ch))
	}
	// Otherwise the request is left as it is: [consent.FromContext] already
	// answers "undecided" for it, and an undecided visitor's request (most
	// requests of a first visit) then costs no copy of the request.
	if g.mayRewrite(ch) {
		// Ask for identity so HTML arrives uncompressed and can be rewritten;
		// compression belongs outside the Gate (see the package doc).
		delete(r.Header, "Accept-Encoding")
		askForWholePage(r.Header)
	}
	rw := writerPool.Get().(*responseWriter)
	rw.w, rw.g, rw.r, rw.reqCh, rw.ch = w, g, r, ch, ch
	finished := false
	// Deferred, and without recover: a panic (or runtime.Goexit) goes on
	// with its own value and stack to whatever recovers it outside the
	// Gate, and to net/http, which ends the response silently for
	// http.ErrAbortHandler.
	defer func() { rw.release(!finished) }()
	next.ServeHTTP(rw, r)
	rw.finish()
	finished = true
}

// askForWholePage removes what would let the handler answer with less than
// the whole page:
//   - Range and If-Range: a range of a page cannot be rewritten, and the
//     bytes of a 206 would reach the browser ungated. Requests an <audio> or
//     <video> element makes keep them (Safari plays no video without them),
//     and whatever they fetch is never run as HTML.
//   - If-None-Match and If-Modified-Since on requests that may load a
//     document: a browser revalidating a page it cached before the Gate
//     gated it (with the validators the Gate now removes) would be told 304
//     and show that ungated copy again. Images, scripts and styles keep
//     their revalidation.
//
// Sec-Fetch-Dest, which page scripts cannot set, says who asks; a browser
// that does not send it asks for a document when its Accept names
// text/html.
func askForWholePage(h http.Header) {
	dests := h["Sec-Fetch-Dest"]
	media, document := false, false
	for _, v := range dests {
		switch v {
		case "video", "audio":
			media = true
		case "document", "iframe", "frame", "embed", "object", "fencedframe":
			document = true
		}
	}
	if len(dests) == 0 {
		for _, v := range h["Accept"] {
			document = document || containsFold(v, "text/html")
		}
	}
	if !media {
		delete(h, "Range")
		delete(h, "If-Range")
	}
	if document {
		delete(h, "If-None-Match")
		delete(h, "If-Modified-Since")
	}
}

// resolveChoices scans the header map (see scanHeaders) and sets the
// choices that gate the response from the consent cookie it sets, if any.
// It runs right before every filtering, as the handler may add cookies
// between a 103 and the final response.
func (rw *responseWriter) resolveChoices(h http.Header) {
	rw.setCookie, rw.present = scanHeaders(h)
	rw.ch = rw.g.responseChoices(rw.setCookie, rw.reqCh, rw.r)
}

// release returns rw to the pool. It runs deferred so a panicking handler
// does not leave a decoding goroutine behind. abandoned says the response
// did not finish: the handler, or the Gate while writing for it, panicked.
func (rw *responseWriter) release(abandoned bool) {
	if abandoned {
		rw.abandon()
	}
	if rw.decoder != nil {
		_ = rw.stopDecoder()
	}
	if abandoned {
		rw.forgetRewriter()
	}
	rw.dropRewriter()
	rw.responseState = responseState{}
	writerPool.Put(rw)
}

// abandon readies an unfinished response for whoever recovers the panic.
// A recoverer outside the Gate (chi's Recoverer, gorilla's
// RecoveryHandler) sends its own 500 with the header map as it stands, so
// if the headers have not left, they are filtered as any response's are,
// and the ones describing the handler's body, which will not be sent, go.
// From here on the Gate writes nothing to the client: what the decoder
// still emits as it stops goes nowhere, and cannot send a 200 ahead of the
// recoverer's 500.
func (rw *responseWriter) abandon() {
	if rw.hijacked {
		return
	}
	if !rw.sent {
		g, h := rw.g, rw.w.Header()
		rw.resolveChoices(h)
		dependent, _ := g.filterSetCookieSlice(h, rw.setCookie, rw.ch)
		if rw.present&hasLink != 0 && g.filterLinks(h, rw.ch) {
			dependent = true
		}
		if dependent {
			privateCaching(h, false, rw.present)
		}
		delete(h, "Content-Length")
		delete(h, "Content-Encoding")
		delete(h, "Content-Range")
	}
	rw.w = discardResponse{}
	if rw.out != nil {
		rw.out.Reset(io.Discard)
	}
	if rw.afterSniff != nil {
		rw.afterSniff = io.Discard
	}
}

// forgetRewriter lets the rewriter go rather than pool it, after a panic
// that may have stopped it in the middle of a step, in a state its Reset
// was not written for. Nothing more is written through it: the response
// ends with what had left, and what it had gathered in the output buffer
// is dropped.
func (rw *responseWriter) forgetRewriter() {
	if rw.rewriter == nil {
		return
	}
	rw.rewriter = nil
	if rw.writeErr == nil {
		rw.writeErr = errRewriterInterrupted
	}
}

var errRewriterInterrupted = errors.New("consent gate: a panic interrupted the HTML rewriter")

// stopDecoder ends the decoder's input and waits for it to write the rest.
// A panic it recovered on its goroutine (in the rewriter, or in the client's
// writer under it) interrupted the rewriter just as a handler's panic would.
func (rw *responseWriter) stopDecoder() error {
	d := rw.decoder
	rw.decoder = nil
	err := d.close()
	if d.panicked {
		rw.forgetRewriter()
	}
	return err
}

// discardResponse stands in for the client once a response is abandoned.
type discardResponse struct{}

func (discardResponse) Header() http.Header         { return http.Header{} }
func (discardResponse) Write(p []byte) (int, error) { return len(p), nil }
func (discardResponse) WriteHeader(int)             {}

// Header returns the inner writer's header map: handlers edit it directly,
// and the Gate filters it before it is sent.
func (rw *responseWriter) Header() http.Header { return rw.w.Header() }

// Unwrap lets http.ResponseController reach the inner writer for deadlines
// and full duplex.
func (rw *responseWriter) Unwrap() http.ResponseWriter { return rw.w }

// WriteHeader forwards 1xx responses at once, after filtering Set-Cookie
// (the server sends the current header map with them), and keeps the first
// final status.
func (rw *responseWriter) WriteHeader(code int) {
	if rw.hijacked {
		return
	}
	if code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols {
		if rw.code != 0 {
			return // too late for an informational response
		}
		h := rw.w.Header()
		rw.resolveChoices(h)
		rw.g.filterSetCookieSlice(h, rw.setCookie, rw.ch)
		if rw.present&hasLink != 0 {
			rw.g.filterLinks(h, rw.ch)
		}
		rw.w.WriteHeader(code)
		return
	}
	if rw.code != 0 {
		return
	}
	rw.code = code
	rw.decide(true)
}

// Write sends p through the Gate: straight on, into the sniff buffer, or
// through the rewriter.
func (rw *responseWriter) Write(p []byte) (int, error) {
	if rw.hijacked {
		return 0, http.ErrHijacked
	}
	if rw.code == 0 {
		rw.WriteHeader(http.StatusOK)
	}
	switch rw.state {
	case bodyPass:
		return rw.w.Write(p)
	case bodyDiscard:
		// Not counted by the server either, so it cannot announce the
		// un-rewritten length as Content-Length.
		return len(p), nil
	case bodySniff:
		n := copy(rw.sniffBuf[rw.sniffed:], p)
		rw.sniffed += n
		if rw.sniffed < sniffLen {
			return n, nil
		}
		if err := rw.endSniff(); err != nil {
			return n, err
		}
		if n == len(p) {
			return n, nil
		}
		m, err := rw.Write(p[n:])
		return n + m, err
	}
	return rw.writeBody(p)
}

// WriteString avoids copying s into a new slice when the body passes
// straight through or goes to the rewriter.
func (rw *responseWriter) WriteString(s string) (int, error) {
	if rw.code != 0 && !rw.hijacked {
		switch rw.state {
		case bodyPass:
			return io.WriteString(rw.w, s)
		case bodyRewrite:
			if sw, ok := rw.bodyTarget.(io.StringWriter); ok && rw.writeErr == nil {
				n, err := sw.WriteString(s)
				if err != nil {
					rw.writeErr = err
				}
				return n, err
			}
		}
	}
	return rw.Write([]byte(s))
}

// ReadFrom copies from src through the Gate. Only a pass-through body may use
// the inner writer's ReadFrom (sendfile): anything else would bypass the
// rewriter.
func (rw *responseWriter) ReadFrom(src io.Reader) (int64, error) {
	if rw.hijacked {
		return 0, http.ErrHijacked
	}
	if rw.code == 0 {
		rw.WriteHeader(http.StatusOK)
	}
	if rw.state == bodyPass {
		if rf, ok := rw.w.(io.ReaderFrom); ok {
			return rf.ReadFrom(src)
		}
	}
	buf := copyBufPool.Get().(*[32 << 10]byte)
	defer copyBufPool.Put(buf)
	return io.CopyBuffer(writerOnly{rw}, src, buf[:])
}

var copyBufPool = sync.Pool{New: func() any { return new([32 << 10]byte) }}

// writerOnly hides ReadFrom so io.CopyBuffer does not call back into it.
type writerOnly struct{ io.Writer }

// FlushError sends the headers if not yet sent and everything rewritten so
// far, then flushes the inner writer.
func (rw *responseWriter) FlushError() error {
	if rw.hijacked {
		return http.ErrHijacked
	}
	if rw.code == 0 {
		rw.WriteHeader(http.StatusOK)
	}
	switch {
	case rw.state == bodySniff, rw.state == bodyDecodeSniff && rw.afterSniff == nil:
		if mayYetSniffAsHTML(rw.sniffBuf[:rw.sniffed]) {
			// Too little body to type it ("\n", "<!DOC"): deciding now
			// could show a page as text. Hold the headers and the bytes
			// until the sniff is sure (a later Flush, 512 bytes, or the
			// end). Bare net/http sends no type after a Flush before any
			// body, so the browser sniffs such a page before showing it.
			return nil
		}
		var err error
		if rw.state == bodySniff {
			err = rw.endSniff()
		} else {
			err = rw.resolveDecodedSniff()
		}
		if err != nil {
			return err
		}
	}
	return rw.flushBody()
}

// Flush implements http.Flusher.
func (rw *responseWriter) Flush() { _ = rw.FlushError() }

func (rw *responseWriter) flushBody() error {
	if rw.rewriter != nil {
		if err := rw.flushRewriter(); err != nil {
			return err
		}
	}
	return http.NewResponseController(rw.w).Flush()
}

// Hijack hands the connection to the handler (WebSocket upgrades). The Gate
// writes nothing afterwards.
func (rw *responseWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, b, err := http.NewResponseController(rw.w).Hijack()
	if err == nil {
		rw.hijacked = true
	}
	return c, b, err
}

// finish runs after the handler returns: it sends the headers if the handler
// never wrote, and the rest of a rewritten body.
func (rw *responseWriter) finish() {
	if rw.hijacked {
		return
	}
	if rw.code == 0 {
		rw.WriteHeader(http.StatusOK)
	}
	switch rw.state {
	case bodySniff:
		if rw.endSniff() != nil {
			return
		}
	case bodyDecodeSniff:
		rw.finishDecodedSniff()
		return
	}
	if rw.state == bodyRewrite {
		rw.closeRewriter()
	}
}

// endSniff decides the body from the buffered bytes, sends the headers and
// then the buffered bytes.
func (rw *responseWriter) endSniff() error {
	h := rw.w.Header()
	// The sniffed bytes are identity: sniffing began only without a
	// Content-Encoding other than identity (or after the Gate decoded one), and net/http ignores
	// header edits after the status, so one the handler added since is void.
	delete(h, "Content-Encoding")
	if rw.sniffed > 0 {
		// Name the sniffed type ourselves so the client sees the type the
		// rewrite decision was made on.
		h["Content-Type"] = []string{http.DetectContentType(rw.sniffBuf[:rw.sniffed])}
	}
	rw.decide(false)
	n := rw.sniffed
	rw.sniffed = 0
	if n == 0 {
		return nil
	}
	var err error
	switch rw.state {
	case bodyPass:
		_, err = rw.w.Write(rw.sniffBuf[:n])
	case bodyRewrite:
		_, err = rw.writeBody(rw.sniffBuf[:n])
	}
	return err
}
