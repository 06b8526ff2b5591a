package banner

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/consentgate/consentgate/consent"
)

// Whatever a return URL holds, the redirect stays on the site.
func FuzzSafeReturn(f *testing.F) {
	for _, s := range []string{"/", "/a?b=c", "//evil", `/\evil`, "javascript:x", "http://example.com/x", "https://evil/", "/%2F%2Fe", "\x00", "/a\nb"} {
		f.Add(s)
	}
	r := httptest.NewRequest(http.MethodGet, "http://example.com/", nil)
	f.Fuzz(func(t *testing.T, raw string) {
		got := safeReturn(raw, r)
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.ContainsAny(got, "\\\x00\r\n\t") {
			t.Fatalf("safeReturn(%q) = %q leaves the site", raw, got)
		}
		u, err := url.Parse(got)
		if err != nil || u.Host != "" || u.Scheme != "" {
			t.Fatalf("safeReturn(%q) = %q parses as host %q scheme %q (%v)", raw, got, u.Host, u.Scheme, err)
		}
		// Resolved against the page, the browser stays on example.com.
		base, _ := url.Parse("http://example.com/page")
		if res := base.ResolveReference(u); res.Host != "example.com" {
			t.Fatalf("safeReturn(%q) = %q resolves to host %q", raw, got, res.Host)
		}
	})
}

// Whatever a form holds, parsing it never panics, and only ever accepts
// optional categories of the catalogue.
func FuzzParseDecision(f *testing.F) {
	cat, err := consent.NewCatalogue(testPolicy())
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"cookies%5Badditional%5D=yes", "cookies[analytics]=yes&cookies[marketing]=no", "cookies[hide]=yes", "cookies[essential]=yes", "cookies[=]=", "%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		d, err := parseDecision(form, cat)
		if err != nil {
			return
		}
		for _, c := range d.accepted {
			if !isOptional(cat, c) {
				t.Fatalf("accepted %q from %q", c, body)
			}
		}
		if _, err := cat.Decide(consent.Choices{}, d.accepted, time.Unix(1_800_000_000, 0)); err != nil {
			t.Fatalf("Decide rejected what parseDecision let through: %v", err)
		}
	})
}
