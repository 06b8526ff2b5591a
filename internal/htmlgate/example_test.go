package htmlgate_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/consentgate/consentgate/consent"
	"github.com/consentgate/consentgate/internal/htmlgate"
)

// A visitor who has not decided gets the banner after <body>, the GA4 tag
// neutralised and the Meta Pixel's noscript image removed.
func ExampleRewriter() {
	var w htmlgate.Rewriter
	w.Reset(os.Stdout, consent.Choices{}, nil, []byte(`<div id="banner">…</div>`))
	page := `<body><script async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>` +
		`<noscript><img src="https://www.facebook.com/tr?id=1&ev=PageView"></noscript><p>News</p></body>`
	// Any split into writes gives the same output.
	for _, part := range []string{page[:30], page[30:95], page[95:]} {
		if _, err := w.Write([]byte(part)); err != nil {
			panic(err)
		}
	}
	if err := w.Close(); err != nil {
		panic(err)
	}
	// Output:
	// <body><div id="banner">…</div><script type="text/plain" data-cg-category="analytics" async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script><p>News</p></body>
}

// With analytics accepted, analytics tags pass untouched; the marketing
// embed stays off.
func ExampleRewriter_partialConsent() {
	cat, err := consent.NewCatalogue(consent.DefaultPolicy())
	if err != nil {
		panic(err)
	}
	ch, err := cat.Decide(consent.Choices{}, []consent.Category{consent.Analytics}, time.Now())
	if err != nil {
		panic(err)
	}
	var out strings.Builder
	var w htmlgate.Rewriter
	w.Reset(&out, ch, nil, nil)
	_, _ = w.Write([]byte(`<script>gtag('config', 'G-1')</script>` +
		`<iframe src="https://www.youtube.com/embed/x" title="Video"></iframe>`))
	_ = w.Close()
	fmt.Println(out.String())
	// Output:
	// <script>gtag('config', 'G-1')</script><iframe data-cg-category="marketing" data-cg-src="https://www.youtube.com/embed/x" title="Video"></iframe>
}

// A site adds its own tracker and moves YouTube to another category.
func ExampleCompileSignatures() {
	sigs := htmlgate.DefaultSignatures()
	for i := range sigs {
		if sigs[i].Name == "YouTube embeds" {
			sigs[i].Category = consent.Preferences
		}
	}
	sigs = append(sigs, htmlgate.Signature{
		Name:     "Hotjar",
		Category: consent.Analytics,
		URLs:     []string{"static.hotjar.com/"},
		Inline:   []string{"hj("},
	})
	s, err := htmlgate.CompileSignatures(sigs)
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Categories())

	_, err = htmlgate.CompileSignatures([]htmlgate.Signature{{Name: "Bad", Category: "ads", URLs: []string{"https://ads.example/"}}})
	fmt.Println(err)
	// Output:
	// [preferences analytics marketing]
	// htmlgate: signature 0 ("Bad"): URL fragment "https://ads.example/" must start at the host, without a scheme
}

// The Gate can skip rewriting when the visitor accepted every category a
// signature needs and no banner is due.
func ExampleSignatures_Categories() {
	cat, _ := consent.NewCatalogue(consent.DefaultPolicy())
	ch, _ := cat.Decide(consent.Choices{}, cat.Optional(), time.Now())
	needed := false
	for _, c := range htmlgate.Default().Categories() {
		if !ch.Allowed(c) {
			needed = true
		}
	}
	fmt.Println("rewrite needed:", needed)
	// Output:
	// rewrite needed: false
}
