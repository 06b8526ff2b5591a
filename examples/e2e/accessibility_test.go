package e2e

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/consentgate/consentgate/examples/internal/browser"
)

// TestAccessibility runs axe-core over every page in both languages with the
// banner showing, then with the confirmation and on the report form's error
// state, and checks that pages reflow at 320 CSS pixels (WCAG 1.4.10).
func TestAccessibility(t *testing.T) {
	f := newFixture(t)
	pages := []string{"/", "/news", "/news/cctv-appeal-harbour-street", "/report", "/privacy", "/cookies"}

	t.Run("banner showing", func(t *testing.T) {
		ctx := f.tab(t)
		for _, p := range pages {
			for _, prefix := range []string{"", "/cy"} {
				f.open(t, ctx, prefix+p)
				browser.AssertAccessible(t, ctx, prefix+p)
			}
		}
	})

	t.Run("confirmation and report form errors", func(t *testing.T) {
		ctx := f.tab(t)
		f.open(t, ctx, "/")
		browser.Click(t, ctx, acceptButton)
		browser.WaitFor(t, ctx, `(() => { const m = document.querySelector('[data-cg-message="accepted"]'); return m && !m.hidden; })()`, 10*time.Second)
		browser.AssertAccessible(t, ctx, "/ with the confirmation")
		f.open(t, ctx, "/report")
		browser.ClickAndWaitLoad(t, ctx, `main form button[type="submit"]`)
		assert.Contains(t, browser.Eval[string](t, ctx, `document.title`), "Error:")
		browser.AssertAccessible(t, ctx, "/report with errors")
	})

	t.Run("reflow at 320px", func(t *testing.T) {
		ctx := f.tab(t)
		browser.SetViewport(t, ctx, 320, 640)
		for _, p := range pages {
			f.open(t, ctx, "/cy"+p) // Welsh strings run longer
			overflow := browser.Eval[int](t, ctx, `document.documentElement.scrollWidth - window.innerWidth`)
			assert.LessOrEqual(t, overflow, 0, "%s scrolls sideways at 320px", p)
		}
	})
}

// TestScreenshots saves the pictures the README shows: the banner on a
// desktop and at 320px, and the cookies page. They go to the git-ignored
// e2e/screenshots folder; docs/ holds copies made by hand.
func TestScreenshots(t *testing.T) {
	f := newFixture(t)
	ctx := f.tab(t)
	f.open(t, ctx, "/")
	browser.ViewportScreenshot(t, ctx, "banner-desktop")
	browser.SetViewport(t, ctx, 320, 640)
	f.open(t, ctx, "/")
	browser.ViewportScreenshot(t, ctx, "banner-320")
	// Tall enough to show the first category's table and its Yes/No question.
	browser.SetViewport(t, ctx, 1280, 1620)
	f.open(t, ctx, "/cookies")
	browser.ViewportScreenshot(t, ctx, "cookies-page")
}
