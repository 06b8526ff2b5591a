package middleware

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/consentgate/consentgate/consent"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewValidatesOptions(t *testing.T) {
	codec := testCodec(t)
	tests := []struct {
		name    string
		opts    Options
		wantErr string
	}{
		{name: "no codec", opts: Options{}, wantErr: "Options.Codec is required"},
		{name: "bad mode", opts: Options{Codec: codec, UnknownCookies: 7}, wantErr: "UnknownCookies"},
		{name: "public suffix police.uk", opts: Options{Codec: codec, CookieDomain: "police.uk"}, wantErr: "public suffix"},
		{name: "public suffix gov.uk", opts: Options{Codec: codec, CookieDomain: ".gov.uk"}, wantErr: "public suffix"},
		{name: "public suffix co.uk", opts: Options{Codec: codec, CookieDomain: "CO.UK"}, wantErr: "public suffix"},
		{name: "private public suffix", opts: Options{Codec: codec, CookieDomain: "github.io"}, wantErr: "public suffix"},
		{name: "top-level domain", opts: Options{Codec: codec, CookieDomain: "uk"}, wantErr: "public suffix"},
		{name: "IP address", opts: Options{Codec: codec, CookieDomain: "192.0.2.1"}, wantErr: "IP address"},
		{name: "not a host", opts: Options{Codec: codec, CookieDomain: "leics.police.uk; Path=/"}, wantErr: "not a host name"},
		{name: "empty label", opts: Options{Codec: codec, CookieDomain: "leics..police.uk"}, wantErr: "not a host name"},
		{name: "relative path", opts: Options{Codec: codec, CleanupPaths: []string{"news"}}, wantErr: "CleanupPaths"},
		{name: "path with semicolon", opts: Options{Codec: codec, CleanupPaths: []string{"/a;Domain=x"}}, wantErr: "CleanupPaths"},
		{name: "negative MaxExpirations", opts: Options{Codec: codec, MaxExpirations: -1}, wantErr: "MaxExpirations"},
		{name: "huge MaxExpirations", opts: Options{Codec: codec, MaxExpirations: 10000}, wantErr: "MaxExpirations"},
		{name: "negative LogInterval", opts: Options{Codec: codec, LogInterval: -time.Second}, wantErr: "LogInterval"},
		{name: "registrable domain", opts: Options{Codec: codec, CookieDomain: "leics.police.uk"}},
		{name: "subdomain", opts: Options{Codec: codec, CookieDomain: "www.leics.police.uk"}},
		{name: "all options", opts: Options{Codec: codec, UnknownCookies: ReportUnknown, CookieDomain: "example.org",
			CleanupPaths: []string{"/", "/news"}, MaxExpirations: 10, LogInterval: time.Minute}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := New(tt.opts)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.Nil(t, g)
				return
			}
			require.NoError(t, err)
			require.NotNil(t, g)
		})
	}
}

func TestNewNormalisesDomain(t *testing.T) {
	g, err := New(Options{Codec: testCodec(t), CookieDomain: " .Leics.Police.UK "})
	require.NoError(t, err)
	assert.Equal(t, "leics.police.uk", g.domain)
}

