package htmlgate

import (
	"bytes"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/consentgate/consentgate/consent"
)

func TestQuoteAt(t *testing.T) {
	for n := 0; n < 150; n++ {
		for q := 0; q <= n; q++ {
			b := []byte(strings.Repeat("a\x00\xa2!", n)[:n])
			if q < n {
				b[q] = '"'
			}
			for start := 0; start <= min(n, 9); start++ {
				want := bytes.IndexByte(b[start:], '"')
				if want >= 0 {
					want += start
				}
				assert.Equal(t, want, quoteAt(b, start), "n=%d q=%d start=%d", n, q, start)
			}
		}
	}
}

// TestFastTagEndAgreesWithScanTag checks the fast path against the full
// state machine on tags it accepts.
func TestFastTagEndAgreesWithScanTag(t *testing.T) {
	for _, tag := range []string{
		`<p>`, `</p>`, `<a href="/x">`, `<a b c>`, `<a b="" c>`, `<img src="a>b" alt="x">`,
		`<a b="x"c>`, `<a ="x>">`, `<a b=c>`, `<a  b>`, `<a b/>`, `<a b='x>'>`, `<a b = "x">`,
		`<div class="a" id="b" data-x="` + strings.Repeat("y", 100) + `">`, `<a b="x`, `<a`,
	} {
		fe, _ := fastTagEnd([]byte(tag), 2)
		se, _ := scanTag([]byte(tag), 2, tsName)
		if fe >= 0 {
			assert.Equal(t, se, fe, tag)
		}
	}
}

// TestMayMatterCoversKinds checks the quick filter never dismisses an element
// kindOf knows, in any letter case.
func TestMayMatterCoversKinds(t *testing.T) {
	for _, n := range []string{"script", "noscript", "body", "iframe", "img", "source", "link", "video",
		"audio", "embed", "object", "style", "xmp", "noembed", "noframes", "textarea", "title", "plaintext",
		"svg", "math", "frame", "input", "image", "track", "base", "meta", "a", "area", "frameset", "table",
		"thead", "tbody", "tfoot", "tr", "td", "th", "SCRIPT", "Body", "IFrame", "A", "FrameSet", "TD"} {
		assert.NotEqual(t, kOther, kindOf([]byte(strings.ToLower(n))), n)
		assert.True(t, mayMatter(n[0], n[len(n)-1], len(n)), n)
	}
	for _, n := range []string{"p", "li", "span", "section", "strong", "tspan", "figcaption", "dd", "ul"} {
		assert.False(t, mayMatter(n[0], n[len(n)-1], len(n)), n)
	}
}

// TestMayNeedNeverDismissesANeed checks the quick filter against the full
// attribute reading on every tag of the test inputs, and on random tags
// assembled from tracker URLs, encodings and attribute names.
func TestMayNeedNeverDismissesANeed(t *testing.T) {
	var w Rewriter
	w.Reset(io.Discard, consent.Choices{}, nil, nil)
	check := func(tag string) {
		b := []byte(tag)
		var nb [16]byte
		name := tagName(b, 1, &nb)
		if len(name) == 0 {
			return
		}
		full := w.readNeeds(b, name, len(name)+1)
		if full != 0 {
			assert.True(t, w.sigs.mayNeed(b[len(name)+1:]), "dismissed %q", tag)
		}
	}
	var docs []string
	for _, c := range rewriteCases {
		docs = append(docs, c.in)
	}
	for _, s := range snippets(t) {
		docs = append(docs, s.html)
	}
	for _, d := range docs {
		for _, part := range strings.Split(d, "<")[1:] {
			if k := strings.IndexByte(part, '>'); k >= 0 {
				check("<" + part[:k])
			}
		}
	}
	pieces := []string{` src="`, ` SRC=`, ` srcset="x 1x, `, ` href='`, ` data=`, ` data-consent="`, ` DATA-CONSENT=`,
		`https://`, `//`, `\\`, `www.`, `connect.facebook.net`, `facebook&period;com/tr`, `&#99;onnect.facebook.net`,
		`%63onnect.facebook.net`, "you\ntube.com/embed", `GOOGLE-ANALYTICS.COM`, `ad.doubleclick.net`, `marketing`,
		`analytics`, `"`, ` alt="x"`, `/img/a.png`, ` `, `=`, `@`, ` imagesrcset="`, ` ping=`, ` rel=preconnect`,
		` http-equiv=refresh`, ` content="0;url=`, `www.googletagmanager.com`, "face\u00adbook.com/tr", `face&shy;book.com/tr`,
		"connect.\uff46acebook.net", "facebook\u3002com/tr", `face%C2%ADbook.com/tr`, "\u200b",
		`:443`, `:0443`, `:80`, `:`, `/./`, `/x/../`, `/%2e/`, `&shy`, ` background=`, ` BackGround="`}
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n < 20000; n++ {
		var sb strings.Builder
		tags := []string{"<img", "<iframe", "<link", "<object", "<source", "<a", "<base", "<meta", "<area", "<body", "<td",
			"<TABLE"}
		sb.WriteString(tags[rng.IntN(len(tags))])
		writePieces(&sb, rng, pieces, 8)
		check(sb.String())
	}
	// URLs whose tracker fragment (host and path) appears only once the
	// full reading has dropped an explicit default port, resolved dot
	// segments or read a legacy "&shy" without ';' in the host.
	hosts := []string{"www.facebook.com", "www.facebook&shy.com", "www.google&shy-analytics.com",
		"www.face&shy;book.com", "www.google.com", "www.googletagmanager.com", "WWW.FACEBOOK.COM"}
	ports := []string{"", ":443", ":0443", ":80", ":", ":8080"}
	dots := []string{"", "/.", "/x/..", "/%2e", "/%2E%2e", "/./x/..", "/a/b/../.."}
	paths := []string{"/tr?id=1", "/pagead/x", "/gtm.js?id=GTM-X", "/img/a.png"}
	needing := 0
	for n := 0; n < 20000; n++ {
		var sb strings.Builder
		tags := []string{"<img src=", `<iframe src="`, "<link href=", `<source srcset="/a.png 1x, `, "<a ping=", "<object data="}
		sb.WriteString(tags[rng.IntN(len(tags))])
		sb.WriteString([]string{"https://", "//", "http:\\\\", ""}[rng.IntN(4)])
		for _, part := range [][]string{hosts, ports, dots, paths} {
			sb.WriteString(part[rng.IntN(len(part))])
		}
		b := []byte(sb.String())
		var nb [16]byte
		if name := tagName(b, 1, &nb); w.readNeeds(b, name, len(name)+1) != 0 {
			needing++
		}
		check(sb.String())
	}
	assert.Greater(t, needing, 1000, "the URLs must exercise resolved trackers")
}

