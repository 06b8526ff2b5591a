package banner

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/consentgate/consentgate/consent"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBannerMarkupFollowsGOVUK(t *testing.T) {
	f := newFixture(t, nil)
	html := f.renderBanner(t, httptest.NewRequest(http.MethodGet, "/news?id=4", nil))

	assert.Contains(t, html, `<div class="cg-banner" data-nosnippet role="region" aria-label="Cookies on Dyfed-Powys Police" lang="en"`)
	assert.Contains(t, html, `<h2 class="cg-banner__heading">Cookies on Dyfed-Powys Police</h2>`)
	assert.Contains(t, html, `<form method="post" action="/cookies"`)
	assert.Contains(t, html, `<input type="hidden" name="return" value="/news?id=4">`)
	assert.Regexp(t, `name="csrf_token" value="[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}"`, html)
	assert.Contains(t, html, `href="/cookies?return=%2Fnews%3Fid%3D4">View cookies</a>`)

	// Accept and Reject are the same component: same element, same class.
	buttons := regexp.MustCompile(`<button type="submit" name="cookies\[additional\]" value="(yes|no)" class="([^"]+)">([^<]+)</button>`).FindAllStringSubmatch(html, -1)
	require.Len(t, buttons, 2)
	assert.Equal(t, []string{"yes", "cg-button", "Accept additional cookies"}, buttons[0][1:])
	assert.Equal(t, []string{"no", "cg-button", "Reject additional cookies"}, buttons[1][1:])

	// All three messages are in the page; only the question is visible.
	for _, kind := range []string{"accepted", "rejected", "saved"} {
		assert.Regexp(t, `data-cg-message="`+kind+`" tabindex="-1" hidden>`, html)
	}
	assert.Contains(t, html, `data-cg-message="question">`)
	assert.Contains(t, html, "You’ve accepted additional cookies. You can <a class=\"cg-link\" href=\"/cookies?return=%2Fnews%3Fid%3D4\">change your cookie settings</a> at any time.")
}

func TestBannerNeeded(t *testing.T) {
	f := newFixture(t, nil)
	dec := f.decided(t, consent.Analytics)
	for _, tc := range []struct {
		name   string
		path   string
		header map[string]string
		cks    []*http.Cookie
		ctx    *consent.Choices
		want   bool
	}{
		{name: "undecided", path: "/", want: true},
		{name: "decided", path: "/", cks: []*http.Cookie{dec}, want: false},
		{name: "decided and flash pending", path: "/", cks: []*http.Cookie{dec, {Name: FlashCookieName, Value: "accepted"}}, want: true},
		{name: "flash with unknown value", path: "/", cks: []*http.Cookie{dec, {Name: FlashCookieName, Value: "<x>"}}, want: false},
		{name: "GPC header", path: "/", header: map[string]string{"Sec-GPC": "1"}, want: false},
		{name: "GPC from the Gate's context", path: "/", ctx: ptr(f.codec.Catalogue().GPCRefusal()), want: false},
		{name: "tampered cookie reads undecided", path: "/", cks: []*http.Cookie{{Name: "cookie_consent", Value: dec.Value[:len(dec.Value)-3] + "AAA"}}, want: true},
		{name: "settings page", path: "/cookies", want: false},
		{name: "Welsh settings page", path: "/cy/cookies", want: false},
		{name: "settings page with flash", path: "/cookies", cks: []*http.Cookie{dec, {Name: FlashCookieName, Value: "accepted"}}, want: false},
		{name: "settings sub-path is a normal page", path: "/cookies/policy", want: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, tc.path, nil)
			for k, v := range tc.header {
				r.Header.Set(k, v)
			}
			for _, c := range tc.cks {
				r.AddCookie(c)
			}
			if tc.ctx != nil {
				r = r.WithContext(consent.WithChoices(r.Context(), *tc.ctx))
			}
			assert.Equal(t, tc.want, f.b.BannerNeeded(r))
			html := f.renderBanner(t, r)
			assert.Equal(t, tc.want, html != "", "RenderBanner writes only when needed")
		})
	}
}

func ptr[T any](v T) *T { return &v }

