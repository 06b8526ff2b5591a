package middleware

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consentgate/consentgate/consent"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEarlyHintsCarryNoTrackers: Go's server sends the current header map
// with a 103, so a tracker cookie added before it must be filtered then.
func TestEarlyHintsCarryNoTrackers(t *testing.T) {
	tg := newTestGate(t, nil)
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Link", "</style.css>; rel=preload; as=style")
		w.Header().Add("Set-Cookie", "_ga=GA1; Path=/")
		w.Header().Add("Set-Cookie", "session=s; Path=/")
		w.WriteHeader(http.StatusEarlyHints)
		w.Header().Add("Set-Cookie", "_fbp=fb; Path=/")
		w.Write([]byte("ok"))
	}))
	var hints []textproto.MIMEHeader
	var mu sync.Mutex
	trace := &httptrace.ClientTrace{Got1xxResponse: func(code int, h textproto.MIMEHeader) error {
		mu.Lock()
		defer mu.Unlock()
		if code == http.StatusEarlyHints {
			hints = append(hints, h)
		}
		return nil
	}}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), http.MethodGet, srv.URL, nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)

	mu.Lock()
	defer mu.Unlock()
	require.Len(t, hints, 1, "the 103 is forwarded")
	assert.Equal(t, []string{"</style.css>; rel=preload; as=style"}, hints[0]["Link"])
	assert.Equal(t, []string{"session=s; Path=/"}, hints[0]["Set-Cookie"])
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, []string{"session"}, cookieNames(resp))
}

func TestFirstWriteHeaderWins(t *testing.T) {
	tg := newTestGate(t, nil)
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte("tea"))
	}))
	resp, body := get(t, http.MethodGet, srv.URL, "", nil)
	assert.Equal(t, http.StatusTeapot, resp.StatusCode)
	assert.Equal(t, "tea", body)
}

// TestHijackThroughGate runs a WebSocket-style upgrade through the Gate.
func TestHijackThroughGate(t *testing.T) {
	tg := newTestGate(t, nil)
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, ok := w.(http.Hijacker)
		require.True(t, ok)
		conn, brw, err := http.NewResponseController(w).Hijack()
		if !assert.NoError(t, err) {
			return
		}
		defer conn.Close()
		brw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
		brw.Flush()
		line, _ := brw.ReadString('\n')
		brw.WriteString("echo: " + line)
		brw.Flush()
		// After a hijack the Gate must not write: this would fail loudly.
		_, err = w.Write([]byte("x"))
		assert.ErrorIs(t, err, http.ErrHijacked)
	}))
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n")
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
	fmt.Fprintf(conn, "hello\n")
	line, err := br.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "echo: hello\n", line)
}

// TestServerSentEventsStream checks events reach the client while the
// handler is still running, untouched.
func TestServerSentEventsStream(t *testing.T) {
	tg := newTestGate(t, nil)
	tg.rewriters = fakeRewriters{}
	release := make(chan struct{})
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i := 0; i < 3; i++ {
			fmt.Fprintf(w, "data: <script>%d</script>\n\n", i)
			w.(http.Flusher).Flush()
		}
		<-release
	}))
	resp, err := http.Get(srv.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	br := bufio.NewReader(resp.Body)
	for i := 0; i < 3; i++ {
		line, err := br.ReadString('\n')
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("data: <script>%d</script>\n", i), line)
		br.ReadString('\n')
	}
	close(release) // only now may the handler return
}

// TestFlushBeforeWrite: headers go out filtered at a Flush before any body.
func TestFlushBeforeWrite(t *testing.T) {
	tg := newTestGate(t, nil)
	tg.rewriters = fakeRewriters{}
	for _, ctype := range []string{"text/plain", "text/html; charset=utf-8", ""} {
		t.Run(ctype, func(t *testing.T) {
			release := make(chan struct{})
			srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if ctype != "" {
					w.Header().Set("Content-Type", ctype)
				}
				w.Header().Add("Set-Cookie", "_ga=1")
				w.Header().Add("Set-Cookie", "session=1")
				w.(http.Flusher).Flush()
				w.Write([]byte("<p>first</p>"))
				w.(http.Flusher).Flush()
				<-release
				w.Write([]byte("<p>second</p>"))
			}))
			resp, err := http.Get(srv.URL)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, []string{"session"}, cookieNames(resp))
			got := readUntil(t, resp.Body, "first") // flushed before the handler returned
			close(release)
			rest, _ := io.ReadAll(resp.Body)
			assert.Contains(t, got+string(rest), "<p>second</p>")
		})
	}
}

// TestResponseControllerThroughGate checks the optional interfaces survive the wrapper.
func TestResponseControllerThroughGate(t *testing.T) {
	tg := newTestGate(t, nil)
	errs := make(chan error, 3)
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		errs <- rc.SetWriteDeadline(time.Now().Add(time.Minute))
		errs <- rc.SetReadDeadline(time.Now().Add(time.Minute))
		w.Write([]byte("x"))
		errs <- rc.Flush()
	}))
	resp, body := get(t, http.MethodGet, srv.URL, "", nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "x", body)
	for i := 0; i < 3; i++ {
		assert.NoError(t, <-errs)
	}
}

