package tagstandin_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentgate/consentgate/examples/internal/browser"
	"github.com/consentgate/consentgate/examples/internal/tagstandin"
	"github.com/consentgate/consentgate/internal/htmlgate/htmlgatetest"
)

func TestServerAnswersLikeTheVendors(t *testing.T) {
	s := tagstandin.Start(t)
	c := s.Client()
	tests := []struct {
		url, contentType, contains string
	}{
		{"https://www.googletagmanager.com/gtag/js?id=G-W3STSH1RE", "text/javascript", "dataLayer"},
		{"https://www.googletagmanager.com/gtm.js?id=GTM-W5HIRE", "text/javascript", "gtm.load"},
		{"https://www.googletagmanager.com/ns.html?id=GTM-W5HIRE", "text/html", "Tag Manager"},
		{"https://www.google-analytics.com/analytics.js", "text/javascript", "_gid"},
		{"https://connect.facebook.net/en_US/fbevents.js", "text/javascript", "_fbp"},
		{"https://www.facebook.com/tr?id=1&ev=PageView&noscript=1", "image/gif", "GIF89a"},
		{"https://ad.doubleclick.net/ddm/activity/src=1;type=a;cat=b;ord=1?", "image/gif", "GIF89a"},
		{"https://4417364.fls.doubleclick.net/activityi;src=4417364", "text/html", "Floodlight"},
		{"https://www.youtube.com/embed/abc", "text/html", "YouTube"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			resp, err := c.Get(tt.url)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Contains(t, resp.Header.Get("Content-Type"), tt.contentType)
			assert.Contains(t, string(body), tt.contains)
		})
	}
	reqs := s.Requests()
	require.Len(t, reqs, len(tests))
	assert.Equal(t, "www.facebook.com/tr?id=1&ev=PageView&noscript=1", reqs[5].URL())
	assert.Len(t, s.RequestsTo(".doubleclick.net"), 2)
	s.Reset()
	assert.Empty(t, s.Requests())
}

// snippets is a page carrying the vendors' published snippets, as a site
// with no consent gate would serve it.
// snippetPage builds the page from the vendors' published snippets kept in
// internal/htmlgate/testdata (the same copies the rewriter's tests use), with
// a slot for a Consent Mode default before them.
func snippetPage(t *testing.T) string {
	t.Helper()
	var head strings.Builder
	for _, name := range []string{"ga4-gtag.html", "universal-analytics.html", "meta-pixel.html"} {
		b, err := os.ReadFile(filepath.Join(htmlgatetest.Dir(), name))
		require.NoError(t, err)
		head.Write(b)
	}
	return "<!doctype html><html lang=\"en\"><head><title>Snippets</title>\n<script>%CONSENT%</script>\n" +
		head.String() + "</head><body><main><h1>Snippets</h1></main></body></html>"
}

func TestScriptsSetFirstPartyCookiesOnTheSiteDomain(t *testing.T) {
	s := tagstandin.Start(t)
	var consentJS string
	snippets := snippetPage(t)
	site := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, strings.Replace(snippets, "%CONSENT%", consentJS, 1))
	}))
	t.Cleanup(site.Close)
	rules := s.HostRules()
	rules["www.westshire.police.uk"] = strings.TrimPrefix(site.URL, "https://")
	b := browser.Start(t, browser.Config{HostRules: rules, IgnoreCertErrors: true})

	t.Run("no consent signals: every tag runs", func(t *testing.T) {
		s.Reset()
		ctx := b.NewTab(t)
		browser.Navigate(t, ctx, "https://www.westshire.police.uk/")
		browser.WaitFor(t, ctx, `/_fbp=/.test(document.cookie) && /_gid=/.test(document.cookie) && /_ga_3Q8ZK4PLT7=/.test(document.cookie)`, 10*time.Second)
		names := browser.CookieNames(t, ctx)
		for _, want := range []string{"_ga@.westshire.police.uk", "_gid@.westshire.police.uk", "_ga_3Q8ZK4PLT7@.westshire.police.uk", "_fbp@.westshire.police.uk"} {
			assert.Contains(t, names, want)
		}
		require.Eventually(t, func() bool {
			return len(s.RequestsTo("www.facebook.com")) > 0 && len(s.RequestsTo("www.google-analytics.com")) >= 3
		}, 5*time.Second, 20*time.Millisecond, "hits: %v", s.Requests())
		assert.Contains(t, s.RequestsTo("www.facebook.com")[0].Query, "ev=PageView")
	})

	t.Run("Consent Mode denied: no GA4 cookies until granted", func(t *testing.T) {
		consentJS = `window.dataLayer = window.dataLayer || [];
			function gtag(){dataLayer.push(arguments);}
			gtag('consent', 'default', {analytics_storage: 'denied', ad_storage: 'denied'});`
		t.Cleanup(func() { consentJS = "" })
		ctx := b.NewTab(t)
		browser.Navigate(t, ctx, "https://www.westshire.police.uk/")
		browser.WaitFor(t, ctx, `window.fbq && window.fbq.callMethod && window.google_tag_data`, 10*time.Second)
		// analytics.js knows nothing of Consent Mode, like the real one: it sets _ga and _gid.
		browser.WaitFor(t, ctx, `/_gid=/.test(document.cookie)`, 10*time.Second)
		assert.False(t, browser.HasCookie(t, ctx, "_ga_*"))

		browser.Eval[bool](t, ctx, `gtag('consent', 'update', {analytics_storage: 'granted', ad_storage: 'granted'}), true`)
		browser.WaitFor(t, ctx, `/_ga_3Q8ZK4PLT7=/.test(document.cookie)`, 5*time.Second)
	})
}
