package bannertest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentgate/consentgate/banner"
	"github.com/consentgate/consentgate/consent"
	"github.com/consentgate/consentgate/examples/internal/browser"
	"github.com/consentgate/consentgate/middleware"
)

// *banner.Banner is what the Gate takes; the banner package cannot say so
// itself, as it does not import the middleware.
var _ middleware.BannerRenderer = (*banner.Banner)(nil)

// wait bounds every wait for the page; generous, as CI machines are shared.
const wait = 10 * time.Second

func startBrowser(t *testing.T) *browser.Browser {
	t.Helper()
	return browser.Start(t, browser.Config{IgnoreCertErrors: true})
}

// visible reports whether the banner message of kind is shown.
func visible(t *testing.T, ctx context.Context, kind string) bool {
	return browser.Eval[bool](t, ctx, `(() => { const m = document.querySelector('[data-cg-message=`+kind+`]'); return !!m && !m.hidden && m.offsetParent !== null; })()`)
}

// consentCookie decodes the consent cookie the browser holds.
func (s *site) consentCookie(t *testing.T, ctx context.Context) (consent.Choices, bool) {
	t.Helper()
	for _, c := range browser.Cookies(t, ctx) {
		if c.Name == consent.DefaultCookieName {
			ch, err := s.codec.Decode(c.Value)
			require.NoError(t, err)
			return ch, true
		}
	}
	return consent.Choices{}, false
}

func TestNoJavaScriptFlow(t *testing.T) {
	b := startBrowser(t)
	for _, tc := range []struct {
		name, path, button, kind, confirmation, hide string
		accepted                                     bool
	}{
		{"reject", "/report?step=1", "no", "rejected", "You’ve rejected additional cookies.", "Hide cookie message", false},
		{"accept", "/report", "yes", "accepted", "You’ve accepted additional cookies.", "Hide cookie message", true},
		{"Welsh reject", "/cy/riportio", "no", "rejected", "Rydych wedi gwrthod cwcis ychwanegol.", "Cuddio’r neges yma", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSite(t, nil)
			ctx := b.NewTab(t)
			browser.DisableJavaScript(t, ctx, true)
			browser.Navigate(t, ctx, s.srv.URL+tc.path)
			require.True(t, visible(t, ctx, "question"))
			require.False(t, visible(t, ctx, tc.kind))

			browser.ClickAndWaitLoad(t, ctx, `button[name="cookies[additional]"][value="`+tc.button+`"]`)
			loc, err := chromedp.Run(ctx, chromedp.Location())
			require.NoError(t, err)
			assert.Equal(t, s.srv.URL+tc.path, loc, "back on the page the visitor was on")
			assert.False(t, visible(t, ctx, "question"))
			assert.True(t, visible(t, ctx, tc.kind))
			text := browser.Eval[string](t, ctx, `document.querySelector('[data-cg-message=`+tc.kind+`]').innerText`)
			assert.Contains(t, text, tc.confirmation)
			assert.Equal(t, "alert", browser.Eval[string](t, ctx, `document.querySelector('[data-cg-message=`+tc.kind+`]').getAttribute('role')`))
			// The confirmation comes first in tab order (REQUIREMENTS D3).
			order := browser.TabOrder(t, ctx, 2)
			assert.Contains(t, order[0], "a ", "the settings link inside the confirmation")
			assert.Contains(t, order[1], tc.hide)

			ch, ok := s.consentCookie(t, ctx)
			require.True(t, ok)
			assert.Equal(t, tc.accepted, ch.Allowed(consent.Analytics))
			assert.True(t, browser.HasCookie(t, ctx, banner.FlashCookieName))
			assert.Zero(t, s.pixelHits(), "neutralised tags stay off without JavaScript")
			require.Len(t, s.records(), 1)

			browser.ClickAndWaitLoad(t, ctx, `[data-cg-message=`+tc.kind+`] button[name="cookies[hide]"]`)
			assert.False(t, browser.HasCookie(t, ctx, banner.FlashCookieName))
			assert.False(t, browser.Eval[bool](t, ctx, `!!document.querySelector('[data-cg-banner]')`), "no banner once decided and hidden")
			browser.Navigate(t, ctx, s.srv.URL+"/another")
			assert.False(t, browser.Eval[bool](t, ctx, `!!document.querySelector('[data-cg-banner]')`), "nor on the next page")
		})
	}
}

