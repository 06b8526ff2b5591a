package middleware

import (
	"bytes"
	"compress/gzip"
	"github.com/consentgate/consentgate/consent"
	"github.com/consentgate/consentgate/internal/htmlgate"
	"io"
	"net/http"
	"net/http/httptest"
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
	f.Add([]byte{38}, []byte("<!doctype html><script src=https://www.googletagmanager.com/gtag/js></script>"))
	f.Add([]byte{2, 58}, []byte("<!doctype html><script src=https://www.googletagmanager.com/gtag/js></script>"))
	f.Add([]byte{5, 11, 31, 2, 41}, encodeUTF16("<!doctype html><script src=https://www.googletagmanager.com/gtag/js></script>😀", false, "x\xff\xfe")) // a UTF-16 BOM opens the first write
	tg := newTestGate(f, func(o *Options) { o.Banner = decidedBanner{} })
	// No 1xx: ResponseRecorder takes a 103 as the final status (the wire
	// tests cover 1xx over a real server).
	codes := []int{200, 201, 500, 204, 304, 404, 206, 302}
	f.Fuzz(func(t *testing.T, ops []byte, body []byte) {
		if len(ops) > 64 {
			ops = ops[:64]
		}
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(body)
		zw.Close()
		// sent is the body as the client should see it before gating: what
		// the handler wrote, with a gzip body decoded when the Gate could
		// still decide to decode it.
		var sent bytes.Buffer
		h := tg.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Add("Set-Cookie", "_ga=1")
			decided := false
			for i, op := range ops {
				chunk := body
				if len(body) > 0 {
					chunk = body[i%len(body):]
					chunk = chunk[:min(len(chunk), 1+int(op)%17)]
				}
				switch op % 10 {
				case 0:
					code := codes[int(op/10)%len(codes)]
					w.WriteHeader(code)
					decided = decided || code >= 200
				case 1:
					w.Write(chunk)
					sent.Write(chunk)
					decided = true
				case 2:
					w.(http.Flusher).Flush()
					decided = true
				case 3:
					io.WriteString(w, string(chunk))
					sent.Write(chunk)
					decided = true
				case 4:
					w.(io.ReaderFrom).ReadFrom(bytes.NewReader(chunk))
					sent.Write(chunk)
					decided = true
				case 5:
					w.Header().Set("Content-Type", "text/html; charset=utf-8")
				case 6:
					w.Header().Set("Content-Type", "text/plain")
				case 7:
					w.Header().Add("Set-Cookie", "_fbp=2")
				case 8:
					if op/10%2 == 0 {
						w.Header().Set("Content-Type", "text/html")
					} else {
						w.Header().Del("Content-Type") // decoded and sniffed
					}
					w.Header().Set("Content-Encoding", "gzip")
					g := gz.Bytes()
					w.Write(g[:len(g)/2])
					if op/20%2 == 1 {
						w.(http.Flusher).Flush()
					}
					w.Write(g[len(g)/2:])
					if decided {
						sent.Write(g) // too late to change the encoding: raw
					} else {
						sent.Write(body)
					}
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
		if res.StatusCode == http.StatusNoContent || res.StatusCode == http.StatusNotModified {
			return
		}
		want := sent.String()
		if contentTypeClass(res.Header.Values("Content-Type")) == mediaHTML && res.Header.Get("Content-Encoding") == "" {
			// Differential check: the streamed, flushed, decoded path must
			// give what the rewriter gives the whole body in one go.
			var banner []byte
			if res.StatusCode < 300 || res.StatusCode > 399 {
				var b bytes.Buffer
				decidedBanner{}.RenderBanner(&b, nil)
				banner = b.Bytes()
			}
			var ref bytes.Buffer
			var rw htmlgate.Rewriter
			rw.Reset(&ref, consent.Choices{}, nil, banner)
			doc := sent.Bytes()
			switch {
			case bytes.HasPrefix(doc, []byte("\xff\xfe")): // UTF-16, sent as UTF-8 (charset.go)
				doc = []byte(utf16Reference(doc, false))
			case bytes.HasPrefix(doc, []byte("\xfe\xff")):
				doc = []byte(utf16Reference(doc, true))
			}
			rw.Write(doc)
			rw.Close()
			want = ref.String()
		}
		if got := rec.Body.String(); got != want {
			t.Fatalf("status %d, type %q: body\n%q\nwant\n%q", res.StatusCode, res.Header.Get("Content-Type"), got, want)
		}
	})
}