// TestAttrsEndMediaNeverDismissesANeed checks the hot loop's test for media
// tags, which reads only the attributes readNeeds reads, against the full
// attribute reading, on random tags in attrsEnd's shape built from tracker
// URLs, encodings and attribute names in any case; and that it ends every
// tag where attrsEnd does.
func TestAttrsEndMediaNeverDismissesANeed(t *testing.T) {
	var w Rewriter
	w.Reset(io.Discard, consent.Choices{}, nil, nil)
	names := []string{"src", "SRC", "srcset", "SrcSet", "href", "HREF", "data", "data-consent", "DATA-CONSENT", "alt",
		"rel", "ping", "srcdoc", "content", "http-equiv", "xlink:href", "imagesrcset", "height", "title", "data-src",
		"s", "d", "x", "sr", "dat"}
	values := []string{"", "/img/a.png", "https://connect.facebook.net/x.js", "//www.facebook.com/tr?id=1",
		"https://www.googletagmanager.com", "preconnect", "DNS-Prefetch", "refresh", "0;url=https://ad.doubleclick.net/x",
		"marketing", "analytics essential", "connect&#46;facebook.net", "%63onnect.facebook.net", "you\ntube.com/embed",
		"connect.\uff46acebook.net", "face&shy;book.com/tr", "x 1x, https://googleads.g.doubleclick.net/p 2x",
		"&lt;img src=https://connect.facebook.net&gt;", "GOOGLE-ANALYTICS.COM/collect",
		"https://www.facebook.com:443/x/../tr", "//www.google.com:/./pagead/x", "https://www.face&shybook.com:0443/%2e/tr"}
	tags := []string{"img", "IMG", "link", "source", "video", "audio", "embed", "object", "frame", "input", "image",
		"track", "base", "iframe", "a", "area", "meta"}
	rng := rand.New(rand.NewPCG(5, 6))
	dismissed := 0
	for n := 0; n < 50000; n++ {
		var sb strings.Builder
		sb.WriteString("<" + tags[rng.IntN(len(tags))])
		for k := rng.IntN(5); k >= 0; k-- {
			sb.WriteString(" " + names[rng.IntN(len(names))])
			if rng.IntN(5) > 0 {
				sb.WriteString(`="` + values[rng.IntN(len(values))] + `"`)
			}
		}
		sb.WriteString(">")
		b := []byte(sb.String())
		var nb [16]byte
		name := tagName(b, 1, &nb)
		off := len(name) + 1
		end, may := attrsEndMedia(b, off, w.sigs)
		assert.Equal(t, attrsEnd(b, off), end, "%q", b)
		if end > 0 && !may {
			dismissed++
			assert.Zero(t, w.readNeeds(b[:end-1], name, off), "dismissed %q", b)
		}
	}
	assert.Greater(t, dismissed, 1000, "the test must exercise dismissals")
}