func TestJavaScriptFlow(t *testing.T) {
	b := startBrowser(t)
	s := newSite(t, nil)
	ctx := b.NewTab(t)
	browser.Navigate(t, ctx, s.srv.URL+"/report")
	browser.Eval[bool](t, ctx, `window.marker = true`)

	// The banner is in the page as served: nothing moves as it loads.
	cls := browser.Eval[float64](t, ctx, `new Promise(done => {
		let cls = 0;
		new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) cls += e.value; })
			.observe({type: "layout-shift", buffered: true});
		setTimeout(() => done(cls), 300);
	})`)
	assert.Zero(t, cls, "cumulative layout shift")

	// Consent Mode defaults to denied before any tag; nothing gated has run.
	assert.Equal(t, "denied", browser.Eval[string](t, ctx, `[...dataLayer].find(a => a[0] === 'consent' && a[1] === 'default')[2].analytics_storage`))
	assert.False(t, browser.Eval[bool](t, ctx, `!!window.analyticsRan`))
	assert.Zero(t, s.pixelHits())

	browser.Click(t, ctx, `button[name="cookies[additional]"][value="yes"]`)
	browser.WaitFor(t, ctx, `!document.querySelector('[data-cg-message=accepted]').hidden`, wait)

	assert.True(t, browser.Eval[bool](t, ctx, `window.marker === true`), "no reload")
	assert.False(t, visible(t, ctx, "question"))
	assert.Equal(t, "div", browser.Eval[string](t, ctx, `document.activeElement.tagName.toLowerCase()`))
	assert.Equal(t, "accepted", browser.Eval[string](t, ctx, `document.activeElement.dataset.cgMessage`), "focus moves to the confirmation")
	assert.Equal(t, "alert", browser.Eval[string](t, ctx, `document.activeElement.getAttribute('role')`))

	// Now-allowed tags run, once, in document order; the pixel loads.
	browser.WaitFor(t, ctx, `window.analyticsRan === 1 && window.bothRan === true && window.marketingRan === true`, wait)
	browser.WaitFor(t, ctx, `document.getElementById('pixel').complete && document.getElementById('pixel').getAttribute('src') === '/pixel.gif'`, wait)
	assert.Equal(t, 1, s.pixelHits())
	assert.Equal(t, "granted", browser.Eval[string](t, ctx, `[...dataLayer].filter(a => a[0] === 'consent' && a[1] === 'update').pop()[2].ad_storage`))

	ch, ok := s.consentCookie(t, ctx)
	require.True(t, ok)
	assert.True(t, ch.Allowed(consent.Marketing))
	assert.False(t, browser.HasCookie(t, ctx, banner.FlashCookieName), "the script shows the confirmation itself")
	recs := s.records()
	require.Len(t, recs, 1)
	assert.Equal(t, consent.MethodAcceptAll, recs[0].Method)
	assert.Equal(t, "/report", recs[0].Path)

	browser.Click(t, ctx, `[data-cg-message=accepted] button[name="cookies[hide]"]`)
	browser.WaitFor(t, ctx, `document.querySelector('[data-cg-banner]').hidden`, wait)
}

func TestJavaScriptRejectLeavesTagsOff(t *testing.T) {
	b := startBrowser(t)
	s := newSite(t, nil)
	ctx := b.NewTab(t)
	browser.Navigate(t, ctx, s.srv.URL+"/cy/riportio")
	browser.Click(t, ctx, `button[name="cookies[additional]"][value="no"]`)
	browser.WaitFor(t, ctx, `!document.querySelector('[data-cg-message=rejected]').hidden`, wait)
	assert.Contains(t, browser.Eval[string](t, ctx, `document.activeElement.innerText`), "Rydych wedi gwrthod cwcis ychwanegol.")
	time.Sleep(200 * time.Millisecond)
	assert.False(t, browser.Eval[bool](t, ctx, `!!window.analyticsRan || !!window.marketingRan`))
	assert.Zero(t, s.pixelHits())
	assert.Equal(t, "denied", browser.Eval[string](t, ctx, `[...dataLayer].filter(a => a[0] === 'consent').pop()[2].analytics_storage`))
	ch, ok := s.consentCookie(t, ctx)
	require.True(t, ok)
	assert.True(t, ch.Decided())
	assert.Empty(t, ch.Accepted())
}

