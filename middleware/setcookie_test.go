package middleware

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/consentgate/consentgate/consent"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSetCookieName(t *testing.T) {
	tests := map[string]string{
		"_ga=GA1.2; Path=/":   "_ga",
		"  _ga =x":            "_ga",
		"\t_fbp\t=1;Secure":   "_fbp",
		"noequals; Path=/":    "",
		"=value":              "",
		"=_ga=1; Path=/":      "_ga",
		" = _fbp =x":          "_fbp",
		"a=b=c":               "a",
		"":                    "",
		"x;y=z":               "",
		"__Host-id=1; Path=/": "__Host-id",
	}
	for in, want := range tests {
		assert.Equal(t, want, setCookieName(in), "%q", in)
	}
}

func TestIsDeletion(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		v    string
		want bool
	}{
		{"_ga=; Max-Age=0", true},
		{"_ga=x; max-age=-1; Path=/", true},
		{"_ga=; Expires=Thu, 01 Jan 1970 00:00:00 GMT", true},
		{"_ga=; expires=Thu, 01-Jan-1970 00:00:00 GMT", true},
		{"_ga=1; Expires=Thu, 01 Jan 2099 00:00:00 GMT", false},
		{"_ga=1", false},
		{"_ga=1; Max-Age=100", false},
		// Max-Age wins over a past Expires.
		{"_ga=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=100", false},
		// The last valid Max-Age counts.
		{"_ga=1; Max-Age=0; Max-Age=100", false},
		{"_ga=1; Max-Age=100; Max-Age=0", true},
		// Browsers ignore an invalid Max-Age, so the Expires decides.
		{"_ga=1; Max-Age=0x; Expires=Thu, 01 Jan 2099 00:00:00 GMT", false},
		{"_ga=1; Max-Age=abc", false},
		{"_ga=1; Max-Age=", false},
		{"_ga=1; Max-Age=-", false},
		// Two-digit years are read differently by browsers: not a deletion.
		{"_ga=1; Expires=Thursday, 01-Jan-69 00:00:00 GMT", false},
		{"_ga=1; Expires=yesterday", false},
		// The Max-Age inside the value is not an attribute.
		{"_ga=Max-Age=0", false},
		{"_ga=1; Max-Age=99999999999999999999999999", false},
		{"_ga=1; MAX-AGE=0", true},
		{"_ga=1;Max-Age=0;", true},
		{"_ga=1;  Max-Age  =  0  ", true},
		// Browsers compare attribute names in ASCII only: the long s (U+017F)
		// does not make "Expires", though Unicode case folding says it does.
		{"_ga=1; Expire\u017f=Thu, 01 Jan 1970 00:00:00 GMT", false},
		{"_ga=1; \u212aax-Age=0", false},
		// An older browser cuts the line at NUL and keeps "_ga=1".
		{"_ga=1\x00; Max-Age=0", false},
		{"_ga=; Max-Age=0\x7f", false},
		{"_ga=;\tMax-Age=0", true},
		// The shapes the "ends with a positive Max-Age" shortcut takes, and
		// the near misses it must leave to the full walk.
		{"_ga=1; Max-Age=0; Max-Age=7", false},
		{"_ga=1; Max-Age=07", false},
		{"_ga=1; Max-Age=00", true},
		{"_ga=1; xMax-Age=7; Max-Age=0", true},
		{"_ga=1; Max-Age=0; xMax-Age=7", true},
		{"_ga=1; Max-Age=-7", true},
		{"_ga=1; Max-Age=0;Max-Age=7", false},
		{"_ga=1; Max-Age=0; Max-Age=7 ", false},
		{"_ga=1\x00; Max-Age=7", false},
		{"_ga=; Max-Age=7", false},
		{"; Max-Age=7", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, isDeletion(tt.v, func() time.Time { return now }), "%q", tt.v)
	}
}

// setCookieLines are the Set-Cookie headers the filtering table's handler sends.
var setCookieLines = []string{
	"session=abc; Path=/; HttpOnly",                              // essential
	"_ga=GA1.2.3; Path=/; Max-Age=63072000",                      // analytics
	"_ga_ABC123=GS1; Path=/",                                     // analytics by pattern
	"_fbp=fb.1; Path=/",                                          // marketing
	"mystery=1; Path=/",                                          // not in the catalogue
	"_gid=; Path=/; Max-Age=0",                                   // deletion: always passes
	"_gcl_au=; Expires=Thu, 01 Jan 1970 00:00:00 GMT",            // deletion by Expires
	"_gat=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=600", // looks like a deletion, is not
	"cookie_consent=value; Path=/",                               // the consent cookie itself
	"noequals",                                                   // nameless
}