// The flash cookie is not signed, so it only says a confirmation is due:
// which one comes from the decision in the signed consent cookie (or the
// Choices the Gate put in the context). "saved" stays "saved".
func TestBannerShowsPendingConfirmation(t *testing.T) {
	f := newFixture(t, nil)
	all := []consent.Category{consent.Analytics, consent.Marketing}
	for _, tc := range []struct {
		name     string
		accepted []consent.Category
		flash    string
		want     string
	}{
		{"accepted", all, "accepted", "accepted"},
		{"rejected", nil, "rejected", "rejected"},
		{"saved, all accepted", all, "saved", "saved"},
		{"saved, none accepted", nil, "saved", "saved"},
		{"forged rejected over an acceptance", all, "rejected", "accepted"},
		{"forged accepted over a rejection", nil, "accepted", "rejected"},
		{"mixed decision from the banner flash", []consent.Category{consent.Analytics}, "accepted", "saved"},
		{"mixed decision, rejected flash", []consent.Category{consent.Marketing}, "rejected", "saved"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.AddCookie(f.decided(t, tc.accepted...))
			r.AddCookie(&http.Cookie{Name: FlashCookieName, Value: tc.flash})
			html := f.renderBanner(t, r)
			assert.Contains(t, html, `data-cg-message="question" hidden>`)
			assert.Contains(t, html, `data-cg-message="`+tc.want+`" tabindex="-1" role="alert">`)
			assert.Equal(t, 1, strings.Count(html, `role="alert">`), "one confirmation shown")
			assert.Contains(t, html, `<button type="submit" name="cookies[hide]" value="yes" class="cg-button">Hide cookie message</button>`)

			// The same from the Choices the Gate puts in the context, with
			// no consent cookie on the request.
			ch, err := f.codec.Catalogue().Decide(consent.Choices{}, tc.accepted, time.Now())
			require.NoError(t, err)
			r = httptest.NewRequest(http.MethodGet, "/", nil)
			r.AddCookie(&http.Cookie{Name: FlashCookieName, Value: tc.flash})
			r = r.WithContext(consent.WithChoices(r.Context(), ch))
			assert.Contains(t, f.renderBanner(t, r), `data-cg-message="`+tc.want+`" tabindex="-1" role="alert">`)
		})
	}

	// A flash with no decision behind it (none, a tampered cookie, or only a
	// GPC refusal) confirms nothing: the question is shown.
	for name, r := range map[string]*http.Request{
		"no consent cookie": httptest.NewRequest(http.MethodGet, "/", nil),
		"tampered cookie": func() *http.Request {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			c := f.decided(t, all...)
			c.Value = "x" + c.Value[1:]
			r.AddCookie(c)
			return r
		}(),
		"GPC only": func() *http.Request {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.Header.Set("Sec-GPC", "1")
			return r
		}(),
	} {
		r.AddCookie(&http.Cookie{Name: FlashCookieName, Value: "accepted"})
		html := f.renderBanner(t, r)
		assert.Contains(t, html, `data-cg-message="question">`, name)
		assert.NotContains(t, html, `role="alert">`, name)
	}
}

func TestBannerWelsh(t *testing.T) {
	f := newFixture(t, nil)
	for _, target := range []string{"/cy/newyddion", "/news?lang=cy"} {
		r := httptest.NewRequest(http.MethodGet, target, nil)
		html := f.renderBanner(t, r)
		assert.Contains(t, html, `aria-label="Cwcis ar Heddlu Dyfed-Powys" lang="cy"`)
		assert.Contains(t, html, `action="/cy/cookies"`)
		assert.Contains(t, html, ">Derbyn cwcis ychwanegol</button>")
		assert.Contains(t, html, ">Gwrthod cwcis ychwanegol</button>")
		assert.Contains(t, html, ">Gweld cwcis</a>")
		assert.Contains(t, html, "Rydych wedi derbyn cwcis ychwanegol.")
		assert.NotContains(t, html, "Accept additional cookies")
	}
}

func TestPolicePreset(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.Preset = PresetPolice })
	html := f.renderBanner(t, httptest.NewRequest(http.MethodGet, "/", nil))
	assert.Contains(t, html, "We use some essential cookies to make our website work.")
	assert.Contains(t, html, ">Customise cookies</a>")
	// Reject stays on the first layer (REQUIREMENTS F2).
	assert.Contains(t, html, ">Reject additional cookies</button>")
}

