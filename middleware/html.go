package middleware

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/consentgate/consentgate/consent"
)

// bodyRewriter is the streaming HTML rewriter as the Gate uses it.
type bodyRewriter interface {
	Write(p []byte) (int, error)
	// Flush writes everything processed so far, holding back only an
	// unfinished construct.
	Flush() error
	// Close writes the rest. It does not close the destination.
	Close() error
}

// rewriterSource hands out reusable rewriters.
type rewriterSource interface {
	get(dst io.Writer, ch consent.Choices, banner []byte) bodyRewriter
	put(bodyRewriter)
}

var bannerPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBanner keeps an unusually large banner from pinning memory in the pool.
const maxPooledBanner = 64 << 10

// mayRewrite reports whether an HTML page for ch could need rewriting: some
// category is not accepted, or a banner might be injected.
func (g *Gate) mayRewrite(ch consent.Choices) bool {
	return g.banner != nil || g.anyRefused(ch)
}

// anyRefused reports whether ch leaves any tag category refused: one of the
// catalogue's optional categories, or a signature's category the catalogue
// does not even ask about (a Meta Pixel on a site that only asks about
// analytics must stay off for everyone).
func (g *Gate) anyRefused(ch consent.Choices) bool {
	for _, c := range g.tagCats {
		if !ch.Allowed(c) {
			return true
		}
	}
	return false
}

// containsFold reports whether s contains the lower-case ASCII word sub in any case.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if equalASCIIFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// bodyAllowedForStatus mirrors net/http: 1xx, 204 and 304 carry no body.
func bodyAllowedForStatus(code int) bool {
	switch {
	case code >= 100 && code <= 199:
		return false
	case code == http.StatusNoContent, code == http.StatusNotModified:
		return false
	}
	return true
}

// encoding kinds of an HTML body.
const (
	encIdentity = iota
	encGzip
	encDeflate
	encOther
)

func encodingOf(h http.Header) (int, string) {
	vals := h["Content-Encoding"]
	kind, name := encIdentity, ""
	for _, v := range vals {
		for v != "" {
			var tok string
			tok, v, _ = strings.Cut(v, ",")
			tok = trimOWS(tok)
			switch {
			case tok == "" || equalASCIIFold(tok, "identity"):
				continue
			case kind != encIdentity:
				return encOther, "multiple" // stacked encodings: not ours to unpick
			case equalASCIIFold(tok, "gzip"), equalASCIIFold(tok, "x-gzip"):
				kind = encGzip
			case equalASCIIFold(tok, "deflate"):
				kind = encDeflate
			default:
				kind = encOther
			}
			name = tok
		}
	}
	return kind, name
}

