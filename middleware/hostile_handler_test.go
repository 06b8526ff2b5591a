package middleware

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/consentgate/consentgate/consent"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests drive the Gate with handlers that misuse the ResponseWriter
// the way real handlers do, over a real server, and check what reaches the
// browser. They use the real rewriter: the question is always whether a
// tracker or a refused cookie got out, or the page broke.

// hostileTracker is the tag in page that must never reach an undecided
// visitor as written.
const hostileTracker = "<script src=https://www.googletagmanager.com/gtag/js></script>"

// hostileBanner is what hostileGate's banner renders.
const hostileBanner = `<div class="cg-banner">Cookies on this site</div>`

// hostileGate is a Gate with the real rewriter and a banner for undecided
// visitors, as a site runs it.
func hostileGate(t *testing.T, edit func(*Options)) testGate {
	t.Helper()
	return newTestGate(t, func(o *Options) {
		o.Banner = decidedBanner{}
		if edit != nil {
			edit(o)
		}
	})
}

// assertGated checks a body served to an undecided visitor: the tracker
// neutralised, the banner injected, the rest of the page intact.
func assertGated(t *testing.T, body string) {
	t.Helper()
	assert.NotContains(t, body, hostileTracker, "tracker let through as written")
	assert.Contains(t, body, `<script type="text/plain" data-cg-category="analytics"`)
	assert.Contains(t, body, hostileBanner)
	assert.Contains(t, body, "<p>Hello</p></body></html>", "page cut short")
}

func deflateRaw(s string) []byte {
	return compressed(s, func(w io.Writer) io.WriteCloser {
		zw, _ := flate.NewWriter(w, flate.DefaultCompression)
		return zw
	})
}

func deflateZlib(s string) []byte {
	return compressed(s, func(w io.Writer) io.WriteCloser { return zlib.NewWriter(w) })
}

// TestHostileContentLengthAfterRewrite: handlers and http.ServeContent set
// Content-Length for the bytes they write; the rewritten page is longer
// (banner, neutralised tags). A stale length would make browsers cut the
// page short or fail the response, so whatever order the handler does things
// in, the length on the wire must be the length sent.
func TestHostileContentLengthAfterRewrite(t *testing.T) {
	cl := strconv.Itoa(len(page))
	tests := map[string]http.HandlerFunc{
		"set before writing": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Length", cl)
			io.WriteString(w, page)
		},
		"set after a one-byte first write, untyped": func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, page[:1])
			w.Header().Set("Content-Length", cl)
			io.WriteString(w, page[1:])
		},
		"set before WriteHeader, type after it": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", cl)
			w.WriteHeader(http.StatusOK)
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, page)
		},
		"length of the gzip body": func(w http.ResponseWriter, r *http.Request) {
			b := gz(page)
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Length", strconv.Itoa(len(b)))
			w.Write(b)
		},
		"via io.Copy": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Length", cl)
			io.Copy(w, strings.NewReader(page))
		},
	}
	for name, h := range tests {
		t.Run(name, func(t *testing.T) {
			tg := hostileGate(t, nil)
			srv := tg.serve(t, h)
			resp, body := get(t, http.MethodGet, srv.URL, "", nil) // fails on a length mismatch
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			if got := resp.Header.Values("Content-Length"); len(got) > 0 {
				assert.Equal(t, []string{strconv.Itoa(len(body))}, got)
			}
			assert.Empty(t, resp.Header.Get("Content-Encoding"))
			assertGated(t, body)
		})
	}
}