func TestKeyboardOnly(t *testing.T) {
	b := startBrowser(t)
	s := newSite(t, nil)
	ctx := b.NewTab(t)
	browser.Navigate(t, ctx, s.srv.URL+"/report")
	order := browser.TabOrder(t, ctx, 4)
	assert.Equal(t, []string{
		"button Accept additional cookies",
		"button Reject additional cookies",
		"a View cookies",
		"a Skip to main content",
	}, order, "banner first, before the skip link (REQUIREMENTS C1, D2)")

	// Tab to Reject and press Enter: no mouse anywhere. (A fresh load, as
	// Chromium resumes Tab from where focus last was.)
	browser.Navigate(t, ctx, s.srv.URL+"/report")
	require.Equal(t, "button Reject additional cookies", browser.TabOrder(t, ctx, 2)[1])
	require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)))
	browser.WaitFor(t, ctx, `!document.querySelector('[data-cg-message=rejected]').hidden`, wait)
	assert.Equal(t, "rejected", browser.Eval[string](t, ctx, `document.activeElement.dataset.cgMessage`))
	// From the confirmation, Tab reaches its link, then Hide.
	require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)))
	require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)))
	assert.Equal(t, "button Hide cookie message", browser.FocusedElement(t, ctx))
	require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent(" ")))
	browser.WaitFor(t, ctx, `document.querySelector('[data-cg-banner]').hidden`, wait)

	// The settings page by keyboard: Yes for analytics, then Save.
	browser.Navigate(t, ctx, s.srv.URL+"/cookies?return=%2Freport")
	require.NoError(t, chromedp.Do(ctx, chromedp.Focus(chromedp.CSS("#cg-analytics-no"))))
	require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowLeft)))
	assert.True(t, browser.Eval[bool](t, ctx, `document.getElementById('cg-analytics-yes').checked`))
	resp, err := chromedp.RunResponse(ctx, chromedp.Focus(chromedp.CSS(".cg-settings__form button")), chromedp.KeyEvent(kb.Enter))
	require.NoError(t, err)
	require.NotNil(t, resp)
	browser.WaitFor(t, ctx, `document.activeElement && document.activeElement.hasAttribute('data-cg-notice')`, wait)
	assert.Contains(t, browser.Eval[string](t, ctx, `document.activeElement.innerText`), "Go back to the page you were looking at")
	ch, ok := s.consentCookie(t, ctx)
	require.True(t, ok)
	assert.Equal(t, []consent.Category{consent.Analytics}, ch.Accepted())
}

func TestAccessibility(t *testing.T) {
	b := startBrowser(t)
	for _, lang := range []struct{ page, cookies, button string }{
		{"/report", "/cookies", "yes"},
		{"/cy/riportio", "/cy/cookies", "no"},
	} {
		t.Run(lang.page, func(t *testing.T) {
			s := newSite(t, func(o *banner.Options) { o.QuickExit.Enabled = true })
			ctx := b.NewTab(t)
			browser.Navigate(t, ctx, s.srv.URL+lang.page)
			browser.AssertAccessible(t, ctx, "banner "+lang.page)

			browser.Click(t, ctx, `button[name="cookies[additional]"][value="`+lang.button+`"]`)
			browser.WaitFor(t, ctx, `document.activeElement.hasAttribute('data-cg-message')`, wait)
			browser.AssertAccessible(t, ctx, "confirmation "+lang.page)

			browser.Navigate(t, ctx, s.srv.URL+lang.cookies+"?return="+url.QueryEscape(lang.page))
			browser.AssertAccessible(t, ctx, "settings "+lang.cookies)
			browser.ClickAndWaitLoad(t, ctx, ".cg-settings__form button")
			require.True(t, browser.Eval[bool](t, ctx, `!!document.querySelector('[data-cg-notice]')`))
			browser.AssertAccessible(t, ctx, "settings saved "+lang.cookies)
		})
	}
	t.Run("police preset, quick exit before the banner", func(t *testing.T) {
		s := newSite(t, func(o *banner.Options) {
			o.Preset = banner.PresetPolice
			o.QuickExit = banner.QuickExitOptions{Enabled: true, BeforeBanner: true}
		})
		ctx := b.NewTab(t)
		for _, p := range []string{"/report", "/cy/riportio", "/cookies", "/cy/cookies"} {
			browser.Navigate(t, ctx, s.srv.URL+p)
			browser.AssertAccessible(t, ctx, "police "+p)
		}
	})
	t.Run("confirmation without JavaScript", func(t *testing.T) {
		s := newSite(t, nil)
		ctx := b.NewTab(t)
		browser.DisableJavaScript(t, ctx, true)
		browser.Navigate(t, ctx, s.srv.URL+"/report")
		browser.ClickAndWaitLoad(t, ctx, `button[name="cookies[additional]"][value="no"]`)
		browser.DisableJavaScript(t, ctx, false) // axe itself is JavaScript
		browser.AssertAccessible(t, ctx, "no-JS confirmation")
	})
}

