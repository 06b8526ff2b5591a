package middleware_test

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/consentgate/consentgate/consent"
	"github.com/consentgate/consentgate/middleware"
)

// Example shows what the Gate does to a page for a visitor who has not
// decided yet: the analytics cookie is dropped, the GA cookie the browser
// still holds is expired, and the gtag.js script is neutralised.
func Example() {
	cat, err := consent.NewCatalogue(consent.DefaultPolicy())
	if err != nil {
		log.Fatal(err)
	}
	// In production the key comes from the site's secret store.
	codec, err := consent.NewCodec(cat, consent.CodecOptions{Keys: []consent.Key{{Hash: bytes.Repeat([]byte("k"), 32)}}})
	if err != nil {
		log.Fatal(err)
	}
	gate, err := middleware.New(middleware.Options{Codec: codec, CookieDomain: "westshire.police.uk"})
	if err != nil {
		log.Fatal(err)
	}

	site := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "s1", Path: "/"})
		http.SetCookie(w, &http.Cookie{Name: "_gid", Value: "GA1.1.7", Path: "/"})
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<body><script async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script></body>`)
	})

	req := httptest.NewRequest(http.MethodGet, "https://www.westshire.police.uk/", nil)
	req.Header.Set("Cookie", "_ga=GA1.1.42")
	rec := httptest.NewRecorder()
	gate.Handler(site).ServeHTTP(rec, req)

	for _, c := range rec.Header().Values("Set-Cookie") {
		fmt.Println("Set-Cookie:", c)
	}
	fmt.Println("Cache-Control:", rec.Header().Get("Cache-Control"))
	fmt.Println(rec.Body.String())
	// Output:
	// Set-Cookie: session=s1; Path=/
	// Set-Cookie: _ga=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT
	// Set-Cookie: _ga=; Path=/; Domain=westshire.police.uk; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT
	// Cache-Control: private
	// <body><script type="text/plain" data-cg-category="analytics" async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script></body>
}

// ExampleGate_Handler mounts the Gate around a whole site. Compression, if
// any, goes outside the Gate. With chi or gorilla/mux, pass gate.Handler to
// the router's Use method instead.
func ExampleGate_Handler() {
	cat, err := consent.NewCatalogue(consent.DefaultPolicy())
	if err != nil {
		log.Fatal(err)
	}
	codec, err := consent.NewCodec(cat, consent.CodecOptions{Keys: []consent.Key{{Hash: bytes.Repeat([]byte("k"), 32)}}})
	if err != nil {
		log.Fatal(err)
	}
	gate, err := middleware.New(middleware.Options{Codec: codec})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		// Handlers read the visitor's choices from the context.
		fmt.Fprintln(w, "analytics allowed:", consent.Allowed(r.Context(), consent.Analytics))
	})
	srv := &http.Server{Addr: ":8080", Handler: gate.Handler(mux)}
	_ = srv // srv.ListenAndServe() in a real program
}
