package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentgate/consentgate/consent"
	"github.com/consentgate/consentgate/examples/internal/browser"
)

// pages a visitor may land on; every one carries every tag.
var landingPages = []string{"/", "/news/cctv-appeal-harbour-street", "/report", "/privacy", "/cy/"}

func TestBeforeAnyDecision(t *testing.T) {
	f := newFixture(t)

	t.Run("with JavaScript: no tag request, no optional cookie, banner first", func(t *testing.T) {
		ctx := f.tab(t)
		f.resetLog()
		for _, p := range landingPages {
			f.open(t, ctx, p)
			require.True(t, bannerVisible(t, ctx), "%s: banner", p)
			f.requireNoVendorRequest(t, p)
			requireNoThirdPartyResource(t, ctx, p)
			require.Empty(t, f.nonEssential(t, ctx), "%s: optional cookies before consent", p)
		}
		f.open(t, ctx, "/")
		order := browser.TabOrder(t, ctx, 6)
		index := func(label string) int {
			return slices.IndexFunc(order, func(s string) bool { return strings.Contains(s, label) })
		}
		accept, skip := index("Accept additional cookies"), index("Skip to main content")
		require.GreaterOrEqual(t, accept, 0, "tab order %v", order)
		assert.True(t, skip == -1 || accept < skip, "the banner comes before the skip link: %v", order)
		assert.Less(t, accept, 2, "only the quick exit may come before the banner: %v", order)
	})

	t.Run("without JavaScript: the noscript pixel and GTM iframe do not fire", func(t *testing.T) {
		ctx := f.tab(t)
		browser.DisableJavaScript(t, ctx, true)
		f.resetLog()
		for _, p := range landingPages {
			f.open(t, ctx, p)
			f.requireNoVendorRequest(t, p+" (no JavaScript)")
			requireNoThirdPartyResource(t, ctx, p+" (no JavaScript)")
			require.Empty(t, f.nonEssential(t, ctx), "%s: optional cookies before consent", p)
		}
	})
}

func TestAcceptWithJavaScript(t *testing.T) {
	f := newFixture(t)
	ctx := f.tab(t)
	f.open(t, ctx, "/news/cctv-appeal-harbour-street")
	f.requireNoVendorRequest(t, "before accepting")
	// A marker that a reload would wipe.
	browser.Eval[bool](t, ctx, `window.cgNoReload = true`)

	browser.Click(t, ctx, acceptButton)
	browser.WaitFor(t, ctx, `(() => { const m = document.querySelector('[data-cg-message="accepted"]'); return m && !m.hidden; })()`, 10*time.Second)
	assert.True(t, browser.Eval[bool](t, ctx, `window.cgNoReload === true`), "accepting must not reload the page")
	assert.Equal(t, "accepted", browser.Eval[string](t, ctx, `document.activeElement.closest("[data-cg-message]")?.dataset.cgMessage ?? ""`),
		"focus moves to the confirmation")

	// The neutralised tags run now, without a reload.
	f.waitVendor(t, "www.googletagmanager.com")
	f.waitVendor(t, "connect.facebook.net")
	f.waitVendor(t, "www.google-analytics.com")
	f.waitVendor(t, "www.facebook.com")
	f.waitVendor(t, "www.youtube.com")
	browser.WaitFor(t, ctx, `/(^|; )_ga=/.test(document.cookie) && /(^|; )_fbp=/.test(document.cookie)`, 10*time.Second)
	// The browser's own record sees them too: the witness used after
	// rejecting and withdrawing does notice tags when they run.
	assert.NotEmpty(t, thirdPartyResources(t, ctx))
	names := browser.CookieNames(t, ctx)
	assert.Contains(t, names, "_ga@.westshire.police.uk")
	assert.Contains(t, names, "_fbp@.westshire.police.uk")
	assert.True(t, browser.HasCookie(t, ctx, "_ga_*"), "GA4's session cookie: %v", names)

	// Proof of consent is in the log.
	ch := f.choices(t, ctx)
	assert.True(t, ch.Allowed(consent.Analytics) && ch.Allowed(consent.Marketing))
	hist, err := f.rec.History(context.Background(), ch.ID)
	require.NoError(t, err)
	require.Len(t, hist, 1)
	assert.Equal(t, consent.MethodAcceptAll, hist[0].Method)
	assert.Equal(t, "/news/cctv-appeal-harbour-street", hist[0].Path)

	// The next page carries the tags live and the banner no more.
	f.resetLog()
	f.open(t, ctx, "/")
	assert.Equal(t, "", shownMessage(t, ctx))
	f.waitVendor(t, "www.googletagmanager.com")
}