func TestReflowAt320(t *testing.T) {
	b := startBrowser(t)
	s := newSite(t, func(o *banner.Options) { o.QuickExit.Enabled = true; o.Preset = banner.PresetPolice })
	ctx := b.NewTab(t)
	browser.SetViewport(t, ctx, 320, 640)
	for _, p := range []string{"/report", "/cy/riportio", "/cookies", "/cy/cookies"} {
		browser.Navigate(t, ctx, s.srv.URL+p)
		sw := browser.Eval[int](t, ctx, `document.documentElement.scrollWidth`)
		cw := browser.Eval[int](t, ctx, `document.documentElement.clientWidth`)
		assert.LessOrEqual(t, sw, cw, "%s scrolls sideways at 320 px", p)
		if strings.HasSuffix(p, "cookies") {
			continue
		}
		// The two buttons stack, each as wide as the other: equal prominence.
		widths := browser.Eval[[]float64](t, ctx, `[...document.querySelectorAll('button[name="cookies[additional]"]')].map(b => b.getBoundingClientRect().width)`)
		require.Len(t, widths, 2)
		assert.InDelta(t, widths[0], widths[1], 0.5)
		// Not sticky: the banner scrolls away with the page.
		assert.Equal(t, "static", browser.Eval[string](t, ctx, `getComputedStyle(document.querySelector('.cg-banner')).position`))
	}
}

func TestQuickExit(t *testing.T) {
	// The default destination, https://www.bbc.co.uk/weather, resolves to a
	// local stand-in, so the test stays offline and keeps the real URL.
	weather := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, `<!DOCTYPE html><html lang="en"><head><title>Weather</title></head><body><main><h1>Weather</h1></main></body></html>`)
	}))
	t.Cleanup(weather.Close)
	u, err := url.Parse(weather.URL)
	require.NoError(t, err)
	b := browser.Start(t, browser.Config{IgnoreCertErrors: true, HostRules: map[string]string{"www.bbc.co.uk": u.Host}})
	const dest = "https://www.bbc.co.uk/weather"

	left := func(t *testing.T, ctx context.Context) bool {
		t.Helper()
		loc, err := chromedp.Run(ctx, chromedp.Location())
		require.NoError(t, err)
		return loc == dest
	}
	// waitLeft polls from outside the page: the page being left takes any
	// in-page polling down with it.
	waitLeft := func(t *testing.T, ctx context.Context) {
		t.Helper()
		for deadline := time.Now().Add(wait); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if loc, err := chromedp.Run(ctx, chromedp.Location()); err == nil && loc == dest {
				return
			}
		}
		t.Fatalf("still not on %s after %v", dest, wait)
	}
	press := func(t *testing.T, ctx context.Context, keys ...string) {
		t.Helper()
		for _, k := range keys {
			require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent(k)))
		}
	}

	t.Run("Escape, police preset, Welsh", func(t *testing.T) {
		s := newSite(t, func(o *banner.Options) { o.Preset = banner.PresetPolice; o.QuickExit.Enabled = true })
		ctx := b.NewTab(t)
		browser.Navigate(t, ctx, s.srv.URL+"/cy/riportio")
		assert.Equal(t, "Allanfa Gyflym", browser.Eval[string](t, ctx, `document.querySelector('[data-cg-exit]').innerText`))
		press(t, ctx, kb.Escape)
		waitLeft(t, ctx)
	})
	t.Run("Shift three times, not Shift as a modifier", func(t *testing.T) {
		s := newSite(t, func(o *banner.Options) { o.QuickExit = banner.QuickExitOptions{Enabled: true, BeforeBanner: true} })
		ctx := b.NewTab(t)
		browser.Navigate(t, ctx, s.srv.URL+"/report")
		// Before the banner in tab order when the site asks for it (F5).
		assert.Equal(t, "a Leave this site", browser.TabOrder(t, ctx, 1)[0])
		press(t, ctx, kb.Shift, "A", kb.Shift, kb.Shift, kb.Escape)
		time.Sleep(300 * time.Millisecond)
		assert.False(t, left(t, ctx), "typing a capital letter or pressing Escape does not count")
		press(t, ctx, kb.Shift, kb.Shift, kb.Shift)
		waitLeft(t, ctx)
	})
	t.Run("works without JavaScript", func(t *testing.T) {
		s := newSite(t, func(o *banner.Options) { o.QuickExit.Enabled = true })
		ctx := b.NewTab(t)
		browser.DisableJavaScript(t, ctx, true)
		browser.Navigate(t, ctx, s.srv.URL+"/report")
		browser.ClickAndWaitLoad(t, ctx, "[data-cg-exit]")
		assert.True(t, left(t, ctx))
	})
}

