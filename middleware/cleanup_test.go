package middleware

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/consentgate/consentgate/consent"
	"github.com/stretchr/testify/assert"
)

func TestCleanupExpiresRefusedCookies(t *testing.T) {
	const epoch = "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
	tests := []struct {
		name    string
		opts    func(*Options)
		accept  []consent.Category // nil: undecided
		cookies string
		want    []string
	}{
		{name: "nothing to clean", cookies: "session=1; cookie_csrf=x"},
		{name: "set before the Gate, undecided", cookies: "_ga=GA1; session=1; _ga_XYZ=GS1",
			want: []string{"_ga=; Path=/" + epoch, "_ga_XYZ=; Path=/" + epoch}},
		{name: "registrable domain", opts: func(o *Options) { o.CookieDomain = "leics.police.uk" }, cookies: "_gid=1",
			want: []string{"_gid=; Path=/" + epoch, "_gid=; Path=/; Domain=leics.police.uk" + epoch}},
		{name: "paths", opts: func(o *Options) { o.CleanupPaths = []string{"/", "/news"} }, cookies: "_fbp=1",
			want: []string{"_fbp=; Path=/" + epoch, "_fbp=; Path=/news" + epoch}},
		{name: "withdrawn marketing keeps analytics", accept: []consent.Category{consent.Analytics}, cookies: "_ga=1; _fbp=2",
			want: []string{"_fbp=; Path=/" + epoch}},
		{name: "all accepted", accept: []consent.Category{consent.Analytics, consent.Marketing}, cookies: "_ga=1; _fbp=2"},
		{name: "unknown and essential never expired", cookies: "mystery=1; cookie_consent_flash=accepted; XSRF-TOKEN=t"},
		{name: "bounded", opts: func(o *Options) { o.MaxExpirations = 2; o.CookieDomain = "example.org" },
			cookies: "_ga=1; _gid=2; _fbp=3",
			want:    []string{"_ga=; Path=/" + epoch, "_ga=; Path=/; Domain=example.org" + epoch}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := newTestGate(t, tt.opts)
			srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "image/png")
				w.Write([]byte("png"))
			}))
			cookie := tt.cookies
			if tt.accept != nil {
				cookie += "; cookie_consent=" + tg.consentValue(t, tt.accept...)
			}
			resp, _ := get(t, http.MethodGet, srv.URL, cookie, nil)
			assert.Equal(t, tt.want, resp.Header.Values("Set-Cookie"))
			if len(tt.want) > 0 {
				// A response that expires cookies is per visitor.
				assert.Equal(t, "private", resp.Header.Get("Cache-Control"))
				assert.Contains(t, resp.Header.Values("Vary"), "Cookie, Sec-GPC")
			} else {
				assert.Empty(t, resp.Header.Get("Cache-Control"), "an image that does not depend on consent stays cacheable")
			}
		})
	}
}

// TestCleanupKeepsHandlerCookies: the handler's own cookies come first and
// survive; the clean-up only adds.
func TestCleanupKeepsHandlerCookies(t *testing.T) {
	tg := newTestGate(t, nil)
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "new"})
	}))
	resp, _ := get(t, http.MethodGet, srv.URL, "_ga=1", nil)
	vals := resp.Header.Values("Set-Cookie")
	if assert.Len(t, vals, 2) {
		assert.Equal(t, "session=new", vals[0])
		assert.True(t, strings.HasPrefix(vals[1], "_ga=; Path=/; Max-Age=0"))
	}
}

// TestCleanupBoundedUnderFlood: a request carrying hundreds of tracker
// cookies gets at most MaxExpirations clean-up headers, and the handler's
// own cookies are not crowded out.
func TestCleanupBoundedUnderFlood(t *testing.T) {
	tg := newTestGate(t, func(o *Options) { o.CookieDomain = "example.org" })
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "s"})
	}))
	var sb strings.Builder
	for i := 0; i < 500; i++ {
		fmt.Fprintf(&sb, "_ga_%d=x; ", i)
	}
	resp, _ := get(t, http.MethodGet, srv.URL, sb.String(), nil)
	vals := resp.Header.Values("Set-Cookie")
	assert.Equal(t, "session=s", vals[0])
	assert.Len(t, vals, 1+DefaultMaxExpirations)
}
