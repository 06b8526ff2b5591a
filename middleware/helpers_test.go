package middleware

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consentgate/consentgate/consent"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var testKey = consent.Key{Hash: bytes.Repeat([]byte("k"), 32)}

func testCodec(t testing.TB) *consent.Codec {
	t.Helper()
	cat, err := consent.NewCatalogue(consent.DefaultPolicy())
	require.NoError(t, err)
	codec, err := consent.NewCodec(cat, consent.CodecOptions{Keys: []consent.Key{testKey}, Insecure: true})
	require.NoError(t, err)
	return codec
}

// logBuffer collects log lines safely across goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

type testGate struct {
	*Gate
	codec *consent.Codec
	logs  *logBuffer
}

// newTestGate builds a Gate over the default policy. edit may change the options.
func newTestGate(t testing.TB, edit func(*Options)) testGate {
	t.Helper()
	codec := testCodec(t)
	logs := &logBuffer{}
	opts := Options{
		Codec:  codec,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if edit != nil {
		edit(&opts)
	}
	g, err := New(opts)
	require.NoError(t, err)
	return testGate{Gate: g, codec: codec, logs: logs}
}

// consentValue returns a signed consent cookie value accepting cats.
func (tg testGate) consentValue(t testing.TB, cats ...consent.Category) string {
	t.Helper()
	ch, err := tg.codec.Catalogue().Decide(consent.Choices{}, cats, time.Now())
	require.NoError(t, err)
	v, err := tg.codec.Encode(ch)
	require.NoError(t, err)
	return v
}

// serve starts a real server with the Gate around h.
func (tg testGate) serve(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(tg.Handler(h))
	t.Cleanup(srv.Close)
	return srv
}

// get sends a request with the given Cookie header (may be empty) and extra headers.
func get(t testing.TB, method, url, cookie string, hdr map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	// No transparent decompression and no following redirects: tests check
	// what is on the wire.
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

// cookieNames lists the names in a response's Set-Cookie headers, in order.
func cookieNames(resp *http.Response) []string {
	var names []string
	for _, v := range resp.Header.Values("Set-Cookie") {
		names = append(names, setCookieName(v))
	}
	return names
}

// fakeRewriters stands in for the HTML rewriter in tests of the Gate's own
// logic: it marks what passed through it, puts the banner first and
// neutralises "<script" (it holds bytes until Flush or Close, so splits do
// not matter).
type fakeRewriters struct{}

type fakeRewriter struct {
	dst    io.Writer
	banner []byte
	begun  bool
	buf    bytes.Buffer
}

func (fakeRewriters) get(dst io.Writer, ch consent.Choices, banner []byte) bodyRewriter {
	return &fakeRewriter{dst: dst, banner: banner}
}
func (fakeRewriters) put(bodyRewriter) {}

func (f *fakeRewriter) Write(p []byte) (int, error) { return f.buf.Write(p) }

func (f *fakeRewriter) Flush() error {
	out := strings.ReplaceAll(f.buf.String(), "<script", "<script type=\"text/plain\"")
	f.buf.Reset()
	if !f.begun {
		f.begun = true
		out = "[gated]" + string(f.banner) + out
	}
	_, err := io.WriteString(f.dst, out)
	return err
}

func (f *fakeRewriter) Close() error { return f.Flush() }

// getConcurrently sends n requests at once through one client that keeps
// its connections, so pooled writers are reused across visitors, and hands
// each response and its raw body to check.
func getConcurrently(t *testing.T, n int, tr *http.Transport, req func(i int) *http.Request, check func(i int, resp *http.Response, raw []byte)) {
	t.Helper()
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := client.Do(req(i))
			if !assert.NoError(t, err) {
				return
			}
			defer resp.Body.Close()
			raw, err := io.ReadAll(resp.Body)
			if !assert.NoError(t, err) {
				return
			}
			check(i, resp, raw)
		}()
	}
	wg.Wait()
}

// isHTMLType reports whether the Gate reads the Content-Type ct as HTML.
func isHTMLType(ct string) bool { return contentTypeClass([]string{ct}) == mediaHTML }
