package browser

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// AxeViolation is one accessibility rule axe-core found broken on a page.
type AxeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// String gives the rule and the first offending element.
func (v AxeViolation) String() string {
	s := fmt.Sprintf("%s (%s): %s", v.ID, v.Impact, v.Help)
	if len(v.Nodes) > 0 {
		s += " — " + v.Nodes[0].HTML
	}
	return s
}

// Axe runs axe-core (WCAG 2.0, 2.1 and 2.2 A and AA rules plus best practice)
// on the page loaded in the tab and returns its violations. The script comes
// from $CONSENTGATE_AXE_JS, which ./scripts/test installs from npm; without it
// the test is skipped, or fails when CI=true.
func Axe(tb testing.TB, ctx context.Context) []AxeViolation {
	tb.Helper()
	path := os.Getenv("CONSENTGATE_AXE_JS")
	if path == "" {
		missing(tb, "CONSENTGATE_AXE_JS unset (./scripts/test installs axe-core)")
	}
	src, err := os.ReadFile(path)
	if err != nil {
		missing(tb, fmt.Sprintf("read axe-core: %v", err))
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](string(src))); err != nil {
		tb.Fatalf("load axe-core into the page: %v", err)
	}
	const run = `axe.run(document, {
		runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
		resultTypes: ["violations"],
	}).then(r => r.violations)`
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]AxeViolation](run, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.Fatalf("run axe-core: %v", err)
	}
	return v
}

// AssertAccessible fails the test, listing every violation, when axe-core
// finds any on the page loaded in the tab.
func AssertAccessible(tb testing.TB, ctx context.Context, page string) {
	tb.Helper()
	v := Axe(tb, ctx)
	if len(v) == 0 {
		return
	}
	lines := make([]string, len(v))
	for i, x := range v {
		lines[i] = "  " + x.String()
	}
	tb.Errorf("%s: %d accessibility violations:\n%s", page, len(v), strings.Join(lines, "\n"))
}