func TestAcceptWithoutJavaScript(t *testing.T) {
	f := newFixture(t)
	ctx := f.tab(t)
	browser.DisableJavaScript(t, ctx, true)
	f.open(t, ctx, "/")
	f.requireNoVendorRequest(t, "before accepting")

	browser.ClickAndWaitLoad(t, ctx, acceptButton)
	time.Sleep(settle)
	assert.Equal(t, "accepted", shownMessage(t, ctx), "the reloaded page confirms")
	// With scripting off, what fires is the markup: the Meta noscript pixel,
	// the GTM noscript iframe and the Floodlight noscript image.
	f.waitVendor(t, "www.facebook.com")
	f.waitVendor(t, "www.googletagmanager.com")
	f.waitVendor(t, "ad.doubleclick.net")
	assert.Contains(t, f.standin.RequestsTo("www.facebook.com")[0].Query, "noscript=1")
	assert.NotEmpty(t, thirdPartyResources(t, ctx), "the browser's record sees the noscript tags too")
	// The server-side _ga now gets through the Gate.
	assert.Contains(t, browser.CookieNames(t, ctx), "_ga@.westshire.police.uk")

	// Hide the confirmation: a form post, back to a page without the banner.
	browser.ClickAndWaitLoad(t, ctx, `[data-cg-banner] button[name="cookies[hide]"]`)
	assert.Equal(t, "", shownMessage(t, ctx))
}

func TestRejectWithAndWithoutJavaScript(t *testing.T) {
	f := newFixture(t)
	for _, js := range []bool{true, false} {
		name := map[bool]string{true: "with JavaScript", false: "without JavaScript"}[js]
		t.Run(name, func(t *testing.T) {
			ctx := f.tab(t)
			browser.DisableJavaScript(t, ctx, !js)
			f.resetLog()
			f.open(t, ctx, "/")
			if js {
				browser.Click(t, ctx, rejectButton)
				browser.WaitFor(t, ctx, `(() => { const m = document.querySelector('[data-cg-message="rejected"]'); return m && !m.hidden; })()`, 10*time.Second)
				time.Sleep(settle)
			} else {
				browser.ClickAndWaitLoad(t, ctx, rejectButton)
				time.Sleep(settle)
				assert.Equal(t, "rejected", shownMessage(t, ctx))
			}
			ch := f.choices(t, ctx)
			assert.True(t, ch.Decided())
			assert.Empty(t, ch.Accepted())
			for _, p := range landingPages {
				f.open(t, ctx, p)
				f.requireNoVendorRequest(t, p+" after rejecting")
				requireNoThirdPartyResource(t, ctx, p+" after rejecting")
				require.Empty(t, f.nonEssential(t, ctx), "%s: optional cookies after rejecting", p)
				assert.False(t, bannerVisible(t, ctx), "%s: the question is not asked again", p)
			}
		})
	}
}