// TestHostileTypeAndEncodingSpellings: media types and content codings are
// case-insensitive, and "x-gzip" and "identity" are spellings browsers
// accept; "deflate" arrives both zlib-wrapped and raw, and browsers decode
// both. Each must be gated, and sent decoded.
func TestHostileTypeAndEncodingSpellings(t *testing.T) {
	tests := []struct {
		name, ctype, encoding string
		body                  []byte
	}{
		{"upper-case type", "TEXT/HTML; charset=utf-8", "", []byte(page)},
		{"spaces around type", " text/html ;charset=UTF-8", "", []byte(page)},
		{"empty parameters", "text/html;;", "", []byte(page)},
		{"upper-case gzip", "text/html", "GZIP", gz(page)},
		{"x-gzip", "text/html", "x-gzip", gz(page)},
		{"identity", "text/html", "identity", []byte(page)},
		{"identity listed twice", "text/html", "identity, identity", []byte(page)},
		{"zlib deflate", "text/html", "deflate", deflateZlib(page)},
		{"raw deflate", "text/html", "Deflate", deflateRaw(page)},
		{"untyped gzip", "", "gzip", gz(page)},
		{"untyped raw deflate", "", "deflate", deflateRaw(page)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := hostileGate(t, nil)
			srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.ctype != "" {
					w.Header().Set("Content-Type", tt.ctype)
				}
				if tt.encoding != "" {
					w.Header().Set("Content-Encoding", tt.encoding)
				}
				for b := tt.body; len(b) > 0; { // split anywhere
					n := min(len(b), 11)
					w.Write(b[:n])
					b = b[n:]
				}
			}))
			resp, body := get(t, http.MethodGet, srv.URL, "", nil)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			for _, ce := range resp.Header.Values("Content-Encoding") {
				assert.NotContains(t, strings.ToLower(ce), "gzip", "sent decoded")
				assert.NotContains(t, strings.ToLower(ce), "deflate", "sent decoded")
			}
			assertGated(t, body)
			assert.NotContains(t, tg.logs.String(), "level=ERROR")
		})
	}
}

// TestHostileContentTypeAsBrowsersRead: browsers read Content-Type as one
// comma-separated list over all its lines, whatever the key's case, and
// take the last member they can parse (Chromium 156 checked by hand:
// "text/plain, text/html", "application/json;,text/html", a second line
// "text/html garbage" and a lower-case content-type line after the
// canonical one all render as HTML). A type that says nothing (*/*,
// unknown/unknown, application/unknown, no slash) makes them sniff. The
// bodies here do not sniff as HTML to Go, so only reading the header as a
// browser does gates them; pages the browser reads as text pass as written.
func TestHostileContentTypeAsBrowsersRead(t *testing.T) {
	textFirst := "Welcome\n" + page // text/plain to a sniffer, HTML to a browser told text/html
	tests := []struct {
		name  string
		edit  func(http.Header)
		body  string
		gated bool
	}{
		{"lower-case key", func(h http.Header) { h["content-type"] = []string{"text/html"} }, textFirst, true},
		{"upper-case key", func(h http.Header) { h["CONTENT-TYPE"] = []string{"text/html; charset=utf-8"} }, textFirst, true},
		{"lower-case key after text/plain", func(h http.Header) {
			h.Set("Content-Type", "text/plain")
			h["content-type"] = []string{"text/html"}
		}, textFirst, true},
		{"second value", func(h http.Header) { h["Content-Type"] = []string{"text/plain", "text/html"} }, textFirst, true},
		{"comma list", func(h http.Header) { h.Set("Content-Type", "text/plain, text/html") }, textFirst, true},
		{"comma in a parameter", func(h http.Header) { h.Set("Content-Type", "application/json;,text/html") }, textFirst, true},
		{"*/* after text/html is skipped", func(h http.Header) { h["Content-Type"] = []string{"text/html", "*/*"} }, textFirst, true},
		{"junk after the type", func(h http.Header) { h["Content-Type"] = []string{"text/plain", "text/html garbage"} }, textFirst, true},
		{"comment after the type", func(h http.Header) { h["Content-Type"] = []string{"text/plain", "text/html(x)"} }, textFirst, true},
		{"*/*", func(h http.Header) { h.Set("Content-Type", "*/*") }, page, true},
		{"unknown/unknown", func(h http.Header) { h.Set("Content-Type", "unknown/unknown") }, page, true},
		{"Application/Unknown", func(h http.Header) { h.Set("Content-Type", "Application/Unknown") }, page, true},
		{"no slash", func(h http.Header) { h.Set("Content-Type", "html") }, page, true},
		{"*/* with a parameter last", func(h http.Header) { h["Content-Type"] = []string{"text/plain", "*/*; q=1"} }, page, true},
		{"unknown after text/html", func(h http.Header) { h["Content-Type"] = []string{"text/html", "unknown/unknown"} }, page, true},
		{"lower-case unknown key", func(h http.Header) { h["content-type"] = []string{"unknown/unknown"} }, page, true},
		{"text/plain after an upper-case text/html", func(h http.Header) {
			h["CONTENT-TYPE"] = []string{"text/html"} // net/http writes it first: keys go out sorted
			h.Set("Content-Type", "text/plain")
		}, textFirst, false},
		{"comma inside a quoted parameter", func(h http.Header) { h.Set("Content-Type", `text/plain; a="x, text/html"`) }, textFirst, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := hostileGate(t, nil)
			srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				tt.edit(w.Header())
				io.WriteString(w, tt.body)
			}))
			resp, body := get(t, http.MethodGet, srv.URL, "", nil)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			if tt.gated {
				assertGated(t, body)
			} else {
				assert.Equal(t, tt.body, body, "a page the browser shows as text is left as written")
			}
		})
	}
}

