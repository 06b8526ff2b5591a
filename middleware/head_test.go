package middleware

import (
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestHEADHeadersMatchGET: a HEAD response carries the headers the GET of
// the same URL would (RFC 9110 9.3.2); clients and caches use them to judge
// the GET. Where the Gate rewrites the GET's page, a Content-Length from the
// handler (or one net/http would count from the body a handler writes for
// HEAD too) is the length of the page before rewriting, so the HEAD must not
// carry it; and the type, encoding and validators must be the ones the
// rewritten GET goes out with. Whether the page is typed or sniffed makes
// no difference. Only a handler that writes no body for HEAD and names no
// type leaves the Gate nothing to sniff: then at least the length goes.
func TestHEADHeadersMatchGET(t *testing.T) {
	gzPage := gz(page)
	bodyless := "untyped HTML, no body for HEAD"
	handlers := map[string]http.HandlerFunc{
		"typed HTML with a length": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Length", strconv.Itoa(len(page)))
			w.Header().Set("Etag", `"v1"`)
			io.WriteString(w, page)
		},
		"untyped HTML with a length": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(len(page)))
			w.Header().Set("Etag", `"v1"`)
			w.Header().Set("Accept-Ranges", "bytes")
			io.WriteString(w, page)
		},
		"untyped HTML, length left to net/http": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Last-Modified", "Wed, 25 Nov 2026 10:00:00 GMT")
			io.WriteString(w, page)
		},
		bodyless: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(len(page)))
			if r.Method != http.MethodHead {
				io.WriteString(w, page)
			}
		},
		"untyped text with a length": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "19")
			w.Header().Set("Etag", `"v1"`)
			io.WriteString(w, "plain <script> text")
		},
		"typed gzip HTML": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Length", strconv.Itoa(len(gzPage)))
			w.Write(gzPage)
		},
		"untyped gzip HTML": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Length", strconv.Itoa(len(gzPage)))
			zw := gzip.NewWriter(w)
			io.WriteString(zw, page)
			zw.Close()
		},
		"typed UTF-16 HTML": func(w http.ResponseWriter, r *http.Request) {
			b := encodeUTF16(page, false, "")
			w.Header().Set("Content-Type", "text/html; charset=utf-16le")
			w.Header().Set("Content-Length", strconv.Itoa(len(b)))
			w.Write(b)
		},
	}
	for name, h := range handlers {
		for _, visitor := range []string{"undecided", "accepted all"} {
			t.Run(name+", "+visitor, func(t *testing.T) {
				tg := hostileGate(t, nil)
				srv := tg.serve(t, h)
				cookie := ""
				if visitor == "accepted all" {
					cookie = "cookie_consent=" + tg.consentValue(t, tg.codec.Catalogue().Optional()...)
				}
				getResp, body := get(t, http.MethodGet, srv.URL, cookie, nil)
				headResp, _ := get(t, http.MethodHead, srv.URL, cookie, nil)
				if cl := headResp.Header.Values("Content-Length"); cl != nil {
					assert.Equal(t, []string{strconv.Itoa(len(body))}, cl, "a HEAD's length is the GET's")
				}
				if name == bodyless {
					return
				}
				for _, k := range []string{"Content-Type", "Content-Encoding", "Etag", "Last-Modified", "Accept-Ranges", "Vary", "Cache-Control"} {
					assert.Equal(t, getResp.Header.Values(k), headResp.Header.Values(k), k)
				}
			})
		}
	}
}
