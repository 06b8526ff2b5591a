package middleware

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/consentgate/consentgate/consent"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConsentPostResponse: the banner's POST handler runs inside the Gate and
// sets a new consent cookie; that response is gated by the new choices, not
// the request's old ones. This handler does what the banner's does: set the
// cookie and, for a refusal, expire the refused cookies the browser sent.
func TestConsentPostResponse(t *testing.T) {
	const epoch = "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
	domain, paths := "example.org", []string{"/news"}
	tg := newTestGate(t, func(o *Options) { o.CookieDomain = domain; o.CleanupPaths = paths })
	cat := tg.codec.Catalogue()
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		var accepted []consent.Category
		if r.PostForm.Get("cookies") == "accept" {
			accepted = cat.Optional()
		}
		ch, err := cat.Decide(consent.FromContext(r.Context()), accepted, time.Now())
		require.NoError(t, err)
		ck, err := tg.codec.Cookie(ch)
		require.NoError(t, err)
		http.SetCookie(w, ck)
		for _, v := range cat.AppendExpirations(nil, r.Header, ch, domain, paths, 64) {
			w.Header().Add("Set-Cookie", v)
		}
		if ch.Allowed(consent.Analytics) {
			w.Header().Add("Set-Cookie", "_ga=GA1.2.new; Path=/; Max-Age=63072000")
		}
		http.Redirect(w, r, "/", http.StatusSeeOther)
	}))
	post := func(t *testing.T, choice, cookie string, hdr map[string]string) *http.Response {
		req, err := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(url.Values{"cookies": {choice}}.Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", cookie)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := client.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	const sent = "_ga=GA1.2.old; _fbp=fb.1; session=s"

	t.Run("accept keeps what was just allowed", func(t *testing.T) {
		resp := post(t, "accept", sent, nil)
		assert.Equal(t, []string{"cookie_consent", "_ga"}, cookieNames(resp), "no expiry for _ga or _fbp, and the new _ga passes")
	})
	t.Run("accept after an earlier refusal", func(t *testing.T) {
		refused := "cookie_consent=" + tg.consentValue(t)
		resp := post(t, "accept", sent+"; "+refused, nil)
		assert.Equal(t, []string{"cookie_consent", "_ga"}, cookieNames(resp))
	})
	for _, hdr := range []map[string]string{nil, {"Sec-GPC": "1"}} {
		t.Run("reject expires each cookie once, GPC "+hdr["Sec-GPC"], func(t *testing.T) {
			resp := post(t, "reject", sent, hdr)
			vals := resp.Header.Values("Set-Cookie")
			require.NotEmpty(t, vals)
			assert.True(t, strings.HasPrefix(vals[0], "cookie_consent="))
			var want []string
			for _, name := range []string{"_ga", "_fbp"} {
				want = append(want, name+"=; Path=/"+epoch, name+"=; Path=/news"+epoch,
					name+"=; Path=/; Domain=example.org"+epoch, name+"=; Path=/news; Domain=example.org"+epoch)
			}
			assert.ElementsMatch(t, want, vals[1:], "every expiry exactly once")
		})
	}
	t.Run("a new cookie that does not decode counts as no decision", func(t *testing.T) {
		accepted := "cookie_consent=" + tg.consentValue(t, cat.Optional()...)
		srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Add("Set-Cookie", "cookie_consent=forged; Path=/")
			w.Header().Add("Set-Cookie", "_fbp=fb.2; Path=/")
		}))
		resp, _ := get(t, http.MethodGet, srv.URL, accepted+"; _ga=1", nil)
		assert.Equal(t, []string{"cookie_consent", "_ga", "_ga", "_ga", "_ga"}, cookieNames(resp), "_fbp dropped, _ga expired in every variant")
	})
}

func TestSetCookieValue(t *testing.T) {
	for in, want := range map[string]string{
		"cookie_consent=abc; Path=/":   "abc",
		` cookie_consent = "abc" ;x`:   "abc",
		"=cookie_consent=abc; Path=/":  "abc",
		"cookie_consent=":              "",
		"cookie_consent=a=b=c; Secure": "a=b=c",
	} {
		assert.Equal(t, want, setCookieValue(in), in)
	}
}

func TestSetCookieID(t *testing.T) {
	r, err := http.NewRequest(http.MethodPost, "https://www.example.org/settings/cookies", nil)
	require.NoError(t, err)
	tests := []struct {
		in   string
		want cookieID
	}{
		{"_ga=; Path=/; Max-Age=0", cookieID{"_ga", "", "/"}},
		{"_ga=; path=/news; DOMAIN=.Example.ORG; Max-Age=0", cookieID{"_ga", "example.org", "/news"}},
		{"_ga=; Max-Age=0", cookieID{"_ga", "", "/settings"}},
		{"_ga=; Path=/a; Path=relative", cookieID{"_ga", "", "/settings"}},
		{"_ga=; Domain=a.org; Domain=; Path=/", cookieID{"_ga", "a.org", "/"}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, setCookieID(tt.in, r), tt.in)
	}
	assert.Equal(t, "/", defaultCookiePath("/"))
	assert.Equal(t, "/", defaultCookiePath("/top"))
	assert.Equal(t, "/", defaultCookiePath(""))
}