// TestHostileRepresentationHeaderSpellings: net/http writes a header key as
// it is in the map, and browsers read it in any case, so a content-encoding,
// content-length, etag or accept-ranges set under another spelling means
// what the canonical one means. The Gate must decode and gate the body it
// announces, and remove it where it removes the canonical one.
func TestHostileRepresentationHeaderSpellings(t *testing.T) {
	tests := []struct {
		name   string
		method string
		h      http.HandlerFunc
		check  func(t *testing.T, resp *http.Response, body string)
	}{
		{"lower-case content-encoding on typed HTML", http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header()["content-encoding"] = []string{"gzip"}
			w.Write(gz(page))
		}, func(t *testing.T, resp *http.Response, body string) {
			assert.Empty(t, resp.Header.Values("Content-Encoding"), "sent decoded")
			assertGated(t, body)
		}},
		{"upper-case content-encoding, untyped", http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
			w.Header()["CONTENT-ENCODING"] = []string{"gzip"}
			w.Write(gz(page))
		}, func(t *testing.T, resp *http.Response, body string) {
			assert.Empty(t, resp.Header.Values("Content-Encoding"), "sent decoded")
			assertGated(t, body)
		}},
		{"lower-case content-encoding added while sniffing", http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusOK)
			w.Header()["content-encoding"] = []string{"gzip"} // after the status: void, as in net/http
			io.WriteString(w, page)
		}, func(t *testing.T, resp *http.Response, body string) {
			assert.Empty(t, resp.Header.Values("Content-Encoding"), "the body is identity")
			assertGated(t, body)
		}},
		{"lower-case content-length on a rewritten page", http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header()["content-length"] = []string{strconv.Itoa(len(page))}
			io.WriteString(w, page)
		}, func(t *testing.T, resp *http.Response, body string) {
			if got := resp.Header.Values("Content-Length"); len(got) > 0 {
				assert.Equal(t, []string{strconv.Itoa(len(body))}, got)
			}
			assertGated(t, body)
		}},
		{"lower-case content-length on HEAD", http.MethodHead, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header()["content-length"] = []string{strconv.Itoa(len(page))}
		}, func(t *testing.T, resp *http.Response, body string) {
			assert.Empty(t, resp.Header.Values("Content-Length"), "the page's length is not the gated page's")
		}},
		{"validators and ranges under other spellings", http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Type", "text/html")
			h["ETag"] = []string{`"v1"`}
			h["last-modified"] = []string{"Thu, 01 Jan 2026 00:00:00 GMT"}
			h["accept-ranges"] = []string{"bytes"}
			io.WriteString(w, page)
		}, func(t *testing.T, resp *http.Response, body string) {
			assert.Empty(t, resp.Header.Values("Etag"), "a validator of one consent state would revalidate another")
			assert.Empty(t, resp.Header.Values("Last-Modified"))
			assert.Empty(t, resp.Header.Values("Accept-Ranges"))
			assertGated(t, body)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := hostileGate(t, nil)
			srv := tg.serve(t, tt.h)
			resp, body := get(t, tt.method, srv.URL, "", nil)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			tt.check(t, resp, body)
		})
	}
}

