package middleware

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/consentgate/consentgate/consent"
)

// FuzzSetCookieFilter: arbitrary Set-Cookie and Cookie header values never
// panic, and no non-essential cookie reaches the browser without consent
// except as a deletion.
func FuzzSetCookieFilter(f *testing.F) {
	for _, s := range []struct {
		setCookie, cookie string
		accept            uint8
		gpc               bool
	}{
		{"_ga=GA1; Path=/", "_ga=1", 0, false},
		{"_ga=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=600", "", 0, false},
		{"_ga=1; Max-Age=0; Max-Age=10", "", 1, true},
		{" _fbp = x ; max-age=-1", "_fbp=1; _ga_X=2", 2, false},
		{"session=1", "cookie_consent=zzz; _gid=1", 3, false},
		{"noequals", ";;;=;_ga", 0, true},
		{"_ga_\x00=1", "_ga_\"x=1", 0, false},
	} {
		f.Add(s.setCookie, s.cookie, s.accept, s.gpc)
	}
	var gates [3]testGate
	for i, mode := range []UnknownCookieMode{DropUnknown, AllowUnknown, ReportUnknown} {
		gates[i] = newTestGate(f, func(o *Options) {
			o.CookieDomain = "example.org"
			o.CleanupPaths = []string{"/a"}
			o.UnknownCookies = mode
		})
	}
	tg := gates[0]
	cat := tg.codec.Catalogue()
	values := map[uint8]string{}
	for bits := uint8(0); bits < 4; bits++ {
		var cats []consent.Category
		if bits&1 != 0 {
			cats = append(cats, consent.Analytics)
		}
		if bits&2 != 0 {
			cats = append(cats, consent.Marketing)
		}
		values[bits] = tg.consentValue(f, cats...)
	}
	f.Fuzz(func(t *testing.T, setCookie, cookie string, accept uint8, gpc bool) {
		tg := gates[int(accept/5)%len(gates)]
		accept %= 5 // 4 = undecided
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header["Cookie"] = []string{cookie}
		if v, ok := values[accept]; ok {
			req.Header.Add("Cookie", "cookie_consent="+v)
		}
		if gpc {
			req.Header.Set("Sec-GPC", "1")
		}
		var ch consent.Choices
		h := tg.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ch = consent.FromContext(r.Context())
			w.Header()["Set-Cookie"] = strings.Split(setCookie, "\n")
			w.Header()["set-cookie"] = []string{setCookie}
			w.Write([]byte("x"))
		}))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		now := time.Now()
		for k := range rec.Header() {
			if k != "Set-Cookie" && strings.EqualFold(k, "Set-Cookie") {
				t.Fatalf("non-canonical %q key survived", k)
			}
		}
		for _, v := range rec.Header()["Set-Cookie"] {
			name := setCookieName(v)
			if name == tg.codec.Name() {
				continue
			}
			ck, known := cat.Lookup(name)
			if known && (ck.Category == consent.Essential || ch.Allowed(ck.Category)) {
				continue
			}
			if !known && tg.unknown != DropUnknown {
				continue // let through on purpose
			}
			// Whatever got through must delete, by our reading and by net/http's.
			if !isDeletion(v, func() time.Time { return now }) {
				t.Fatalf("cookie %q (known=%v) let through without consent: %q", name, known, v)
			}
			if c, err := http.ParseSetCookie(v); err == nil {
				if c.MaxAge > 0 || (c.MaxAge == 0 && !c.Expires.IsZero() && c.Expires.After(now)) {
					t.Fatalf("net/http reads %q as persistent", v)
				}
			}
		}
		for _, v := range rec.Header()["Set-Cookie"] {
			// Clean-up values echo names from the visitor's Cookie header.
			if strings.HasSuffix(v, "Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT") && strings.ContainsAny(v, "\r\n\x00") {
				t.Fatalf("control character in clean-up value %q", v)
			}
		}
	})
}
