package middleware

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPrivateCaching(t *testing.T) {
	tests := []struct {
		name     string
		in       http.Header
		wantCC   []string
		wantVary []string
	}{
		{name: "no headers", in: http.Header{}, wantCC: []string{"private"}, wantVary: []string{"Cookie, Sec-GPC"}},
		{name: "public max-age", in: http.Header{"Cache-Control": {"public, max-age=600"}},
			wantCC: []string{"private, max-age=600"}, wantVary: []string{"Cookie, Sec-GPC"}},
		{name: "s-maxage", in: http.Header{"Cache-Control": {"max-age=60, s-maxage=3600, proxy-revalidate"}},
			wantCC: []string{"private, max-age=60"}, wantVary: []string{"Cookie, Sec-GPC"}},
		{name: "already private", in: http.Header{"Cache-Control": {"private, max-age=60"}},
			wantCC: []string{"private, max-age=60"}, wantVary: []string{"Cookie, Sec-GPC"}},
		{name: "no-store", in: http.Header{"Cache-Control": {"no-store"}}, wantCC: []string{"no-store"}, wantVary: []string{"Cookie, Sec-GPC"}},
		{name: "private with field names is not enough", in: http.Header{"Cache-Control": {`private="Set-Cookie", max-age=60`}},
			wantCC: []string{"private, max-age=60"}, wantVary: []string{"Cookie, Sec-GPC"}},
		{name: "split lines", in: http.Header{"Cache-Control": {"public", "max-age=5"}},
			wantCC: []string{"private, max-age=5"}, wantVary: []string{"Cookie, Sec-GPC"}},
		{name: "vary kept", in: http.Header{"Vary": {"Accept-Encoding"}},
			wantCC: []string{"private"}, wantVary: []string{"Accept-Encoding", "Cookie, Sec-GPC"}},
		{name: "vary has cookie", in: http.Header{"Vary": {"accept-encoding, cookie"}},
			wantCC: []string{"private"}, wantVary: []string{"accept-encoding, cookie", "Sec-GPC"}},
		{name: "vary star", in: http.Header{"Vary": {"*"}}, wantCC: []string{"private"}, wantVary: []string{"*"}},
		{name: "CDN overrides dropped", in: http.Header{"Cdn-Cache-Control": {"max-age=600"}, "Surrogate-Control": {"max-age=600"}},
			wantCC: []string{"private"}, wantVary: []string{"Cookie, Sec-GPC"}},
		// net/http sends keys as the handler stored them, so a lower-case
		// key would reach the CDN beside the Gate's canonical one.
		{name: "non-canonical keys", in: http.Header{"cache-control": {"public, max-age=600"}, "surrogate-control": {"max-age=600"},
			"CLOUDFLARE-CDN-CACHE-CONTROL": {"max-age=600"}, "vary": {"cookie"}},
			wantCC: []string{"private, max-age=600"}, wantVary: []string{"cookie", "Sec-GPC"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, present := scanHeaders(tt.in)
			privateCaching(tt.in, false, present)
			assert.Equal(t, tt.wantCC, tt.in["Cache-Control"])
			assert.Equal(t, tt.wantVary, tt.in["Vary"])
			for k := range tt.in {
				assert.Contains(t, []string{"Cache-Control", "Vary"}, k, "only the canonical caching keys are left")
			}
		})
	}
}

// TestCachingOverTheWire: HTML depends on consent even when it passes
// through untouched, because another visitor would get it rewritten.
func TestCachingOverTheWire(t *testing.T) {
	tg := newTestGate(t, nil)
	tg.rewriters = fakeRewriters{}
	everything := "cookie_consent=" + tg.consentValue(t, tg.codec.Catalogue().Optional()...)
	for _, tt := range []struct {
		name, ctype, cookie string
		private             bool
	}{
		{"html undecided", "text/html", "", true},
		{"html all accepted", "text/html", everything, true},
		{"css", "text/css", "", false},
		{"json accepted", "application/json", everything, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.ctype)
				w.Header().Set("Cache-Control", "public, max-age=300")
				w.Write([]byte("x"))
			}))
			resp, _ := get(t, http.MethodGet, srv.URL, tt.cookie, nil)
			if tt.private {
				assert.Equal(t, "private, max-age=300", resp.Header.Get("Cache-Control"))
				assert.Equal(t, []string{"Cookie, Sec-GPC"}, resp.Header.Values("Vary"))
			} else {
				assert.Equal(t, "public, max-age=300", resp.Header.Get("Cache-Control"))
				assert.Empty(t, resp.Header.Values("Vary"))
			}
		})
	}
}

// TestPrivateCachingASCIIOnly: directive names fold in ASCII only, so a
// look-alike "no-\u017ftore" (long s) is not mistaken for no-store.
func TestPrivateCachingASCIIOnly(t *testing.T) {
	h := http.Header{"Cache-Control": {"public, max-age=600, no-\u017ftore"}, "Vary": {"Coo\u212aie"}}
	_, present := scanHeaders(h)
	privateCaching(h, false, present)
	assert.Equal(t, []string{"private, max-age=600, no-\u017ftore"}, h["Cache-Control"])
	assert.Equal(t, []string{"Coo\u212aie", "Cookie, Sec-GPC"}, h["Vary"])
}

func TestAddVary(t *testing.T) {
	tests := []struct {
		name   string
		in     []string
		banner bool
		want   []string
	}{
		{name: "none", want: []string{"Cookie, Sec-GPC"}},
		{name: "none, banner", banner: true, want: []string{"Cookie, Sec-GPC, Accept-Language"}},
		{name: "some present in any case", in: []string{"accept-encoding, SEC-GPC"}, banner: true,
			want: []string{"accept-encoding, SEC-GPC", "Cookie, Accept-Language"}},
		{name: "all present over lines", in: []string{"Cookie", " sec-gpc ,Accept-Language"}, banner: true,
			want: []string{"Cookie", " sec-gpc ,Accept-Language"}},
		{name: "star stays alone", in: []string{"Accept-Encoding, *"}, banner: true, want: []string{"Accept-Encoding, *"}},
		{name: "language only with the banner", in: []string{"Cookie, Sec-GPC"}, want: []string{"Cookie, Sec-GPC"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.in != nil {
				h["Vary"] = append([]string(nil), tt.in...)
			}
			addVary(h, tt.banner)
			assert.Equal(t, tt.want, h["Vary"])
		})
	}
}

// TestVaryOverTheWire: a page answers differently to Sec-GPC, and, with the
// banner in it, to Accept-Language, so a browser cache must not reuse it
// across them.
func TestVaryOverTheWire(t *testing.T) {
	for _, tt := range []struct {
		name     string
		banner   bool
		vary     string
		wantVary []string
	}{
		{name: "banner injected", banner: true, wantVary: []string{"Cookie, Sec-GPC, Accept-Language"}},
		{name: "no banner", wantVary: []string{"Cookie, Sec-GPC"}},
		{name: "handler's own Vary kept, nothing repeated", banner: true, vary: "Accept-Language, cookie",
			wantVary: []string{"Accept-Language, cookie", "Sec-GPC"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tg := newTestGate(t, func(o *Options) { o.Banner = &stubBanner{needed: tt.banner} })
			srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				if tt.vary != "" {
					w.Header().Set("Vary", tt.vary)
				}
				w.Write([]byte("<body><p>x</p>"))
			}))
			resp, body := get(t, http.MethodGet, srv.URL, "", nil)
			assert.Equal(t, tt.banner, strings.Contains(body, "banner"))
			assert.Equal(t, tt.wantVary, resp.Header.Values("Vary"))
		})
	}
}