func TestSiteStringsAreEscaped(t *testing.T) {
	evil := `<img src=x onerror=alert(1)> "quoted" & [link] `
	f := newFixture(t, func(o *Options) {
		o.ServiceName = testText(evil, evil)
		o.Messages.BannerText = testText(evil, evil)
		o.Messages.Accepted = testText("Done "+evil, "")
		o.Messages.Accept = testText(evil, "")
	})
	r := httptest.NewRequest(http.MethodGet, `/p?q="><script>alert(1)</script>`, nil)
	html := f.renderBanner(t, r)
	assert.NotContains(t, html, "<img src=x")
	assert.NotContains(t, html, "<script>")
	assert.Contains(t, html, "&lt;img src=x onerror=alert(1)&gt;")
	// Only the Welsh of Accepted was left empty: it keeps the preset.
	r = httptest.NewRequest(http.MethodGet, "/cy/", nil)
	assert.Contains(t, f.renderBanner(t, r), "Rydych wedi derbyn cwcis ychwanegol.")

	page := f.get("/cookies").Body.String()
	assert.NotContains(t, page, "<img src=x")
	assert.NotContains(t, page, "<script>alert(1)</script>")
	assert.Contains(t, page, "&lt;script&gt;alert(1)&lt;/script&gt; counts visits", "HTML in a catalogue purpose is inert")
}

func TestLinkify(t *testing.T) {
	assert.Equal(t, `a &lt;b&gt; <a class="cg-link" href="/x?a=1&amp;b=%22">c&amp;d</a> e.`, string(linkify(`a <b> [c&d] e.`, `/x?a=1&b=%22`)))
	assert.Equal(t, `no link &amp; here`, string(linkify(`no link & here`, "/x")))
	assert.Equal(t, `odd ]order[`, string(linkify(`odd ]order[`, "/x")))
}

func TestQuickExit(t *testing.T) {
	t.Run("off by default", func(t *testing.T) {
		f := newFixture(t, nil)
		assert.Empty(t, f.b.QuickExit(httptest.NewRequest(http.MethodGet, "/", nil)))
	})
	t.Run("police preset uses Escape, in Welsh too", func(t *testing.T) {
		f := newFixture(t, func(o *Options) { o.Preset = PresetPolice; o.QuickExit.Enabled = true })
		html := string(f.b.QuickExit(httptest.NewRequest(http.MethodGet, "/", nil)))
		assert.Contains(t, html, `href="https://www.bbc.co.uk/weather"`)
		assert.Contains(t, html, `data-cg-exit="escape"`)
		assert.Contains(t, html, ">Leave this site</a>")
		cy := string(f.b.QuickExit(httptest.NewRequest(http.MethodGet, "/cy/", nil)))
		assert.Contains(t, cy, ">Allanfa Gyflym</a>")
		assert.Contains(t, cy, "drwy wasgu’r fysell Escape")
	})
	t.Run("before the banner", func(t *testing.T) {
		f := newFixture(t, func(o *Options) {
			o.QuickExit = QuickExitOptions{Enabled: true, BeforeBanner: true, URL: "https://example.org/safe"}
		})
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		html := f.renderBanner(t, r)
		exit := strings.Index(html, `data-cg-exit="shift3"`)
		region := strings.Index(html, `class="cg-banner"`)
		require.GreaterOrEqual(t, exit, 0)
		assert.Less(t, exit, region, "quick exit comes first in the fragment")
		assert.Empty(t, f.b.QuickExit(r), "not twice on a page with the banner")
		r.AddCookie(f.decided(t))
		assert.Contains(t, string(f.b.QuickExit(r)), "https://example.org/safe", "on its own once the banner is gone")
	})
}

