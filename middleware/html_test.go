package middleware

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/consentgate/consentgate/consent"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stubBanner is a BannerRenderer that counts calls.
type stubBanner struct {
	needed bool
	fail   bool
	calls  int
}

func (b *stubBanner) BannerNeeded(r *http.Request) bool {
	b.calls++
	return b.needed
}

func (b *stubBanner) RenderBanner(w io.Writer, r *http.Request) error {
	if b.fail {
		return errors.New("template broke")
	}
	_, err := io.WriteString(w, "<div id=banner></div>")
	return err
}

// compressed returns s written through the compressor newWriter makes.
func compressed(s string, newWriter func(io.Writer) io.WriteCloser) []byte {
	var b bytes.Buffer
	zw := newWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.Bytes()
}

// gz returns s gzipped.
func gz(s string) []byte {
	return compressed(s, func(w io.Writer) io.WriteCloser { return gzip.NewWriter(w) })
}

const page = "<!doctype html><html><head><script src=https://www.googletagmanager.com/gtag/js></script></head><body><p>Hello</p></body></html>"

func TestHTMLResponses(t *testing.T) {
	zl := func(s string) []byte {
		return compressed(s, func(w io.Writer) io.WriteCloser { return zlib.NewWriter(w) })
	}
	raw := func(s string) []byte {
		return compressed(s, func(w io.Writer) io.WriteCloser {
			zw, _ := flate.NewWriter(w, flate.DefaultCompression)
			return zw
		})
	}
	gated := "[gated]" + strings.ReplaceAll(page, "<script", `<script type="text/plain"`)
	tests := []struct {
		name     string
		method   string
		header   http.Header
		status   int
		body     []byte
		consent  bool // everything accepted
		wantBody string
		wantHdr  http.Header // exact values; nil value = must be absent
		wantLog  string
	}{
		{name: "html rewritten, length dropped", header: http.Header{"Content-Type": {"text/html; charset=utf-8"},
			"Content-Length": {strconv.Itoa(len(page))}, "Etag": {`"v1"`}, "Accept-Ranges": {"bytes"}},
			body: []byte(page), wantBody: gated,
			wantHdr: http.Header{"Etag": nil, "Accept-Ranges": nil, "Vary": {"Cookie, Sec-GPC"}, "Cache-Control": {"private"}}},
		{name: "html sniffed", header: http.Header{}, body: []byte(page), wantBody: gated,
			wantHdr: http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Vary": {"Cookie, Sec-GPC"}}},
		{name: "html after consent passes untouched", header: http.Header{"Content-Type": {"text/html"},
			"Content-Length": {strconv.Itoa(len(page))}, "Etag": {`"v1"`}, "Last-Modified": {"Wed, 25 Nov 2026 10:00:00 GMT"}},
			body: []byte(page), consent: true, wantBody: page,
			wantHdr: http.Header{"Content-Length": {strconv.Itoa(len(page))}, "Vary": {"Cookie, Sec-GPC"}, "Cache-Control": {"private"},
				"Etag": nil, "Last-Modified": nil}},
		{name: "non-html untouched", header: http.Header{"Content-Type": {"application/json"}, "Etag": {`"v1"`}},
			body: []byte(`{"a":"<script>"}`), wantBody: `{"a":"<script>"}`,
			wantHdr: http.Header{"Etag": {`"v1"`}, "Vary": nil, "Cache-Control": nil}},
		{name: "sniffed non-html untouched", header: http.Header{}, body: []byte("plain <script> text"),
			wantBody: "plain <script> text", wantHdr: http.Header{"Content-Type": {"text/plain; charset=utf-8"}}},
		{name: "xhtml-looking type is not text/html", header: http.Header{"Content-Type": {"application/vnd.example+json; x=html"}},
			body: []byte("<script>"), wantBody: "<script>"},
		{name: "HEAD", method: http.MethodHead, header: http.Header{"Content-Type": {"text/html"}, "Content-Length": {"999"}},
			body: []byte(page), wantBody: "", wantHdr: http.Header{"Content-Length": nil, "Vary": {"Cookie, Sec-GPC"}}},
		{name: "304", status: http.StatusNotModified, header: http.Header{"Content-Type": {"text/html"}, "Etag": {`"v1"`}},
			wantBody: "", wantHdr: http.Header{"Etag": nil, "Vary": {"Cookie, Sec-GPC"}}},
		{name: "204", status: http.StatusNoContent, header: http.Header{}, wantBody: ""},
		{name: "range passes", status: http.StatusPartialContent, header: http.Header{"Content-Type": {"text/html"},
			"Content-Range": {"bytes 0-9/100"}}, body: []byte(page[:10]), wantBody: page[:10]},
		{name: "gzip from handler decoded", header: http.Header{"Content-Type": {"text/html"}, "Content-Encoding": {"gzip"},
			"Content-Length": {"10"}}, body: gz(page), wantBody: gated,
			wantHdr: http.Header{"Content-Encoding": nil}},
		{name: "zlib deflate from handler decoded", header: http.Header{"Content-Type": {"text/html"}, "Content-Encoding": {"deflate"}},
			body: zl(page), wantBody: gated, wantHdr: http.Header{"Content-Encoding": nil}},
		{name: "raw deflate from handler decoded", header: http.Header{"Content-Type": {"text/html"}, "Content-Encoding": {"deflate"}},
			body: raw(page), wantBody: gated, wantHdr: http.Header{"Content-Encoding": nil}},
		{name: "gzip after consent passes compressed", header: http.Header{"Content-Type": {"text/html"}, "Content-Encoding": {"gzip"}},
			body: gz(page), consent: true, wantBody: string(gz(page)), wantHdr: http.Header{"Content-Encoding": {"gzip"}}},
		{name: "brotli passes with a log", header: http.Header{"Content-Type": {"text/html"}, "Content-Encoding": {"br"}},
			body: []byte("\x0bbrotli"), wantBody: "\x0bbrotli", wantHdr: http.Header{"Content-Encoding": {"br"}},
			wantLog: "encoding=br"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := newTestGate(t, nil)
			tg.rewriters = fakeRewriters{}
			srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if !tt.consent {
					assert.Empty(t, r.Header.Get("Accept-Encoding"), "the Gate asks for identity")
				}
				for k, v := range tt.header {
					w.Header()[k] = v
				}
				if tt.status != 0 {
					w.WriteHeader(tt.status)
				}
				// Small writes: the Gate must handle bodies split anywhere.
				for b := tt.body; len(b) > 0; {
					n := min(len(b), 7)
					w.Write(b[:n])
					b = b[n:]
				}
			}))
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			cookie := ""
			if tt.consent {
				cookie = "cookie_consent=" + tg.consentValue(t, tg.codec.Catalogue().Optional()...)
			}
			resp, body := get(t, method, srv.URL, cookie, map[string]string{"Accept-Encoding": "gzip, br"})
			assert.Equal(t, tt.wantBody, body)
			if cl := resp.Header.Get("Content-Length"); cl != "" && method != http.MethodHead {
				assert.Equal(t, strconv.Itoa(len(body)), cl, "a Content-Length must be the length sent")
			}
			for k, v := range tt.wantHdr {
				assert.Equal(t, v, resp.Header.Values(k), k)
			}
			if tt.wantLog != "" {
				assert.Contains(t, tg.logs.String(), tt.wantLog)
			}
		})
	}
}

