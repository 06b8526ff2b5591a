package middleware

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/consentgate/consentgate/consent"
	"github.com/stretchr/testify/assert"
)

// recoverer is the usual outermost middleware (chi's Recoverer, gorilla's
// RecoveryHandler): it recovers a panic, hands the value to recovered, and
// sends a 500 of its own with whatever header map the handler left behind.
// http.ErrAbortHandler goes on to net/http, as those recoverers let it.
func recoverer(recovered func(any), next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			recovered(p)
			if p == http.ErrAbortHandler {
				panic(p)
			}
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, recovererBody)
		}()
		next.ServeHTTP(w, r)
	})
}

const recovererBody = "Something went wrong."

// serveRecovered starts a real server running recoverer(Gate(h)).
func (tg testGate) serveRecovered(t testing.TB, recovered func(any), h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(recoverer(recovered, tg.Handler(h)))
	t.Cleanup(srv.Close)
	return srv
}

// trackerHeaders sets what a page with analytics sets before it writes: a
// tracker cookie next to the session's, a preload of the tag, and the
// length and type of the page it means to send.
func trackerHeaders(h http.Header, typ string, length int) {
	h.Add("Set-Cookie", "_ga=GA1.1.1; Path=/")
	h.Add("Set-Cookie", "session=s; Path=/")
	h.Add("Link", "<https://www.googletagmanager.com/gtag/js?id=G-1>; rel=preload; as=script")
	if typ != "" {
		h.Set("Content-Type", typ)
	}
	h.Set("Content-Length", strconv.Itoa(length))
}

// longPage is a page well past the sniff window. Cut in the middle, its
// gzip stream leaves more than a sniff window of decoded bytes inside the
// decompressor, which it hands out as it stops.
var longPage = func() string {
	var b strings.Builder
	for i := range 150 {
		fmt.Fprintf(&b, "<p>News item %d of %d from the county</p>\n", i*i, i)
	}
	return strings.Replace(page, "<p>Hello</p>", b.String()+"<p>Hello</p>", 1)
}()

// TestPanicUnderRecovererSendsNoTrackers: when the handler panics before
// its headers left, the recoverer outside the Gate sends its 500 with the
// handler's header map. That map must have been filtered like any other
// response's (no tracker cookie, no tracker preload) and must not describe
// a body that was never sent (its length or encoding would break the
// recoverer's own body).
func TestPanicUnderRecovererSendsNoTrackers(t *testing.T) {
	gzLong := gz(longPage)
	tests := map[string]http.HandlerFunc{
		"before writing": func(w http.ResponseWriter, r *http.Request) {
			trackerHeaders(w.Header(), "text/html", len(page))
			panic("boom")
		},
		"after WriteHeader, untyped": func(w http.ResponseWriter, r *http.Request) {
			trackerHeaders(w.Header(), "", len(page))
			w.WriteHeader(http.StatusOK) // held back: the body is to be sniffed
			panic("boom")
		},
		"after a short untyped write": func(w http.ResponseWriter, r *http.Request) {
			trackerHeaders(w.Header(), "", len(page))
			io.WriteString(w, page[:20])
			panic("boom")
		},
		"mid untyped gzip body": func(w http.ResponseWriter, r *http.Request) {
			trackerHeaders(w.Header(), "", len(gzLong))
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gzLong[:len(gzLong)/2])
			panic("boom")
		},
		"under other spellings": func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h["set-cookie"] = []string{"_ga=GA1.1.1; Path=/", "session=s; Path=/"}
			h["LINK"] = []string{"<https://www.googletagmanager.com/gtag/js?id=G-1>; rel=preload; as=script"}
			h["content-length"] = []string{strconv.Itoa(len(page))}
			h["content-encoding"] = []string{"gzip"}
			panic("boom")
		},
		"after a 103": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusEarlyHints)
			trackerHeaders(w.Header(), "text/html", len(page))
			panic("boom")
		},
	}
	for name, h := range tests {
		t.Run(name, func(t *testing.T) {
			tg := hostileGate(t, nil)
			var mu sync.Mutex
			var got []any
			srv := tg.serveRecovered(t, func(p any) {
				mu.Lock()
				defer mu.Unlock()
				got = append(got, p)
			}, h)
			resp, body := get(t, http.MethodGet, srv.URL, "", nil) // fails on a length mismatch
			assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
			assert.Equal(t, recovererBody, body)
			assert.Equal(t, []string{"session"}, cookieNames(resp))
			assert.Empty(t, resp.Header.Values("Link"))
			assert.Empty(t, resp.Header.Values("Content-Encoding"))
			mu.Lock()
			defer mu.Unlock()
			assert.Equal(t, []any{"boom"}, got, "the recoverer sees the handler's panic, once")
		})
	}
}

