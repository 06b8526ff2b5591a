package htmlgate

import (
	"strings"
	"testing"

	"github.com/consentgate/consentgate/consent"
)

// foreignOracle are documents in which a tracker loads only because of how
// the browser moves in and out of SVG and MathML content. For each, the
// parser must find the tracker in the input (so the case is real), and none
// in the rewriter's output for an undecided visitor.
var foreignOracle = []string{
	`<div><svg></div><iframe src="https://www.youtube.com/embed/x"></iframe>`,
	`<svg><foreignObject><div></foreignObject><style><!--</style><img src="https://www.facebook.com/tr?id=1">-->`,
	`<svg><foreignObject></svg></foreignObject><style><!--</style><img src="https://www.facebook.com/tr?id=1">-->`,
	`<svg><foreignObject><div><span>x</span></div></foreignObject><style><img src="https://www.facebook.com/tr?id=1"></style></svg>`,
	`<svg><foreignObject><p>a<p>b</p></foreignObject><style><img src="https://www.facebook.com/tr?id=1"></style></svg>`,
	`<svg><foreignObject><div><svg><g></div><style><!--</style><img src="https://www.facebook.com/tr?id=1">--></foreignObject>`,
	`<svg><mtext><style><img src="https://www.facebook.com/tr?id=1"></style></mtext></svg>`,
	`<math><desc><style><img src="https://www.facebook.com/tr?id=1"></style></desc></math>`,
	`<math><svg><foreignObject><style><img src="https://www.facebook.com/tr?id=1"></style></foreignObject></svg></math>`,
	`<math><annotation-xml encoding="text&sol;html"><style><!--</style><img src="https://www.facebook.com/tr?id=1">--></annotation-xml></math>`,
	`<math><annotation-xml encoding="APPLICATION/XHTML+XML"><style><!--</style><img src="https://www.facebook.com/tr?id=1">--></annotation-xml></math>`,
	`<svg><foreignObject><![CDATA[ > <style> ]]><img src="https://www.facebook.com/tr?id=1"></style></foreignObject></svg>`,
	`<math><mi><![CDATA[ > <style> ]]><img src="https://www.facebook.com/tr?id=1"></style></mi></math>`,
	`<svg><foreignObject><p><b></p>x</foreignObject><style><!--</style><img src="https://www.facebook.com/tr?id=1">-->`,
	`<svg>` + strings.Repeat(`<g>`, 32) + `<svg></svg><style><img src="https://www.facebook.com/tr?id=1"></style>`,
	`<table><tr><td><svg><foreignObject><td><style><!--</style><img src="https://www.facebook.com/tr?id=1">-->`,
	`<math><mi><mglyph><style><img src="https://www.facebook.com/tr?id=1"></style></mglyph></mi></math>`,
}

// TestForeignContentAgainstParser checks the foreign content cases against
// golang.org/x/net/html's tree builder.
func TestForeignContentAgainstParser(t *testing.T) {
	for _, in := range foreignOracle {
		assertParserFindsNoTracker(t, in)
	}
}

// assertParserFindsNoTracker checks that the parser finds a tracker loading
// in the document in (so it is a real case) and none in what the rewriter
// makes of it for an undecided visitor, with scripting on and off.
func assertParserFindsNoTracker(t *testing.T, in string) {
	t.Helper()
	if len(leaks([]byte(in), true)) == 0 {
		t.Errorf("no tracker loads in %q: not a case", in)
	}
	out := rewrite(t, consent.Choices{}, []byte(in))
	for _, scripting := range []bool{true, false} {
		if l := leaks(out, scripting); len(l) > 0 {
			t.Errorf("scripting=%v: leaked %q\ninput:  %q\noutput: %q", scripting, l, in, out)
		}
	}
}

// srcdocOracle are iframes whose srcdoc document loads a tracker only once
// read as a document: decoded twice, or by its inline scripts.
var srcdocOracle = []string{
	`<iframe srcdoc="<img src=https:&amp;#x2f;&amp;#x2f;www.facebook.com&amp;#x2f;tr?id=1>"></iframe>`,
	`<iframe srcdoc="&lt;script&gt;fbq('init', '1')&lt;/script&gt;"></iframe>`,
	`<iframe srcdoc="<iframe srcdoc='&amp;lt;script&amp;gt;fbq(1)&amp;lt;/script&amp;gt;'></iframe>"></iframe>`,
}

// TestSrcdocAgainstParser checks the srcdoc cases against the parser, which
// reads srcdoc as a document of its own.
func TestSrcdocAgainstParser(t *testing.T) {
	for _, in := range srcdocOracle {
		assertParserFindsNoTracker(t, in)
	}
}

// foreignSeeds adds the foreign content cases to a fuzz corpus.
func foreignSeeds(f *testing.F) {
	for _, in := range append(foreignOracle, srcdocOracle...) {
		f.Add([]byte(in))
	}
}
