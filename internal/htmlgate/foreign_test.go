package htmlgate

import (
	"strings"
	"testing"
)

const (
	fbPixel    = `<img src="https://www.facebook.com/tr?id=1">`
	fbPixelOff = `<img data-cg-category="marketing" data-cg-src="https://www.facebook.com/tr?id=1">`
	ytFrame    = `<iframe src="https://www.youtube.com/embed/x"></iframe>`
	ytFrameOff = `<iframe data-cg-category="marketing" data-cg-src="https://www.youtube.com/embed/x"></iframe>`
	// hidePixel is a pixel a browser loads when it reads <style> as raw text
	// (HTML), and that a reader taking <style> for markup (SVG) takes for a
	// comment.
	hidePixel    = `<style><!--</style>` + fbPixel + `-->`
	hidePixelOff = `<style><!--</style>` + fbPixelOff + `-->`
)

// foreignCases are SVG and MathML markup where the rewriter must follow the
// browser in and out of foreign content, with the markup an undecided
// visitor must get.
var foreignCases = []rewriteCase{
	// End tags.
	{"an HTML end tag in svg pops out of it: the iframe after it is gated",
		`<div><svg></div>` + ytFrame,
		`<div><svg></svg></div>` + ytFrameOff},
	{"a first-party script after an svg popped by an HTML end tag runs",
		`<div><svg><g></div><script src="/app.js"></script>`,
		`<div><svg><g></svg></div><script src="/app.js"></script>`},
	{"a CDATA section in an svg script hides </script> and the markup after it",
		`<svg><script data-consent="essential"><![CDATA[ s = "</script>` + fbPixel + `" ]]></script></svg>`,
		`<svg><script data-consent="essential"><![CDATA[ s = "</script>` + fbPixel + `" ]]></script></svg>`},
	{"an iframe inside svg is gated too",
		`<svg>` + ytFrame + `</svg>`,
		`<svg>` + ytFrameOff + `</svg>`},
	{"</foreignObject> under an open div does not leave the foreignObject",
		`<svg><foreignObject><div></foreignObject>` + hidePixel,
		`<svg><foreignObject><div></foreignObject>` + hidePixelOff},
	{"</svg> right inside a foreignObject closes the svg",
		`<svg><foreignObject></svg></foreignObject>` + hidePixel,
		`<svg><foreignObject></svg></foreignObject>` + hidePixelOff},
	{"closed HTML inside a foreignObject: its end tag leaves it",
		`<svg><foreignObject><div><span>x</span></div></foreignObject><style>` + fbPixel + `</style></svg>`,
		`<svg><foreignObject><div><span>x</span></div></foreignObject><style>` + fbPixelOff + `</style></svg>`},
	{"a p start tag closes the open p inside a foreignObject",
		`<svg><foreignObject><p>a<p>b</p></foreignObject><style>` + fbPixel + `</style></svg>`,
		`<svg><foreignObject><p>a<p>b</p></foreignObject><style>` + fbPixelOff + `</style></svg>`},
	{"</p> pops svg",
		`<svg><g></p>` + hidePixel,
		`<svg><g></p>` + hidePixelOff},
	{"an HTML end tag in an svg right inside a foreignObject is ignored",
		`<svg><foreignObject><svg></div>` + hidePixel,
		`<svg><foreignObject><svg></div>` + hidePixel},
	{"an HTML end tag in an svg inside an HTML element in a foreignObject closes the inner svg",
		`<svg><foreignObject><div><svg><g></div>` + hidePixel + `</foreignObject><style>` + fbPixel + `</style>`,
		`<svg><foreignObject><div><svg><g></svg></div>` + hidePixelOff + `</foreignObject><style>` + fbPixelOff + `</style>`},
	{"an end tag cut short by the end of input closes nothing",
		`<svg><g></div`,
		`<svg><g></div`},
	{"well-formed svg passes",
		`<svg viewBox="0 0 1 1"><defs><linearGradient id=g><stop offset=0 /></linearGradient><feComponentTransfer></feComponentTransfer></defs><g><path d="M0"/></g></svg><script>fbq(1)</script>`,
		`<svg viewBox="0 0 1 1"><defs><linearGradient id=g><stop offset=0 /></linearGradient><feComponentTransfer></feComponentTransfer></defs><g><path d="M0"/></g></svg><script` + offMkt + `>fbq(1)</script>`},
	{"a long element name does not match another with the same start",
		`<svg><aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab></aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac>` + ytFrame,
		`<svg><aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab></svg></aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac>` + ytFrameOff},
	// Namespaces: integration points are SVG or MathML elements by name and
	// namespace both.
	{"mtext inside svg is no integration point: style there is markup",
		`<svg><mtext><style>` + fbPixel + `</style></mtext></svg>`,
		`<svg><mtext><style>` + fbPixelOff + `</style></mtext></svg>`},
	{"desc inside math is no integration point",
		`<math><desc><style>` + fbPixel + `</style></desc></math>`,
		`<math><desc><style>` + fbPixelOff + `</style></desc></math>`},
	{"svg inside math is a MathML element: its foreignObject holds no HTML",
		`<math><svg><foreignObject><style>` + fbPixel + `</style></foreignObject></svg></math>`,
		`<math><svg><foreignObject><style>` + fbPixelOff + `</style></foreignObject></svg></math>`},
	{"svg inside annotation-xml is SVG: its foreignObject holds HTML",
		`<math><annotation-xml><svg><foreignObject><style>` + fbPixel + `</style></foreignObject></svg></annotation-xml></math>`,
		`<math><annotation-xml><svg><foreignObject><style>` + fbPixel + `</style></foreignObject></svg></annotation-xml></math>`},
	{"mglyph inside mi stays MathML",
		`<math><mi><mglyph><style>` + fbPixel + `</style></mglyph></mi></math>`,
		`<math><mi><mglyph><style>` + fbPixelOff + `</style></mglyph></mi></math>`},
	// annotation-xml holds HTML when its encoding attribute, decoded, names
	// an HTML type in any case.
	{"annotation-xml with an entity-encoded HTML encoding holds HTML",
		`<math><annotation-xml encoding="text&sol;html">` + hidePixel + `</annotation-xml></math>`,
		`<math><annotation-xml encoding="text&sol;html">` + hidePixelOff + `</annotation-xml></math>`},
	{"annotation-xml with the XHTML encoding in upper case holds HTML",
		`<math><annotation-xml encoding="APPLICATION/XHTML+XML">` + hidePixel + `</annotation-xml></math>`,
		`<math><annotation-xml encoding="APPLICATION/XHTML+XML">` + hidePixelOff + `</annotation-xml></math>`},
	{"annotation-xml with another encoding holds MathML",
		`<math><annotation-xml encoding="text/html+x"><style>` + fbPixel + `</style></annotation-xml></math>`,
		`<math><annotation-xml encoding="text/html+x"><style>` + fbPixelOff + `</style></annotation-xml></math>`},
	// CDATA sections exist where the current node is an SVG or MathML
	// element, integration points included; elsewhere "<![CDATA[" opens a
	// bogus comment that ends at the first ">".
	{"CDATA right inside a foreignObject hides a > from the tokenizer",
		`<svg><foreignObject><![CDATA[ > <style> ]]>` + fbPixel + `</style></foreignObject></svg>`,
		`<svg><foreignObject><![CDATA[ > <style> ]]>` + fbPixelOff + `</style></foreignObject></svg>`},
	{"CDATA right inside mi",
		`<math><mi><![CDATA[ > <style> ]]>` + fbPixel + `</style></mi></math>`,
		`<math><mi><![CDATA[ > <style> ]]>` + fbPixelOff + `</style></mi></math>`},
	{"CDATA after a plaintext start tag inside a foreignObject",
		`<svg><foreignObject><![CDATA[<plaintext>]]>` + fbPixel,
		`<svg><foreignObject><![CDATA[<plaintext>]]>` + fbPixelOff},
	{"inside an HTML element in a foreignObject CDATA is a bogus comment",
		`<svg><foreignObject><div><![CDATA[>` + fbPixel + `]]></div></foreignObject></svg>`,
		`<svg><foreignObject><div><![CDATA[>` + fbPixelOff + `]]></div></foreignObject></svg>`},
	// Where the rewriter cannot tell whether the browser reads foreign
	// content, it keeps both readings alike: raw-text elements lose their
	// content from the first character that would start markup, CDATA
	// sections their ">", and <plaintext> does not end the markup.
	{"nesting deeper than the stack stays in svg",
		`<svg>` + strings.Repeat(`<g>`, maxOpen) + `<svg></svg><style>` + fbPixel + `</style>`,
		`<svg>` + strings.Repeat(`<g>`, maxOpen) + `<svg></svg><style></style>`},
	{"deep nesting closed again reads HTML",
		`<svg>` + strings.Repeat(`<g>`, maxOpen) + strings.Repeat(`</g>`, maxOpen) + `</svg>` + ytFrame,
		`<svg>` + strings.Repeat(`<g>`, maxOpen) + strings.Repeat(`</g>`, maxOpen) + `</svg>` + ytFrameOff},
	{"a reopened formatting element may keep the browser in a foreignObject",
		`<svg><foreignObject><p><b></p>x</foreignObject>` + hidePixel,
		`<svg><foreignObject><p><b></p>x</foreignObject><style></style>` + fbPixelOff + `-->`},
	{"unsure: script text up to the first markup, iframe and CDATA",
		`<svg><foreignObject><p><b></p>x</foreignObject><script>a=1<b</script><iframe>x<p>` + fbPixel + `</iframe><![CDATA[ a > b ]]>` + fbPixel,
		`<svg><foreignObject><p><b></p>x</foreignObject><script` + offGTM + `>a=1</script><iframe>x</iframe><![CDATA[ a &gt; b ]]>` + fbPixelOff},
	{"unsure: plaintext does not hide the markup after it",
		`<svg><foreignObject><p><b></p>x</foreignObject><plaintext>` + fbPixel,
		`<svg><foreignObject><p><b></p>x</foreignObject><plaintext>` + fbPixelOff},
	{"implied end tags inside a foreignObject are followed: a first-party script after it runs",
		`<svg><foreignObject><div><p>x</div></foreignObject></svg><script src="/app.js"></script>`,
		`<svg><foreignObject><div><p>x</div></foreignObject></svg><script src="/app.js"></script>`},
	{"a table cell start tag in a foreignObject may close the cell the svg is in",
		`<table><tr><td><svg><foreignObject><td>` + hidePixel,
		`<table><tr><td><svg><foreignObject><td><style></style>` + fbPixelOff + `-->`},
}

// TestForeignContent checks each foreign case for an undecided visitor,
// however the input is cut into writes, and that it passes byte for byte
// once everything is accepted.
func TestForeignContent(t *testing.T) {
	runGatedCases(t, foreignCases)
}
