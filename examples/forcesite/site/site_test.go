package site_test

import (
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentgate/consentgate/consent"
	"github.com/consentgate/consentgate/examples/forcesite/site"
)

func newSite(t *testing.T, disableGate bool) *httptest.Server {
	t.Helper()
	cat, err := consent.NewCatalogue(consent.DefaultPolicy())
	require.NoError(t, err)
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	codec, err := consent.NewCodec(cat, consent.CodecOptions{Keys: []consent.Key{{Hash: key}}})
	require.NoError(t, err)
	s, err := site.New(site.Config{Codec: codec, Recorder: consent.SlogRecorder{}, CSRFKey: key, DisableGate: disableGate,
		Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	srv := httptest.NewTLSServer(s)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

var (
	h1Re     = regexp.MustCompile(`<h1[ >]`)
	toggleRe = regexp.MustCompile(`<a href="([^"]*)" class="lang-toggle" lang="(\w+)"`)
)

func TestPagesInBothLanguages(t *testing.T) {
	srv := newSite(t, false)
	c := srv.Client()
	pages := []struct{ path, title string }{
		{"/", "Home"},
		{"/news", "News and appeals"},
		{"/news/cctv-appeal-harbour-street", "CCTV appeal"},
		{"/news/winter-burglary-advice", "Darker evenings"},
		{"/report", "Report a crime"},
		{"/privacy", "Privacy notice"},
		{"/cookies", "Cookies"},
	}
	for _, p := range pages {
		for _, lang := range []string{"en", "cy"} {
			path := p.path
			if lang == "cy" {
				path = "/cy" + p.path
			}
			t.Run(path, func(t *testing.T) {
				resp, body := get(t, c, srv.URL+path)
				require.Equal(t, http.StatusOK, resp.StatusCode)
				assert.Contains(t, body, `<html lang="`+lang+`">`)
				assert.Len(t, h1Re.FindAllString(body, -1), 1, "one h1")
				assert.Contains(t, body, `href="#main-content" class="skip-link"`)
				assert.Contains(t, body, `<main id="main-content"`)
				assert.Contains(t, body, `<nav aria-label=`)
				assert.Contains(t, body, `<footer`)
				assert.Contains(t, body, `class="cg-exit__link" href="https://www.bbc.co.uk/weather"`, "quick exit")
				m := toggleRe.FindStringSubmatch(body)
				require.NotNil(t, m, "language toggle")
				if lang == "en" {
					assert.Equal(t, "cy", m[2])
					assert.Equal(t, "/cy"+p.path, m[1])
					assert.Contains(t, body, p.title)
				} else {
					assert.Equal(t, "en", m[2])
					assert.Equal(t, p.path, m[1])
				}
			})
		}
	}
}

func TestNotFound(t *testing.T) {
	srv := newSite(t, false)
	for _, path := range []string{"/nope", "/cy/nope", "/news/no-such-article", "/cy/news/%3Cscript%3E", "/static/../site.go"} {
		t.Run(path, func(t *testing.T) {
			resp, body := get(t, srv.Client(), srv.URL+path)
			assert.Equal(t, http.StatusNotFound, resp.StatusCode)
			assert.NotContains(t, body, "<script>alert")
		})
	}
	resp, body := get(t, srv.Client(), srv.URL+"/cy/nope")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Contains(t, body, "Heb ddod o hyd i’r dudalen")
}

func TestStaticFolderIsNotListed(t *testing.T) {
	srv := newSite(t, false)
	for _, path := range []string{"/static/", "/static/fonts/", "/static//"} {
		resp, body := get(t, srv.Client(), srv.URL+path)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, path)
		assert.Contains(t, body, "Page not found", path)
		assert.NotContains(t, body, "<pre>", path) // http.FileServer's listing
	}
}

func TestCookiesPageOtherMethods(t *testing.T) {
	srv := newSite(t, false)
	for _, path := range []string{"/cookies", "/cy/cookies"} {
		for _, method := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch} {
			req, err := http.NewRequest(method, srv.URL+path, nil)
			require.NoError(t, err)
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode, method+" "+path)
			assert.NotEmpty(t, resp.Header.Get("Allow"), method+" "+path)
		}
	}
}

func TestStaticAssets(t *testing.T) {
	srv := newSite(t, false)
	resp, body := get(t, srv.Client(), srv.URL+"/static/site.css")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Type"), "text/css")
	assert.Contains(t, body, "--force")
	assert.Contains(t, resp.Header.Get("Cache-Control"), "max-age")
}

