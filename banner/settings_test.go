package banner

import (
	"html/template"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/consentgate/consentgate/consent"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSettingsPageFirstVisit(t *testing.T) {
	f := newFixture(t, nil)
	w := f.get("/cookies")
	require.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "no-store", w.Header().Get("Cache-Control"))
	page := w.Body.String()

	csrf := cookie(w, CSRFCookieName)
	require.NotNil(t, csrf, "the form's token is bound to a fresh CSRF cookie")
	assert.True(t, csrf.HttpOnly)
	assert.True(t, csrf.Secure)
	assert.Equal(t, http.SameSiteLaxMode, csrf.SameSite)
	assert.Contains(t, page, `name="csrf_token" value="`+csrf.Value+".")

	assert.Contains(t, page, `<html lang="en">`)
	assert.Contains(t, page, "<h2>Change your cookie settings</h2>")
	assert.Contains(t, page, `<form method="post" action="/cookies"`)
	assert.Contains(t, page, "<legend>Do you want to accept analytics cookies?</legend>")
	assert.Contains(t, page, "<legend>Do you want to accept marketing cookies?</legend>")
	// Nothing is pre-ticked: every optional category starts at No (REQUIREMENTS A6).
	assert.Len(t, regexp.MustCompile(`value="no" checked`).FindAllString(page, -1), 2)
	assert.NotContains(t, page, `value="yes" checked`)
	assert.NotContains(t, page, "cookies[essential]", "essential cookies cannot be refused")
	assert.Contains(t, page, ">Save cookie settings</button>")
	assert.NotContains(t, page, `role="alert"`, "no notification before a save")

	// One table per category from the catalogue.
	assert.Contains(t, page, "<caption>List of analytics cookies</caption>")
	assert.Contains(t, page, "<tr><td><code>_ga</code></td><td>&lt;script&gt;alert(1)&lt;/script&gt; counts visits</td><td>2 years</td><td>Google (third party)</td></tr>")
	assert.Contains(t, page, "<tr><td><code>_fbp</code></td><td>Ads</td><td>3 months</td><td>Meta</td></tr>")
	assert.Contains(t, page, "<caption>List of essential cookies</caption>")
	assert.Contains(t, page, "<tr><td><code>cookie_consent</code></td><td>Saves your choice</td><td>1 year</td><td>This website</td></tr>", "the provider's label, not its name")
	assert.Contains(t, page, `href="/cy/cookies" lang="cy" hreflang="cy">Cymraeg</a>`)
	assert.Contains(t, page, f.b.assets.cssURL)
}

func TestSettingsPageShowsSavedChoice(t *testing.T) {
	f := newFixture(t, nil)
	page := f.get("/cookies", f.decided(t, consent.Marketing)).Body.String()
	assert.Regexp(t, `id="cg-analytics-no" name="cookies\[analytics\]" value="no" checked`, page)
	assert.Regexp(t, `id="cg-marketing-yes" name="cookies\[marketing\]" value="yes" checked`, page)
	assert.NotContains(t, page, `role="alert"`, "saved=1 is needed for the notification")
}

func TestSettingsPageWelsh(t *testing.T) {
	f := newFixture(t, nil)
	page := f.get("/cy/cookies?saved=1&return=%2Fcy%2Fnewyddion", f.decided(t)).Body.String()
	assert.Contains(t, page, `<html lang="cy">`)
	assert.Contains(t, page, "<title>Cwcis – Heddlu Dyfed-Powys</title>")
	assert.Contains(t, page, "<h2>Newid eich gosodiadau cwcis</h2>")
	assert.Contains(t, page, `<form method="post" action="/cy/cookies"`)
	assert.Contains(t, page, "<legend>Ydych chi eisiau derbyn cwcis dadansoddi?</legend>")
	assert.Contains(t, page, ">Nac ydw</label>")
	assert.Contains(t, page, ">Cadw gosodiadau cwcis</button>")
	assert.Contains(t, page, `<h2 class="cg-notice__title" id="cg-notice-title">Llwyddiant</h2>`)
	assert.Contains(t, page, `<a class="cg-link" href="/cy/newyddion">Ewch yn ôl i’r dudalen yr oeddech yn edrych arni</a>`)
	assert.Contains(t, page, "<td>Cyfrif</td><td>2 flynedd</td><td>Google (trydydd parti)</td>")
	assert.Contains(t, page, "<tr><td><code>cookie_consent</code></td><td>Cadw</td><td>1 flwyddyn</td><td>Y wefan hon</td></tr>", "the provider's Welsh label")
	assert.Contains(t, page, "<caption>Rhestr o’r cwcis dadansoddi</caption>")
	assert.Contains(t, page, "<h3 id=\"cg-h-analytics\">Cwcis dadansoddi</h3>\n<p>Mesur defnydd.</p>")
	assert.Contains(t, page, `href="/cookies?return=%2Fcy%2Fnewyddion" lang="en" hreflang="en">English</a>`)
	assert.NotContains(t, page, "Change your cookie settings")
}