// TestHostileUndecodableEncodingsPass: HTML in an encoding the Gate cannot
// decode (brotli, zstd, stacked codings) reaches the browser byte for byte
// with its Content-Encoding, so the site keeps working, and the operator is
// told once per interval, at Error, rather than once per request.
func TestHostileUndecodableEncodingsPass(t *testing.T) {
	for _, enc := range []string{"br", "zstd", "gzip, br", "gzip, gzip", "x-compress-unknown"} {
		t.Run(enc, func(t *testing.T) {
			tg := hostileGate(t, nil)
			payload := "\x1b\x2f\x00compressed-bytes"
			if enc == "gzip, gzip" {
				payload = string(gz(string(gz(page))))
			}
			srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.Header().Set("Content-Encoding", enc)
				io.WriteString(w, payload)
			}))
			for i := 0; i < 3; i++ {
				resp, body := get(t, http.MethodGet, srv.URL+"/news", "", nil)
				assert.Equal(t, http.StatusOK, resp.StatusCode)
				assert.Equal(t, payload, body)
				assert.Equal(t, []string{enc}, resp.Header.Values("Content-Encoding"))
			}
			logs := tg.logs.String()
			assert.Equal(t, 1, strings.Count(logs, "cannot decode"), logs)
			assert.Contains(t, logs, "level=ERROR")
			assert.Contains(t, logs, "path=/news")
		})
	}
}

// TestHostileGzipOddities: compressed bodies that are odd but occur. A
// second gzip member is decoded (and gated) too; a truncated stream can no
// longer fail the response (the 200 is out) but must not leak the raw tag;
// an empty body with a Content-Encoding is an empty page, not an error.
func TestHostileGzipOddities(t *testing.T) {
	tests := []struct {
		name     string
		body     []byte
		wantBody func(t *testing.T, body string)
	}{
		{"two members", append(gz(page[:60]), gz(page[60:])...), func(t *testing.T, body string) {
			assertGated(t, body)
		}},
		{"truncated", gz(page)[:len(gz(page))/2], func(t *testing.T, body string) {
			assert.NotContains(t, body, "googletagmanager.com/gtag/js>")
		}},
		{"empty", nil, func(t *testing.T, body string) {
			assert.Empty(t, body)
		}},
	}
	for _, tt := range tests {
		for _, typed := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s typed=%v", tt.name, typed), func(t *testing.T) {
				tg := hostileGate(t, nil)
				srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if typed {
						w.Header().Set("Content-Type", "text/html")
					}
					w.Header().Set("Content-Encoding", "gzip")
					w.Write(tt.body)
				}))
				resp, body := get(t, http.MethodGet, srv.URL, "", nil)
				assert.Equal(t, http.StatusOK, resp.StatusCode)
				assert.Empty(t, resp.Header.Values("Content-Encoding"))
				tt.wantBody(t, body)
			})
		}
	}
}

// TestHostileTinyWritesWaitForSniff: html/template and fmt write a page in
// many small pieces, often starting with a newline. Without a Content-Type
// the Gate must sniff the page, not its first byte: deciding on "\n" or "<"
// would call the page text/plain and show its source to the visitor.
func TestHostileTinyWritesWaitForSniff(t *testing.T) {
	for _, first := range []string{"\n", " ", "\t\n  ", "<", "<!DOCTYPE"} {
		t.Run(fmt.Sprintf("%q", first), func(t *testing.T) {
			tg := hostileGate(t, nil)
			doc := first + strings.TrimPrefix(page, "<!doctype html>")
			if first == "<" || first == "<!DOCTYPE" {
				doc = page
			}
			srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, doc[:len(first)])
				for _, c := range []byte(doc[len(first):]) {
					w.Write([]byte{c}) // one byte at a time
				}
			}))
			resp, body := get(t, http.MethodGet, srv.URL, "", nil)
			assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
			assertGated(t, body)
		})
	}
}

// TestHostileHeadersAddedWhileSniffing: while the Gate sniffs an untyped
// body it still holds the headers, so a tracker cookie or preload the
// handler adds after WriteHeader or after its first small write is still
// filtered (net/http would ignore it; it must not get out either way).
func TestHostileHeadersAddedWhileSniffing(t *testing.T) {
	for _, after := range []string{"WriteHeader", "first write"} {
		t.Run(after, func(t *testing.T) {
			tg := hostileGate(t, nil)
			srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if after == "WriteHeader" {
					w.WriteHeader(http.StatusOK)
				} else {
					io.WriteString(w, page[:5])
				}
				w.Header().Add("Set-Cookie", "_ga=GA1.1.1; Path=/")
				w.Header().Add("Set-Cookie", "session=s; Path=/")
				w.Header().Add("Link", "<https://www.googletagmanager.com/gtag/js?id=G-1>; rel=preload; as=script")
				if after == "WriteHeader" {
					io.WriteString(w, page)
				} else {
					io.WriteString(w, page[5:])
				}
			}))
			resp, body := get(t, http.MethodGet, srv.URL, "", nil)
			assert.Equal(t, []string{"session"}, cookieNames(resp))
			assert.Empty(t, resp.Header.Values("Link"))
			assertGated(t, body)
		})
	}
}