func TestWithdrawConsentOnTheCookiesPage(t *testing.T) {
	f := newFixture(t)
	ctx := f.tab(t)
	f.open(t, ctx, "/")
	browser.Click(t, ctx, acceptButton)
	browser.WaitFor(t, ctx, `/(^|; )_ga=/.test(document.cookie) && /(^|; )_fbp=/.test(document.cookie) && /(^|; )_gid=/.test(document.cookie)`, 10*time.Second)
	// Cookies also exist host-only, as a tag configured without the auto
	// cookie domain writes them; withdrawal must reach both variants.
	time.Sleep(settle)
	for _, name := range []string{"_ga", "_fbp"} {
		replaceCookie(t, ctx, &network.Cookie{Name: name, Path: "/", Secure: true, SameSite: network.CookieSameSiteLax}, "GA1.1.1.1")
	}
	before := f.nonEssential(t, ctx)
	assert.Contains(t, before, "_ga@www.westshire.police.uk")
	assert.Contains(t, before, "_ga@.westshire.police.uk")

	f.open(t, ctx, "/cookies")
	assert.True(t, browser.Eval[bool](t, ctx, `document.getElementById("cg-analytics-yes").checked && document.getElementById("cg-marketing-yes").checked`),
		"the form shows the saved choice")
	browser.Click(t, ctx, "#cg-analytics-no")
	browser.Click(t, ctx, "#cg-marketing-no")
	f.resetLog() // the consented page's own tags have fired by now
	browser.ClickAndWaitLoad(t, ctx, `.cg-settings__form button[type="submit"]`)
	time.Sleep(settle)
	f.requireNoVendorRequest(t, "the page after saving")

	left := f.nonEssential(t, ctx)
	assert.Empty(t, slices.DeleteFunc(slices.Clone(left), func(s string) bool {
		return !strings.HasPrefix(s, "_ga") && !strings.HasPrefix(s, "_fbp") && !strings.HasPrefix(s, "_gid")
	}), "analytics and marketing cookies left after withdrawal")
	assert.Empty(t, left, "no optional cookie at all")
	ch := f.choices(t, ctx)
	assert.False(t, ch.Allowed(consent.Analytics))
	assert.False(t, ch.Allowed(consent.Marketing))
	hist, err := f.rec.History(context.Background(), ch.ID)
	require.NoError(t, err)
	require.Len(t, hist, 2)
	assert.Equal(t, consent.MethodWithdraw, hist[1].Method)

	for _, p := range landingPages {
		f.open(t, ctx, p)
		f.requireNoVendorRequest(t, p+" after withdrawing")
		requireNoThirdPartyResource(t, ctx, p+" after withdrawing")
		require.Empty(t, f.nonEssential(t, ctx), p)
	}
}

func TestTamperedConsentCookieReadsAsNoConsent(t *testing.T) {
	f := newFixture(t)
	ctx := f.tab(t)
	f.open(t, ctx, "/")
	browser.Click(t, ctx, acceptButton)
	browser.WaitFor(t, ctx, `/(^|; )_ga=/.test(document.cookie)`, 10*time.Second)

	c := consentCookie(t, ctx)
	require.NotNil(t, c)
	for _, bad := range []string{
		flipLast(c.Value),         // signature no longer matches
		c.Value[:len(c.Value)/2],  // truncated
		"",                        // emptied
		"yes",                     // hand-written
		strings.Repeat("A", 4000), // oversized
	} {
		replaceCookie(t, ctx, c, bad)
		f.resetLog()
		f.open(t, ctx, "/")
		assert.True(t, bannerVisible(t, ctx), "value %.20q: the banner asks again", bad)
		f.requireNoVendorRequest(t, "tampered cookie")
		assert.Empty(t, f.nonEssential(t, ctx), "value %.20q: the Gate cleared the trackers' cookies", bad)
	}
}

func flipLast(s string) string {
	b := []byte(s)
	if b[len(b)-1] == 'A' {
		b[len(b)-1] = 'B'
	} else {
		b[len(b)-1] = 'A'
	}
	return string(b)
}

func TestPolicyRevisionBumpAsksAgain(t *testing.T) {
	f := newFixture(t)
	ctx := f.tab(t)
	f.open(t, ctx, "/")
	browser.Click(t, ctx, acceptButton)
	browser.WaitFor(t, ctx, `/(^|; )_fbp=/.test(document.cookie)`, 10*time.Second)

	f.deploy(t, 2) // same keys, new policy revision
	f.resetLog()
	f.open(t, ctx, "/news")
	assert.True(t, bannerVisible(t, ctx), "consent given under revision 1 must be asked again")
	f.requireNoVendorRequest(t, "after the revision bump")

	browser.Click(t, ctx, acceptButton)
	f.waitVendor(t, "connect.facebook.net")
	assert.Equal(t, uint32(2), f.choices(t, ctx).Revision)
}