// decide picks what happens to the body once the final status is known, and
// sends the headers unless the Content-Type must be sniffed first. A HEAD
// is decided as its GET would be, so it carries the GET's headers; only its
// body, which the server drops anyway, is never rewritten.
func (rw *responseWriter) decide(allowSniff bool) {
	h := rw.w.Header()
	rw.resolveChoices(h)
	bodyAllowed := bodyAllowedForStatus(rw.code)
	head := rw.r.Method == http.MethodHead
	if !allowSniff {
		// endSniff typed the body from identity bytes. A Content-Encoding
		// the handler added since under another spelling (folded in just
		// now) is as void as one under this spelling, which endSniff removed.
		delete(h, "Content-Encoding")
	}
	class := contentTypeClass(h["Content-Type"])
	if class == mediaSniff {
		// Browsers sniff a body whose type is absent, nil (Go's way to stop
		// its own sniffing), empty or one that says nothing (*/*), so the
		// Gate must sniff it too; a HEAD's too, as handlers write their
		// GET's body for it and net/http counts its length.
		if allowSniff && bodyAllowed && h["Content-Range"] == nil {
			switch enc, name := encodingOf(h); enc {
			case encIdentity:
				rw.state = bodySniff
				return
			case encGzip, encDeflate:
				if rw.g.mayRewrite(rw.ch) {
					rw.startDecodedSniff(enc == encGzip)
					return
				}
			default:
				if rw.g.mayRewrite(rw.ch) && !head {
					rw.g.logProblem(rw.r, "consent gate: untyped body in an encoding the Gate cannot decode passed through ungated; put compression outside the Gate", "encoding", name)
				}
			}
		}
		rw.state = bodyPass
		if head && !allowSniff && bodyAllowed {
			// A HEAD that wrote no body to sniff: its GET's may be HTML,
			// rewritten to another length.
			if rewrite, _ := rw.htmlRewrite(); rewrite {
				delete(h, "Content-Length")
				delete(h, "Accept-Ranges")
			}
		}
		rw.sendHeader(false, false, false)
		return
	}
	if class != mediaHTML {
		if class == mediaXHTML && bodyAllowed && !head {
			if rewrite, _ := rw.htmlRewrite(); rewrite {
				// The rewriter writes HTML, not always well-formed XML (a
				// second type attribute on a typed script, an undeclared
				// data-cg-xlink prefix), and one error in XML makes the
				// browser show no page at all. Its scripts run, so say so.
				cts := h["Content-Type"]
				rw.g.logProblem(rw.r, "consent gate: XHTML passed through ungated, without the banner; its tags cannot be neutralised without breaking the page: serve it as text/html", "content-type", cts[len(cts)-1])
			}
		}
		rw.state = bodyPass
		rw.sendHeader(false, false, false)
		return
	}
	var rewrite, bannerNeeded bool
	if bodyAllowed {
		rewrite, bannerNeeded = rw.htmlRewrite()
		if rewrite && h["Content-Range"] != nil {
			// A part of a page cannot be rewritten. The Gate asked for the
			// whole page (see serve), so this handler sent a range anyway,
			// or a media element asked for one.
			if !head {
				rw.g.logProblem(rw.r, "consent gate: partial HTML (Content-Range) passed through ungated; the handler answered a range the Gate had removed", "content-range", h["Content-Range"][0])
			}
			rewrite, bannerNeeded = false, false
		}
	}
	enc := encIdentity
	if rewrite {
		var name string
		enc, name = encodingOf(h)
		if enc == encOther {
			if !head {
				rw.g.logProblem(rw.r, "consent gate: HTML in an encoding the Gate cannot decode passed through ungated; put compression outside the Gate", "encoding", name)
			}
			rewrite = false
		}
	}
	if !rewrite {
		rw.state = bodyPass
		rw.sendHeader(true, false, false)
		return
	}
	if enc != encIdentity {
		// Decoded here and sent as identity.
		delete(h, "Content-Encoding")
	}
	cts := h["Content-Type"] // HTML, so at least one value; the last one counts
	label := labelEncoding(cts[len(cts)-1])
	if label != textASCII {
		// Transcoded and sent as UTF-8 (see charset.go).
		h["Content-Type"] = []string{"text/html; charset=utf-8"}
	}
	if head {
		// The GET's headers. The handler's body for HEAD is not passed
		// on either, so the server cannot count its length before
		// rewriting as the Content-Length.
		rw.state = bodyDiscard
	} else {
		rw.state = bodyRewrite
		rw.startRewriter(bannerNeeded, enc, label)
	}
	rw.sendHeader(true, true, bannerNeeded)
}

// htmlRewrite reports whether an HTML body of this response is rewritten:
// the visitor refuses a category some tag may need, or needs the banner
// (banner, never on a redirect, whose body is not shown).
func (rw *responseWriter) htmlRewrite() (rewrite, banner bool) {
	redirect := rw.code >= 300 && rw.code <= 399
	banner = rw.g.banner != nil && !redirect && rw.g.banner.BannerNeeded(rw.r)
	return banner || rw.g.anyRefused(rw.ch), banner
}

// startRewriter prepares the rewriter (and decoder) for the body. label
// is the encoding the Content-Type names (see charset.go).
func (rw *responseWriter) startRewriter(bannerNeeded bool, enc, label int) {
	var banner []byte
	if bannerNeeded {
		buf := bannerPool.Get().(*bytes.Buffer)
		buf.Reset()
		if err := rw.g.banner.RenderBanner(buf, rw.r); err != nil {
			// Fail open for the site: the page still renders, without the
			// banner; trackers stay neutralised as the visitor is undecided.
			rw.g.logProblem(rw.r, "consent gate: rendering the banner failed; page served without it", "error", err.Error())
			buf.Reset()
		}
		rw.bannerBuf = buf
		banner = buf.Bytes()
	}
	rw.out = outPool.Get().(*bufio.Writer)
	rw.out.Reset(rw.w)
	rw.rewriter = rw.g.rewriters.get(rw.out, rw.ch, banner)
	rw.charset = charsetStage{rw: rw, label: label}
	rw.bodyTarget = &rw.charset
	if enc != encIdentity {
		rw.decoder = newDecoder(enc == encGzip, &rw.charset)
		rw.bodyTarget = rw.decoder
	}
}