// TestHostileWriteHeaderMisuse: the first final status wins, as in net/http,
// and a late WriteHeader neither resets nor ungates the page.
func TestHostileWriteHeaderMisuse(t *testing.T) {
	tests := map[string]struct {
		h    http.HandlerFunc
		code int
	}{
		"twice": {func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusNotFound)
			w.WriteHeader(http.StatusOK)
			io.WriteString(w, page)
		}, http.StatusNotFound},
		"after writing": {func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, page[:20])
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, page[20:])
		}, http.StatusOK},
		"103 after the final status": {func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusOK)
			w.WriteHeader(http.StatusEarlyHints)
			io.WriteString(w, page)
		}, http.StatusOK},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			tg := hostileGate(t, nil)
			srv := tg.serve(t, tt.h)
			resp, body := get(t, http.MethodGet, srv.URL, "", nil)
			assert.Equal(t, tt.code, resp.StatusCode)
			assertGated(t, body)
		})
	}
}

// TestHostileSetCookieSpellings: net/http writes header keys as they are in
// the map, and browsers read Set-Cookie in any case; cookie prefixes, quoted
// values and nameless cookies are all cookies a tracker can use. Only the
// essential session cookie may reach an undecided visitor.
func TestHostileSetCookieSpellings(t *testing.T) {
	tg := hostileGate(t, nil)
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["set-cookie"] = []string{"_ga=GA1.1.1; Path=/", "session=s; Path=/"}
		h["SET-COOKIE"] = []string{"_fbp=fb.1; Path=/"}
		h["Set-cookie"] = []string{"_gid=GA1.1.2; Path=/"}
		h.Add("Set-Cookie", "__Host-_ga=1; Secure; Path=/")
		h.Add("Set-Cookie", "__Secure-_fbp=1; Secure; Path=/")
		h.Add("Set-Cookie", `_ga="GA1.1.3"; Path=/`)
		h.Add("Set-Cookie", "=_ga=GA1.1.4; Path=/")
		h.Add("Set-Cookie", " _gid =GA1.1.5")
		h.Set("Content-Type", "text/html")
		io.WriteString(w, page)
	}))
	resp, body := get(t, http.MethodGet, srv.URL, "", nil)
	assert.Equal(t, []string{"session=s; Path=/"}, resp.Header.Values("Set-Cookie"))
	assertGated(t, body)
}

