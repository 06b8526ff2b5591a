package e2e

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"

	"github.com/consentgate/consentgate/consent"
	"github.com/consentgate/consentgate/consentlog"
	"github.com/consentgate/consentgate/examples/forcesite/site"
	"github.com/consentgate/consentgate/examples/internal/browser"
	"github.com/consentgate/consentgate/examples/internal/tagstandin"
)

const (
	siteHost     = "www.westshire.police.uk"
	cookieDomain = "westshire.police.uk"
	origin       = "https://" + siteHost
)

// settle is how long a test waits after a page loaded before it concludes
// that no tag request is coming. Tags load async, but every script, iframe
// and pixel of the page starts before the load event; this margin covers
// beacons sent by scripts that run at the very end.
const settle = 400 * time.Millisecond

// fixture is one site, one stand-in and one browser.
type fixture struct {
	standin *tagstandin.Server
	browser *browser.Browser
	keys    []consent.Key
	csrfKey []byte
	rec     *consentlog.Recorder
	codec   atomic.Pointer[consent.Codec]
	site    atomic.Pointer[site.Site]
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	browser.Chromium(t) // skip (or fail under CI) before starting anything
	f := &fixture{
		keys:    []consent.Key{{Hash: []byte(strings.Repeat("k", 32))}},
		csrfKey: []byte(strings.Repeat("c", 32)),
	}
	db, err := sql.Open("sqlite", "file:"+t.TempDir()+"/consent.db?_pragma=busy_timeout(5000)")
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	f.rec, err = consentlog.New(context.Background(), db, consentlog.Options{Dialect: consentlog.SQLite})
	require.NoError(t, err)
	f.deploy(t, 1)

	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.site.Load().ServeHTTP(w, r)
	}))
	srv.Config.ErrorLog = nil
	srv.StartTLS()
	t.Cleanup(srv.Close)

	f.standin = tagstandin.Start(t)
	rules := f.standin.HostRules()
	rules[siteHost] = strings.TrimPrefix(srv.URL, "https://")
	f.browser = browser.Start(t, browser.Config{HostRules: rules, IgnoreCertErrors: true})
	return f
}