// TestPanicValuePassesThroughGate: recoverers and net/http tell panics
// apart by value (http.ErrAbortHandler ends a response silently), so the
// Gate must let the very value through, not one of its own.
func TestPanicValuePassesThroughGate(t *testing.T) {
	own := &struct{ msg string }{"database down"}
	for name, value := range map[string]any{
		"ErrAbortHandler": http.ErrAbortHandler,
		"error":           fmt.Errorf("wrapped: %w", io.ErrUnexpectedEOF),
		"pointer":         own,
	} {
		t.Run(name, func(t *testing.T) {
			tg := hostileGate(t, nil)
			recovered := make(chan any, 1)
			var serverLog bytes.Buffer
			srv := httptest.NewUnstartedServer(recoverer(func(p any) { recovered <- p }, tg.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				trackerHeaders(w.Header(), "text/html", len(page))
				io.WriteString(w, page[:30])
				panic(value)
			}))))
			srv.Config.ErrorLog = log.New(&serverLog, "", 0)
			srv.Start()
			tr := &http.Transport{DisableCompression: true}
			defer tr.CloseIdleConnections()
			if resp, err := (&http.Client{Transport: tr}).Get(srv.URL); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			srv.Close() // waits for the handler, and so for the server's log
			assert.Same(t, value, <-recovered)
			if value == http.ErrAbortHandler {
				assert.NotContains(t, serverLog.String(), "panic", "net/http logs nothing for ErrAbortHandler")
			}
		})
	}
}

// countingRewriters counts the rewriters handed out and taken back.
type countingRewriters struct {
	rewriterSource
	mu         sync.Mutex
	gets, puts int
}

func (c *countingRewriters) get(dst io.Writer, ch consent.Choices, banner []byte) bodyRewriter {
	c.mu.Lock()
	c.gets++
	c.mu.Unlock()
	return c.rewriterSource.get(dst, ch, banner)
}

func (c *countingRewriters) put(b bodyRewriter) {
	c.mu.Lock()
	c.puts++
	c.mu.Unlock()
	c.rewriterSource.put(b)
}

// TestPanicMidRewriteDropsRewriter: a panic can stop the rewriter in the
// middle of a step (a bug of its own, or the handler's panic inside a
// Write that reached it), leaving state no Reset was written for. Such a
// rewriter must not go back to the pool; one that finished its page must.
func TestPanicMidRewriteDropsRewriter(t *testing.T) {
	tg := hostileGate(t, nil)
	counting := &countingRewriters{rewriterSource: tg.rewriters}
	tg.rewriters = counting
	srv := tg.serveRecovered(t, func(any) {}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		if r.URL.Path == "/panic" {
			io.WriteString(w, page[:40])
			panic("boom")
		}
		io.WriteString(w, page)
	}))
	get(t, http.MethodGet, srv.URL+"/panic", "", nil)
	counting.mu.Lock()
	assert.Equal(t, 1, counting.gets)
	assert.Equal(t, 0, counting.puts, "a rewriter a panic interrupted is not pooled")
	counting.mu.Unlock()

	_, body := get(t, http.MethodGet, srv.URL+"/ok", "", nil)
	assertGated(t, body)
	counting.mu.Lock()
	defer counting.mu.Unlock()
	assert.Equal(t, 2, counting.gets)
	assert.Equal(t, 1, counting.puts, "a finished one is")
}

