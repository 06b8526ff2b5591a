package browser

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"
)

// Navigate loads url in the tab and waits for the load event; the test fails
// on a navigation error.
func Navigate(tb testing.TB, ctx context.Context, url string) {
	tb.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		tb.Fatalf("navigate to %s: %v", url, err)
	}
}

// DisableJavaScript switches script execution off (or back on) for the tab, as
// a visitor with JavaScript disabled sees the site. With scripting off,
// <noscript> content becomes live markup: its images and iframes load. The
// setting lasts for the tab's lifetime, across navigations.
func DisableJavaScript(tb testing.TB, ctx context.Context, disabled bool) {
	tb.Helper()
	_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled,
		emulation.SetScriptExecutionDisabledParams{Value: disabled})
	if err != nil {
		tb.Fatalf("set script execution disabled=%v: %v", disabled, err)
	}
}

// Cookies returns every cookie in the tab's browser context, for any domain,
// HttpOnly ones included: what the visitor's browser holds, not what
// document.cookie shows.
func Cookies(tb testing.TB, ctx context.Context) []*network.Cookie {
	tb.Helper()
	id := chromedp.FromContext(ctx).BrowserContextID
	res, err := chromedp.CallBrowser(ctx, storage.GetCookies, storage.GetCookiesParams{BrowserContextID: id})
	if err != nil {
		tb.Fatalf("get cookies: %v", err)
	}
	return res.Cookies
}

// CookieNames returns the names of [Cookies] as "name@domain" strings, handy
// for readable assertion failures.
func CookieNames(tb testing.TB, ctx context.Context) []string {
	tb.Helper()
	var out []string
	for _, c := range Cookies(tb, ctx) {
		out = append(out, c.Name+"@"+c.Domain)
	}
	return out
}

// HasCookie reports whether the tab's browser holds a cookie whose name equals
// name, or starts with it when name ends in '*'.
func HasCookie(tb testing.TB, ctx context.Context, name string) bool {
	tb.Helper()
	for _, c := range Cookies(tb, ctx) {
		if matchName(name, c.Name) {
			return true
		}
	}
	return false
}

func matchName(pattern, name string) bool {
	if p, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(name, p)
	}
	return pattern == name
}

// Eval evaluates a JavaScript expression in the page and decodes its result;
// promises are awaited.
func Eval[T any](tb testing.TB, ctx context.Context, js string) T {
	tb.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.Fatalf("evaluate %q: %v", js, err)
	}
	return v
}

// WaitFor polls a JavaScript condition until it is truthy, failing the test
// after timeout.
func WaitFor(tb testing.TB, ctx context.Context, js string, timeout time.Duration) {
	tb.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](js,
		chromedp.WithPollingTimeout(timeout), chromedp.WithPollingInterval(20*time.Millisecond)))
	if err != nil {
		tb.Fatalf("waiting for %q: %v", js, err)
	}
}

// waitLimit bounds how long Click and ClickAndWaitLoad wait for an element
// to appear, so a missing button fails the test quickly rather than at the
// tab's overall deadline.
const waitLimit = 15 * time.Second

// Click clicks the first element matching the CSS selector, waiting until it is visible.
func Click(tb testing.TB, ctx context.Context, css string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(ctx, waitLimit)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(css), chromedp.NodeVisible)); err != nil {
		tb.Fatalf("click %s: %v", css, err)
	}
}

// ClickAndWaitLoad clicks the element matching css, which must start a
// navigation (a form submit or a link), and waits for the new page to load.
func ClickAndWaitLoad(tb testing.TB, ctx context.Context, css string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(ctx, waitLimit)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(css), chromedp.NodeVisible))
	if err != nil {
		tb.Fatalf("click %s and wait for the page: %v", css, err)
	}
	if resp == nil {
		tb.Fatalf("click %s: no navigation followed", css)
	}
}
