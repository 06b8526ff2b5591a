package middleware

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consentgate/consentgate/consent"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// decidedBanner wants the banner only for undecided visitors, like the real one.
type decidedBanner struct{}

func (decidedBanner) BannerNeeded(r *http.Request) bool {
	ch := consent.FromContext(r.Context())
	return !ch.Decided() && !ch.FromGPC()
}

func (decidedBanner) RenderBanner(w io.Writer, r *http.Request) error {
	_, err := io.WriteString(w, `<div class="cg-banner">Cookies on this site</div>`)
	return err
}

// TestVendorSnippetsEndToEnd serves each vendor's published snippet through
// the Gate over a real server, with a browser-like cookie jar: neutralised
// (and the banner injected) before consent, byte for byte after.
func TestVendorSnippetsEndToEnd(t *testing.T) {
	files, err := filepath.Glob("../internal/htmlgate/testdata/*.html")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	const head = "<!doctype html><html lang=en><head><title>Westshire Police</title></head><body class=app>"
	const tail = "<p>Report a crime</p></body></html>"
	const banner = `<div class="cg-banner">Cookies on this site</div>`

	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			snippet, err := os.ReadFile(f)
			require.NoError(t, err)
			gated, err := os.ReadFile(filepath.Join(filepath.Dir(f), "gated", filepath.Base(f)))
			require.NoError(t, err)
			page := head + string(snippet) + tail

			tg := newTestGate(t, func(o *Options) { o.Banner = decidedBanner{} })
			mux := http.NewServeMux()
			mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.Header().Set("Content-Length", strconv.Itoa(len(page)))
				http.SetCookie(w, &http.Cookie{Name: "_ga", Value: "GA1.1.42", Path: "/"})
				io.WriteString(w, page)
			})
			mux.HandleFunc("/accept", func(w http.ResponseWriter, r *http.Request) {
				ch, err := tg.codec.Catalogue().Decide(consent.FromContext(r.Context()), tg.codec.Catalogue().Optional(), time.Now())
				require.NoError(t, err)
				ck, err := tg.codec.Cookie(ch)
				require.NoError(t, err)
				http.SetCookie(w, ck)
			})
			srv := tg.serve(t, mux)
			jar, err := cookiejar.New(nil)
			require.NoError(t, err)
			client := &http.Client{Jar: jar}
			u, _ := url.Parse(srv.URL)

			body := fetch(t, client, srv.URL+"/")
			assert.Equal(t, head+banner+string(gated)+tail, body)
			assert.Empty(t, jar.Cookies(u), "no tracker cookie before consent")

			fetch(t, client, srv.URL+"/accept")
			body = fetch(t, client, srv.URL+"/")
			assert.Equal(t, page, body, "after consent the page passes byte for byte")
			names := map[string]bool{}
			for _, c := range jar.Cookies(u) {
				names[c.Name] = true
			}
			assert.True(t, names["_ga"], "tracker cookie allowed after consent")
			assert.True(t, names["cookie_consent"])
		})
	}
}

func fetch(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	resp, err := c.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	if cl := resp.Header.Get("Content-Length"); cl != "" {
		require.Equal(t, strconv.Itoa(len(b)), cl)
	}
	return string(b)
}

// TestRealRewriterStreamsOnFlush: what the handler flushed reaches the
// client before the handler returns, through the real rewriter.
func TestRealRewriterStreamsOnFlush(t *testing.T) {
	tg := newTestGate(t, nil)
	release := make(chan struct{})
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html><body><p>first</p>")
		w.(http.Flusher).Flush()
		<-release
		io.WriteString(w, `<script src="https://connect.facebook.net/en_US/fbevents.js"></script></body></html>`)
	}))
	resp, err := http.Get(srv.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, "<html><body><p>first</p>", readUntil(t, resp.Body, "</p>"))
	close(release)
	rest, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(rest), `<script type="text/plain" data-cg-category="marketing"`), string(rest))
}