// The quick-exit control rendered at New must be byte for byte what the
// template makes of the same language and options, odd URLs and site
// messages with markup in them included.
func TestQuickExitCacheMatchesTemplate(t *testing.T) {
	for name, q := range map[string]QuickExitOptions{
		"default":        {Enabled: true},
		"escape":         {Enabled: true, Key: ExitEscape},
		"no key":         {Enabled: true, Key: ExitNone},
		"before banner":  {Enabled: true, BeforeBanner: true},
		"odd URL":        {Enabled: true, URL: `https://example.org/safe?a=1&b="x'y"<z>+%20#top`},
		"javascript-ish": {Enabled: true, URL: "https://example.org/javascript:alert(1)"},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, func(o *Options) {
				o.QuickExit = q
				o.Messages.QuickExit = testText(`Leave <b>now</b> & "fast"`, "Gadael <i>nawr</i>")
			})
			for _, tc := range []struct {
				target string
				lang   consent.Lang
			}{{"/", consent.English}, {"/cy/", consent.Welsh}, {"/?lang=cy", consent.Welsh}} {
				var want strings.Builder
				require.NoError(t, f.b.executeQuickExit(&want, tc.lang))
				require.NotEmpty(t, want.String())
				assert.Equal(t, want.String(), string(f.b.quickExitHTML(tc.lang)), tc.target)
				r := httptest.NewRequest(http.MethodGet, "http://example.com"+tc.target, nil)
				r.AddCookie(f.decided(t)) // no banner, so the control is wanted on its own
				assert.Equal(t, want.String(), string(f.b.QuickExit(r)), tc.target)
				assert.NotContains(t, want.String(), "<b>", "site messages are text")
			}
		})
	}
	t.Run("off", func(t *testing.T) {
		f := newFixture(t, nil)
		assert.Equal(t, [2]string{}, [2]string{string(f.b.quickExitCache[0]), string(f.b.quickExitCache[1])})
	})
}

func TestNewRejectsBadOptions(t *testing.T) {
	cat, err := consent.NewCatalogue(testPolicy())
	require.NoError(t, err)
	codec, err := consent.NewCodec(cat, consent.CodecOptions{Keys: []consent.Key{{Hash: testKey}}})
	require.NoError(t, err)
	for name, opts := range map[string]Options{
		"no codec":          {},
		"short key":         {Codec: codec, CSRFKey: []byte("short")},
		"bad settings path": {Codec: codec, CSRFKey: testKey, SettingsPath: "cookies"},
		"root path":         {Codec: codec, CSRFKey: testKey, SettingsPath: "/"},
		"bad asset path":    {Codec: codec, CSRFKey: testKey, AssetPath: "/a"},
		"bad preset":        {Codec: codec, CSRFKey: testKey, Preset: "x"},
		"bad exit URL":      {Codec: codec, CSRFKey: testKey, QuickExit: QuickExitOptions{URL: "javascript:alert(1)"}},
		"bad exit key":      {Codec: codec, CSRFKey: testKey, QuickExit: QuickExitOptions{Key: "f1"}},
		"bad origin":        {Codec: codec, CSRFKey: testKey, TrustedOrigins: []string{"example.com"}},
		"bad cleanup path":  {Codec: codec, CSRFKey: testKey, CleanupPaths: []string{"news"}},
	} {
		_, err := New(opts)
		assert.Error(t, err, name)
	}
}

// The pre-rendered banner must be byte for byte what the template makes of
// the same request, whatever the URL holds.
func TestBannerCacheMatchesTemplate(t *testing.T) {
	for _, mod := range []func(*Options){
		nil,
		func(o *Options) {
			o.Preset = PresetPolice
			o.QuickExit = QuickExitOptions{Enabled: true, BeforeBanner: true}
		},
	} {
		f := newFixture(t, mod)
		for _, target := range []string{
			"/", "/news?id=4&x=y", `/p?q="><script>alert(1)</script>&a='b'`, "/cy/newyddion?lang=cy",
			"/caf%C3%A9/%22x%22?q=%3C", "/a+b?c=d+e&f=%2B", "/sp%20ace?x=1%202",
		} {
			for _, flashValue := range []string{"", "accepted", "rejected", "saved"} {
				r := httptest.NewRequest(http.MethodGet, "http://example.com"+target, nil)
				r.AddCookie(&http.Cookie{Name: CSRFCookieName, Value: newNonce()})
				if flashValue != "" {
					r.AddCookie(f.decided(t))
					r.AddCookie(&http.Cookie{Name: FlashCookieName, Value: flashValue})
				}
				in := f.b.inputs(r)
				var want, got strings.Builder
				require.NoError(t, f.b.executeBanner(&want, in, f.b.settingsURL(in.lang)+"?return="+url.QueryEscape(in.ret)))
				require.NoError(t, f.b.bannerCache[cacheKey(in.lang, in.shown)].write(&got, in))
				require.Equal(t, want.String(), got.String(), "%s flash=%q", target, flashValue)
				assert.NotContains(t, got.String(), "cg0slot0")
			}
		}
	}
}