// TestHostileConsentCookies: whatever the consent cookie holds — nothing,
// garbage, a forged or truncated signature, a huge value, an expired
// decision, one made under an older policy revision — the visitor is
// undecided: the page is served (never a 500), gated, with the banner.
// A valid decision among bad copies still counts.
func TestHostileConsentCookies(t *testing.T) {
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Add("Set-Cookie", "_ga=GA1.1.1; Path=/")
		io.WriteString(w, page)
	})
	tg := hostileGate(t, nil)
	srv := tg.serve(t, handler)
	good := tg.consentValue(t, tg.codec.Catalogue().Optional()...)
	forged := []byte(good)
	forged[len(forged)/2] ^= 1

	// The same decision, read a year and a day later.
	expired := hostileGate(t, func(o *Options) {
		cat, err := consent.NewCatalogue(consent.DefaultPolicy())
		require.NoError(t, err)
		o.Codec, err = consent.NewCodec(cat, consent.CodecOptions{Keys: []consent.Key{testKey}, Insecure: true,
			Now: func() time.Time { return time.Now().Add(consent.DefaultMaxAge + 24*time.Hour) }})
		require.NoError(t, err)
	})
	// The same decision, read after the site bumped its policy revision.
	bumped := hostileGate(t, func(o *Options) {
		p := consent.DefaultPolicy()
		p.Revision++
		cat, err := consent.NewCatalogue(p)
		require.NoError(t, err)
		o.Codec, err = consent.NewCodec(cat, consent.CodecOptions{Keys: []consent.Key{testKey}, Insecure: true})
		require.NoError(t, err)
	})
	undecided := map[string]struct {
		url    string
		cookie []string
	}{
		"no Cookie header":    {srv.URL, nil},
		"empty value":         {srv.URL, []string{"cookie_consent="}},
		"garbage":             {srv.URL, []string{"cookie_consent=%%%%; =; ;;; cookie_consent"}},
		"forged":              {srv.URL, []string{"cookie_consent=" + string(forged)}},
		"truncated":           {srv.URL, []string{"cookie_consent=" + good[:len(good)-5]}},
		"huge":                {srv.URL, []string{"cookie_consent=" + strings.Repeat("A", 64<<10)}},
		"a thousand copies":   {srv.URL, []string{strings.Repeat("cookie_consent=x; ", 1000)}},
		"expired":             {expired.serve(t, handler).URL, []string{"cookie_consent=" + good}},
		"old policy revision": {bumped.serve(t, handler).URL, []string{"cookie_consent=" + good}},
	}
	for name, tt := range undecided {
		t.Run(name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, tt.url, nil)
			require.NoError(t, err)
			if tt.cookie != nil {
				req.Header["Cookie"] = tt.cookie
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Empty(t, cookieNames(resp))
			assertGated(t, string(body))
		})
	}
	for name, cookie := range map[string][]string{
		"valid":                {"cookie_consent=" + good},
		"quoted":               {`cookie_consent="` + good + `"`},
		"after a forged copy":  {"cookie_consent=" + string(forged) + "; cookie_consent=" + good},
		"on a second line":     {"cookie_consent=garbage", "cookie_consent=" + good},
		"among other cookies":  {"_ga=GA1.1.1; cookie_consent=" + good + "; session=s"},
		"after a bare name":    {"cookie_consent; cookie_consent=" + good},
		"after a longer name":  {"xcookie_consent=1; cookie_consent=" + good},
		"with spaces and tabs": {"  cookie_consent=" + good + " ;\tsession=s"},
	} {
		t.Run("decided "+name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
			require.NoError(t, err)
			req.Header["Cookie"] = cookie
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, []string{"_ga"}, cookieNames(resp))
			assert.Equal(t, page, string(body), "accepted everything: the page as the handler wrote it")
		})
	}
}

// TestHostileFileServing: http.ServeContent and http.FileServer set
// Content-Length, Last-Modified and Accept-Ranges and copy through ReadFrom;
// a page they serve must be gated on every path (plain, Range, multi-range,
// no extension), and a HEAD must not advertise the un-rewritten length.
func TestHostileFileServing(t *testing.T) {
	modtime := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "page.html"), []byte(page), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "noext"), []byte(page), 0o644))
	tg := hostileGate(t, nil)
	mux := http.NewServeMux()
	mux.Handle("/files/", http.StripPrefix("/files/", http.FileServer(http.Dir(dir))))
	mux.HandleFunc("/content", func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(w, r, "page.html", modtime, strings.NewReader(page))
	})
	srv := tg.serve(t, mux)
	for _, path := range []string{"/content", "/files/page.html", "/files/noext"} {
		for name, hdr := range map[string]map[string]string{
			"whole":       nil,
			"range":       {"Range": "bytes=0-20"},
			"multi-range": {"Range": "bytes=0-10,40-60"},
			"if-range":    {"Range": "bytes=5-", "If-Range": modtime.Format(http.TimeFormat)},
		} {
			t.Run(path+" "+name, func(t *testing.T) {
				resp, body := get(t, http.MethodGet, srv.URL+path, "", hdr)
				assert.Equal(t, http.StatusOK, resp.StatusCode)
				assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
				if cl := resp.Header.Get("Content-Length"); cl != "" {
					assert.Equal(t, strconv.Itoa(len(body)), cl)
				}
				assert.Empty(t, resp.Header.Get("Accept-Ranges"))
				assert.Empty(t, resp.Header.Get("Last-Modified"))
				assertGated(t, body)
			})
		}
		t.Run(path+" HEAD", func(t *testing.T) {
			resp, body := get(t, http.MethodHead, srv.URL+path, "", nil)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Empty(t, body)
			assert.Empty(t, resp.Header.Get("Content-Length"), "the page's length is not the gated page's")
			assert.Empty(t, resp.Header.Get("Last-Modified"))
		})
	}
}

