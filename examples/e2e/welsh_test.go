package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentgate/consentgate/consent"
	"github.com/consentgate/consentgate/examples/internal/browser"
)

// TestWholeFlowInWelsh takes a Welsh-speaking visitor from the banner to
// withdrawing consent without leaving the Welsh site.
func TestWholeFlowInWelsh(t *testing.T) {
	f := newFixture(t)
	ctx := f.tab(t)
	f.resetLog()
	f.open(t, ctx, "/cy/news/cctv-appeal-harbour-street")
	f.requireNoVendorRequest(t, "Welsh page before a decision")
	assert.Equal(t, "cy", browser.Eval[string](t, ctx, `document.documentElement.lang`))
	assert.Equal(t, "cy", browser.Eval[string](t, ctx, `document.querySelector("[data-cg-banner]").lang`))
	assert.Equal(t, "Derbyn cwcis ychwanegol", browser.Eval[string](t, ctx, `document.querySelector(`+"`"+acceptButton+"`"+`).textContent.trim()`))
	order := browser.TabOrder(t, ctx, 3)
	assert.Contains(t, order[0]+order[1], "Derbyn cwcis ychwanegol", "tab order %v", order)

	// Accept, in Welsh, with JavaScript.
	browser.Click(t, ctx, acceptButton)
	browser.WaitFor(t, ctx, `(() => { const m = document.querySelector('[data-cg-message="accepted"]'); return m && !m.hidden; })()`, 10*time.Second)
	assert.Contains(t, browser.Eval[string](t, ctx, `document.querySelector('[data-cg-message="accepted"]').textContent`), "Rydych wedi derbyn cwcis ychwanegol")
	f.waitVendor(t, "connect.facebook.net")
	browser.WaitFor(t, ctx, `/(^|; )_fbp=/.test(document.cookie) && /(^|; )_ga=/.test(document.cookie)`, 10*time.Second)
	ch := f.choices(t, ctx)
	hist, err := f.rec.History(context.Background(), ch.ID)
	require.NoError(t, err)
	require.Len(t, hist, 1)
	assert.Equal(t, "/cy/news/cctv-appeal-harbour-street", hist[0].Path)

	// The toggle leads to the same page in English.
	assert.Equal(t, "/news/cctv-appeal-harbour-street", browser.Eval[string](t, ctx, `document.querySelector(".lang-toggle").getAttribute("href")`))

	// Change of mind on the Welsh cookies page.
	f.open(t, ctx, "/cy/cookies")
	assert.Equal(t, "cy", browser.Eval[string](t, ctx, `document.documentElement.lang`))
	assert.Equal(t, "Cwcis", browser.Eval[string](t, ctx, `document.querySelector("h1").textContent.trim()`))
	browser.Click(t, ctx, "#cg-analytics-no")
	browser.Click(t, ctx, "#cg-marketing-no")
	f.resetLog()
	browser.ClickAndWaitLoad(t, ctx, `.cg-settings__form button[type="submit"]`)
	time.Sleep(settle)
	f.requireNoVendorRequest(t, "Welsh page after withdrawing")
	assert.Equal(t, "cy", browser.Eval[string](t, ctx, `document.documentElement.lang`), "still on the Welsh site")
	assert.Empty(t, f.nonEssential(t, ctx))
	assert.False(t, f.choices(t, ctx).Allowed(consent.Marketing))

	// Reject without JavaScript, in Welsh: the page comes back in Welsh.
	ctx = f.tab(t)
	browser.DisableJavaScript(t, ctx, true)
	f.open(t, ctx, "/cy/report")
	f.resetLog()
	browser.ClickAndWaitLoad(t, ctx, rejectButton)
	time.Sleep(settle)
	assert.Equal(t, "/cy/report", browser.Eval[string](t, ctx, `location.pathname`))
	assert.Equal(t, "rejected", shownMessage(t, ctx))
	assert.Contains(t, browser.Eval[string](t, ctx, `document.querySelector('[data-cg-message="rejected"]').textContent`), "Rydych wedi gwrthod")
	f.requireNoVendorRequest(t, "Welsh page after rejecting")
	assert.Empty(t, f.nonEssential(t, ctx))
}