// Every visitor-facing string exists in English and Welsh, in both presets
// (Welsh Language Standards, REQUIREMENTS E2).
func TestEveryMessageIsBilingual(t *testing.T) {
	for _, preset := range []Preset{PresetGOVUK, PresetPolice} {
		f := newFixture(t, func(o *Options) { o.Preset = preset })
		en, cy := f.b.strings[consent.English], f.b.strings[consent.Welsh]
		require.Equal(t, len(en), len(cy))
		for name, text := range en {
			if name == serviceKey || (name == "AlwaysOn" && text == "" && cy[name] == "") {
				continue // AlwaysOn is optional, see Messages
			}
			assert.NotEmpty(t, text, "%s %s English", preset, name)
			assert.NotEmpty(t, cy[name], "%s %s Welsh", preset, name)
			assert.NotEqual(t, text, cy[name], "%s %s is not translated", preset, name)
			assert.NotContains(t, text+cy[name], "{service}")
		}
	}
}

// A policy that asks about analytics alone gets GOV.UK's analytics wording;
// one with nothing optional needs no banner at all.
func TestPolicyShapesTheBanner(t *testing.T) {
	only := func(cats ...consent.Category) func(*Options) {
		return func(o *Options) {
			p := testPolicy()
			var keep []consent.CategoryInfo
			for _, info := range p.Categories {
				for _, c := range append(cats, consent.Essential) {
					if info.ID == c {
						keep = append(keep, info)
					}
				}
			}
			var cookies []consent.Cookie
			for _, ck := range p.Cookies {
				for _, c := range append(cats, consent.Essential) {
					if ck.Category == c {
						cookies = append(cookies, ck)
					}
				}
			}
			p.Categories, p.Cookies = keep, cookies
			cat, err := consent.NewCatalogue(p)
			require.NoError(t, err)
			o.Codec, err = consent.NewCodec(cat, consent.CodecOptions{Keys: []consent.Key{{Hash: testKey}}})
			require.NoError(t, err)
		}
	}
	f := newFixture(t, only(consent.Analytics))
	html := f.renderBanner(t, httptest.NewRequest(http.MethodGet, "/", nil))
	assert.Contains(t, html, ">Accept analytics cookies</button>")
	assert.Contains(t, html, ">Reject analytics cookies</button>")
	assert.Contains(t, html, "We’d also like to use analytics cookies")
	assert.Contains(t, html, "You’ve accepted analytics cookies.")
	cy := f.renderBanner(t, httptest.NewRequest(http.MethodGet, "/cy/", nil))
	assert.Contains(t, cy, ">Derbyn cwcis dadansoddi</button>")

	f = newFixture(t, func(o *Options) { only(consent.Analytics)(o); o.Preset = PresetPolice })
	html = f.renderBanner(t, httptest.NewRequest(http.MethodGet, "/", nil))
	assert.Contains(t, html, ">Reject analytics cookies</button>")
	assert.Contains(t, html, "We use some essential cookies to make our website work.")

	f = newFixture(t, func(o *Options) {
		only(consent.Analytics)(o)
		o.Messages.Accept = testText("Yes please", "Ie os gwelwch yn dda")
	})
	assert.Contains(t, f.renderBanner(t, httptest.NewRequest(http.MethodGet, "/", nil)), ">Yes please</button>", "a site's own words win")

	f = newFixture(t, only())
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	assert.False(t, f.b.BannerNeeded(r))
	assert.Empty(t, f.renderBanner(t, r))
	page := f.get("/cookies").Body.String()
	assert.NotContains(t, page, "<form", "no form with nothing to choose")
	assert.Contains(t, page, "<caption>List of essential cookies</caption>")
}
