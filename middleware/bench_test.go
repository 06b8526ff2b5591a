package middleware

import (
	"crypto/hmac"
	"crypto/sha256"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/consentgate/consentgate/consent"
)

// benchWriter is a ResponseWriter that discards the body and reuses its
// header map, so benchmarks measure the Gate, not the recorder.
type benchWriter struct {
	h    http.Header
	code int
	n    int
}

func (w *benchWriter) Header() http.Header         { return w.h }
func (w *benchWriter) WriteHeader(code int)        { w.code = code }
func (w *benchWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }
func (w *benchWriter) reset()                      { clear(w.h); w.code, w.n = 0, 0 }

var threeCookies = []string{
	"session=abc123; Path=/; HttpOnly; Secure",
	"_ga=GA1.2.1234567890.1700000000; Path=/; Max-Age=63072000",
	"_fbp=fb.1.1700000000.123456; Path=/; Max-Age=7776000",
}

// benchPair runs the same handler bare and behind the Gate in one run, so the
// difference is the Gate's cost on this machine, now.
// benchGate is a Gate as production runs it: logging at Info level.
func benchGate(b *testing.B) testGate {
	return newTestGate(b, func(o *Options) {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	})
}

// benchChoices is a variable so the compiler cannot box a constant zero
// value for free, as it could not in the Gate.
var benchChoices consent.Choices

func benchPair(b *testing.B, tg testGate, cookie string, h http.Handler) {
	req, _ := http.NewRequest(http.MethodGet, "https://www.westshire.police.uk/", nil)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	run := func(b *testing.B, h http.Handler) {
		w := &benchWriter{h: http.Header{}}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			w.reset()
			h.ServeHTTP(w, req)
		}
	}
	b.Run("bare", func(b *testing.B) { run(b, h) })
	// The contract puts a decided visitor's Choices in the request
	// context, which costs two allocations (request copy, context node)
	// whatever the wrapper does: this baseline pays only that, so for a
	// decided visitor gate minus context is the Gate's own cost. For an
	// undecided one the Gate leaves the context alone, so compare with bare.
	b.Run("context", func(b *testing.B) {
		run(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h.ServeHTTP(w, r.WithContext(consent.WithChoices(r.Context(), benchChoices)))
		}))
	})
	b.Run("gate", func(b *testing.B) { run(b, tg.Handler(h)) })
}

func BenchmarkNoCookies(b *testing.B) {
	tg := benchGate(b)
	benchPair(b, tg, "", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = textPlain
		w.Write(okBody)
	}))
}

var (
	textPlain = []string{"text/plain"}
	okBody    = []byte("ok")
)

// BenchmarkSetCookies: three Set-Cookie headers, two of them trackers the
// undecided visitor has not accepted.
func BenchmarkSetCookies(b *testing.B) {
	tg := benchGate(b)
	var buf []string
	benchPair(b, tg, "", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf = append(buf[:0], threeCookies...)
		w.Header()["Set-Cookie"] = buf
		w.Header()["Content-Type"] = textPlain
		w.Write(okBody)
	}))
}

// BenchmarkConsentCookie: a valid consent cookie among other cookies, read
// and verified on every request.
func BenchmarkConsentCookie(b *testing.B) {
	tg := benchGate(b)
	cookie := "session=abc123; cookie_consent=" + tg.consentValue(b, consent.Analytics) + "; _ga=GA1.2.3"
	benchPair(b, tg, cookie, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = textPlain
		w.Write(okBody)
	}))
}

// BenchmarkHMAC is the floor PERFORMANCE.md compares consent reading with:
// one HMAC-SHA256 over ~42 bytes, reused.
func BenchmarkHMAC(b *testing.B) {
	mac := hmac.New(sha256.New, testKey.Hash)
	msg := []byte("cookie_consent|1700000000|AQAAAAAAAAAAAAAAAAAAAAAAAAAA")
	var sum [sha256.Size]byte
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		mac.Reset()
		mac.Write(msg)
		mac.Sum(sum[:0])
	}
}

// BenchmarkHTMLPage: a ~100 KB page with the vendor snippets, for an
// undecided visitor (rewritten, banner-free) against the bare handler.
func BenchmarkHTMLPage(b *testing.B) {
	tg := benchGate(b)
	page := benchPage(b)
	htmlType := []string{"text/html; charset=utf-8"}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = htmlType
		for p := page; len(p) > 0; {
			n := min(len(p), 4096)
			w.Write(p[:n])
			p = p[n:]
		}
	})
	b.SetBytes(int64(len(page)))
	benchPair(b, tg, "", handler)
	everything := "cookie_consent=" + tg.consentValue(b, tg.codec.Catalogue().Optional()...)
	b.Run("consented", func(b *testing.B) { benchPair(b, tg, everything, handler) })
}