func TestBannerInjection(t *testing.T) {
	everything := func(tg testGate) string {
		return "cookie_consent=" + tg.consentValue(t, tg.codec.Catalogue().Optional()...)
	}
	tests := []struct {
		name      string
		banner    stubBanner
		consented bool
		method    string
		status    int
		ctype     string
		wantBody  string
		wantCalls int
	}{
		{name: "undecided gets the banner", banner: stubBanner{needed: true}, ctype: "text/html",
			wantBody: "[gated]<div id=banner></div><p>x</p>", wantCalls: 1},
		{name: "banner not needed", banner: stubBanner{}, ctype: "text/html", wantBody: "[gated]<p>x</p>", wantCalls: 1},
		{name: "consented and no banner: pass-through", banner: stubBanner{}, consented: true, ctype: "text/html",
			wantBody: "<p>x</p>", wantCalls: 1},
		{name: "consented with confirmation pending", banner: stubBanner{needed: true}, consented: true, ctype: "text/html",
			wantBody: "[gated]<div id=banner></div><p>x</p>", wantCalls: 1},
		{name: "render failure serves the page", banner: stubBanner{needed: true, fail: true}, ctype: "text/html",
			wantBody: "[gated]<p>x</p>", wantCalls: 1},
		{name: "not html: not asked", banner: stubBanner{needed: true}, ctype: "text/css", wantBody: "<p>x</p>"},
		{name: "HEAD: asked as for its GET, whose headers it carries", banner: stubBanner{needed: true}, method: http.MethodHead,
			ctype: "text/html", wantCalls: 1},
		{name: "redirect: not asked, still gated", banner: stubBanner{needed: true}, status: http.StatusFound, ctype: "text/html",
			wantBody: "[gated]<p>x</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.banner
			tg := newTestGate(t, func(o *Options) { o.Banner = &b })
			tg.rewriters = fakeRewriters{}
			srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.ctype)
				if tt.status != 0 {
					w.Header().Set("Location", "/elsewhere")
					w.WriteHeader(tt.status)
				}
				io.WriteString(w, "<p>x</p>")
			}))
			cookie := ""
			if tt.consented {
				cookie = everything(tg)
			}
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			_, body := get(t, method, srv.URL, cookie, nil)
			assert.Equal(t, tt.wantBody, body)
			assert.Equal(t, tt.wantCalls, b.calls, "BannerNeeded is called at most once per HTML response")
		})
	}
}

