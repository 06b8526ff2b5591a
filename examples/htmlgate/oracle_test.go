package htmlgate

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/consentgate/consentgate/consent"
	"github.com/consentgate/consentgate/internal/htmlgate"
	"github.com/consentgate/consentgate/internal/htmlgate/htmlgatetest"
)

func rewrite(t testing.TB, ch consent.Choices, in []byte, splits ...int) []byte {
	t.Helper()
	var out bytes.Buffer
	var w htmlgate.Rewriter
	w.Reset(&out, ch, nil, nil) // banner placement is covered by the unit tests
	prev := 0
	for _, s := range splits {
		s = min(max(s, prev), len(in))
		_, err := w.Write(in[prev:s])
		require.NoError(t, err)
		prev = s
	}
	_, err := w.Write(in[prev:])
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return out.Bytes()
}

func accepted(t testing.TB) consent.Choices {
	cat, err := consent.NewCatalogue(consent.DefaultPolicy())
	require.NoError(t, err)
	ch, err := cat.Decide(consent.Choices{}, cat.Optional(), time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	return ch
}

// attr returns the first attribute called key, as browsers use the first of
// duplicates.
func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

var jsTypes = map[string]bool{"": true, "module": true, "text/javascript": true, "application/javascript": true,
	"text/ecmascript": true, "application/ecmascript": true, "application/x-javascript": true,
	"application/x-ecmascript": true, "text/x-javascript": true, "text/x-ecmascript": true, "text/jscript": true,
	"text/livescript": true, "text/javascript1.0": true, "text/javascript1.1": true, "text/javascript1.2": true,
	"text/javascript1.3": true, "text/javascript1.4": true, "text/javascript1.5": true}

// runs reports whether a browser would run script element n as JavaScript,
// or the Partytown library would (it runs type=text/partytown in a worker).
func runs(n *html.Node) bool {
	if typ, ok := attr(n, "type"); ok {
		typ = strings.ToLower(strings.Trim(typ, " \t\n\f\r"))
		return jsTypes[typ] || typ == "text/partytown"
	}
	if lang, ok := attr(n, "language"); ok && lang != "" {
		return jsTypes["text/"+strings.ToLower(lang)]
	}
	return true
}

func text(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

// loaders are the elements whose URL attributes the gate must neutralise.
var loaders = map[atom.Atom][]string{
	atom.Iframe: {"src", "srcdoc"}, atom.Img: {"src", "srcset"}, atom.Source: {"src", "srcset"},
	atom.Link: {"href", "imagesrcset"}, atom.Video: {"src"}, atom.Audio: {"src"}, atom.Embed: {"src"},
	atom.Object: {"data"}, atom.A: {"ping"}, atom.Area: {"ping"}, atom.Frame: {"src"},
	// The legacy background attribute loads an image.
	atom.Body: {"background"}, atom.Table: {"background"}, atom.Thead: {"background"},
	atom.Tbody: {"background"}, atom.Tfoot: {"background"}, atom.Tr: {"background"},
	atom.Td: {"background"}, atom.Th: {"background"},
}

// hostLeaks reports the elements that reach a tracker by host alone: a
// <base> whose href the page's relative URLs resolve against, a
// <link rel=preconnect/dns-prefetch>, and a <meta http-equiv=refresh>.
func hostLeaks(n *html.Node, sigs *htmlgate.Signatures) []string {
	var found []string
	switch n.DataAtom {
	case atom.Base:
		if v, ok := attr(n, "href"); ok && len(sigs.MatchHost(v)) > 0 {
			found = append(found, "base href="+v)
		}
	case atom.Link:
		rel, _ := attr(n, "rel")
		for _, tok := range strings.Fields(strings.ToLower(rel)) {
			if tok == "preconnect" || tok == "dns-prefetch" {
				if v, ok := attr(n, "href"); ok && len(sigs.MatchHost(v)) > 0 {
					found = append(found, "link rel="+rel+" href="+v)
				}
				break
			}
		}
	case atom.Meta:
		if eq, _ := attr(n, "http-equiv"); strings.EqualFold(strings.Trim(eq, " \t\n\f\r"), "refresh") {
			if v, ok := attr(n, "content"); ok && len(sigs.MatchURL(v)) > 0 {
				found = append(found, "meta refresh content="+v)
			}
		}
	}
	return found
}

// fetchingScript reports whether a script element's text makes the browser
// fetch: import maps and speculation rules name URLs in JSON.
func fetchingScript(n *html.Node) bool {
	typ, _ := attr(n, "type")
	switch strings.ToLower(strings.Trim(typ, " \t\n\f\r")) {
	case "importmap", "speculationrules":
		return true
	}
	return false
}

// leaks parses out as a browser would (with scripting on or off) and returns
// a description of every tracker the page would still run or load.
func leaks(out []byte, scripting bool) []string {
	sigs := htmlgate.Default()
	doc, err := html.ParseWithOptions(bytes.NewReader(out), html.ParseOptionEnableScripting(scripting))
	if err != nil {
		return []string{"parse: " + err.Error()}
	}
	var found []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Namespace == "svg" && n.Data == "script" && scripting && runs(n) {
			// SVG scripts run too; they load from href.
			for _, key := range []string{"href", "src"} {
				if v, ok := attr(n, key); ok && len(sigs.MatchURL(v)) > 0 {
					found = append(found, "svg script "+key+"="+v)
				}
			}
			if len(sigs.MatchInline(text(n))) > 0 {
				found = append(found, "svg script text="+text(n))
			}
		}
		if n.Type == html.ElementNode && n.Namespace == "" {
			found = append(found, hostLeaks(n, sigs)...)
			if n.DataAtom == atom.Script && scripting && fetchingScript(n) && len(sigs.MatchInline(text(n))) > 0 {
				found = append(found, "script type=speculationrules/importmap text="+text(n))
			}
			if n.DataAtom == atom.Script && scripting && runs(n) {
				src, _ := attr(n, "src")
				if len(sigs.MatchURL(src)) > 0 || len(sigs.MatchInline(text(n))) > 0 {
					found = append(found, "script src="+src+" text="+text(n))
				}
			}
			if v, ok := attr(n, "srcdoc"); ok && n.DataAtom == atom.Iframe {
				// The iframe loads srcdoc as a document of its own.
				for _, l := range leaks([]byte(v), scripting) {
					found = append(found, "iframe srcdoc: "+l)
				}
			}
			for _, key := range loaders[n.DataAtom] {
				if v, ok := attr(n, key); ok && len(sigs.MatchURL(v)) > 0 {
					found = append(found, n.Data+" "+key+"="+v)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found
}

// clean reports whether in carries no trace of any signature, data-consent
// attribute or encoding that could spell one, so the gate must not touch it.
func clean(in []byte) bool {
	l := bytes.ToLower(in)
	l = bytes.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == ' ' {
			return -1
		}
		return r
	}, l)
	for _, s := range []string{"google", "doubleclick", "facebook", "youtube", "gtag", "ga(", "fbq", "_gaq",
		"gtm.", "aw-", "dc-", "data-consent", "&", "%", "\\", "analytics", "<noscript", "\x00"} {
		if bytes.Contains(l, []byte(s)) {
			return false
		}
	}
	// A script inside SVG or MathML cannot be classified by its text, so it
	// fails closed on purpose. And where SVG or MathML is left open by an
	// HTML end tag, or nested where the rewriter cannot follow it, the
	// rewriter writes end tags of its own or empties raw-text elements on
	// purpose, so the browser reads the rest as it does. After a <frameset>
	// it does the same (the browser may ignore raw-text start tags there).
	if bytes.Contains(l, []byte("<svg")) || bytes.Contains(l, []byte("<math")) || bytes.Contains(l, []byte("<frameset")) {
		return false
	}
	// A <script start tag cut off by the end of input is neutralised on
	// purpose (fail closed), so such inputs are not "clean".
	if k := bytes.LastIndex(l, []byte("<script")); k >= 0 {
		rest := l[k:]
		if !bytes.Contains(rest, []byte(">")) || bytes.ContainsAny(rest, "\"'") {
			return false
		}
	}
	return bytes.IndexFunc(in, func(r rune) bool { return r >= 0x80 }) < 0
}

func seeds(f *testing.F) {
	foreignSeeds(f)
	framesetSeeds(f)
	sn, err := htmlgatetest.Snippets()
	require.NoError(f, err)
	for _, s := range sn {
		f.Add(s.HTML)
	}
	for _, s := range []string{
		`<script><!-- <script> </script> fbq(1) --></script>`,
		`<script>a()</script ><script>fbq(1)</SCRIPT	x="y">`,
		`<!-- x --!><script>fbq(1)</script>`,
		`<!--><script src="//connect.facebook.net/x.js"></script>`,
		`<svg><style><img src="//www.facebook.com/tr"></style></svg>`,
		`<p ="x>gtag(</p><script>gtag(1)</script>`,
		`<noscript><!-- </noscript> --><img src="//facebook.com/tr"></noscript>`,
		`<noscript><img alt="</noscript>" src="//facebook.com/tr"></noscript>`,
		`<noscript><iframe src="https://www.googletagmanager.com/ns.html?id=GTM-X"></iframe></noscript>`,
		`<video poster="/p.jpg"><source src="https://www.youtube-nocookie.com/v.mp4"></video>`,
		`<object data="//www.youtube.com/embed/x"></object><embed src="//ad.doubleclick.net/x">`,
		`<textarea><script>fbq(2)</script></textarea><script src=//www.google-analytics.com/ga.js></script>`,
		`<svg><![CDATA[ x > <script>fbq(1)</script> ]]></svg><script>fbq(2)</script>`,
		`<math><mi><script>gtag(1)</script></mi></math>`,
		`<svg><script href="https://www.googletagmanager.com/gtm.js?id=GTM-X"/><script>fbq(1)</script></svg>`,
		`<svg><script><![CDATA[ fbq(1) ]]></script></svg>`,
		`<table><script src="//connect&#46;facebook&period;net/x.js"></script></table>`,
		`<template><script>fbq(1)</script></template>`,
		`<iframe srcdoc="<script src=//www.googletagmanager.com/gtm.js></script>"></iframe>`,
		`<body><a href="/">x</a><img src=/a.png srcset="/b.png 2x"></body>`,
		`<link rel=preload as=image imagesrcset="https://www.facebook.com/tr?id=1&ev=PageView 1x">`,
		"<script src=\"https://connect.face&shy;book.net/en_US/fbevents.js\"></script><img src=\"//www.facebook\u3002com/tr\">",
		"<img src=\"https://connect.\uff46acebook.net/x\"><iframe src=\"//www.you\u200btube.com/embed/x\"></iframe>",
		`<base href="https://connect.facebook.net/"><script src="en_US/fbevents.js"></script>`,
		`<meta http-equiv=refresh content="0;url=https://www.facebook.com/tr?id=1">`,
		`<a href=/ ping="https://www.google-analytics.com/collect">x</a><link rel=preconnect href=https://www.googletagmanager.com>`,
		`<script type=importmap>{"imports":{"fb":"https://connect.facebook.net/x.js"}}</script>`,
		`<script src="https://www.google&shy-analytics.com/analytics.js"></script><img src="//www.facebook.com&shyx/tr">`,
		`<script src="https://www.googletagmanager.com:0443/x/%2E%2e/gtm.js"></script><img src="http://www.facebook.com:/./tr">`,
		`<img srcset="/a.png 1x,https://www.facebook.com:80/a/../tr 2x"><script src="https://www.googletagmanager.com/a b/../../gtm.js"></script>`,
		`<script>s.src="https:\/\/www.googletagmanager.com\/gtm.js?id=GTM-X"</script>`,
		`<script type="text/partytown" src="https://www.googletagmanager.com/gtag/js?id=G-1"></script><script type=text/partytown>fbq(1)</script>`,
		`<body background="https://www.facebook.com/tr?id=1"><table background=//www.facebook.com/tr><tr><td background="//ad.doubleclick.net/x.gif">x`,
		`<body><p>x</p><body background="https://www.facebook.com/tr?id=1">`,
	} {
		f.Add([]byte(s))
	}
	f.Add(htmlgatetest.Page(8000))
}

// FuzzGateAgainstParser checks the rewriter against golang.org/x/net/html as
// a model browser: without consent no tracker script that would run, and no
// tracker URL in a loading element, survives (with scripting on or off); with
// everything accepted, a page without data-consent passes byte for byte; a
// page with no trace of a tracker passes untouched; and the output does not
// depend on how the input is split into writes.
func FuzzGateAgainstParser(f *testing.F) {
	seeds(f)
	all := accepted(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		out := rewrite(t, consent.Choices{}, in)
		for _, scripting := range []bool{true, false} {
			if l := leaks(out, scripting); len(l) > 0 {
				t.Fatalf("scripting=%v: leaked %q\ninput:  %q\noutput: %q", scripting, l, in, out)
			}
		}
		if !bytes.Contains(bytes.ToLower(in), []byte("data-consent")) {
			if got := rewrite(t, all, in); !bytes.Equal(got, in) {
				t.Fatalf("accepted: changed\ninput:  %q\noutput: %q", in, got)
			}
		}
		if clean(in) && !bytes.Equal(out, in) {
			t.Fatalf("clean input changed\ninput:  %q\noutput: %q", in, out)
		}
		if len(in) > 2 {
			a, b := len(in)/3, 2*len(in)/3+1
			if got := rewrite(t, consent.Choices{}, in, a, b); !bytes.Equal(got, out) {
				t.Fatalf("split at %d,%d differs\ninput: %q\nwhole: %q\nsplit: %q", a, b, in, out, got)
			}
		}
	})
}