// Accepting activates every kind of neutralised element whose categories are
// all accepted, and nothing else; scripts run in document order.
func TestActivatesNeutralisedTags(t *testing.T) {
	b := startBrowser(t)
	s := newSite(t, nil)
	ctx := b.NewTab(t)
	browser.Navigate(t, ctx, s.srv.URL+"/tags")
	time.Sleep(200 * time.Millisecond)
	for path := range tagResources {
		assert.Zero(t, s.hitCount(path), "%s loaded before consent", path)
	}
	assert.False(t, browser.Eval[bool](t, ctx, `!!window.order || !!window.moduleRan || !!window.bothRan`))

	browser.Click(t, ctx, `button[name="cookies[additional]"][value="yes"]`)
	browser.WaitFor(t, ctx, `window.order && window.order.length === 2 && window.moduleRan === true && window.bothRan === true`, wait)
	assert.Equal(t, []string{"external", "inline"}, browser.Eval[[]string](t, ctx, `window.order`), "document order, though the external script is slower")
	assert.False(t, browser.Eval[bool](t, ctx, `!!window.preferencesRan`), "a category the policy does not have stays off")
	assert.Equal(t, 1, browser.Eval[int](t, ctx, `document.querySelectorAll('script[type="text/plain"]').length`))
	assert.Equal(t, "module", browser.Eval[string](t, ctx, `[...document.scripts].find(s => s.text.includes('moduleRan')).type`), "the original type comes back")
	// Partytown runs text/partytown scripts in a worker, and picks up ones
	// added after it started only when told so with a ptupdate event.
	assert.Equal(t, "text/partytown", browser.Eval[string](t, ctx, `[...document.scripts].find(s => s.text.includes('partytownInPage')).type`))
	browser.WaitFor(t, ctx, `window.ptUpdates === 1`, wait)
	assert.False(t, browser.Eval[bool](t, ctx, `!!window.partytownInPage`), "a Partytown script is Partytown's to run, not the page's")

	browser.WaitFor(t, ctx, `getComputedStyle(document.getElementById('styled')).color === 'rgb(1, 2, 3)'`, wait)
	browser.WaitFor(t, ctx, `document.getElementById('srcset').complete && document.getElementById('srcset').currentSrc.endsWith('/srcset.gif')`, wait)
	for _, path := range []string{"/tag.js", "/frame", "/style.css", "/srcset.gif", "/object.gif", "/video.mp4", "/preload-set.gif", "/svg.gif", "/odd.gif"} {
		deadline := time.Now().Add(wait)
		for s.hitCount(path) == 0 && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		assert.Equal(t, 1, s.hitCount(path), "%s loaded once after consent", path)
	}
	// The srcdoc document is shown, not the src beside it (srcdoc wins).
	browser.WaitFor(t, ctx, `(() => { const d = document.getElementById('srcdoc').contentDocument; return !!d && !!d.getElementById('inside'); })()`, wait)
	assert.Equal(t, "Embedded & ready", browser.Eval[string](t, ctx, `document.getElementById('srcdoc').contentDocument.getElementById('inside').textContent`))
	// The preload took imagesrcset, so it was back before href was.
	assert.Zero(t, s.hitCount("/preload.gif"), "the preload's href is only a fallback")
	// xlink:href comes back in the XLink namespace, where SVG reads it.
	assert.Equal(t, "/svg.gif", browser.Eval[string](t, ctx, `document.getElementById('svg-image').getAttributeNS('http://www.w3.org/1999/xlink', 'href')`))
	assert.Equal(t, "/ping", browser.Eval[string](t, ctx, `document.getElementById('ping').getAttribute('ping')`))
	assert.True(t, browser.Eval[bool](t, ctx, `document.baseURI === location.origin + '/'`), "the <base> href is back")

	// A refresh is not restored: accepting does not send the visitor away.
	time.Sleep(300 * time.Millisecond)
	assert.True(t, browser.Eval[bool](t, ctx, `location.pathname === '/tags' && !!document.getElementById('styled')`))
	assert.Equal(t, "0; url=/safe", browser.Eval[string](t, ctx, `document.querySelector('meta[http-equiv=refresh]').getAttribute('data-cg-content')`))
	assert.False(t, browser.Eval[bool](t, ctx, `document.querySelector('meta[http-equiv=refresh]').hasAttribute('content')`))

	// Nothing renamed is left but the refresh and the tag whose category the
	// policy does not have.
	assert.Equal(t, []string{"META", "SCRIPT"}, browser.Eval[[]string](t, ctx, `[...document.querySelectorAll('*')]
		.filter(e => [...e.attributes].some(a => a.name.startsWith('data-cg-') && !['data-cg-banner', 'data-cg-message', 'data-cg-accepted', 'data-cg-clear', 'data-cg-exit', 'data-cg-notice'].includes(a.name)))
		.map(e => e.tagName).sort()`))
}