// TestHostileResponseControllerMidRewrite: handlers reach the server's
// optional interfaces through http.ResponseController; through the Gate they
// must work while a page is being rewritten, and Flush must send the
// rewritten part at once (streamed pages, slow back ends).
func TestHostileResponseControllerMidRewrite(t *testing.T) {
	tg := hostileGate(t, nil)
	release := make(chan struct{})
	errs := make(chan error, 8)
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		errs <- rc.EnableFullDuplex()
		errs <- rc.SetReadDeadline(time.Now().Add(time.Minute))
		errs <- rc.SetWriteDeadline(time.Now().Add(time.Minute))
		w.Header().Set("Content-Type", "text/html")
		i := strings.Index(page, "<p>")
		io.WriteString(w, page[:i])
		errs <- rc.Flush()
		<-release
		io.WriteString(w, page[i:])
		errs <- rc.SetWriteDeadline(time.Time{})
		close(errs)
	}))
	resp, err := http.Get(srv.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	first := readUntil(t, resp.Body, hostileBanner)
	assert.NotContains(t, first, hostileTracker)
	assert.Contains(t, first, `data-cg-category="analytics"`)
	close(release)
	rest, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assertGated(t, first+string(rest))
	for err := range errs {
		assert.NoError(t, err)
	}
}

// TestHostileAbortMidTag: a handler that flushes in the middle of a tracker
// tag and then aborts (http.ErrAbortHandler, a client gone) must not have
// sent the tag's unfinished start as written, and the pooled writer must
// serve the next request cleanly.
func TestHostileAbortMidTag(t *testing.T) {
	tg := hostileGate(t, nil)
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		if r.URL.Path == "/abort" {
			io.WriteString(w, "<!doctype html><html><body><p>x</p><script src=https://www.googletagmanager.com/gt")
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		}
		io.WriteString(w, page)
	}))
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Get(srv.URL + "/abort")
	require.NoError(t, err)
	got, _ := io.ReadAll(resp.Body) // ends in an error: the response was aborted
	resp.Body.Close()
	assert.Contains(t, string(got), "<p>x</p>", "what was complete was flushed")
	assert.NotContains(t, string(got), "googletagmanager")
	for i := 0; i < 3; i++ {
		_, body := get(t, http.MethodGet, srv.URL+"/ok", "", nil)
		assertGated(t, body)
	}
}

// TestHostileTrackerLinkVariants: a Link header makes the browser fetch
// before any HTML is parsed, so a preload or prefetch of a measurement
// endpoint is a hit in itself. Each spelling below is one a browser fetches
// as a tracker URL.
func TestHostileTrackerLinkVariants(t *testing.T) {
	tg := hostileGate(t, nil)
	for _, link := range []string{
		"<https://region1.google-analytics.com/g/collect?v=2&tid=G-1&en=page_view>; rel=preload; as=fetch; crossorigin",
		"<https://www.google-analytics.com/collect?v=1&tid=UA-1>; rel=prefetch",
		"<https://stats.g.doubleclick.net/g/collect?v=2>; rel=prefetch",
		"<https://www.facebook.com/tr/?id=1&ev=PageView>; rel=prefetch",
		"<https://connect.facebook.net/signals/config/123>; rel=preload; as=script",
		"<https://www.googletagmanager.com/gtm.js?id=GTM-X>; rel=preload; as=script",
		"<https://www.googletagmanager.com/ns.html?id=GTM-X>; rel=prefetch",
		"<https://googleads.g.doubleclick.net/pagead/viewthroughconversion/1/>; rel=prefetch",
		`<https://www.googletagmanager.com>; rel="dns-prefetch preconnect"`,
		`<https://www.googletagmanager.com/gtag/js?id=G-1>; rel="modulepreload"`,
		"<https://www%2Egoogletagmanager%2Ecom/gtag/js?id=G-1>; rel=preload",
		"<https://www.googletagmanager.com./gtag/js?id=G-1>; rel=preload",
		"<https://user@www.googletagmanager.com/gtag/js?id=G-1>; rel=preload",
		`<https://www.googletagmanager.com\gtag\js?id=G-1>; rel=preload`,
		"<https://www.googletagmanager.com/%67tag/js?id=G-1>; rel=preload",
	} {
		h := http.Header{"Link": {link, linkStyle}}
		tg.filterLinks(h, consent.Choices{})
		assert.Equal(t, []string{linkStyle}, h["Link"], "%s", link)
	}
}