// TestPanicsAmongPagesConcurrently: handlers panicking at every stage of a
// response, under a recoverer, while other visitors get pages: under -race,
// no pooled writer, rewriter or decoder may carry one response's state into
// another's, and every panicking response is a clean, filtered 500.
func TestPanicsAmongPagesConcurrently(t *testing.T) {
	tg := hostileGate(t, nil)
	paths := []string{"/page", "/panic-typed", "/page-gzip", "/panic-sniffing", "/panic-gzip", "/panic-flushed"}
	srv := tg.serveRecovered(t, func(any) {}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		marked := strings.Replace(page, "Hello", "Hello "+r.URL.Query().Get("n"), 1)
		w.Header().Add("Set-Cookie", "_ga=GA1.1.1; Path=/")
		switch r.URL.Path {
		case "/page":
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, marked)
		case "/page-gzip":
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			io.WriteString(zw, marked)
			zw.Close()
		case "/panic-typed":
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Length", strconv.Itoa(len(marked)))
			panic("boom")
		case "/panic-sniffing":
			io.WriteString(w, marked[:30])
			panic("boom")
		case "/panic-gzip":
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			io.WriteString(zw, marked[:50])
			zw.Flush()
			panic("boom")
		case "/panic-flushed": // headers gone: the 500 comes too late
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, marked[:60])
			w.(http.Flusher).Flush()
			panic("boom")
		}
	}))
	getConcurrently(t, 120, &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 16}, func(i int) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s%s?n=%d", srv.URL, paths[i%len(paths)], i), nil)
		return req
	}, func(i int, resp *http.Response, raw []byte) {
		path, body := paths[i%len(paths)], string(raw)
		assert.Empty(t, cookieNames(resp), path)
		assert.NotContains(t, body, hostileTracker, path)
		switch path {
		case "/page", "/page-gzip":
			assert.Equal(t, http.StatusOK, resp.StatusCode, path)
			assert.Contains(t, body, fmt.Sprintf("<p>Hello %d</p></body></html>", i), "%s: another response's body, or cut short", path)
			assert.Contains(t, body, hostileBanner, path)
		case "/panic-flushed":
			assert.Equal(t, http.StatusOK, resp.StatusCode, path)
		default:
			assert.Equal(t, http.StatusInternalServerError, resp.StatusCode, path)
			assert.Equal(t, recovererBody, body, path)
		}
	})
}

// panickyClient is a ResponseWriter whose Write panics, as the writer of a
// broken middleware outside the Gate might.
type panickyClient struct{ h http.Header }

func (w panickyClient) Header() http.Header     { return w.h }
func (panickyClient) WriteHeader(int)           {}
func (panickyClient) Write([]byte) (int, error) { panic("outer writer broke") }

// TestPanicOnDecoderGoroutineDropsRewriter: a compressed page is rewritten
// on the decoder's goroutine, which recovers a panic there so it costs one
// response and not the server. The rewriter was inside its Write when the
// client's writer panicked (the rewritten page overflowed the output
// buffer), so it must be let go like one a handler's panic interrupted,
// not pooled for the next visitor.
func TestPanicOnDecoderGoroutineDropsRewriter(t *testing.T) {
	gzLong := gz(longPage)
	for name, tc := range map[string]struct {
		typ    string
		banner BannerRenderer
	}{
		"typed gzip page":   {typ: "text/html", banner: decidedBanner{}},
		"untyped gzip page": {banner: decidedBanner{}},
		// The banner alone overflows the output buffer while the sniffed
		// bytes are written, right after the headers left.
		"untyped gzip page, large banner": {banner: largeBanner{}},
	} {
		t.Run(name, func(t *testing.T) {
			tg := hostileGate(t, func(o *Options) { o.Banner = tc.banner })
			counting := &countingRewriters{rewriterSource: tg.rewriters}
			tg.rewriters = counting
			h := tg.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.typ != "" {
					w.Header().Set("Content-Type", tc.typ)
				}
				w.Header().Set("Content-Encoding", "gzip")
				w.Write(gzLong)
			}))
			assert.NotPanics(t, func() {
				h.ServeHTTP(panickyClient{h: http.Header{}}, httptestRequest(t))
			})
			counting.mu.Lock()
			defer counting.mu.Unlock()
			assert.Equal(t, 1, counting.gets, "the page went to one rewriter")
			assert.Equal(t, 0, counting.puts, "a rewriter a panic interrupted is not pooled")
			assert.Contains(t, tg.logs.String(), "outer writer broke", "the panic is logged")
		})
	}
}

// largeBanner renders a banner larger than the Gate's output buffer.
type largeBanner struct{}

func (largeBanner) BannerNeeded(*http.Request) bool { return true }

func (largeBanner) RenderBanner(w io.Writer, r *http.Request) error {
	_, err := io.WriteString(w, "<div>"+strings.Repeat("Cookies on this site. ", 2*outSize/20)+"</div>")
	return err
}
