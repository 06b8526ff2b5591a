package banner

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/consentgate/consentgate/consent"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// assertNothingStored checks a refused POST left no trace.
func assertNothingStored(t *testing.T, f *fixture, w *httptest.ResponseRecorder) {
	t.Helper()
	assert.Nil(t, cookie(w, "cookie_consent"), "no consent cookie")
	assert.Nil(t, cookie(w, FlashCookieName), "no flash cookie")
	assert.Empty(t, f.rec.records(), "nothing recorded")
}

func TestPostAcceptWithoutJavaScript(t *testing.T) {
	f := newFixture(t, nil)
	w := f.serve(f.validPost("/cookies", form("cookies[additional]", "yes", "return", "/news/item?id=3")))

	require.Equal(t, http.StatusSeeOther, w.Code)
	assert.Equal(t, "/news/item?id=3", w.Header().Get("Location"))
	ck := cookie(w, "cookie_consent")
	require.NotNil(t, ck)
	assert.True(t, ck.HttpOnly)
	assert.True(t, ck.Secure)
	ch, err := f.codec.Decode(ck.Value)
	require.NoError(t, err)
	assert.True(t, ch.Allowed(consent.Analytics))
	assert.True(t, ch.Allowed(consent.Marketing))

	fl := cookie(w, FlashCookieName)
	require.NotNil(t, fl)
	assert.Equal(t, "accepted", fl.Value)
	assert.Equal(t, 300, fl.MaxAge)
	assert.True(t, fl.HttpOnly)

	recs := f.rec.records()
	require.Len(t, recs, 1)
	assert.Equal(t, consent.MethodAcceptAll, recs[0].Method)
	assert.Equal(t, "/news/item", recs[0].Path, "the page the banner was on, without its query")
	assert.Equal(t, ch.ID, recs[0].ConsentID)
	assert.Empty(t, recs[0].UserAgent)

	// The next page shows the confirmation.
	r := httptest.NewRequest(http.MethodGet, "/news/item?id=3", nil)
	r.AddCookie(ck)
	r.AddCookie(fl)
	assert.Contains(t, f.renderBanner(t, r), `data-cg-message="accepted" tabindex="-1" role="alert">`)
}

func TestPostRejectJSON(t *testing.T) {
	f := newFixture(t, nil)
	r := f.validPost("/cookies", form("cookies[additional]", "no", "return", "/"))
	r.Header.Set("Accept", "application/json")
	w := f.serve(r)
	require.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
	var res result
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &res))
	assert.Equal(t, "rejected", res.Status)
	assert.Empty(t, res.Accepted)
	assert.Nil(t, cookie(w, FlashCookieName), "the script shows the confirmation itself")
	ck := cookie(w, "cookie_consent")
	require.NotNil(t, ck)
	ch, err := f.codec.Decode(ck.Value)
	require.NoError(t, err)
	assert.True(t, ch.Decided())
	assert.Empty(t, ch.Accepted())
	require.Len(t, f.rec.records(), 1)
	assert.Equal(t, consent.MethodRejectAll, f.rec.records()[0].Method)
}

func TestPostSettingsForm(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.RecordUserAgent = true })
	r := f.validPost("/cookies", form("cookies[analytics]", "yes", "cookies[marketing]", "no", "return", "/a?b=c", "site_field", "ignored"))
	r.Header.Set("User-Agent", "TestBrowser/1")
	w := f.serve(r)
	require.Equal(t, http.StatusSeeOther, w.Code)
	assert.Equal(t, "/cookies?saved=1&return=%2Fa%3Fb%3Dc", w.Header().Get("Location"))
	ch, err := f.codec.Decode(cookie(w, "cookie_consent").Value)
	require.NoError(t, err)
	assert.Equal(t, []consent.Category{consent.Analytics}, ch.Accepted())
	recs := f.rec.records()
	require.Len(t, recs, 1)
	assert.Equal(t, consent.MethodCustom, recs[0].Method)
	assert.Equal(t, "/cookies", recs[0].Path)
	assert.Equal(t, "TestBrowser/1", recs[0].UserAgent)
	assert.Nil(t, cookie(w, FlashCookieName), "the settings page shows its own notification")

	// Following the redirect shows the success notification with the way back.
	page := f.get(w.Header().Get("Location"), cookie(w, "cookie_consent")).Body.String()
	assert.Contains(t, page, `role="alert"`)
	assert.Contains(t, page, `<a class="cg-link" href="/a?b=c">Go back to the page you were looking at</a>`)
	assert.Regexp(t, `id="cg-analytics-yes" name="cookies\[analytics\]" value="yes" checked`, page)
	assert.Regexp(t, `id="cg-marketing-no" name="cookies\[marketing\]" value="no" checked`, page)
}

