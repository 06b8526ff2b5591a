package banner_test

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/consentgate/consentgate/banner"
	"github.com/consentgate/consentgate/consent"
)

// newCodec returns a consent cookie codec for the default policy. A real site
// loads its key from its secret store.
func newCodec() *consent.Codec {
	cat, err := consent.NewCatalogue(consent.DefaultPolicy())
	if err != nil {
		panic(err)
	}
	codec, err := consent.NewCodec(cat, consent.CodecOptions{
		Keys: []consent.Key{{Hash: []byte("example signing key, 32 bytes or more")}},
	})
	if err != nil {
		panic(err)
	}
	return codec
}

// A site mounts the banner's routes, puts Head in every page's <head> and
// lets the Gate inject the banner (or renders Fragment itself, as here).
func Example() {
	b, err := banner.New(banner.Options{
		Codec:       newCodec(),
		ServiceName: consent.Text{EN: "Westshire Police", CY: "Heddlu Westshire"},
		CSRFKey:     []byte("example CSRF key, 32 bytes or more"),
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	b.Mount(mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fragment, _ := b.Fragment(r)
		fmt.Fprintf(w, "<!DOCTYPE html><html lang=en><head>%s</head><body>%s<main>…</main></body></html>", b.Head(r), fragment)
	})

	r := httptest.NewRequest(http.MethodGet, "/news", nil)
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, r)
	page := w.Body.String()
	fmt.Println(strings.Contains(page, `aria-label="Cookies on Westshire Police"`))
	fmt.Println(strings.Contains(page, `>Reject additional cookies</button>`))
	fmt.Println(b.Patterns())
	// Output:
	// true
	// true
	// [/cookies /cy/cookies /cookies/assets/]
}

// Without JavaScript the banner posts a plain form; the handler stores the
// decision, records proof of it and sends the visitor back with a
// confirmation pending.
func ExampleBanner_Handler() {
	var logged consent.Record
	b, err := banner.New(banner.Options{
		Codec:   newCodec(),
		CSRFKey: []byte("example CSRF key, 32 bytes or more"),
		Recorder: consent.RecorderFunc(func(_ context.Context, rec consent.Record) error {
			logged = rec
			return nil
		}),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		panic(err)
	}

	// The visitor's browser first loads a page carrying the banner form.
	page := httptest.NewRequest(http.MethodGet, "https://police.example/news", nil)
	fragment, _ := b.Fragment(page)
	token := between(string(fragment), `name="csrf_token" value="`, `"`)

	form := url.Values{"csrf_token": {token}, "return": {"/news"}, "cookies[additional]": {"no"}}
	post := httptest.NewRequest(http.MethodPost, "https://police.example/cookies", strings.NewReader(form.Encode()))
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	post.Header.Set("Origin", "https://police.example")
	post.Header.Set("Sec-Fetch-Site", "same-origin")
	w := httptest.NewRecorder()
	b.Handler().ServeHTTP(w, post)

	fmt.Println(w.Code, w.Header().Get("Location"))
	for _, c := range w.Result().Cookies() {
		fmt.Println(c.Name)
	}
	fmt.Println(logged.Method, logged.Refused)
	// Output:
	// 303 /news
	// cookie_consent_csrf
	// cookie_consent
	// cookie_consent_flash
	// reject-all [analytics marketing]
}

func between(s, start, end string) string {
	_, after, _ := strings.Cut(s, start)
	v, _, _ := strings.Cut(after, end)
	return v
}

// DefaultLanguage picks Welsh from the path, the lang parameter or
// Accept-Language.
func ExampleDefaultLanguage() {
	for _, target := range []string{"/cy/newyddion", "/news?lang=cy", "/news"} {
		r := httptest.NewRequest(http.MethodGet, target, nil)
		fmt.Println(target, banner.DefaultLanguage(r))
	}
	// Output:
	// /cy/newyddion cy
	// /news?lang=cy cy
	// /news en
}

// A site that wants the cookies page in its own layout serves GET itself and
// leaves the POST to the banner's handler.
func ExampleBanner_SettingsContent() {
	b, err := banner.New(banner.Options{
		Codec:   newCodec(),
		CSRFKey: []byte("example CSRF key, 32 bytes or more"),
	})
	if err != nil {
		panic(err)
	}
	layout := template.Must(template.New("layout").Parse(
		`<!DOCTYPE html><html lang="en"><head><title>Cookies</title>{{.Head}}</head><body><main>{{.Content}}</main></body></html>`))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /cookies", func(w http.ResponseWriter, r *http.Request) {
		content, err := b.SettingsContent(w, r) // before anything is written: it may set a cookie
		if err != nil {
			http.Error(w, "Sorry, there is a problem with the service", http.StatusInternalServerError)
			return
		}
		_ = layout.Execute(w, map[string]any{"Head": b.Head(r), "Content": content})
	})
	mux.Handle("POST /cookies", b.Handler())

	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/cookies", nil))
	page := w.Body.String()
	fmt.Println(strings.Contains(page, "<h2>Change your cookie settings</h2>"))
	fmt.Println(strings.Count(page, `value="no" checked`))
	fmt.Println(w.Result().Cookies()[0].Name)
	// Output:
	// true
	// 2
	// cookie_consent_csrf
}