func TestSetCookieFiltering(t *testing.T) {
	tests := []struct {
		name    string
		accept  []consent.Category
		gpc     bool
		mode    UnknownCookieMode
		want    []string
		logHint string
	}{
		{name: "undecided", want: []string{"session", "_gid", "_gcl_au", "cookie_consent"}, logHint: "mystery"},
		{name: "GPC", gpc: true, want: []string{"session", "_gid", "_gcl_au", "cookie_consent"}},
		{name: "analytics only", accept: []consent.Category{consent.Analytics},
			want: []string{"session", "_ga", "_ga_ABC123", "_gid", "_gcl_au", "_gat", "cookie_consent"}},
		{name: "everything", accept: []consent.Category{consent.Analytics, consent.Marketing},
			want: []string{"session", "_ga", "_ga_ABC123", "_fbp", "_gid", "_gcl_au", "_gat", "cookie_consent"}},
		{name: "allow unknown", mode: AllowUnknown,
			want: []string{"session", "mystery", "_gid", "_gcl_au", "cookie_consent", ""}},
		{name: "report unknown", mode: ReportUnknown,
			want: []string{"session", "mystery", "_gid", "_gcl_au", "cookie_consent", ""}, logHint: "would drop"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := newTestGate(t, func(o *Options) { o.UnknownCookies = tt.mode })
			cookie := ""
			if tt.accept != nil {
				cookie = "cookie_consent=" + tg.consentValue(t, tt.accept...)
			}
			srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				lines := append([]string(nil), setCookieLines...)
				if cookie != "" {
					// A consent cookie the response sets gates it (see
					// TestConsentPostResponse): re-set the visitor's own.
					lines[8] = cookie + "; Path=/"
				}
				w.Header()["Set-Cookie"] = lines
				w.Write([]byte("ok"))
			}))
			hdr := map[string]string{}
			if tt.gpc {
				hdr["Sec-GPC"] = "1"
			}
			resp, body := get(t, http.MethodGet, srv.URL, cookie, hdr)
			assert.Equal(t, "ok", body)
			assert.Equal(t, tt.want, cookieNames(resp))
			if tt.logHint != "" {
				assert.Contains(t, tg.logs.String(), tt.logHint)
			}
		})
	}
}

// TestSetCookieFilteredAtEveryExit sends a tracker cookie through every way a
// handler can make headers leave, and checks none lets it out.
func TestSetCookieFilteredAtEveryExit(t *testing.T) {
	exits := map[string]func(w http.ResponseWriter){
		"WriteHeader": func(w http.ResponseWriter) { w.WriteHeader(http.StatusCreated) },
		"Write":       func(w http.ResponseWriter) { w.Write([]byte("body")) },
		"WriteString": func(w http.ResponseWriter) { w.(interface{ WriteString(string) (int, error) }).WriteString("body") },
		"Flush":       func(w http.ResponseWriter) { w.(http.Flusher).Flush(); w.Write([]byte("late")) },
		"FlushError":  func(w http.ResponseWriter) { require.NoError(t, http.NewResponseController(w).Flush()) },
		"ReadFrom": func(w http.ResponseWriter) {
			_, err := w.(io.ReaderFrom).ReadFrom(strings.NewReader("from reader"))
			require.NoError(t, err)
		},
		"handler returns": func(w http.ResponseWriter) {},
	}
	for name, exit := range exits {
		for _, ctype := range []string{"text/plain", "", "text/html"} {
			t.Run(name+"/"+ctype, func(t *testing.T) {
				tg := newTestGate(t, nil)
				tg.rewriters = fakeRewriters{}
				srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if ctype != "" {
						w.Header().Set("Content-Type", ctype)
					}
					http.SetCookie(w, &http.Cookie{Name: "_ga", Value: "GA1"})
					http.SetCookie(w, &http.Cookie{Name: "session", Value: "s"})
					exit(w)
					// Too late: must not reach the client either way.
					http.SetCookie(w, &http.Cookie{Name: "_fbp", Value: "late"})
				}))
				resp, _ := get(t, http.MethodGet, srv.URL, "", nil)
				assert.Equal(t, []string{"session"}, cookieNames(resp))
			})
		}
	}
}

// TestConsentMachineryCookiesPass: with a catalogue that forgot them, the
// consent, CSRF and flash cookies still reach the browser, or the banner
// could never record a choice.
func TestConsentMachineryCookiesPass(t *testing.T) {
	tx := consent.Text{EN: "x", CY: "y"}
	cat, err := consent.NewCatalogue(consent.Policy{Revision: 1, Categories: []consent.CategoryInfo{
		{ID: consent.Essential, Title: tx, Description: tx}, {ID: consent.Analytics, Title: tx, Description: tx}}})
	require.NoError(t, err)
	codec, err := consent.NewCodec(cat, consent.CodecOptions{Keys: []consent.Key{testKey}})
	require.NoError(t, err)
	g, err := New(Options{Codec: codec})
	require.NoError(t, err)
	srv := testGate{Gate: g, codec: codec}.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, n := range []string{"cookie_consent", "cookie_consent_csrf", "cookie_consent_flash", "cookie_consent_other"} {
			http.SetCookie(w, &http.Cookie{Name: n, Value: "v"})
		}
	}))
	resp, _ := get(t, http.MethodGet, srv.URL, "", nil)
	assert.Equal(t, []string{"cookie_consent", "cookie_consent_csrf", "cookie_consent_flash"}, cookieNames(resp))
}