func TestPostWithdrawalExpiresRefusedCookies(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.CookieDomain = "example.com"; o.CleanupPaths = []string{"/news"} })
	before := f.decided(t, consent.Analytics, consent.Marketing)
	prev, err := f.codec.Decode(before.Value)
	require.NoError(t, err)

	r := f.validPost("/cookies", form("cookies[analytics]", "no", "cookies[marketing]", "yes"))
	r.AddCookie(before)
	r.AddCookie(&http.Cookie{Name: "_ga", Value: "GA1.1.1"})
	r.AddCookie(&http.Cookie{Name: "_ga_ABC123", Value: "GS1"})
	r.AddCookie(&http.Cookie{Name: "_fbp", Value: "fb.1"})
	w := f.serve(r)
	require.Equal(t, http.StatusSeeOther, w.Code)

	setCookies := strings.Join(w.Header().Values("Set-Cookie"), "\n")
	assert.Contains(t, setCookies, "_ga=; Path=/; Max-Age=0")
	assert.Contains(t, setCookies, "_ga=; Path=/; Domain=example.com; Max-Age=0")
	assert.Contains(t, setCookies, "_ga_ABC123=; Path=/; Max-Age=0")
	assert.Contains(t, setCookies, "_ga=; Path=/news; Max-Age=0")
	assert.NotContains(t, setCookies, "_fbp=", "marketing is still accepted")

	recs := f.rec.records()
	require.Len(t, recs, 1)
	assert.Equal(t, consent.MethodWithdraw, recs[0].Method)
	assert.Equal(t, prev.ID, recs[0].ConsentID, "one visitor's history keeps one ID")
}

func TestPostRecorderFailure(t *testing.T) {
	for _, tc := range []struct {
		name     string
		lang     string
		prev     []consent.Category // nil: undecided
		form     url.Values
		json     bool
		stored   bool
		wantText string
		// withdrawn: the refusal part of a mixed change is stored, the rest not
		withdrawn bool
	}{
		{name: "acceptance not stored", form: form("cookies[additional]", "yes"), wantText: "Sorry, there was a technical problem. Please try again."},
		{name: "acceptance not stored, Welsh", lang: "/cy", form: form("cookies[additional]", "yes"), wantText: "Mae’n ddrwg gennym, roedd problem dechnegol. Rhowch gynnig arall arni."},
		{name: "acceptance not stored, JSON", form: form("cookies[additional]", "yes"), json: true, wantText: "Sorry, there was a technical problem. Please try again."},
		{name: "partial acceptance not stored", form: form("cookies[analytics]", "yes", "cookies[marketing]", "no"), wantText: "Sorry, there was a technical problem."},
		{name: "rejection stored", form: form("cookies[additional]", "no"), stored: true},
		{name: "rejection stored, JSON", form: form("cookies[additional]", "no"), json: true, stored: true},
		{name: "withdrawal stored", prev: []consent.Category{consent.Analytics, consent.Marketing}, form: form("cookies[analytics]", "no", "cookies[marketing]", "yes"), stored: true},
		{name: "adding a category not stored", prev: []consent.Category{consent.Marketing}, form: form("cookies[analytics]", "yes", "cookies[marketing]", "yes"), wantText: "Sorry, there was a technical problem."},
		{name: "swap is an acceptance", prev: []consent.Category{consent.Analytics}, form: form("cookies[analytics]", "no", "cookies[marketing]", "yes"), wantText: "Sorry, there was a technical problem.", withdrawn: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, nil)
			f.rec.err = errors.New("database down")
			r := f.validPost(tc.lang+"/cookies", tc.form)
			if tc.prev != nil {
				r.AddCookie(f.decided(t, tc.prev...))
			}
			if tc.json {
				r.Header.Set("Accept", "application/json")
			}
			w := f.serve(r)
			ck := cookie(w, "cookie_consent")
			if tc.stored {
				require.NotNil(t, ck)
				ch, err := f.codec.Decode(ck.Value)
				require.NoError(t, err)
				assert.False(t, ch.Allowed(consent.Analytics))
				return
			}
			assert.Equal(t, http.StatusServiceUnavailable, w.Code)
			if tc.withdrawn {
				require.NotNil(t, ck)
				ch, err := f.codec.Decode(ck.Value)
				require.NoError(t, err)
				assert.Empty(t, ch.Accepted(), "analytics withdrawn, marketing not granted")
			} else {
				assert.Nil(t, ck, "an acceptance without proof is not stored")
			}
			assert.Nil(t, cookie(w, FlashCookieName))
			assert.Contains(t, w.Body.String(), tc.wantText)
			if tc.json {
				var res result
				require.NoError(t, json.Unmarshal(w.Body.Bytes(), &res))
				assert.Equal(t, "error", res.Status)
			}
		})
	}
}