func TestSettingsPageReturnLink(t *testing.T) {
	f := newFixture(t, nil)
	for _, tc := range []struct {
		name, target, referer, want string
	}{
		{"return parameter", "/cookies?saved=1&return=%2Fnews", "", `href="/news"`},
		{"hostile return parameter", "/cookies?saved=1&return=%2F%2Fevil.example", "", `href="/">Go back`},
		{"javascript return", "/cookies?saved=1&return=javascript%3Aalert(1)", "", `href="/">Go back`},
		{"same-site referer", "/cookies?saved=1", "http://example.com/from?x=1", `href="/from?x=1"`},
		{"foreign referer", "/cookies?saved=1", "https://evil.example/", `href="/">Go back`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, tc.target, nil)
			if tc.referer != "" {
				r.Header.Set("Referer", tc.referer)
			}
			r.AddCookie(f.decided(t))
			page := f.serve(r).Body.String()
			assert.Contains(t, page, tc.want)
		})
	}
}

func TestSettingsPageGPC(t *testing.T) {
	f := newFixture(t, nil)
	r := httptest.NewRequest(http.MethodGet, "/cookies", nil)
	r.Header.Set("Sec-GPC", "1")
	page := f.serve(r).Body.String()
	assert.Contains(t, page, "Global Privacy Control")
	assert.Len(t, regexp.MustCompile(`value="no" checked`).FindAllString(page, -1), 2)
}

func TestSettingsContentForOwnLayout(t *testing.T) {
	f := newFixture(t, nil)
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/about/cookies", nil)
	content, err := f.b.SettingsContent(w, r)
	require.NoError(t, err)
	assert.NotContains(t, string(content), "<html")
	assert.Contains(t, string(content), `<form method="post" action="/cookies"`)
	assert.NotNil(t, cookie(w, CSRFCookieName))

	// A visitor who already has the CSRF cookie keeps it.
	w = httptest.NewRecorder()
	r.AddCookie(&http.Cookie{Name: CSRFCookieName, Value: newNonce()})
	content, err = f.b.SettingsContent(w, r)
	require.NoError(t, err)
	assert.Nil(t, cookie(w, CSRFCookieName))
	c, _ := r.Cookie(CSRFCookieName)
	assert.Contains(t, string(content), `value="`+c.Value+".")
}

func TestHeadCarriesChoices(t *testing.T) {
	f := newFixture(t, nil)
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	head := string(f.b.Head(r))
	assert.Regexp(t, `^<link rel="stylesheet" href="/cookies/assets/banner\.[0-9a-f]{12}\.css"><script src="/cookies/assets/banner\.[0-9a-f]{12}\.js"></script>$`, head)

	r.AddCookie(f.decided(t, consent.Marketing))
	head = string(f.b.Head(r))
	assert.Contains(t, head, `data-cg-accepted="marketing"`)
	assert.Contains(t, head, `data-cg-clear="_ga _ga_*"`)
}

func TestSettingsPageHead(t *testing.T) {
	f := newFixture(t, nil)
	w := f.serve(httptest.NewRequest(http.MethodHead, "/cy/cookies", nil))
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "text/html; charset=utf-8", w.Header().Get("Content-Type"))
	assert.Empty(t, w.Body.String())
}

