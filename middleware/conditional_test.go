package middleware

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestConditionalDocumentRequestsAreGated: a browser that cached a page
// before the Gate was deployed (with the ETag and Last-Modified the Gate
// now removes) revalidates it; a 304 would make it show that ungated copy,
// trackers and all, again. So for a request that may load a document the
// Gate drops If-None-Match and If-Modified-Since and the handler sends the
// page, which is gated. Images, scripts and styles keep their 304s, and so
// does a visitor with nothing to gate.
func TestConditionalDocumentRequestsAreGated(t *testing.T) {
	modtime := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	tg := newTestGate(t, nil)
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Etag", `"v1"`)
		content := page
		if r.URL.Path != "/" {
			content = "body{color:red}"
		}
		http.ServeContent(w, r, r.URL.Path, modtime, strings.NewReader(content))
	}))
	everything := "cookie_consent=" + tg.consentValue(t, tg.codec.Catalogue().Optional()...)
	const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	tests := []struct {
		name, path, cookie string
		hdr                map[string]string
		want               int
	}{
		{name: "navigation", path: "/", hdr: map[string]string{"Sec-Fetch-Dest": "document", "Accept": browserAccept}, want: http.StatusOK},
		{name: "iframe", path: "/", hdr: map[string]string{"Sec-Fetch-Dest": "iframe"}, want: http.StatusOK},
		{name: "frame", path: "/", hdr: map[string]string{"Sec-Fetch-Dest": "frame"}, want: http.StatusOK},
		{name: "embed", path: "/", hdr: map[string]string{"Sec-Fetch-Dest": "embed"}, want: http.StatusOK},
		{name: "object", path: "/", hdr: map[string]string{"Sec-Fetch-Dest": "object"}, want: http.StatusOK},
		{name: "fenced frame", path: "/", hdr: map[string]string{"Sec-Fetch-Dest": "fencedframe"}, want: http.StatusOK},
		{name: "older browser navigating", path: "/", hdr: map[string]string{"Accept": browserAccept}, want: http.StatusOK},
		{name: "Accept in any case", path: "/", hdr: map[string]string{"Accept": "Text/HTML"}, want: http.StatusOK},
		{name: "stylesheet", path: "/site.css", hdr: map[string]string{"Sec-Fetch-Dest": "style", "Accept": "text/css,*/*;q=0.1"}, want: http.StatusNotModified},
		{name: "script", path: "/app.js", hdr: map[string]string{"Sec-Fetch-Dest": "script", "Accept": "*/*"}, want: http.StatusNotModified},
		{name: "image", path: "/logo.png", hdr: map[string]string{"Sec-Fetch-Dest": "image", "Accept": "image/avif,image/webp,*/*"}, want: http.StatusNotModified},
		{name: "fetch() says empty, even asking for HTML", path: "/", hdr: map[string]string{"Sec-Fetch-Dest": "empty", "Accept": "text/html"}, want: http.StatusNotModified},
		{name: "no Sec-Fetch-Dest, no HTML asked", path: "/site.css", hdr: map[string]string{"Accept": "*/*"}, want: http.StatusNotModified},
		{name: "nothing to gate for this visitor", path: "/", cookie: everything, hdr: map[string]string{"Sec-Fetch-Dest": "document"}, want: http.StatusNotModified},
	}
	for validator, value := range map[string]string{
		"If-None-Match":     `"v1"`,
		"If-Modified-Since": modtime.Format(http.TimeFormat),
	} {
		for _, tt := range tests {
			t.Run(validator+", "+tt.name, func(t *testing.T) {
				hdr := map[string]string{validator: value}
				for k, v := range tt.hdr {
					hdr[k] = v
				}
				resp, body := get(t, http.MethodGet, srv.URL+tt.path, tt.cookie, hdr)
				assert.Equal(t, tt.want, resp.StatusCode)
				if tt.want == http.StatusOK && tt.cookie == "" {
					assert.Contains(t, body, `<script type="text/plain" data-cg-category="analytics"`, "the page comes gated")
					assert.Empty(t, resp.Header.Values("Etag"), "and without a validator to revalidate it by")
				}
			})
		}
	}
}
