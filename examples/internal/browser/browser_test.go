package browser_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentgate/consentgate/examples/internal/browser"
)

// page sets a cookie from the server and one from script, and loads a pixel
// inside <noscript> plus one from a public host nobody mapped.
const page = `<!doctype html><html lang="en"><head><title>Harness</title></head>
<body><main><h1>Harness</h1>
<script>document.cookie = "from_js=1; path=/"</script>
<noscript><img src="/pixel.gif" alt=""></noscript>
<img src="https://unmapped.example.com/x.gif" alt="">
<a href="/next" id="first">First</a> <button id="second">Second</button>
</main></body></html>`

type hits struct {
	mu    sync.Mutex
	paths []string
}

func (h *hits) add(p string) { h.mu.Lock(); h.paths = append(h.paths, p); h.mu.Unlock() }
func (h *hits) has(p string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, x := range h.paths {
		if x == p {
			return true
		}
	}
	return false
}

func site(h *hits) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.add(r.Host + r.URL.Path)
		switch r.URL.Path {
		case "/":
			http.SetCookie(w, &http.Cookie{Name: "from_server", Value: "1", Path: "/", HttpOnly: true, Secure: true, Domain: "harness.test"})
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte(page))
		case "/bad":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte(`<!doctype html><html><body><img src="/pixel.gif"></body></html>`))
		case "/pixel.gif":
			w.Header().Set("Content-Type", "image/gif")
		default:
			http.NotFound(w, r)
		}
	})
}

func TestBrowserHarness(t *testing.T) {
	h := &hits{}
	srv := httptest.NewTLSServer(site(h))
	t.Cleanup(srv.Close)
	addr := strings.TrimPrefix(srv.URL, "https://")
	b := browser.Start(t, browser.Config{
		HostRules:        map[string]string{"www.harness.test": addr},
		IgnoreCertErrors: true,
	})

	t.Run("mapped host, cookies of every kind, unmapped host unreachable", func(t *testing.T) {
		ctx := b.NewTab(t)
		browser.Navigate(t, ctx, "https://www.harness.test/")
		assert.Equal(t, "Harness", browser.Eval[string](t, ctx, "document.title"))
		assert.True(t, browser.HasCookie(t, ctx, "from_js"))
		assert.True(t, browser.HasCookie(t, ctx, "from_*"))
		assert.Contains(t, browser.CookieNames(t, ctx), "from_server@.harness.test", "HttpOnly domain cookie must be visible")
		assert.False(t, h.has("www.harness.test/pixel.gif"), "noscript pixel must not load with JavaScript on")
		loaded := browser.Eval[bool](t, ctx, `document.images[0].complete && document.images[0].naturalWidth > 0`)
		assert.False(t, loaded, "an unmapped public host must not resolve")
	})

	t.Run("tabs do not share cookies", func(t *testing.T) {
		ctx := b.NewTab(t)
		assert.Empty(t, browser.Cookies(t, ctx))
	})

	t.Run("JavaScript off makes noscript live", func(t *testing.T) {
		ctx := b.NewTab(t)
		browser.DisableJavaScript(t, ctx, true)
		browser.Navigate(t, ctx, "https://www.harness.test/")
		assert.False(t, browser.HasCookie(t, ctx, "from_js"))
		require.Eventually(t, func() bool { return h.has("www.harness.test/pixel.gif") }, 5*time.Second, 20*time.Millisecond)
	})

	t.Run("tab order", func(t *testing.T) {
		ctx := b.NewTab(t)
		browser.Navigate(t, ctx, "https://www.harness.test/")
		assert.Equal(t, []string{"a#first First", "button#second Second"}, browser.TabOrder(t, ctx, 2))
	})

	t.Run("axe", func(t *testing.T) {
		ctx := b.NewTab(t)
		browser.Navigate(t, ctx, "https://www.harness.test/")
		v := browser.Axe(t, ctx)
		// The unmapped image has alt="", so the page is clean; axe really ran
		// if it left its global behind.
		assert.Empty(t, v)
		assert.True(t, browser.Eval[bool](t, ctx, `typeof axe === "object"`))

		browser.Navigate(t, ctx, "https://www.harness.test/bad")
		var ids []string
		for _, x := range browser.Axe(t, ctx) {
			ids = append(ids, x.ID)
		}
		assert.Subset(t, ids, []string{"image-alt", "html-has-lang", "document-title"})
	})

	t.Run("screenshot", func(t *testing.T) {
		ctx := b.NewTab(t)
		browser.SetViewport(t, ctx, 320, 640)
		browser.Navigate(t, ctx, "https://www.harness.test/")
		path := browser.Screenshot(t, ctx, "harness-320")
		buf, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.True(t, bytes.HasPrefix(buf, []byte("\x89PNG")), "a PNG")
		ignore, err := os.ReadFile(filepath.Join(browser.ScreenshotDir, ".gitignore"))
		require.NoError(t, err)
		assert.Equal(t, "*\n", string(ignore))
	})
}