// Withdrawing consent removes first-party cookies the server never sees
// (set on another path), once the visitor is on that path.
func TestWithdrawalClearsCookiesOnOtherPaths(t *testing.T) {
	b := startBrowser(t)
	s := newSite(t, nil)
	ctx := b.NewTab(t)
	browser.Navigate(t, ctx, s.srv.URL+"/report")
	browser.Click(t, ctx, `button[name="cookies[additional]"][value="yes"]`)
	browser.WaitFor(t, ctx, `!document.querySelector('[data-cg-message=accepted]').hidden`, wait)

	// What Google Analytics would set, on the root and on a deeper path.
	browser.Navigate(t, ctx, s.srv.URL+"/deep/page")
	browser.Eval[bool](t, ctx, `document.cookie = "_ga=GA1.1.1; path=/deep"; document.cookie = "_ga_ABC123=GS1; path=/deep/"; document.cookie = "_gid=GA1.1.2; path=/"; document.cookie = "session=keep; path=/deep"; true`)
	require.True(t, browser.HasCookie(t, ctx, "_ga"))

	// Withdraw on the cookies page, without JavaScript's help.
	browser.Navigate(t, ctx, s.srv.URL+"/cookies")
	browser.Click(t, ctx, "#cg-analytics-no")
	browser.ClickAndWaitLoad(t, ctx, ".cg-settings__form button")
	assert.False(t, browser.HasCookie(t, ctx, "_gid"), "the server expires what it is sent")
	assert.True(t, browser.HasCookie(t, ctx, "_ga"), "the server never saw the /deep cookies")

	browser.Navigate(t, ctx, s.srv.URL+"/deep/page")
	assert.False(t, browser.HasCookie(t, ctx, "_ga"))
	assert.False(t, browser.HasCookie(t, ctx, "_ga_*"))
	assert.True(t, browser.HasCookie(t, ctx, "session"), "cookies the catalogue does not refuse stay")
	ch, ok := s.consentCookie(t, ctx)
	require.True(t, ok)
	assert.False(t, ch.Allowed(consent.Analytics))
	assert.Equal(t, consent.MethodWithdraw, s.records()[len(s.records())-1].Method)
}