func TestVendorTagsAreThePublishedSnippets(t *testing.T) {
	// With the Gate off the page carries every tag live: what the Gate is for.
	srv := newSite(t, true)
	_, body := get(t, srv.Client(), srv.URL+"/")
	for _, want := range []string{
		`<script async src="https://www.googletagmanager.com/gtag/js?id=G-W5TSH1R3PD"></script>`,
		`'https://www.google-analytics.com/analytics.js','ga');`,
		`'https://www.googletagmanager.com/gtm.js?id='+i+dl`,
		`<noscript><iframe src="https://www.googletagmanager.com/ns.html?id=GTM-W7SH2RK"`,
		`'https://connect.facebook.net/en_US/fbevents.js');`,
		`src="https://www.facebook.com/tr?id=318204579126543&ev=PageView&noscript=1"`,
		`<img src="https://ad.doubleclick.net/ddm/activity/src=9817263;type=invmedia;cat=recru0;`,
	} {
		assert.Contains(t, body, want)
	}
	_, body = get(t, srv.Client(), srv.URL+"/news/cctv-appeal-harbour-street")
	assert.Contains(t, body, `<iframe data-consent="marketing" width="560" height="315" src="https://www.youtube.com/embed/`)
}

func TestServerSideAnalyticsCookie(t *testing.T) {
	hasGA := func(resp *http.Response) bool {
		for _, c := range resp.Cookies() {
			if c.Name == "_ga" && c.MaxAge >= 0 {
				return true
			}
		}
		return false
	}
	t.Run("without the Gate the handler sets _ga", func(t *testing.T) {
		srv := newSite(t, true)
		resp, _ := get(t, srv.Client(), srv.URL+"/")
		assert.True(t, hasGA(resp))
	})
	t.Run("with the Gate an undecided visitor gets no _ga", func(t *testing.T) {
		srv := newSite(t, false)
		resp, _ := get(t, srv.Client(), srv.URL+"/")
		assert.False(t, hasGA(resp))
	})
}

func TestReportACrime(t *testing.T) {
	srv := newSite(t, false)
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	client := *srv.Client() // a copy: srv.Client() is shared
	client.Jar = jar
	c := &client
	u, _ := url.Parse(srv.URL)

	resp, body := get(t, c, srv.URL+"/report")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var token string
	for _, ck := range jar.Cookies(u) {
		if ck.Name == "csrftoken" {
			token = ck.Value
		}
	}
	require.Len(t, token, 64)
	assert.Contains(t, body, `name="csrftoken" value="`+token+`"`)

	post := func(t *testing.T, path string, form url.Values) (*http.Response, string) {
		t.Helper()
		resp, err := c.PostForm(srv.URL+path, form)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	valid := url.Values{"csrftoken": {token}, "what": {"My bike was taken from outside the library."}, "where": {"Market Square, Porthaven"}, "email": {"sam@example.com"}}

	t.Run("hostile and missing tokens are refused", func(t *testing.T) {
		for _, tok := range []string{"", "x", strings.Repeat("0", 64), token + "0"} {
			f := url.Values{"csrftoken": {tok}, "what": valid["what"], "where": valid["where"], "email": valid["email"]}
			resp, _ := post(t, "/report", f)
			assert.Equal(t, http.StatusForbidden, resp.StatusCode, "token %q", tok)
		}
	})
	t.Run("invalid answers get a GOV.UK error summary", func(t *testing.T) {
		resp, body := post(t, "/cy/report", url.Values{"csrftoken": {token}, "what": {"  "}, "where": {strings.Repeat("x", 201)}, "email": {"not an email"}})
		assert.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
		assert.Contains(t, body, "<title>Gwall: ")
		assert.Contains(t, body, `<a href="#what">Rhowch beth ddigwyddodd</a>`)
		assert.Contains(t, body, `<a href="#email">`)
		assert.Contains(t, body, `<a href="#where">`)
	})
	t.Run("a valid report redirects to its reference", func(t *testing.T) {
		resp, body := post(t, "/report", valid)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, "/report/done", resp.Request.URL.Path)
		assert.Regexp(t, `Your reference number is <strong>WS-\d{8}-[0-9A-F]{6}</strong>`, body)
	})
	t.Run("the confirmation needs a session", func(t *testing.T) {
		resp, err := srv.Client().Get(srv.URL + "/report/done")
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, "/report", resp.Request.URL.Path)
	})
}
