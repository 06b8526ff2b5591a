package banner

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The enhancement script and the stylesheet together must stay within 3 KB
// gzip (PERFORMANCE.md §5), measured as they are served.
func TestAssetBudget(t *testing.T) {
	f := newFixture(t, nil)
	total := 0
	for _, path := range []string{f.b.assets.cssURL, f.b.assets.jsURL} {
		a := f.b.assets.byPath[path]
		zr, err := gzip.NewReader(bytes.NewReader(a.gz))
		require.NoError(t, err)
		plain, err := io.ReadAll(zr)
		require.NoError(t, err)
		require.Equal(t, a.body, plain, path)
		t.Logf("%s: %d bytes, %d gzip", path, len(a.body), len(a.gz))
		total += len(a.gz)
	}
	t.Logf("total gzip: %d bytes of 3072", total)
	assert.LessOrEqual(t, total, 3072)
	cookiesPage := f.b.assets.byPath[f.b.assets.settingsURL]
	t.Logf("cookies page only: %s: %d bytes, %d gzip", f.b.assets.settingsURL, len(cookiesPage.body), len(cookiesPage.gz))
}

func TestAssetsServedImmutable(t *testing.T) {
	f := newFixture(t, nil)
	for _, u := range []string{f.b.assets.cssURL, f.b.assets.jsURL, f.b.assets.settingsURL} {
		r := httptest.NewRequest(http.MethodGet, u, nil)
		r.Header.Set("Accept-Encoding", "br, gzip;q=0.8")
		w := f.serve(r)
		require.Equal(t, http.StatusOK, w.Code)
		assert.Equal(t, "public, max-age=31536000, immutable", w.Header().Get("Cache-Control"))
		assert.Equal(t, "gzip", w.Header().Get("Content-Encoding"))
		assert.Equal(t, "nosniff", w.Header().Get("X-Content-Type-Options"))
		assert.Contains(t, w.Header().Values("Vary"), "Accept-Encoding")

		r = httptest.NewRequest(http.MethodGet, u, nil)
		r.Header.Set("Accept-Encoding", "gzip;q=0")
		w = f.serve(r)
		assert.Empty(t, w.Header().Get("Content-Encoding"))
		assert.Equal(t, f.b.assets.byPath[u].body, w.Body.Bytes())

		w = f.serve(httptest.NewRequest(http.MethodHead, u, nil))
		assert.Equal(t, http.StatusOK, w.Code)
		assert.Empty(t, w.Body.Bytes())
	}
	assert.Contains(t, f.b.assets.jsURL, "/cookies/assets/banner.")
	assert.Equal(t, http.StatusNotFound, f.serve(httptest.NewRequest(http.MethodPost, f.b.assets.cssURL, nil)).Code)
}