// deploy (re)builds the site handler for policy revision rev with the same
// keys, as a force deploying a new cookie policy does; the server keeps running.
func (f *fixture) deploy(t *testing.T, rev uint32) {
	t.Helper()
	p := consent.DefaultPolicy()
	p.Revision = rev
	cat, err := consent.NewCatalogue(p)
	require.NoError(t, err)
	codec, err := consent.NewCodec(cat, consent.CodecOptions{Keys: f.keys})
	require.NoError(t, err)
	s, err := site.New(site.Config{Codec: codec, Recorder: f.rec, CSRFKey: f.csrfKey,
		CookieDomain: cookieDomain, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	f.codec.Store(codec)
	f.site.Store(s)
}

// tab opens a fresh visitor: empty cookie jar, nothing cached.
func (f *fixture) tab(t *testing.T) context.Context { return f.browser.NewTab(t) }

// open navigates to a path of the site and lets the page settle.
func (f *fixture) open(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	browser.Navigate(t, ctx, origin+path)
	time.Sleep(settle)
}

// nonEssential lists the cookies the browser holds that are not catalogued
// as essential ("name@domain"). An uncatalogued cookie counts: nobody could
// have consented to it.
func (f *fixture) nonEssential(t *testing.T, ctx context.Context) []string {
	t.Helper()
	cat := f.codec.Load().Catalogue()
	var out []string
	for _, c := range browser.Cookies(t, ctx) {
		if e, ok := cat.Lookup(c.Name); ok && e.Category == consent.Essential {
			continue
		}
		out = append(out, c.Name+"@"+c.Domain)
	}
	return out
}

// resetLog empties the stand-in's log once the tab has been quiet for
// settle, so late beacons of an earlier step cannot be blamed on the next.
func (f *fixture) resetLog() {
	time.Sleep(settle)
	f.standin.Reset()
}

// vendorRequests lists what the stand-in received, as "host/path?query".
func (f *fixture) vendorRequests() []string {
	var out []string
	for _, r := range f.standin.Requests() {
		out = append(out, r.URL())
	}
	return out
}

// requireNoVendorRequest fails when any tag host was contacted since the last Reset.
func (f *fixture) requireNoVendorRequest(t *testing.T, when string) {
	t.Helper()
	require.Empty(t, f.vendorRequests(), "%s: the browser contacted tag vendors", when)
}

// requireNoThirdPartyResource checks the browser's own record of what the
// page fetched (Resource Timing) for anything outside the site: a second
// witness beside the stand-in's log, which cannot miss a request that is
// still in flight.
func requireNoThirdPartyResource(t *testing.T, ctx context.Context, when string) {
	t.Helper()
	require.Empty(t, thirdPartyResources(t, ctx), "%s: the page fetched third-party resources", when)
}

// thirdPartyResources lists the URLs the page fetched from other hosts.
func thirdPartyResources(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return browser.Eval[[]string](t, ctx, `performance.getEntriesByType("resource")
		.map(e => e.name).filter(u => new URL(u).hostname !== location.hostname)`)
}

// waitVendor waits until the stand-in has received a request to host.
func (f *fixture) waitVendor(t *testing.T, host string) {
	t.Helper()
	require.Eventually(t, func() bool { return len(f.standin.RequestsTo(host)) > 0 },
		10*time.Second, 25*time.Millisecond, "no request to %s; got %v", host, f.vendorRequests())
}

// consentCookie returns the browser's consent cookie, or nil.
func consentCookie(t *testing.T, ctx context.Context) *network.Cookie {
	t.Helper()
	for _, c := range browser.Cookies(t, ctx) {
		if c.Name == consent.DefaultCookieName {
			return c
		}
	}
	return nil
}

// choices decodes the browser's consent cookie with the site's current codec.
func (f *fixture) choices(t *testing.T, ctx context.Context) consent.Choices {
	t.Helper()
	c := consentCookie(t, ctx)
	require.NotNil(t, c, "no consent cookie")
	ch, err := f.codec.Load().Decode(c.Value)
	require.NoError(t, err)
	return ch
}

// bannerVisible reports whether the page shows the consent question.
func bannerVisible(t *testing.T, ctx context.Context) bool {
	t.Helper()
	return browser.Eval[bool](t, ctx, `(() => {
		const q = document.querySelector('[data-cg-banner] [data-cg-message="question"]');
		return !!q && !q.hidden && q.offsetParent !== null;
	})()`)
}

// shownMessage returns which banner message is visible ("question",
// "accepted", "rejected", …), or "" when the banner is absent or hidden.
func shownMessage(t *testing.T, ctx context.Context) string {
	t.Helper()
	return browser.Eval[string](t, ctx, `(() => {
		for (const m of document.querySelectorAll('[data-cg-banner] [data-cg-message]')) {
			if (!m.hidden && m.offsetParent !== null) return m.dataset.cgMessage;
		}
		return "";
	})()`)
}

// Selectors of the banner's buttons.
const (
	acceptButton = `[data-cg-banner] button[name="cookies[additional]"][value="yes"]`
	rejectButton = `[data-cg-banner] button[name="cookies[additional]"][value="no"]`
)

// replaceCookie overwrites a host-only cookie's value in the browser, as a
// visitor (or an attacker's extension) editing it would.
func replaceCookie(t *testing.T, ctx context.Context, c *network.Cookie, value string) {
	t.Helper()
	_, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{
		Name: c.Name, Value: value, URL: origin + c.Path, Path: c.Path,
		Secure: &c.Secure, HTTPOnly: &c.HTTPOnly, SameSite: c.SameSite,
	})
	require.NoError(t, err)
}