// sendHeader filters cookies and links, adds clean-up and caching headers,
// and sends the final status. banner says the banner is being injected.
func (rw *responseWriter) sendHeader(html, rewriting, banner bool) {
	g, h := rw.g, rw.w.Header()
	dependent, old := g.filterSetCookieSlice(h, rw.setCookie, rw.ch)
	if rw.present&hasLink != 0 && g.filterLinks(h, rw.ch) {
		dependent = true
	}
	if exp := g.cat.AppendExpirations(old, rw.r.Header, rw.ch, g.domain, g.paths, len(old)+g.maxExpirations); len(exp) != len(old) {
		// A handler that deletes a cookie itself (the banner after a
		// refusal) needs no second deletion of it.
		if exp = dropDuplicateExpiries(exp, len(old), rw.r); len(exp) != len(old) {
			h["Set-Cookie"] = exp
		}
		dependent = true
	}
	if html {
		// The same URL is rewritten differently for another visitor, so
		// validators that cannot tell consent states apart must go: a 304
		// would keep a page gated for a visitor who has since accepted.
		dependent = true
		delete(h, "Etag")
		delete(h, "Last-Modified")
		if rewriting {
			// The rewritten body has another length and other bytes; a
			// range of the original would be wrong.
			delete(h, "Content-Length")
			delete(h, "Accept-Ranges")
		}
	}
	if dependent {
		privateCaching(h, banner, rw.present)
	}
	rw.sent = true
	rw.w.WriteHeader(rw.code)
}

func (rw *responseWriter) writeBody(p []byte) (int, error) {
	if rw.writeErr != nil {
		return 0, rw.writeErr
	}
	n, err := rw.bodyTarget.Write(p)
	if err != nil && !isDecodeError(err) {
		// A decode error ends only the decoder, which answers every later
		// Write with it; what it decoded still goes out at the end.
		rw.writeErr = err
	}
	return n, err
}

func (rw *responseWriter) flushRewriter() error {
	if rw.writeErr != nil {
		return rw.writeErr
	}
	if err := rw.rewriter.Flush(); err != nil {
		rw.writeErr = err
		return err
	}
	if err := rw.out.Flush(); err != nil {
		rw.writeErr = err
		return err
	}
	return nil
}

// closeRewriter writes the tail of a rewritten body and returns the
// rewriter to its pool.
func (rw *responseWriter) closeRewriter() {
	if rw.decoder != nil {
		if err := rw.stopDecoder(); err != nil {
			rw.g.logProblem(rw.r, "consent gate: could not decode the handler's compressed HTML; body cut short", "error", err.Error())
		}
	}
	rw.endRewrite()
}

// endRewrite writes the rest of a rewritten body: the rewriter's tail, then
// whatever the output buffer holds. It returns both to their pools.
func (rw *responseWriter) endRewrite() {
	if rw.writeErr == nil {
		rw.writeErr = rw.charset.close()
	}
	if rw.writeErr == nil {
		rw.writeErr = rw.rewriter.Close()
	}
	if rw.writeErr == nil {
		rw.writeErr = rw.out.Flush()
	}
	rw.dropRewriter()
}

// outSize is how much rewritten HTML the Gate gathers before writing it on.
// The rewriter emits a page in many small pieces around every gated tag, and
// each Write to net/http's ResponseWriter has a cost of its own. 4 KiB is
// what net/http itself buffers before a write to the socket, so the page
// reaches the browser no later than it would without the Gate.
const outSize = 4 << 10

var outPool = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, outSize) }}

// dropRewriter returns the rewriter, its output buffer and the banner
// buffer to their pools, discarding anything unwritten (after a panic).
func (rw *responseWriter) dropRewriter() {
	if rw.rewriter != nil {
		rw.g.rewriters.put(rw.rewriter)
		rw.rewriter = nil
	}
	if rw.out != nil {
		rw.out.Reset(nil)
		outPool.Put(rw.out)
		rw.out = nil
	}
	if rw.bannerBuf != nil {
		if rw.bannerBuf.Cap() <= maxPooledBanner {
			bannerPool.Put(rw.bannerBuf)
		}
		rw.bannerBuf = nil
	}
	rw.bodyTarget = nil
}

// logProblem logs a problem with a response at most once per interval per kind.
// The path says which page to look at; the query is left out, as it may hold
// personal data.
func (g *Gate) logProblem(r *http.Request, msg, key, val string) {
	if !g.problems.allow(rateKey{kind: msg}, time.Now()) {
		return
	}
	g.logger.LogAttrs(context.Background(), slog.LevelError, msg, slog.String(key, val), slog.String("path", r.URL.Path))
}