func benchPage(b *testing.B) []byte {
	files, err := filepath.Glob("../internal/htmlgate/testdata/*.html")
	if err != nil || len(files) == 0 {
		b.Fatal("no vendor snippets", err)
	}
	var sb strings.Builder
	sb.WriteString("<!doctype html><html lang=en><head><meta charset=utf-8><title>Westshire Police</title>")
	for _, f := range files {
		s, _ := os.ReadFile(f)
		sb.Write(s)
	}
	sb.WriteString(`<link rel=stylesheet href="/assets/site.css"></head><body class=app><a class=skip href="#main">Skip to main content</a>`)
	for sb.Len() < 100<<10 {
		sb.WriteString(`<div class="card"><h2><a href="/news/item">Appeal for witnesses after collision</a></h2><p>Officers are appealing for information following a collision on the <strong>A46</strong> on Tuesday evening.</p><img src="/img/thumb.jpg" alt=""></div>`)
	}
	sb.WriteString("</body></html>")
	return []byte(sb.String())
}

// BenchmarkFilterSetCookies isolates the Set-Cookie filter: three headers,
// two of them trackers, against the same header set-up without filtering.
func BenchmarkFilterSetCookies(b *testing.B) {
	tg := benchGate(b)
	h := http.Header{"Content-Type": {"text/html"}, "Cache-Control": {"no-cache"}, "X-Frame-Options": {"DENY"}}
	var buf []string
	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			buf = append(buf[:0], threeCookies...)
			h["Set-Cookie"] = buf
		}
	})
	b.Run("filter", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			buf = append(buf[:0], threeCookies...)
			h["Set-Cookie"] = buf
			// All the Set-Cookie filtering a response gets: the header
			// pass, then the filter.
			vals, _ := scanHeaders(h)
			tg.filterSetCookieSlice(h, vals, consent.Choices{})
		}
	})
}

// BenchmarkReadConsent isolates reading and verifying the consent cookie;
// compare with BenchmarkHMAC from the same run.
func BenchmarkReadConsent(b *testing.B) {
	tg := benchGate(b)
	req, _ := http.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Cookie", "session=abc123; cookie_consent="+tg.consentValue(b, consent.Analytics)+"; _ga=GA1.2.3")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if !tg.choices(req).Decided() {
			b.Fatal("not decided")
		}
	}
}

// BenchmarkServer serves the 100 KB page and a stylesheet over loopback
// through a real net/http server, bare and behind the Gate, in one run
// (PERFORMANCE.md section 4 compares these ratios).
func BenchmarkServer(b *testing.B) {
	tg := benchGate(b)
	page := benchPage(b)
	css := []byte(strings.Repeat("body{margin:0}\n", 2000))
	mux := http.NewServeMux()
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	mux.HandleFunc("/site.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		w.Write(css)
	})
	everything := "cookie_consent=" + tg.consentValue(b, tg.codec.Catalogue().Optional()...)
	for _, c := range []struct{ name, path, cookie string }{
		{"html-undecided", "/page", ""},
		{"html-consented", "/page", everything},
		{"css", "/site.css", ""},
	} {
		for _, v := range []struct {
			name string
			h    http.Handler
		}{{"bare", mux}, {"gate", tg.Handler(mux)}} {
			b.Run(c.name+"/"+v.name, func(b *testing.B) {
				srv := httptest.NewServer(v.h)
				defer srv.Close()
				client := srv.Client()
				req, _ := http.NewRequest(http.MethodGet, srv.URL+c.path, nil)
				if c.cookie != "" {
					req.Header.Set("Cookie", c.cookie)
				}
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					resp, err := client.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			})
		}
	}
}

// BenchmarkLinkHeader: the cost of a Link header, which is only parsed when
// present. "first-party" is a WordPress-style API link (matched whole, kept
// untouched); "tracker" holds a tracker beside a stylesheet, so the line is
// split and rebuilt. Compare with BenchmarkNoCookies, which has no Link.
func BenchmarkLinkHeader(b *testing.B) {
	tg := benchGate(b)
	for _, tt := range []struct{ name, link string }{
		{"first-party", `<https://www.westshire.police.uk/wp-json/>; rel="https://api.w.org/"`},
		{"tracker", "</style.css>; rel=preload; as=style, <https://www.googletagmanager.com/gtag/js?id=G-1>; rel=preload; as=script"},
	} {
		b.Run(tt.name, func(b *testing.B) {
			link := []string{tt.link}
			benchPair(b, tg, "", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header()["Link"] = append(link[:0:0], link...)
				w.Header()["Content-Type"] = textPlain
				w.Write([]byte("ok"))
			}))
		})
	}
}