// TestCorruptGzipFromHandler: a broken compressed body cannot be gated, so it
// is cut short rather than passed on; the server survives.
func TestCorruptGzipFromHandler(t *testing.T) {
	tg := newTestGate(t, nil)
	tg.rewriters = fakeRewriters{}
	var writeErr error
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		_, writeErr = w.Write([]byte("this is not gzip <script>evil()</script>"))
	}))
	_, body := get(t, http.MethodGet, srv.URL, "", nil)
	assert.NotContains(t, body, "evil")
	require.Error(t, writeErr)
	assert.Contains(t, tg.logs.String(), "decode")
}

// TestGzipStreamsOnFlush: a handler that gzips and flushes still streams.
func TestGzipStreamsOnFlush(t *testing.T) {
	tg := newTestGate(t, nil)
	tg.rewriters = fakeRewriters{}
	release := make(chan struct{})
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		io.WriteString(zw, "<p>first</p>")
		zw.Flush()
		w.(http.Flusher).Flush()
		<-release
		io.WriteString(zw, "<p>second</p>")
		zw.Close()
	}))
	resp, err := http.Get(srv.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, "[gated]<p>first</p>", readUntil(t, resp.Body, "</p>"))
	close(release)
	rest, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "<p>second</p>", string(rest))
	assert.Empty(t, resp.Header.Get("Content-Encoding"))
}

var _ = consent.Analytics

// TestDecoderAbort: a handler that panics mid-body must not leave the
// decoding goroutine blocked.
func TestDecoderAbort(t *testing.T) {
	var out bytes.Buffer
	d := newDecoder(true, &out)
	_, err := d.Write(gz(page)[:20])
	require.NoError(t, err)
	closeErr := d.close()
	select {
	case <-d.done:
	default:
		t.Fatal("decoder goroutine still running after close")
	}
	assert.Error(t, closeErr, "a cut-short stream is an error")
}

// TestPanickingHandlerWithGzip: the server survives, and the next request
// through the same Gate is served normally.
func TestPanickingHandlerWithGzip(t *testing.T) {
	tg := newTestGate(t, nil)
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		if r.URL.Path == "/panic" {
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			zw.Write([]byte(page))
			zw.Flush()
			panic(http.ErrAbortHandler)
		}
		io.WriteString(w, "<p>fine</p>")
	}))
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	if resp, err := (&http.Client{Transport: tr}).Get(srv.URL + "/panic"); err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	_, body := get(t, http.MethodGet, srv.URL+"/ok", "", nil)
	assert.Equal(t, "<p>fine</p>", body)
}