func TestPostCSRFAndOrigin(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.TrustedOrigins = []string{"https://www.example.police.uk"} })
	other := newFixture(t, func(o *Options) { o.CSRFKey = []byte("another key that is long enough!!") })
	good := form("cookies[additional]", "yes")
	for _, tc := range []struct {
		name   string
		mutate func(r *http.Request)
		build  func() *http.Request
		want   int
	}{
		{name: "valid", want: http.StatusSeeOther},
		{name: "token missing", build: func() *http.Request {
			r := f.validPost("/cookies", good)
			r.Body, r.ContentLength = nil, 0
			return postRaw(r, strings.ReplaceAll(good.Encode(), "csrf_token", "x"))
		}, want: http.StatusForbidden},
		{name: "token of another key", build: func() *http.Request { return other.validPost("/cookies", form("cookies[additional]", "yes")) }, want: http.StatusForbidden},
		{name: "token not bound to the cookie", mutate: func(r *http.Request) {
			r.Header.Del("Cookie")
			r.AddCookie(&http.Cookie{Name: CSRFCookieName, Value: newNonce()})
		}, want: http.StatusForbidden},
		{name: "garbage token", build: func() *http.Request {
			return postRaw(f.validPost("/cookies", good), "csrf_token=..&cookies%5Badditional%5D=yes")
		}, want: http.StatusForbidden},
		{name: "no cookie, browser says same-origin", mutate: func(r *http.Request) { r.Header.Del("Cookie") }, want: http.StatusSeeOther},
		{name: "no cookie, Origin matches", mutate: func(r *http.Request) { r.Header.Del("Cookie"); r.Header.Del("Sec-Fetch-Site") }, want: http.StatusSeeOther},
		{name: "no cookie, no origin headers", mutate: func(r *http.Request) {
			r.Header.Del("Cookie")
			r.Header.Del("Sec-Fetch-Site")
			r.Header.Del("Origin")
		}, want: http.StatusForbidden},
		{name: "cookie, no origin headers (old browser)", mutate: func(r *http.Request) { r.Header.Del("Sec-Fetch-Site"); r.Header.Del("Origin") }, want: http.StatusSeeOther},
		{name: "cross-site", mutate: func(r *http.Request) {
			r.Header.Set("Sec-Fetch-Site", "cross-site")
			r.Header.Set("Origin", "https://evil.example")
		}, want: http.StatusForbidden},
		{name: "same-site is not same-origin", mutate: func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "same-site") }, want: http.StatusForbidden},
		{name: "foreign Origin", mutate: func(r *http.Request) { r.Header.Del("Sec-Fetch-Site"); r.Header.Set("Origin", "https://evil.example") }, want: http.StatusForbidden},
		{name: "Origin null", mutate: func(r *http.Request) { r.Header.Del("Sec-Fetch-Site"); r.Header.Set("Origin", "null") }, want: http.StatusForbidden},
		{name: "Origin on another port", mutate: func(r *http.Request) {
			r.Header.Del("Sec-Fetch-Site")
			r.Header.Set("Origin", "http://example.com:8080")
		}, want: http.StatusForbidden},
		{name: "trusted origin", mutate: func(r *http.Request) {
			r.Header.Set("Sec-Fetch-Site", "cross-site")
			r.Header.Set("Origin", "https://WWW.example.police.uk")
		}, want: http.StatusSeeOther},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.rec.recs = nil
			var r *http.Request
			if tc.build != nil {
				r = tc.build()
			} else {
				r = f.validPost("/cookies", form("cookies[additional]", "yes"))
			}
			if tc.mutate != nil {
				tc.mutate(r)
			}
			w := f.serve(r)
			require.Equal(t, tc.want, w.Code, w.Body.String())
			if tc.want == http.StatusForbidden {
				assertNothingStored(t, f, w)
				assert.Contains(t, w.Body.String(), "did not come from this site")
			} else {
				assert.NotNil(t, cookie(w, "cookie_consent"))
				if _, had := nonceOf(r); !had {
					assert.NotNil(t, cookie(w, CSRFCookieName), "a cookie-less first POST gets the CSRF cookie")
				}
			}
		})
	}
}