// TestChoicesInContext checks what the handler sees for each kind of consent cookie.
func TestChoicesInContext(t *testing.T) {
	tg := newTestGate(t, nil)
	valid := tg.consentValue(t, consent.Analytics)

	// Same key and categories, but an older policy revision.
	oldPolicy := consent.DefaultPolicy()
	oldPolicy.Revision--
	oldCat, err := consent.NewCatalogue(oldPolicy)
	require.NoError(t, err)
	oldCodec, err := consent.NewCodec(oldCat, consent.CodecOptions{Keys: []consent.Key{testKey}})
	require.NoError(t, err)
	oldCh, err := oldCat.Decide(consent.Choices{}, []consent.Category{consent.Analytics}, time.Now())
	require.NoError(t, err)
	oldValue, err := oldCodec.Encode(oldCh)
	require.NoError(t, err)

	// Signed with another key.
	otherCodec, err := consent.NewCodec(tg.codec.Catalogue(), consent.CodecOptions{Keys: []consent.Key{{Hash: bytes.Repeat([]byte("x"), 32)}}})
	require.NoError(t, err)
	otherCh, err := tg.codec.Catalogue().Decide(consent.Choices{}, []consent.Category{consent.Analytics, consent.Marketing}, time.Now())
	require.NoError(t, err)
	otherValue, err := otherCodec.Encode(otherCh)
	require.NoError(t, err)

	tampered := []byte(valid)
	tampered[len(tampered)/2] ^= 1

	type seen struct{ decided, gpc, analytics, marketing bool }
	tests := []struct {
		name   string
		cookie string
		gpc    string
		want   seen
	}{
		{name: "no cookie", want: seen{}},
		{name: "valid", cookie: "cookie_consent=" + valid, want: seen{decided: true, analytics: true}},
		{name: "valid among others", cookie: "session=1; cookie_consent=" + valid + "; _ga=GA1", want: seen{decided: true, analytics: true}},
		{name: "tampered", cookie: "cookie_consent=" + string(tampered), want: seen{}},
		{name: "other key", cookie: "cookie_consent=" + otherValue, want: seen{}},
		{name: "old revision", cookie: "cookie_consent=" + oldValue, want: seen{}},
		{name: "garbage", cookie: "cookie_consent=%%%;;==", want: seen{}},
		{name: "huge", cookie: "cookie_consent=" + string(bytes.Repeat([]byte("A"), 5000)), want: seen{}},
		{name: "GPC undecided", gpc: "1", want: seen{gpc: true}},
		{name: "GPC with spaces", gpc: " 1 ", want: seen{gpc: true}},
		{name: "GPC zero", gpc: "0", want: seen{}},
		{name: "GPC tampered cookie", cookie: "cookie_consent=" + string(tampered), gpc: "1", want: seen{gpc: true}},
		{name: "decision wins over GPC", cookie: "cookie_consent=" + valid, gpc: "1", want: seen{decided: true, analytics: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got seen
			srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ch := consent.FromContext(r.Context())
				got = seen{ch.Decided(), ch.FromGPC(), ch.Allowed(consent.Analytics), ch.Allowed(consent.Marketing)}
			}))
			hdr := map[string]string{}
			if tt.gpc != "" {
				hdr["Sec-GPC"] = tt.gpc
			}
			resp, _ := get(t, http.MethodGet, srv.URL, tt.cookie, hdr)
			assert.Equal(t, http.StatusOK, resp.StatusCode, "the Gate never answers with an error")
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestGateReplacesOuterChoices: an undecided request leaves the context as it
// is, which is only right when nothing outside put choices there first (a
// test harness, another Gate): then the Gate's own reading must replace them.
func TestGateReplacesOuterChoices(t *testing.T) {
	tg := newTestGate(t, nil)
	accepted, err := tg.codec.Catalogue().Decide(consent.Choices{}, []consent.Category{consent.Analytics}, time.Now())
	require.NoError(t, err)
	var got consent.Choices
	h := tg.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = consent.FromContext(r.Context())
	}))
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req = req.WithContext(consent.WithChoices(req.Context(), accepted))
	h.ServeHTTP(httptest.NewRecorder(), req)
	assert.False(t, got.Decided(), "the visitor sent no consent cookie")
	assert.False(t, got.Allowed(consent.Analytics))
}

// TestSignatureCategoryOutsideCatalogue: a site whose policy only asks about
// analytics still never runs a marketing tracker, even for a visitor who
// accepted everything it asked about.
func TestSignatureCategoryOutsideCatalogue(t *testing.T) {
	tx := consent.Text{EN: "x", CY: "y"}
	cat, err := consent.NewCatalogue(consent.Policy{Revision: 1, Categories: []consent.CategoryInfo{
		{ID: consent.Essential, Title: tx, Description: tx}, {ID: consent.Analytics, Title: tx, Description: tx}}})
	require.NoError(t, err)
	codec, err := consent.NewCodec(cat, consent.CodecOptions{Keys: []consent.Key{testKey}})
	require.NoError(t, err)
	g, err := New(Options{Codec: codec})
	require.NoError(t, err)
	ch, err := cat.Decide(consent.Choices{}, []consent.Category{consent.Analytics}, time.Now())
	require.NoError(t, err)
	v, err := codec.Encode(ch)
	require.NoError(t, err)
	srv := testGate{Gate: g, codec: codec}.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<body><script src="https://connect.facebook.net/en_US/fbevents.js"></script><script src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>`))
	}))
	_, body := get(t, http.MethodGet, srv.URL, "cookie_consent="+v, nil)
	assert.Contains(t, body, `<script type="text/plain" data-cg-category="marketing" src="https://connect.facebook.net`)
	assert.Contains(t, body, `<script src="https://www.googletagmanager.com/gtag/js?id=G-1">`, "the accepted category runs")
}

// Handler has the shape chi's Use, gorilla/mux's Use and alice expect.
var _ func(http.Handler) http.Handler = (*Gate)(nil).Handler
