package htmlgate

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
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
		"svg", "math", "frame", "input", "image", "track", "SCRIPT", "Body", "IFrame"} {
		assert.NotEqual(t, kOther, kindOf([]byte(strings.ToLower(n))), n)
		assert.True(t, mayMatter(n[0], n[len(n)-1], len(n)), n)
	}
	for _, n := range []string{"a", "p", "li", "span", "section", "strong", "tbody", "figcaption"} {
		assert.False(t, mayMatter(n[0], n[len(n)-1], len(n)), n)
	}
}