// TestCompressedWithoutContentType: net/http does not sniff a compressed
// body, but the browser sniffs what it decodes; the Gate decodes and sniffs
// it so an untyped gzip page is gated like any other.
func TestCompressedWithoutContentType(t *testing.T) {
	long := page + strings.Repeat("<p>filler paragraph</p>", 40) // past the 512-byte sniff window
	gated := func(s string) string {
		return "[gated]" + strings.ReplaceAll(s, "<script", `<script type="text/plain"`)
	}
	tests := []struct {
		name     string
		body     string
		consent  bool
		wantBody string
		wantCT   string
		wantCE   string
	}{
		{name: "short html", body: page, wantBody: gated(page), wantCT: "text/html; charset=utf-8"},
		{name: "long html", body: long, wantBody: gated(long), wantCT: "text/html; charset=utf-8"},
		{name: "json", body: `{"a":"<script>"}`, wantBody: `{"a":"<script>"}`, wantCT: "text/plain; charset=utf-8"},
		{name: "empty", body: "", wantBody: ""},
		{name: "consented: untouched", body: page, consent: true, wantBody: string(gz(page)), wantCE: "gzip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := newTestGate(t, nil)
			tg.rewriters = fakeRewriters{}
			srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Encoding", "gzip")
				w.Header().Set("Etag", `"gz1"`)
				b := gz(tt.body)
				for len(b) > 0 {
					n := min(len(b), 13)
					w.Write(b[:n])
					b = b[n:]
				}
			}))
			cookie := ""
			if tt.consent {
				cookie = "cookie_consent=" + tg.consentValue(t, tg.codec.Catalogue().Optional()...)
			}
			resp, body := get(t, http.MethodGet, srv.URL, cookie, nil)
			assert.Equal(t, tt.wantBody, body)
			assert.Equal(t, tt.wantCE, resp.Header.Get("Content-Encoding"))
			if tt.wantCT != "" {
				assert.Equal(t, tt.wantCT, resp.Header.Get("Content-Type"))
			}
			if tt.wantCE == "" {
				assert.Empty(t, resp.Header.Get("Etag"), "the compressed representation's validator is gone")
			}
		})
	}
}

// TestCompressedWithoutContentTypeStreams: Flush still streams when the
// untyped compressed body is decoded and sniffed.
func TestCompressedWithoutContentTypeStreams(t *testing.T) {
	tg := newTestGate(t, nil)
	release := make(chan struct{})
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.(http.Flusher).Flush() // nothing to sniff yet: held
		zw := gzip.NewWriter(w)
		io.WriteString(zw, "<!doctype html><html><body><p>first</p>")
		zw.Flush()
		w.(http.Flusher).Flush()
		<-release
		io.WriteString(zw, `<script src="https://connect.facebook.net/en_US/fbevents.js"></script></body></html>`)
		zw.Close()
	}))
	resp, err := http.Get(srv.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, "<!doctype html><html><body><p>first</p>", readUntil(t, resp.Body, "</p>"))
	close(release)
	rest, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Contains(t, string(rest), `<script type="text/plain" data-cg-category="marketing"`)
	assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
}

// writeCounter is a ResponseWriter that counts the writes reaching it.
type writeCounter struct {
	h      http.Header
	body   bytes.Buffer
	writes int
}

func (w *writeCounter) Header() http.Header { return w.h }
func (w *writeCounter) WriteHeader(int)     {}
func (w *writeCounter) Write(p []byte) (int, error) {
	w.writes++
	return w.body.Write(p)
}

// TestRewrittenPageLeavesInFewWrites: the rewriter emits pieces around every
// gated tag; net/http would send each one on as a chunk, so the Gate gathers
// them and writes the page on in blocks.
func TestRewrittenPageLeavesInFewWrites(t *testing.T) {
	tg := newTestGate(t, nil)
	var src strings.Builder
	src.WriteString("<!doctype html><html><body>")
	for src.Len() < 6*outSize {
		src.WriteString(`<p>News</p><script src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>`)
	}
	src.WriteString("</body></html>")
	h := tg.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, src.String())
	}))
	w := &writeCounter{h: http.Header{}}
	h.ServeHTTP(w, httptestRequest(t))
	n := strings.Count(src.String(), "<script")
	assert.Equal(t, n, strings.Count(w.body.String(), `<script type="text/plain"`), "every tracker gated")
	assert.LessOrEqual(t, w.writes, w.body.Len()/outSize+1, "%d bytes in %d writes", w.body.Len(), w.writes)
}

func httptestRequest(t *testing.T) *http.Request {
	t.Helper()
	r, err := http.NewRequest(http.MethodGet, "https://www.westshire.police.uk/", nil)
	require.NoError(t, err)
	return r
}
