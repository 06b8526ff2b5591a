package e2e

import (
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentgate/consentgate/examples/internal/browser"
)

// TestGlobalPrivacyControl: a browser that sends Sec-GPC: 1 has said no to
// every optional category, so it is not asked and gets no tags, until the
// visitor opts in on the cookies page.
func TestGlobalPrivacyControl(t *testing.T) {
	f := newFixture(t)
	ctx := f.tab(t)
	_, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
		Headers: network.Headers{"Sec-GPC": "1"},
	})
	require.NoError(t, err)

	f.resetLog()
	for _, p := range landingPages {
		f.open(t, ctx, p)
		assert.Equal(t, "", shownMessage(t, ctx), "%s: GPC is an answer; no banner", p)
		f.requireNoVendorRequest(t, p+" with GPC")
		require.Empty(t, f.nonEssential(t, ctx), p)
	}

	// An explicit opt-in on the cookies page overrides the signal.
	f.open(t, ctx, "/cookies")
	browser.Click(t, ctx, "#cg-analytics-yes")
	browser.ClickAndWaitLoad(t, ctx, `.cg-settings__form button[type="submit"]`)
	f.resetLog()
	f.open(t, ctx, "/")
	f.waitVendor(t, "www.googletagmanager.com")
	assert.Empty(t, f.standin.RequestsTo("connect.facebook.net"), "marketing stays refused")
}