// With the real Gate in front: the Gate injects the banner and neutralises
// the tags, and the banner's script undoes exactly that on acceptance.
func TestWithTheGate(t *testing.T) {
	b := startBrowser(t)
	s := newSite(t, nil)
	ctx := b.NewTab(t)
	browser.Navigate(t, ctx, s.srv.URL+"/gated/page")
	require.Equal(t, 1, browser.Eval[int](t, ctx, `document.querySelectorAll('[data-cg-banner]').length`), "the Gate injected the banner once")
	assert.Equal(t, "cg-banner", browser.Eval[string](t, ctx, `document.body.firstElementChild.className`), "right after <body>")
	assert.Equal(t, 2, browser.Eval[int](t, ctx, `document.querySelectorAll('script[type="text/plain"][data-cg-category]').length`))
	time.Sleep(200 * time.Millisecond)
	assert.Zero(t, s.pixelHits())
	assert.False(t, browser.Eval[bool](t, ctx, `!!window.gatedRan`))
	// The real rewriter's srcdoc and imagesrcset renames hold until consent.
	assert.Zero(t, s.hitCount("/preload-set.gif")+s.hitCount("/preload.gif"))
	assert.False(t, browser.Eval[bool](t, ctx, `(() => { const d = document.getElementById('gated-srcdoc').contentDocument; return !!d && !!d.getElementById('inside'); })()`))

	browser.Click(t, ctx, `button[name="cookies[additional]"][value="yes"]`)
	browser.WaitFor(t, ctx, `window.gatedRan === 1 && window.gatedModuleRan === true`, wait)
	browser.WaitFor(t, ctx, `document.getElementById('gated-pixel').complete`, wait)
	assert.Equal(t, 1, s.pixelHits())
	assert.Equal(t, "module", browser.Eval[string](t, ctx, `[...document.scripts].find(s => s.text.includes('gatedModuleRan')).type`))
	// The script restores whatever the rewriter renamed, srcdoc and
	// imagesrcset included.
	browser.WaitFor(t, ctx, `(() => { const d = document.getElementById('gated-srcdoc').contentDocument; return !!d && !!d.getElementById('inside'); })()`, wait)
	deadline := time.Now().Add(wait)
	for s.hitCount("/preload-set.gif") == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	assert.Equal(t, 1, s.hitCount("/preload-set.gif"), "the preload took its imagesrcset")
	assert.Zero(t, s.hitCount("/preload.gif"))

	// The next page comes through the Gate untouched and without a banner.
	browser.Navigate(t, ctx, s.srv.URL+"/gated/next")
	assert.Equal(t, 0, browser.Eval[int](t, ctx, `document.querySelectorAll('[data-cg-banner]').length`))
	browser.WaitFor(t, ctx, `window.gatedRan === 1`, wait)
	browser.AssertAccessible(t, ctx, "gated page after consent")
}

// Every control is at least 24×24 CSS px (WCAG 2.5.8), at phone and desktop
// widths, on the banner and the cookies page.
func TestTargetSize(t *testing.T) {
	b := startBrowser(t)
	s := newSite(t, func(o *banner.Options) { o.QuickExit.Enabled = true })
	ctx := b.NewTab(t)
	const controls = `[...document.querySelectorAll('.cg-banner button, .cg-banner__actions a, .cg-exit a, .cg-radio input, .cg-settings button')]
		.filter(e => e.offsetParent !== null)`
	const small = controls + `.map(e => { const r = e.getBoundingClientRect(); return {text: (e.innerText || e.id).trim(), w: r.width, h: r.height}; })
		.filter(r => r.w < 24 || r.h < 24)
		.map(r => r.text + " " + r.w + "x" + r.h)`
	for _, width := range []int64{320, 1280} {
		browser.SetViewport(t, ctx, width, 800)
		for _, p := range []string{"/report", "/cy/riportio", "/cookies", "/cy/cookies"} {
			browser.Navigate(t, ctx, s.srv.URL+p)
			require.GreaterOrEqual(t, browser.Eval[int](t, ctx, controls+".length"), 4, "%s: controls found", p)
			assert.Empty(t, browser.Eval[[]string](t, ctx, small), "%s at %d px", p, width)
		}
	}
}

// In forced-colours mode (Windows High Contrast) the focus indicator and the
// button edges stay visible: their transparent outline and border become
// system colours.
func TestForcedColours(t *testing.T) {
	b := startBrowser(t)
	s := newSite(t, nil)
	ctx := b.NewTab(t)
	_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "forced-colors", Value: "active"}},
	})
	require.NoError(t, err)
	browser.Navigate(t, ctx, s.srv.URL+"/report")
	require.True(t, browser.Eval[bool](t, ctx, `matchMedia('(forced-colors: active)').matches`))
	browser.TabOrder(t, ctx, 1)
	style := browser.Eval[map[string]string](t, ctx, `(() => { const s = getComputedStyle(document.activeElement);
		return {outline: s.outlineStyle + " " + s.outlineWidth, outlineColor: s.outlineColor, border: s.borderTopStyle, borderColor: s.borderTopColor}; })()`)
	assert.Equal(t, "solid 3px", style["outline"])
	assert.NotEqual(t, "rgba(0, 0, 0, 0)", style["outlineColor"], "focus outline visible")
	assert.Equal(t, "solid", style["border"])
	assert.NotEqual(t, "rgba(0, 0, 0, 0)", style["borderColor"], "button edge visible")
}