// Every catalogue-derived string on the cookies page is in the page's
// language, and the page's own sentences read right whatever the category
// titles are: checked against the default policy, whose titles are phrases
// ("Cookies that measure website use") rather than "X cookies".
func TestSettingsPageDefaultPolicyWording(t *testing.T) {
	cat, err := consent.NewCatalogue(consent.DefaultPolicy())
	require.NoError(t, err)
	codec, err := consent.NewCodec(cat, consent.CodecOptions{Keys: []consent.Key{{Hash: testKey}}})
	require.NoError(t, err)
	b, err := New(Options{Codec: codec, CSRFKey: testKey})
	require.NoError(t, err)
	for _, tc := range []struct {
		lang                consent.Lang
		path                string
		alwaysOn            string // the essential description's "always on" sentence
		wantCaptions        []string
		wantProvider        string
		otherLanguageMarker string // a catalogue string from the other language
	}{
		{
			lang: consent.English, path: "/cookies", alwaysOn: "always on",
			wantCaptions: []string{
				"<caption>List of strictly necessary cookies</caption>",
				"<caption>List of cookies that measure website use</caption>",
				"<caption>List of marketing cookies</caption>",
			},
			wantProvider:        "<td>This website</td>",
			otherLanguageMarker: "Y wefan hon",
		},
		{
			lang: consent.Welsh, path: "/cy/cookies", alwaysOn: "bob amser ymlaen",
			wantCaptions: []string{
				"<caption>Rhestr o’r cwcis hollol angenrheidiol</caption>",
				"<caption>Rhestr o’r cwcis sy’n mesur defnydd gwefan</caption>",
				"<caption>Rhestr o’r cwcis marchnata</caption>",
			},
			wantProvider:        "<td>Y wefan hon</td>",
			otherLanguageMarker: "This website",
		},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			w := httptest.NewRecorder()
			b.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, tc.path, nil))
			require.Equal(t, http.StatusOK, w.Code)
			page := w.Body.String()
			for _, c := range tc.wantCaptions {
				assert.Contains(t, page, c)
			}
			assert.NotRegexp(t, `we use</caption>|rydym yn eu defnyddio</caption>`, page, "no caption built as title + suffix")
			assert.Contains(t, page, tc.wantProvider)
			assert.NotContains(t, page, tc.otherLanguageMarker)

			// The strictly necessary section says "always on" once.
			start := strings.Index(page, `id="cg-h-essential"`)
			require.Positive(t, start)
			end := strings.Index(page[start:], "<table")
			require.Positive(t, end)
			intro := page[start : start+end]
			assert.Equal(t, 1, strings.Count(intro, tc.alwaysOn), "%q once in %s", tc.alwaysOn, intro)

			// Every catalogue string on the page is the one for this language.
			for _, info := range cat.Categories() {
				assert.Contains(t, page, template.HTMLEscapeString(info.Title.In(tc.lang)))
				assert.Contains(t, page, template.HTMLEscapeString(info.Description.In(tc.lang)))
				for _, ck := range cat.CookiesIn(info.ID) {
					row := "<tr><td><code>" + template.HTMLEscapeString(ck.Name) + "</code></td><td>" +
						template.HTMLEscapeString(ck.Purpose.In(tc.lang)) + "</td><td>" +
						template.HTMLEscapeString(ck.Expiry.Text.In(tc.lang)) + "</td><td>" +
						template.HTMLEscapeString(ck.Provider.In(tc.lang))
					assert.Contains(t, page, row)
				}
			}
		})
	}
}

// A site whose essential description does not say its cookies are always on
// can add the sentence; it then appears once, in each language.
func TestSettingsPageAlwaysOnMessage(t *testing.T) {
	f := newFixture(t, nil)
	assert.NotContains(t, f.get("/cookies").Body.String(), "always on", "off by default")
	f = newFixture(t, func(o *Options) {
		o.Messages.AlwaysOn = testText("These are always on.", "Mae’r rhain bob amser ymlaen.")
	})
	assert.Equal(t, 1, strings.Count(f.get("/cookies").Body.String(), "These are always on."))
	assert.Equal(t, 1, strings.Count(f.get("/cy/cookies").Body.String(), "Mae’r rhain bob amser ymlaen."))
}
