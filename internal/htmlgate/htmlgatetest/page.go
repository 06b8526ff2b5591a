// Package htmlgatetest builds realistic police-force pages for tests and
// benchmarks of the HTML tag gate, in this module and in the examples module.
package htmlgatetest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
)

// Snippet is one of the vendors' published tag snippets from
// internal/htmlgate/testdata.
type Snippet struct {
	// Name is the file name, e.g. "meta-pixel.html".
	Name string
	// HTML is the snippet as the vendor publishes it.
	HTML []byte
	// Gated is what the rewriter must turn it into for a visitor who has not
	// consented (testdata/gated).
	Gated []byte
}

// Dir returns the directory holding the snippets. It is found from this
// source file, so it works from any test in either module of the repository.
func Dir() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		panic("htmlgatetest: cannot locate source")
	}
	return filepath.Join(filepath.Dir(file), "..", "testdata")
}

// Snippets reads every vendor snippet, sorted by name.
func Snippets() ([]Snippet, error) {
	files, err := filepath.Glob(filepath.Join(Dir(), "*.html"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []Snippet
	for _, f := range files {
		in, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		g, err := os.ReadFile(filepath.Join(Dir(), "gated", filepath.Base(f)))
		if err != nil {
			return nil, err
		}
		out = append(out, Snippet{Name: filepath.Base(f), HTML: in, Gated: g})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("htmlgatetest: no snippets in %s", Dir())
	}
	return out, nil
}

// Page returns a deterministic page of about size bytes shaped like a force's
// news article (PERFORMANCE.md §3): a head with meta, link, style and the
// vendors' snippets, a navigation bar, article markup with links, images,
// lists and tables, first-party scripts, a YouTube embed and a Floodlight tag.
// A 100 KB page holds about 19 <script> tags and 3,500 '<'.
func Page(size int) []byte {
	sn, err := Snippets()
	if err != nil {
		panic(err)
	}
	get := func(name string) []byte {
		for _, s := range sn {
			if s.Name == name {
				return s.HTML
			}
		}
		panic("htmlgatetest: missing snippet " + name)
	}
	var b bytes.Buffer
	b.WriteString(`<!DOCTYPE html>
<html lang="en-GB" class="no-js">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Appeal for witnesses after collision on the A470 | Dyfed-Example Police</title>
<meta name="description" content="Officers are appealing for witnesses following a collision on the A470 near Llandrindod Wells on Sunday evening.">
<meta property="og:title" content="Appeal for witnesses after collision on the A470">
<meta property="og:image" content="https://www.example.police.uk/media/news/a470.jpg">
<link rel="canonical" href="https://www.example.police.uk/news/2026/11/appeal-a470/">
<link rel="alternate" hreflang="cy" href="https://www.example.police.uk/cy/newyddion/2026/11/apel-a470/">
<link rel="icon" href="/favicon.ico" sizes="32x32">
<link rel="apple-touch-icon" href="/apple-touch-icon.png">
<link rel="preconnect" href="https://www.googletagmanager.com">
<link rel="stylesheet" href="/assets/css/main.3f9a1c.css">
<link rel="stylesheet" href="/assets/css/print.css" media="print">
<style>
:root{--brand:#1d3c78;--accent:#ffdd00;--text:#0b0c0c}
body{margin:0;font-family:"Helvetica Neue",Arial,sans-serif;color:var(--text)}
.skip-link{position:absolute;left:-9999px}.skip-link:focus{left:0;background:var(--accent)}
.nav a{color:#fff;text-decoration:none;padding:.5rem 1rem;display:inline-block}
.article h2{font-size:1.5rem;margin:2rem 0 1rem}.article p{line-height:1.5;max-width:40em}
@media (max-width:40em){.nav{display:none}.article table{font-size:.875rem}}
</style>
`)
	b.Write(get("gtm-head.html"))
	b.Write(get("ga4-gtag.html"))
	b.Write(get("meta-pixel.html"))
	b.WriteString(`<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Appeal for witnesses after collision on the A470","datePublished":"2026-11-23T09:00:00Z"}</script>
<script>document.documentElement.className = document.documentElement.className.replace('no-js', 'js');</script>
<script src="/assets/js/quick-exit.js" defer></script>
</head>
<body class="template-news">
`)
	b.Write(get("gtm-body.html"))
	b.WriteString(`<a href="#main-content" class="skip-link">Skip to main content</a>
<header class="header"><div class="container"><a href="/" class="logo"><img src="/assets/img/crest.svg" alt="Dyfed-Example Police" width="160" height="48"></a>
<nav class="nav" aria-label="Main"><ul>
`)
	for i, item := range []string{"Report", "Contact us", "Advice", "News", "Careers", "About us", "Your area", "Stop and search", "Freedom of information", "Cymraeg"} {
		fmt.Fprintf(&b, `<li class="nav__item"><a href="/%d/%s/" class="nav__link">%s</a></li>`+"\n", i, "section", item)
	}
	b.WriteString("</ul></nav></div></header>\n<main id=\"main-content\" class=\"article\">\n<h1>Appeal for witnesses after collision on the A470</h1>\n")
	footer := []byte(`</main>
<footer class="footer"><ul><li><a href="/cookies/">Cookies</a></li><li><a href="/accessibility/">Accessibility</a></li><li><a href="/privacy/">Privacy notice</a></li></ul>
<p>&copy; Dyfed-Example Police 2026</p></footer>
<script src="/assets/js/main.3f9a1c.js"></script>
<script src="/assets/js/cookie-banner.js" defer></script>
<script>window.siteConfig = {search: "/search/", lang: "en"};</script>
</body>
</html>
`)
	yt := get("youtube-embed.html")
	fl := get("floodlight.html")
	ua := get("universal-analytics.html")
	for n := 0; b.Len()+len(footer) < size; n++ {
		fmt.Fprintf(&b, `<section class="article__section" id="s%d">
<h2>Update %d: what we know so far</h2>
<p>Officers were called at about <strong>7.%02dpm</strong> on Sunday to reports of a collision involving a <em>grey Ford Focus</em> and a motorcycle. The road was closed for <a href="/news/road-closures/">several hours</a> while <abbr title="Collision Investigation Unit">CIU</abbr> officers examined the scene.</p>
<p>Anyone who saw the collision, or who has <a href="/report/dashcam/">dash-cam footage</a>, is asked to <a href="/contact/">contact us</a> quoting reference <code>DP-2026112%d-%04d</code>. You can also call <a href="tel:101">101</a> or report <a href="https://www.crimestoppers-uk.org/">anonymously to Crimestoppers</a>.</p>
<figure><img src="/media/news/a470-%d.jpg" alt="The scene on the A470" width="640" height="360" loading="lazy"><figcaption>The A470 near the junction with the B4%03d.</figcaption></figure>
<p>The motorcyclist, a man in his forties from the Builth Wells area, was taken to hospital in Cardiff where he remains in a serious but stable condition. His family have been informed and are being supported by specially trained officers. The driver of the car, a woman in her thirties, was not injured. Sergeant Rhys Morgan of the Roads Policing Unit said: "We are keen to hear from anyone who was travelling on the A470 between Rhayader and Llandrindod Wells on Sunday evening and who may have seen either vehicle before the collision. Even the smallest detail could help our investigation, so please get in touch if you think you can help." Officers would also like to thank local residents and road users for their patience while the road was closed.</p>
<ul class="list"><li><a href="/advice/road-safety/">Road safety advice</a></li><li><a href="/advice/victims/">Support for victims</a></li><li><a href="/news/">More news</a></li></ul>
<table class="table"><caption>Road closures</caption><thead><tr><th scope="col">Road</th><th scope="col">From</th><th scope="col">Until</th></tr></thead>
<tbody><tr><td>A470</td><td>19:%02d</td><td>02:30</td></tr><tr><td>B4%03d</td><td>20:10</td><td>23:45</td></tr></tbody></table>
</section>
`, n, n, n%60, n%10, n, n, n%1000, n%60, n%1000)
		switch n % 12 {
		case 1, 7:
			fmt.Fprintf(&b, "<script>window.sectionViews = (window.sectionViews || 0) + %d;</script>\n", n)
		case 3:
			b.Write(yt)
		case 9:
			b.WriteString(`<script src="/assets/js/gallery.js" defer></script>` + "\n")
		case 10:
			if n%24 == 10 {
				b.Write(fl)
			} else {
				b.Write(ua)
			}
		}
	}
	b.Write(footer)
	return b.Bytes()
}