// When proof of consent cannot be recorded, the script shows the technical
// problem message in place, the question stays, and nothing is stored; a
// rejection still goes through.
func TestJavaScriptRecorderFailure(t *testing.T) {
	b := startBrowser(t)
	s := newSite(t, func(o *banner.Options) {
		o.Recorder = consent.RecorderFunc(func(context.Context, consent.Record) error { return errors.New("database down") })
	})
	ctx := b.NewTab(t)
	browser.Navigate(t, ctx, s.srv.URL+"/cy/riportio")
	browser.Click(t, ctx, `button[name="cookies[additional]"][value="yes"]`)
	browser.WaitFor(t, ctx, `!document.querySelector('[data-cg-message=error]').hidden`, wait)
	assert.Equal(t, "Mae’n ddrwg gennym, roedd problem dechnegol. Rhowch gynnig arall arni.",
		browser.Eval[string](t, ctx, `document.querySelector('[data-cg-message=error]').innerText`))
	assert.True(t, visible(t, ctx, "question"))
	_, stored := s.consentCookie(t, ctx)
	assert.False(t, stored)
	assert.False(t, browser.Eval[bool](t, ctx, `!!window.analyticsRan`))

	browser.Click(t, ctx, `button[name="cookies[additional]"][value="no"]`)
	browser.WaitFor(t, ctx, `!document.querySelector('[data-cg-message=rejected]').hidden`, wait)
	ch, stored := s.consentCookie(t, ctx)
	require.True(t, stored)
	assert.Empty(t, ch.Accepted())
}

// A vendor tag that calls document.write, activated after the page has
// loaded, writes its markup right after itself instead of replacing the
// page; document.write is the browser's own again afterwards.
func TestActivatedDocumentWriteKeepsThePage(t *testing.T) {
	b := startBrowser(t)
	s := newSite(t, nil)
	ctx := b.NewTab(t)
	browser.Navigate(t, ctx, s.srv.URL+"/write")
	time.Sleep(200 * time.Millisecond)
	for path := range writeResources {
		assert.Zero(t, s.hitCount(path), "%s loaded before consent", path)
	}

	browser.Click(t, ctx, `button[name="cookies[additional]"][value="yes"]`)
	browser.WaitFor(t, ctx, `window.inlineWriterRan === true`, wait)

	// The page is still the page.
	require.Equal(t, "Appeals", browser.Eval[string](t, ctx, `document.querySelector('h1') ? document.querySelector('h1').textContent : ''`), "the page was replaced")
	assert.Equal(t, "Help us find a missing person.", browser.Eval[string](t, ctx, `document.getElementById('own') ? document.getElementById('own').textContent : ''`))
	assert.True(t, visible(t, ctx, "accepted"), "the confirmation is still shown")
	browser.WaitFor(t, ctx, `window.externalWriterRan === true`, wait)

	// What each tag wrote stands right after it, in the order written.
	next := func(id string) []string {
		return browser.Eval[[]string](t, ctx, `(() => { const out = []; let e = document.getElementById('`+id+`'); for (let i = 0; e && i < 3; i++) { e = e.nextElementSibling; out.push(e ? (e.id || e.tagName) : ''); } return out; })()`)
	}
	assert.Equal(t, []string{"written-frame", "written-line", "between"}, next("inline-writer"))
	assert.Equal(t, []string{"ext-written", "after", ""}, next("external-writer"))
	assert.Equal(t, "Written", browser.Eval[string](t, ctx, `document.getElementById('written-line').textContent`), "document.write takes several strings")
	assert.True(t, browser.Eval[bool](t, ctx, `window.nestedRan === true`), "a script in the written markup runs")
	assert.True(t, browser.Eval[bool](t, ctx, `getComputedStyle(document.getElementById('written-frame')).display === 'none'`))
	deadline := time.Now().Add(wait)
	for s.hitCount("/floodlight") == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	assert.Equal(t, 1, s.hitCount("/floodlight"), "the written iframe loads")
	assert.Equal(t, 1, s.hitCount("/write.js"))

	assert.True(t, browser.Eval[bool](t, ctx, `document.write === Document.prototype.write && document.writeln === Document.prototype.writeln`), "the browser's own document.write is back")
}
