package banner

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consentgate/consentgate/consent"
	"github.com/stretchr/testify/require"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

func testText(en, cy string) consent.Text { return consent.Text{EN: en, CY: cy} }

// testPolicy has two optional categories and a purpose with HTML in it, which
// must show as text.
func testPolicy() consent.Policy {
	return consent.Policy{
		Revision: 7,
		Categories: []consent.CategoryInfo{
			{ID: consent.Essential, Title: testText("Essential cookies", "Cwcis hanfodol"), Description: testText("Needed.", "Angenrheidiol.")},
			{ID: consent.Analytics, Title: testText("Analytics cookies", "Cwcis dadansoddi"), Description: testText("Measure use.", "Mesur defnydd.")},
			{ID: consent.Marketing, Title: testText("Marketing cookies", "Cwcis marchnata"), Description: testText("Adverts.", "Hysbysebion.")},
		},
		Cookies: []consent.Cookie{
			{Name: "cookie_consent", Category: consent.Essential, Provider: consent.Provider{Name: "Us", Label: testText("This website", "Y wefan hon")}, Purpose: testText("Saves your choice", "Cadw"), Expiry: consent.Expiry{Text: testText("1 year", "1 flwyddyn")}},
			{Name: "_ga", Category: consent.Analytics, Provider: consent.Provider{Name: "Google", ThirdParty: true}, Purpose: testText(`<script>alert(1)</script> counts visits`, "Cyfrif"), Expiry: consent.Expiry{Text: testText("2 years", "2 flynedd")}},
			{Name: "_ga_*", Category: consent.Analytics, Provider: consent.Provider{Name: "Google"}, Purpose: testText("Session state", "Sesiwn"), Expiry: consent.Expiry{Text: testText("2 years", "2 flynedd")}},
			{Name: "_fbp", Category: consent.Marketing, Provider: consent.Provider{Name: "Meta", Advertising: true}, Purpose: testText("Ads", "Hysbysebion"), Expiry: consent.Expiry{Text: testText("3 months", "3 mis")}},
		},
	}
}

// fakeRecorder keeps records and fails on demand.
type fakeRecorder struct {
	mu   sync.Mutex
	recs []consent.Record
	err  error
}

func (f *fakeRecorder) RecordConsent(ctx context.Context, rec consent.Record) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := ctx.Deadline(); !ok {
		panic("RecordConsent called without a deadline")
	}
	if f.err != nil {
		return f.err
	}
	f.recs = append(f.recs, rec)
	return nil
}

func (f *fakeRecorder) records() []consent.Record {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]consent.Record(nil), f.recs...)
}

type fixture struct {
	b     *Banner
	codec *consent.Codec
	rec   *fakeRecorder
}

func newFixture(t testing.TB, mod func(*Options)) *fixture {
	t.Helper()
	cat, err := consent.NewCatalogue(testPolicy())
	require.NoError(t, err)
	codec, err := consent.NewCodec(cat, consent.CodecOptions{Keys: []consent.Key{{Hash: testKey}}})
	require.NoError(t, err)
	rec := &fakeRecorder{}
	opts := Options{Codec: codec, Recorder: rec, CSRFKey: testKey, ServiceName: testText("Dyfed-Powys Police", "Heddlu Dyfed-Powys"),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if mod != nil {
		mod(&opts)
	}
	b, err := New(opts)
	require.NoError(t, err)
	return &fixture{b: b, codec: codec, rec: rec}
}

// get renders a GET through the handler.
func (f *fixture) get(target string, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, target, nil)
	for _, c := range cookies {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	f.b.Handler().ServeHTTP(w, r)
	return w
}

// validPost builds a same-origin form POST with a cookie-bound token.
func (f *fixture) validPost(target string, form url.Values) *http.Request {
	nonce := newNonce()
	form.Set("csrf_token", nonce+"."+f.b.mac(nonce))
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Origin", "http://example.com")
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	r.AddCookie(&http.Cookie{Name: CSRFCookieName, Value: nonce})
	return r
}

func (f *fixture) serve(r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	f.b.Handler().ServeHTTP(w, r)
	return w
}

// cookie returns the Set-Cookie named name in w, or nil.
func cookie(w *httptest.ResponseRecorder, name string) *http.Cookie {
	for _, c := range w.Result().Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// decided returns a consent cookie for a decision accepting cats.
func (f *fixture) decided(t testing.TB, cats ...consent.Category) *http.Cookie {
	t.Helper()
	ch, err := f.codec.Catalogue().Decide(consent.Choices{}, cats, time.Now())
	require.NoError(t, err)
	c, err := f.codec.Cookie(ch)
	require.NoError(t, err)
	return c
}

// renderBanner renders the banner for a GET of target.
func (f *fixture) renderBanner(t testing.TB, r *http.Request) string {
	t.Helper()
	var sb strings.Builder
	require.NoError(t, f.b.RenderBanner(&sb, r))
	return sb.String()
}
