package middleware

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestRangeRequestsAreGated: a range of a page cannot be rewritten, so the
// Gate asks the handler for the whole page, which is then gated; a visitor
// with nothing to gate, and a media element, keep their ranges.
func TestRangeRequestsAreGated(t *testing.T) {
	modtime := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	video := strings.Repeat("\x00\x00\x00\x18ftypmp42", 20)
	for _, banner := range []bool{false, true} {
		tg := newTestGate(t, func(o *Options) {
			if banner {
				o.Banner = &stubBanner{}
			}
		})
		srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/film.mp4" {
				http.ServeContent(w, r, "film.mp4", modtime, strings.NewReader(video))
				return
			}
			http.ServeContent(w, r, "page.html", modtime, strings.NewReader(page))
		}))
		everything := "cookie_consent=" + tg.consentValue(t, tg.codec.Catalogue().Optional()...)
		tests := []struct {
			name, path, cookie string
			hdr                map[string]string
			wantCode           int
			wantBody           string
		}{
			{name: "range of a page", path: "/", hdr: map[string]string{"Range": "bytes=0-60"},
				wantCode: http.StatusOK, wantBody: `<script type="text/plain" data-cg-category="analytics"`},
			{name: "if-range", path: "/", hdr: map[string]string{"Range": "bytes=0-60", "If-Range": modtime.Format(http.TimeFormat)},
				wantCode: http.StatusOK, wantBody: `data-cg-category="analytics"`},
			{name: "suffix range", path: "/", hdr: map[string]string{"Range": "bytes=-40"},
				wantCode: http.StatusOK, wantBody: `data-cg-category="analytics"`},
			{name: "video element keeps its range", path: "/film.mp4", hdr: map[string]string{"Range": "bytes=0-1", "Sec-Fetch-Dest": "video"},
				wantCode: http.StatusPartialContent, wantBody: video[:2]},
		}
		if !banner {
			tests = append(tests, struct {
				name, path, cookie string
				hdr                map[string]string
				wantCode           int
				wantBody           string
			}{name: "nothing to gate: range kept", path: "/", cookie: everything, hdr: map[string]string{"Range": "bytes=0-9"},
				wantCode: http.StatusPartialContent, wantBody: page[:10]})
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				resp, body := get(t, http.MethodGet, srv.URL+tt.path, tt.cookie, tt.hdr)
				assert.Equal(t, tt.wantCode, resp.StatusCode)
				if tt.wantCode == http.StatusOK {
					assert.Empty(t, resp.Header.Get("Content-Range"))
					assert.Contains(t, body, tt.wantBody)
					assert.Contains(t, body, "</html>", "the whole page")
				} else {
					assert.Equal(t, tt.wantBody, body)
				}
			})
		}
	}
}

// TestUnaskedRangeLogged: a handler that answers with a part of a page the
// Gate did not ask for passes through (it cannot be rewritten) and is logged,
// once per interval.
func TestUnaskedRangeLogged(t *testing.T) {
	tg := newTestGate(t, nil)
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Range", "bytes 0-9/100")
		w.WriteHeader(http.StatusPartialContent)
		w.Write([]byte(page[:10]))
	}))
	for i := 0; i < 3; i++ {
		resp, body := get(t, http.MethodGet, srv.URL+"/news?q=secret", "", nil)
		assert.Equal(t, http.StatusPartialContent, resp.StatusCode)
		assert.Equal(t, page[:10], body)
	}
	logs := tg.logs.String()
	assert.Equal(t, 1, strings.Count(logs, "Content-Range"), logs)
	assert.Contains(t, logs, "level=ERROR")
	assert.Contains(t, logs, `content-range="bytes 0-9/100" path=/news`)
	assert.NotContains(t, logs, "secret", "no query string in logs")
}