// postRaw replaces r's body with a raw form body.
func postRaw(r *http.Request, body string) *http.Request {
	r2 := httptest.NewRequest(http.MethodPost, r.URL.String(), strings.NewReader(body))
	r2.Header = r.Header.Clone()
	return r2
}

func TestPostBadForm(t *testing.T) {
	f := newFixture(t, nil)
	for _, tc := range []struct {
		name   string
		form   url.Values
		reason string
	}{
		{"empty", form(), "no choice"},
		{"unknown category", form("cookies[tracking]", "yes"), `unknown cookie category "tracking"`},
		{"essential is not a choice", form("cookies[essential]", "no"), `unknown cookie category "essential"`},
		{"bad value", form("cookies[analytics]", "maybe"), "must be yes or no"},
		{"bad banner value", form("cookies[additional]", "1"), "must be yes or no"},
		{"case matters", form("cookies[additional]", "YES"), "must be yes or no"},
		{"given twice", form("cookies[analytics]", "yes", "cookies[analytics]", "no"), "given 2 times"},
		{"banner and settings mixed", form("cookies[additional]", "yes", "cookies[analytics]", "no"), "cannot be combined"},
		{"hide with a choice", form("cookies[hide]", "yes", "cookies[additional]", "yes"), "cannot be combined"},
		{"hide no", form("cookies[hide]", "no"), "must be yes"},
		{"unclosed bracket", form("cookies[analytics", "yes"), "is not cookies[name]"},
		{"HTML in a category", form("cookies[<b>]", "yes"), "unknown cookie category"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := f.validPost("/cookies", tc.form)
			r.Header.Set("Accept", "application/json")
			w := f.serve(r)
			require.Equal(t, http.StatusBadRequest, w.Code)
			assertNothingStored(t, f, w)
			var res result
			require.NoError(t, json.Unmarshal(w.Body.Bytes(), &res))
			assert.Contains(t, res.Reason, tc.reason)

			// And as a page, in English and Welsh.
			w = f.serve(f.validPost("/cookies", tc.form))
			require.Equal(t, http.StatusBadRequest, w.Code)
			assert.Contains(t, w.Body.String(), "the form was not recognised")
			assert.NotContains(t, w.Body.String(), "<b>")
			w = f.serve(f.validPost("/cy/cookies", tc.form))
			require.Equal(t, http.StatusBadRequest, w.Code)
			assert.Contains(t, w.Body.String(), `<html lang="cy">`)
			assert.Contains(t, w.Body.String(), "nad oedd y ffurflen yn cael ei hadnabod")
		})
	}
	t.Run("not a urlencoded form", func(t *testing.T) {
		r := f.validPost("/cookies", form("cookies[additional]", "yes"))
		r.Header.Set("Content-Type", "text/plain")
		w := f.serve(r)
		assert.Equal(t, http.StatusBadRequest, w.Code)
		assertNothingStored(t, f, w)
	})
	t.Run("oversized body", func(t *testing.T) {
		r := f.validPost("/cookies", form("cookies[additional]", "yes"))
		r = postRaw(r, "cookies%5Badditional%5D=yes&pad="+strings.Repeat("a", 64<<10))
		w := f.serve(r)
		assert.Equal(t, http.StatusBadRequest, w.Code)
		assertNothingStored(t, f, w)
	})
}

func TestPostReturnURLStaysOnSite(t *testing.T) {
	f := newFixture(t, nil)
	for _, tc := range []struct{ ret, want string }{
		{"/news?id=1#top", "/news?id=1"},
		{"/cy/newyddion", "/cy/newyddion"},
		{"http://example.com/same-host", "/same-host"},
		{"https://EXAMPLE.com/x?y=1", "/x?y=1"},
		{"", "/"},
		{"https://evil.example/", "/"},
		{"http://example.com.evil.example/", "/"},
		{"//evil.example/", "/"},
		{"///evil.example/", "/"},
		{`/\evil.example`, "/"},
		{`\\evil.example`, "/"},
		{"/\t/evil.example", "/"},
		{"/news\r\nSet-Cookie: x=1", "/"},
		{"javascript:alert(1)", "/"},
		{"JavaScript:alert(1)", "/"},
		{"data:text/html,<script>alert(1)</script>", "/"},
		{"https:evil.example", "/"},
		{"http://user@example.com/", "/"},
		{"relative/path", "/"},
		{"?q=1", "/"},
		{"/" + strings.Repeat("a", 3000), "/"},
		{"/\x00", "/"},
		{"/%2F%2Fevil.example", "/%2F%2Fevil.example"},
	} {
		t.Run(tc.ret, func(t *testing.T) {
			f.rec.recs = nil
			w := f.serve(f.validPost("/cookies", form("cookies[additional]", "no", "return", tc.ret)))
			require.Equal(t, http.StatusSeeOther, w.Code)
			assert.Equal(t, tc.want, w.Header().Get("Location"))
		})
	}
}