// TestGzipFromHandlerEndToEnd: a handler that compresses inside the Gate
// (against the advice in the package doc) still has its trackers gated.
func TestGzipFromHandlerEndToEnd(t *testing.T) {
	snippet, err := os.ReadFile("../internal/htmlgate/testdata/meta-pixel.html")
	require.NoError(t, err)
	gated, err := os.ReadFile("../internal/htmlgate/testdata/gated/meta-pixel.html")
	require.NoError(t, err)
	tg := newTestGate(t, nil)
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write([]byte("<html><body>"))
		zw.Write(snippet)
		zw.Write([]byte("</body></html>"))
		zw.Close()
	}))
	// The default transport would ask for gzip and decode it; ask plainly.
	resp, body := get(t, http.MethodGet, srv.URL, "", nil)
	assert.Empty(t, resp.Header.Get("Content-Encoding"))
	assert.Equal(t, "<html><body>"+string(gated)+"</body></html>", body)
}

// TestSignaturesOff: an empty, non-nil signature list leaves only explicit
// data-consent attributes to gate.
func TestSignaturesOff(t *testing.T) {
	tg := newTestGate(t, func(o *Options) { o.Signatures = []Signature{} })
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<script src="https://www.googletagmanager.com/gtag/js?id=G-1"></script><script data-consent="analytics">track()</script>`)
	}))
	_, body := get(t, http.MethodGet, srv.URL, "", nil)
	assert.Equal(t, `<script src="https://www.googletagmanager.com/gtag/js?id=G-1"></script><script type="text/plain" data-cg-category="analytics" data-consent="analytics">track()</script>`, body)
}

// TestBadSignatureRejected: New reports a signature the rewriter cannot use.
func TestBadSignatureRejected(t *testing.T) {
	_, err := New(Options{Codec: testCodec(t), Signatures: []Signature{{Name: "x", Category: consent.Essential, URLs: []string{"example.org/x.js"}}}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Options.Signatures")
}

// TestConcurrentMixedPaths runs plain, gzip and untyped HTML for consenting
// and undecided visitors at once through the real rewriter: pooled writers,
// rewriters and banner buffers must never carry one response into another.
func TestConcurrentMixedPaths(t *testing.T) {
	tg := newTestGate(t, func(o *Options) { o.Banner = decidedBanner{} })
	const pg = `<!doctype html><html><body><script src="https://www.googletagmanager.com/gtag/js?id=G-1"></script><p>ID</p></body></html>`
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := strings.Replace(pg, "ID", r.URL.Query().Get("id"), 1)
		switch r.URL.Query().Get("mode") {
		case "gzip":
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			io.WriteString(zw, body)
			zw.Close()
		case "untyped":
			io.WriteString(w, body)
		default:
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, body)
		}
	}))
	everything := "cookie_consent=" + tg.consentValue(t, tg.codec.Catalogue().Optional()...)
	tr := &http.Transport{MaxIdleConnsPerHost: 16, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	var wg sync.WaitGroup
	for i := 0; i < 150; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			mode := []string{"plain", "gzip", "untyped"}[i%3]
			consented := i%2 == 0
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/?mode="+mode+"&id=n"+strconv.Itoa(i), nil)
			if consented {
				req.Header.Set("Cookie", everything)
			}
			resp, err := client.Do(req)
			if !assert.NoError(t, err) {
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			body := string(b)
			id := "<p>n" + strconv.Itoa(i) + "</p>"
			switch {
			case consented && mode == "gzip":
				assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
			case consented:
				assert.Equal(t, strings.Replace(pg, "<p>ID</p>", id, 1), body)
			default:
				assert.Contains(t, body, `<body><div class="cg-banner">Cookies on this site</div><script type="text/plain" data-cg-category="analytics"`, mode)
				assert.Contains(t, body, id, mode)
				assert.Equal(t, 1, strings.Count(body, "cg-banner"), mode)
			}
		}(i)
	}
	wg.Wait()
}
