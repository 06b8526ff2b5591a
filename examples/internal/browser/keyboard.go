package browser

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// describeFocus names the focused element: its tag, id, and text or value, so
// tab-order assertions read like what a keyboard user meets.
const describeFocus = `(() => {
	const e = document.activeElement;
	if (!e || e === document.body) return "";
	let s = e.tagName.toLowerCase();
	if (e.id) s += "#" + e.id;
	const label = (e.innerText || e.value || e.getAttribute("aria-label") || "").trim().replace(/\s+/g, " ");
	return label ? s + " " + label : s;
})()`

// TabOrder presses Tab n times from the top of the page and returns what
// received focus each time, as "tag#id text" strings.
func TabOrder(tb testing.TB, ctx context.Context, n int) []string {
	tb.Helper()
	// Start from the document itself, as a visitor who just arrived does.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)`)); err != nil {
		tb.Fatalf("reset focus: %v", err)
	}
	out := make([]string, 0, n)
	for range n {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			tb.Fatalf("press Tab: %v", err)
		}
		out = append(out, Eval[string](tb, ctx, describeFocus))
	}
	return out
}

// FocusedElement describes the element that has focus now, as [TabOrder] does.
func FocusedElement(tb testing.TB, ctx context.Context) string {
	tb.Helper()
	return Eval[string](tb, ctx, describeFocus)
}