func TestPostHide(t *testing.T) {
	f := newFixture(t, nil)
	r := f.validPost("/cookies", form("cookies[hide]", "yes", "return", "/page"))
	r.AddCookie(f.decided(t))
	r.AddCookie(&http.Cookie{Name: FlashCookieName, Value: "accepted"})
	w := f.serve(r)
	require.Equal(t, http.StatusSeeOther, w.Code)
	assert.Equal(t, "/page", w.Header().Get("Location"))
	fl := cookie(w, FlashCookieName)
	require.NotNil(t, fl)
	assert.Equal(t, -1, fl.MaxAge, "the flash cookie is deleted")
	assert.Nil(t, cookie(w, "cookie_consent"), "hiding changes no choice")
	assert.Empty(t, f.rec.records())
}

func TestMethodsAndPaths(t *testing.T) {
	f := newFixture(t, nil)
	r := httptest.NewRequest(http.MethodPut, "/cookies", nil)
	w := f.serve(r)
	assert.Equal(t, http.StatusMethodNotAllowed, w.Code)
	assert.Equal(t, "GET, HEAD, POST", w.Header().Get("Allow"))
	assert.Equal(t, http.StatusNotFound, f.get("/elsewhere").Code)
	assert.Equal(t, http.StatusNotFound, f.get("/cookies/assets/banner.0000.css").Code)
	assert.ElementsMatch(t, []string{"/cookies", "/cy/cookies", "/cookies/assets/"}, f.b.Patterns())
}

// A recorder that hangs is cut off at RecordTimeout: the acceptance is not
// stored, and the visitor is not kept waiting.
func TestPostRecorderDeadline(t *testing.T) {
	f := newFixture(t, func(o *Options) {
		o.RecordTimeout = 50 * time.Millisecond
		o.Recorder = consent.RecorderFunc(func(ctx context.Context, _ consent.Record) error {
			<-ctx.Done()
			return ctx.Err()
		})
	})
	start := time.Now()
	w := f.serve(f.validPost("/cookies", form("cookies[additional]", "yes")))
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	assert.Nil(t, cookie(w, "cookie_consent"))

	w = f.serve(f.validPost("/cookies", form("cookies[additional]", "no")))
	assert.Equal(t, http.StatusSeeOther, w.Code)
	assert.NotNil(t, cookie(w, "cookie_consent"), "a rejection is stored even so")
}

// A visitor whose browser sends GPC can still opt in; the decision gets a
// fresh consent ID, as GPC is not a decision.
func TestPostOptInOverGPC(t *testing.T) {
	f := newFixture(t, nil)
	r := f.validPost("/cookies", form("cookies[analytics]", "yes", "cookies[marketing]", "no"))
	r.Header.Set("Sec-GPC", "1")
	w := f.serve(r)
	require.Equal(t, http.StatusSeeOther, w.Code)
	ch, err := f.codec.Decode(cookie(w, "cookie_consent").Value)
	require.NoError(t, err)
	assert.True(t, ch.Allowed(consent.Analytics))
	require.Len(t, f.rec.records(), 1)
	assert.False(t, f.rec.records()[0].ConsentID.IsZero())
	assert.Equal(t, consent.MethodCustom, f.rec.records()[0].Method)
}