// TestHostileConcurrentMixedBodies runs every body path at once (typed,
// sniffed, gzip typed and untyped, flushed, io.Copy), for visitors in
// different consent states, under -race: pooled writers, rewriters and
// decoders must never mix two responses.
func TestHostileConcurrentMixedBodies(t *testing.T) {
	tg := hostileGate(t, nil)
	paths := []string{"/typed", "/sniffed", "/gzip", "/gzip-untyped", "/flushed", "/copy"}
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", "_ga=GA1.1.1; Path=/")
		marked := strings.Replace(page, "Hello", "Hello "+r.URL.Query().Get("n"), 1)
		switch r.URL.Path {
		case "/typed":
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, marked)
		case "/sniffed":
			io.WriteString(w, marked)
		case "/gzip", "/gzip-untyped":
			if r.URL.Path == "/gzip" {
				w.Header().Set("Content-Type", "text/html")
			}
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			io.WriteString(zw, marked[:40])
			zw.Flush()
			w.(http.Flusher).Flush()
			io.WriteString(zw, marked[40:])
			zw.Close()
		case "/flushed":
			w.Header().Set("Content-Type", "text/html")
			for _, part := range strings.SplitAfter(marked, ">") {
				io.WriteString(w, part)
				w.(http.Flusher).Flush()
			}
		case "/copy":
			w.Header().Set("Content-Type", "text/html")
			io.Copy(w, bytes.NewReader([]byte(marked)))
		}
	}))
	everything := "cookie_consent=" + tg.consentValue(t, tg.codec.Catalogue().Optional()...)
	consented := func(i int) bool { return (i/len(paths))%3 == 0 }
	getConcurrently(t, 120, &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 16}, func(i int) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s%s?n=%d", srv.URL, paths[i%len(paths)], i), nil)
		if consented(i) {
			req.Header.Set("Cookie", everything)
		}
		return req
	}, func(i int, resp *http.Response, raw []byte) {
		path := paths[i%len(paths)]
		body := string(raw)
		if consented(i) && resp.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(raw))
			if !assert.NoError(t, err) {
				return
			}
			b, _ := io.ReadAll(zr)
			body = string(b)
		}
		assert.Contains(t, body, fmt.Sprintf("Hello %d<", i), "%s: another response's body", path)
		if consented(i) {
			assert.Equal(t, []string{"_ga"}, cookieNames(resp), path)
			assert.Contains(t, body, hostileTracker, path)
			assert.NotContains(t, body, hostileBanner, path)
		} else {
			assert.Empty(t, cookieNames(resp), path)
			assert.NotContains(t, body, hostileTracker, path)
			assert.Contains(t, body, hostileBanner, path)
		}
	})
}

// TestHostileTypeLeftToBrowser: a Content-Type that is nil (Go's documented
// way to stop its own sniffing) or empty, or a Content-Encoding of identity
// or "", leaves the type to the browser, which sniffs HTML and would run the
// tracker; the Gate must sniff and gate such a body too.
func TestHostileTypeLeftToBrowser(t *testing.T) {
	tests := []struct {
		name string
		edit func(http.Header)
	}{
		{"nil type", func(h http.Header) { h["Content-Type"] = nil }},
		{"empty type", func(h http.Header) { h.Set("Content-Type", "") }},
		{"blank types", func(h http.Header) { h["Content-Type"] = []string{" ", ""} }},
		{"identity encoding", func(h http.Header) { h.Set("Content-Encoding", "identity") }},
		{"empty encoding", func(h http.Header) { h.Set("Content-Encoding", "") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := hostileGate(t, nil)
			srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				tt.edit(w.Header())
				io.WriteString(w, page)
			}))
			resp, body := get(t, http.MethodGet, srv.URL, "", nil)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assertGated(t, body)
		})
	}
}

// TestHostileUntypedUndecodableLogged: an untyped body in an encoding the
// Gate cannot decode may be HTML the browser sniffs after decoding; it passes
// untouched, and the operator is told at Error.
func TestHostileUntypedUndecodableLogged(t *testing.T) {
	tg := hostileGate(t, nil)
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "br")
		io.WriteString(w, "not really brotli")
	}))
	resp, body := get(t, http.MethodGet, srv.URL, "", nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "not really brotli", body)
	assert.Contains(t, tg.logs.String(), "level=ERROR")
	assert.Contains(t, tg.logs.String(), "encoding=br")
}