// TestConcurrentRequests runs many requests with different consent states at
// once: pooled writers must never leak one visitor's state into another's.
func TestConcurrentRequests(t *testing.T) {
	tg := newTestGate(t, nil)
	tg.rewriters = fakeRewriters{}
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Add("Set-Cookie", "_ga=1")
		w.Header().Add("Set-Cookie", "session=1")
		fmt.Fprintf(w, "<p>%v</p>", consent.Allowed(r.Context(), consent.Analytics))
	}))
	allowed := "cookie_consent=" + tg.consentValue(t, consent.Analytics)
	getConcurrently(t, 200, &http.Transport{MaxIdleConnsPerHost: 32}, func(i int) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		if i%2 == 0 {
			req.Header.Set("Cookie", allowed)
		}
		return req
	}, func(i int, resp *http.Response, body []byte) {
		if i%2 == 0 {
			assert.Equal(t, []string{"_ga", "session"}, cookieNames(resp))
			assert.Equal(t, "[gated]<p>true</p>", string(body))
		} else {
			assert.Equal(t, []string{"session"}, cookieNames(resp))
			assert.Equal(t, "[gated]<p>false</p>", string(body))
		}
	})
}

// TestHTTP2 runs the Gate over HTTP/2, where hijacking is not supported and
// the server's writer differs: filtering, flushing and gating still work.
func TestHTTP2(t *testing.T) {
	tg := newTestGate(t, nil)
	hijackErr := make(chan error, 1)
	srv := httptest.NewUnstartedServer(tg.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _, err := http.NewResponseController(w).Hijack()
		hijackErr <- err
		w.Header().Set("Content-Type", "text/html")
		w.Header().Add("Set-Cookie", "_ga=1")
		w.Header().Add("Set-Cookie", "session=1")
		io.WriteString(w, `<body><script src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>`)
		assert.NoError(t, http.NewResponseController(w).Flush())
	})))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, 2, resp.ProtoMajor)
	assert.ErrorIs(t, <-hijackErr, http.ErrNotSupported)
	assert.Equal(t, []string{"session"}, cookieNames(resp))
	assert.Contains(t, string(body), `<script type="text/plain" data-cg-category="analytics"`)
}

// readUntil reads from r until what it read contains want; the handler is
// blocked meanwhile, so only flushed bytes can arrive. It fails on EOF.
func readUntil(t *testing.T, r io.Reader, want string) string {
	t.Helper()
	var got []byte
	buf := make([]byte, 256)
	for !strings.Contains(string(got), want) {
		n, err := r.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			t.Fatalf("read %q, then %v, before %q arrived", got, err, want)
		}
	}
	return string(got)
}

// flushStep in a sniffScript stands for a Flush; any other step is a Write.
const flushStep = "\x00flush"

// TestFlushedUntypedBodySniffedLikeBareServer: a handler that sets no
// Content-Type and flushes early (to send headers, or after each template
// section) must not have its page typed by whatever tiny piece came first.
// Bare net/http sends no type after a Flush before any body, and the browser
// sniffs the page; after a Flush that does hold body it types the page by
// that body. The Gate must name a type no worse: the bare server's, or what
// the first 512 bytes of the whole body sniff as, and text/html whenever
// those bytes sniff as HTML. Compressed bodies are never typed by bare
// net/http, so there the whole body's sniff is the only answer.
func TestFlushedUntypedBodySniffedLikeBareServer(t *testing.T) {
	rest := strings.TrimPrefix(page, "<!doctype html>")
	scripts := map[string][]string{
		"flush, newline, page":                {flushStep, "\n", page},
		"flush, newline, flush, page":         {flushStep, "\n", flushStep, page},
		"newline, flush, page":                {"\n", flushStep, page},
		"flush, empty write, flush, page":     {flushStep, "", flushStep, page},
		"flush, cut signature, flush, rest":   {flushStep, "<!DOCTYPE HT", flushStep, "ML>" + rest},
		"flush, whole signature, flush, rest": {flushStep, "<!doctype html", flushStep, ">" + rest},
		"flush, first part, flush, rest":      {flushStep, "<!doctype html><p>first</p>", flushStep, rest},
		"flush, text, flush, page":            {flushStep, "plain words ", flushStep, page},
		"flush, page one byte at a time":      append([]string{flushStep}, strings.Split(page, "")...),
		"newline, page, no flush":             {"\n", page},
	}
	for name, script := range scripts {
		var full string
		for _, s := range script {
			if s != flushStep {
				full += s
			}
		}
		sniffed := http.DetectContentType([]byte(full[:min(len(full), sniffLen)]))
		for _, compressed := range []bool{false, true} {
			run := func(w http.ResponseWriter) {
				var body io.Writer = w
				var zw *gzip.Writer
				if compressed {
					w.Header().Set("Content-Encoding", "gzip")
					zw = gzip.NewWriter(w)
					body = zw
				}
				for _, s := range script {
					if s != flushStep {
						io.WriteString(body, s)
						continue
					}
					if zw != nil {
						zw.Flush()
					}
					w.(http.Flusher).Flush()
				}
				if zw != nil {
					zw.Close()
				}
			}
			t.Run(fmt.Sprintf("%s compressed=%v", name, compressed), func(t *testing.T) {
				bareType := ""
				if !compressed {
					bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { run(w) }))
					defer bare.Close()
					resp, _ := get(t, http.MethodGet, bare.URL, "", nil)
					bareType = resp.Header.Get("Content-Type")
				}
				tg := hostileGate(t, nil)
				srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { run(w) }))
				resp, body := get(t, http.MethodGet, srv.URL, "", nil)
				got := resp.Header.Get("Content-Type")
				if isHTMLType(sniffed) {
					assert.Equal(t, sniffed, got, "the page is HTML (bare server: %q)", bareType)
					assertGated(t, body)
				} else if got != sniffed {
					assert.Equal(t, bareType, got, "neither the whole body's sniff %q nor the bare server's type", sniffed)
				}
			})
		}
	}
}