func TestPostOddCSRFInput(t *testing.T) {
	f := newFixture(t, nil)
	t.Run("token only in the query string", func(t *testing.T) {
		r := f.validPost("/cookies", form("cookies[additional]", "yes"))
		body := "cookies%5Badditional%5D=yes"
		nonce := newNonce()
		r = postRaw(r, body)
		r.URL.RawQuery = "csrf_token=" + url.QueryEscape(nonce+"."+f.b.mac(nonce))
		r.Header.Del("Cookie")
		r.AddCookie(&http.Cookie{Name: CSRFCookieName, Value: nonce})
		w := f.serve(r)
		assert.Equal(t, http.StatusForbidden, w.Code)
		assertNothingStored(t, f, w)
	})
	t.Run("malformed CSRF cookie reads as none", func(t *testing.T) {
		r := f.validPost("/cookies", form("cookies[additional]", "no"))
		r.Header.Del("Cookie")
		r.AddCookie(&http.Cookie{Name: CSRFCookieName, Value: strings.Repeat("A", 300)})
		w := f.serve(r)
		require.Equal(t, http.StatusSeeOther, w.Code, "same-origin, so the token alone is enough")
		fresh := cookie(w, CSRFCookieName)
		require.NotNil(t, fresh, "and the bad cookie is replaced")
		assert.True(t, validNonce(fresh.Value))
	})
	t.Run("charset parameter on the content type", func(t *testing.T) {
		r := f.validPost("/cookies", form("cookies[additional]", "no"))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
		assert.Equal(t, http.StatusSeeOther, f.serve(r).Code)
	})
	t.Run("token of one visitor replayed with another's cookie", func(t *testing.T) {
		a := f.validPost("/cookies", form("cookies[additional]", "yes"))
		b := f.validPost("/cookies", form("cookies[additional]", "yes"))
		a.Header.Set("Cookie", b.Header.Get("Cookie"))
		w := f.serve(a)
		assert.Equal(t, http.StatusForbidden, w.Code)
	})
}

func TestInsecureDropsSecureForDevelopment(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.Insecure = true })
	r := f.validPost("/cookies", form("cookies[additional]", "no"))
	r.Header.Del("Cookie") // so the response issues a CSRF cookie too
	w := f.serve(r)
	require.Equal(t, http.StatusSeeOther, w.Code)
	for _, name := range []string{CSRFCookieName, FlashCookieName} {
		c := cookie(w, name)
		require.NotNil(t, c, name)
		assert.False(t, c.Secure, name)
		assert.True(t, c.HttpOnly, name)
		assert.Equal(t, http.SameSiteLaxMode, c.SameSite, name)
		assert.Equal(t, "/", c.Path, name)
	}
}

func TestPostRecorderPanics(t *testing.T) {
	f := newFixture(t, func(o *Options) {
		o.Recorder = consent.RecorderFunc(func(context.Context, consent.Record) error { panic("driver bug") })
	})
	w := f.serve(f.validPost("/cookies", form("cookies[additional]", "yes")))
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	assert.Nil(t, cookie(w, "cookie_consent"))
	w = f.serve(f.validPost("/cookies", form("cookies[additional]", "no")))
	assert.Equal(t, http.StatusSeeOther, w.Code)
	assert.NotNil(t, cookie(w, "cookie_consent"))
}

// An old browser that sends neither Origin nor Sec-Fetch-Site is refused on
// its first, cookie-less POST, but gets the CSRF cookie, so going back and
// trying again works.
func TestPostOldBrowserRetryWorks(t *testing.T) {
	f := newFixture(t, nil)
	old := func(r *http.Request) *http.Request {
		r.Header.Del("Origin")
		r.Header.Del("Sec-Fetch-Site")
		r.Header.Del("Cookie")
		return r
	}
	w := f.serve(old(f.validPost("/cookies", form("cookies[additional]", "yes", "return", "/news"))))
	require.Equal(t, http.StatusForbidden, w.Code)
	assert.Contains(t, w.Body.String(), `href="/news">Go back`)
	issued := cookie(w, CSRFCookieName)
	require.NotNil(t, issued)

	// The reloaded page's banner carries a token bound to that cookie.
	page := httptest.NewRequest(http.MethodGet, "/news", nil)
	page.AddCookie(issued)
	var sb strings.Builder
	require.NoError(t, f.b.RenderBanner(&sb, page))
	assert.Contains(t, sb.String(), `name="csrf_token" value="`+issued.Value+".")

	retry := old(f.validPost("/cookies", form("cookies[additional]", "yes", "return", "/news")))
	body := url.Values{"cookies[additional]": {"yes"}, "return": {"/news"}, "csrf_token": {issued.Value + "." + f.b.mac(issued.Value)}}
	retry = postRaw(retry, body.Encode())
	retry.AddCookie(issued)
	w = f.serve(retry)
	assert.Equal(t, http.StatusSeeOther, w.Code)
	assert.NotNil(t, cookie(w, "cookie_consent"))
}
