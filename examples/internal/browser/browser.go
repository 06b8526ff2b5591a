// Package browser starts a real headless Chromium for the example module's
// end-to-end tests and gives each test an isolated tab.
//
// It is shared test machinery: the e2e tests of the example site and the
// banner's browser tests use it, so both drive Chromium with the flags
// TESTING-NOTES.md lists and both stay offline. Every host name the browser
// looks up resolves to nothing unless a test maps it to a loopback port with
// [Config.HostRules], so a page that tries to reach a real vendor fails fast
// instead of leaving the machine.
package browser

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Config says how to start the browser.
type Config struct {
	// HostRules sends host names to local servers: the key is a host name or a
	// wildcard pattern ("*.fls.doubleclick.net"), the value a loopback
	// "127.0.0.1:port". Every other name except 127.0.0.1 and localhost fails
	// to resolve.
	HostRules map[string]string
	// IgnoreCertErrors accepts any TLS certificate, so a local test server can
	// stand in for https://www.googletagmanager.com and friends.
	IgnoreCertErrors bool
	// Width and Height size the window; default 1280×900.
	Width, Height int
}

// Browser is one running Chromium process. Tabs made with [Browser.NewTab]
// share the process but nothing else: each has its own cookie jar and cache.
type Browser struct {
	ctx context.Context // the first tab's context; its cancellation stops the process
}

// chromiumCandidates are tried, in order, when CONSENTGATE_CHROMIUM is unset.
var chromiumCandidates = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// Chromium returns the browser executable: $CONSENTGATE_CHROMIUM, else the first
// of chromium, chromium-browser, google-chrome on $PATH. When none is found the
// test is skipped with a message, or fails when CI=true, so CI can never pass by
// silently skipping its browser tests.
func Chromium(tb testing.TB) string {
	tb.Helper()
	if p := os.Getenv("CONSENTGATE_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			missing(tb, fmt.Sprintf("CONSENTGATE_CHROMIUM=%s: %v", p, err))
		}
		return p
	}
	for _, name := range chromiumCandidates {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	missing(tb, "no chromium on PATH and CONSENTGATE_CHROMIUM unset (./scripts/test installs it)")
	return ""
}

// missing skips, or fails under CI, when a tool the browser tests need is absent.
func missing(tb testing.TB, why string) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf("browser tests cannot run: %s", why)
		return
	}
	tb.Skipf("skipping browser test: %s", why)
}

// Start launches a headless Chromium for the test and stops it when the test
// (or the TestMain-style parent test) ends.
func Start(tb testing.TB, cfg Config) *Browser {
	tb.Helper()
	exe := Chromium(tb)
	if cfg.Width == 0 {
		cfg.Width, cfg.Height = 1280, 900
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Headless,
		chromedp.NoSandbox, // the tests run as root in CI containers
		chromedp.DisableGPU,
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.WindowSize(cfg.Width, cfg.Height),
		chromedp.Flag("disable-quic", true),
		// Without these Chromium keeps calling Google's hosts on its own.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter"),
		chromedp.Flag("safebrowsing-disable-auto-update", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("host-resolver-rules", hostResolverRules(cfg.HostRules)),
	}
	if cfg.IgnoreCertErrors {
		opts = append(opts, chromedp.IgnoreCertErrors)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	tb.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	startCtx, cancelStart := context.WithTimeout(ctx, 30*time.Second)
	defer cancelStart()
	// The first Do starts the process; it must use a context without a
	// deadline or the browser would die with it, hence Do(ctx) and a watchdog.
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(ctx) }()
	select {
	case err := <-done:
		if err != nil {
			tb.Fatalf("start chromium %s: %v", exe, err)
		}
	case <-startCtx.Done():
		tb.Fatalf("start chromium %s: no answer after 30s", exe)
	}
	return &Browser{ctx: ctx}
}

// hostResolverRules builds Chromium's --host-resolver-rules value: the test's
// mappings, then a catch-all that makes every other public name unresolvable.
func hostResolverRules(m map[string]string) string {
	hosts := make([]string, 0, len(m))
	for h := range m {
		hosts = append(hosts, h)
	}
	// Exact names before wildcards, so "MAP *.x" cannot shadow a specific entry.
	sort.Slice(hosts, func(i, j int) bool {
		wi, wj := strings.Contains(hosts[i], "*"), strings.Contains(hosts[j], "*")
		if wi != wj {
			return !wi
		}
		return hosts[i] < hosts[j]
	})
	rules := []string{"EXCLUDE 127.0.0.1", "EXCLUDE localhost"}
	for _, h := range hosts {
		rules = append(rules, "MAP "+h+" "+m[h])
	}
	rules = append(rules, "MAP * ~NOTFOUND")
	return strings.Join(rules, ", ")
}

// NewTab opens a tab in a fresh browser context (its own cookies, cache and
// storage, like a new incognito window) and closes it when the test ends. The
// returned context carries a per-action deadline of one minute in total, so a
// hung page fails the test instead of the whole run.
func (b *Browser) NewTab(tb testing.TB) context.Context {
	tb.Helper()
	tab, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	tb.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil {
		tb.Fatalf("open tab: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(tab, time.Minute)
	tb.Cleanup(cancelTimeout)
	return ctx
}
