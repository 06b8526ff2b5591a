package middleware

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzWriterOps drives the Gate's ResponseWriter with arbitrary sequences
// of handler calls. It must never panic, never let a tracker cookie out
// without consent, and never let a gtag.js script through un-neutralised in
// an HTML body for an undecided visitor.
func FuzzWriterOps(f *testing.F) {
	f.Add([]byte{5, 1, 2, 1, 7}, []byte("<body><script src=https://www.googletagmanager.com/gtag/js></script>"))
	f.Add([]byte{6, 0, 1, 3, 4}, []byte("<p>hi</p>"))
	f.Add([]byte{8, 1, 2, 2, 1}, []byte("<script src=https://www.googletagmanager.com/gtag/js></script>"))
	f.Add([]byte{2, 1, 1, 1}, []byte("<!doctype html><script src=https://www.googletagmanager.com/gtag/js></script>"))
	tg := newTestGate(f, func(o *Options) { o.Banner = decidedBanner{} })
	codes := []int{200, 103, 100, 204, 304, 404, 206, 302}
	f.Fuzz(func(t *testing.T, ops []byte, body []byte) {
		if len(ops) > 64 {
			ops = ops[:64]
		}
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(body)
		zw.Close()
		h := tg.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Add("Set-Cookie", "_ga=1")
			for i, op := range ops {
				chunk := body
				if len(body) > 0 {
					chunk = body[i%len(body):]
					chunk = chunk[:min(len(chunk), 1+int(op)%17)]
				}
				switch op % 10 {
				case 0:
					w.WriteHeader(codes[int(op/10)%len(codes)])
				case 1:
					w.Write(chunk)
				case 2:
					w.(http.Flusher).Flush()
				case 3:
					io.WriteString(w, string(chunk))
				case 4:
					w.(io.ReaderFrom).ReadFrom(bytes.NewReader(chunk))
				case 5:
					w.Header().Set("Content-Type", "text/html; charset=utf-8")
				case 6:
					w.Header().Set("Content-Type", "text/plain")
				case 7:
					w.Header().Add("Set-Cookie", "_fbp=2")
				case 8:
					w.Header().Set("Content-Type", "text/html")
					w.Header().Set("Content-Encoding", "gzip")
					w.Write(gz.Bytes())
					return
				case 9:
					w.Header().Set("Content-Length", "3")
				}
			}
		}))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		// Result holds the headers as sent (the recorder's live map would
		// also show what the handler added after they left).
		res := rec.Result()
		for _, v := range res.Header.Values("Set-Cookie") {
			if n := setCookieName(v); n == "_ga" || n == "_fbp" {
				t.Fatalf("tracker cookie %q let through", v)
			}
		}
		if isHTML(res.Header.Get("Content-Type")) && res.Header.Get("Content-Encoding") == "" &&
			strings.Contains(rec.Body.String(), "<script src=https://www.googletagmanager.com/gtag/js>") {
			t.Fatalf("gtag.js left runnable in %q", rec.Body.String())
		}
	})
}
