package htmlgate

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// tagState is where the tokenizer is inside a tag, following the HTML
// standard's tokenization states from "tag name" to "self-closing start tag".
// Only these decide where a tag ends: '>' ends it everywhere except inside a
// quoted value, and a quote opens a value only right after '='.
type tagState uint8

const (
	tsName tagState = iota
	tsBeforeAttr
	tsAttrName
	tsAfterAttrName
	tsBeforeVal
	tsDQ
	tsSQ
	tsUnquoted
	tsAfterQuoted
	tsSelfClose
)

// tagClass marks bytes that can change the state in names and unquoted values.
var tagClass = func() (t [256]bool) {
	for _, c := range []byte{' ', '\t', '\n', '\f', '\r', '/', '>', '='} {
		t[c] = true
	}
	return
}()

func isSpace(c byte) bool { return iterClass[c]&icSpace != 0 }

// Bits of iterClass, which classifies the bytes attrIter stops at with one
// table load instead of a chain of comparisons.
const (
	icSpace = 1 << iota // HTML whitespace
	icSlash
	icEq
)

var iterClass = func() (t [256]uint8) {
	for _, c := range []byte{' ', '\t', '\n', '\f', '\r'} {
		t[c] |= icSpace
	}
	t['/'] |= icSlash
	t['='] |= icEq
	return
}()

func isAlpha(c byte) bool { return (c|0x20)-'a' < 26 } // setting 0x20 lower-cases ASCII letters only

// scanTag advances from state s over data[i:] and returns the index just past
// the '>' that ends the tag, or -1 when data ends first, with the state to
// resume in (at the '>', the state before it).
func scanTag(data []byte, i int, s tagState) (int, tagState) {
	for i < len(data) {
		switch s {
		case tsDQ, tsSQ:
			q := byte('"')
			if s == tsSQ {
				q = '\''
			}
			j := bytes.IndexByte(data[i:], q)
			if j < 0 {
				return -1, s
			}
			i += j + 1
			s = tsAfterQuoted
			continue
		case tsName, tsAttrName, tsUnquoted:
			for i < len(data) && !tagClass[data[i]] {
				i++
			}
			if i == len(data) {
				return -1, s
			}
		}
		c := data[i]
		i++
		if c == '>' {
			return i, s
		}
		switch s {
		case tsName:
			if c == '/' {
				s = tsSelfClose
			} else if c != '=' {
				s = tsBeforeAttr
			}
		case tsAttrName:
			switch c {
			case '/':
				s = tsSelfClose
			case '=':
				s = tsBeforeVal
			default:
				s = tsAfterAttrName
			}
		case tsUnquoted:
			if isSpace(c) {
				s = tsBeforeAttr
			}
		case tsBeforeAttr, tsSelfClose:
			if c == '/' {
				s = tsSelfClose
			} else if !isSpace(c) {
				s = tsAttrName
			} else {
				s = tsBeforeAttr
			}
		case tsAfterAttrName:
			switch {
			case c == '/':
				s = tsSelfClose
			case c == '=':
				s = tsBeforeVal
			case !isSpace(c):
				s = tsAttrName
			}
		case tsBeforeVal:
			switch {
			case c == '"':
				s = tsDQ
			case c == '\'':
				s = tsSQ
			case !isSpace(c):
				s = tsUnquoted
			}
		case tsAfterQuoted:
			switch {
			case c == '/':
				s = tsSelfClose
			case isSpace(c):
				s = tsBeforeAttr
			default:
				s = tsAttrName
			}
		}
	}
	return -1, s
}

// attrNameByte marks bytes of the attribute names found in ordinary markup.
var attrNameByte = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = isAlpha(byte(c)) || c >= '0' && c <= '9' || c == '-' || c == '_' || c == ':' || c == '.'
	}
	return
}()

// fastTagEnd finds the end of a tag written the ordinary way: name, then
// attributes separated by single spaces, each bare or ="double-quoted". i is
// just after the tag name's first letter. It returns the index past the '>'
// and the name's length, or -1 for anything else, which scanTag then reads by
// the full rules. Within that shape both agree: a quote can only open a value
// right after '=', and '>' ends the tag everywhere outside a value.
func fastTagEnd(data []byte, i int) (end, nameLen int) {
	start := i - 1
	for i < len(data) && !nameStop[data[i]] {
		i++
	}
	nameLen = i - start
	if end = attrsEnd(data, i); end < 0 {
		return -1, 0
	}
	return end, nameLen
}

// attrsEnd is fastTagEnd's attribute part: i is just after the tag name.
func attrsEnd(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case '>':
			return i + 1
		case ' ':
		default:
			return -1
		}
		i++
		s := i
		for i < len(data) && attrNameByte[data[i]] {
			i++
		}
		if i == s || i+1 >= len(data) {
			return -1
		}
		if data[i] == '=' {
			if data[i+1] != '"' {
				return -1
			}
			j := quoteAt(data, i+2)
			if j < 0 {
				return -1
			}
			i = j + 1
		}
	}
	return -1
}

// attrsEndNamed is attrsEnd for a kCond tag: it also reports whether an
// attribute is called want (lower case, compared in any case), so skipPlain
// judges <a> tags in the same pass that finds their end.
func attrsEndNamed(data []byte, i int, want string) (int, bool) {
	found := false
	for i < len(data) {
		switch data[i] {
		case '>':
			return i + 1, found
		case ' ':
		default:
			return -1, false
		}
		i++
		s := i
		for i < len(data) && attrNameByte[data[i]] {
			i++
		}
		if i == s || i+1 >= len(data) {
			return -1, false
		}
		if i-s == len(want) && data[s]|0x20 == want[0] && hasPrefixFold(data[s:i], want) {
			found = true
		}
		if data[i] == '=' {
			if data[i+1] != '"' {
				return -1, false
			}
			j := quoteAt(data, i+2)
			if j < 0 {
				return -1, false
			}
			i = j + 1
		}
	}
	return -1, false
}

// attrsEndMedia is attrsEnd for a kMedia tag: it also reports whether the
// tag may need a category, by running mayNeed over the value of each
// attribute readNeeds could read (urlNames; any such name as long as
// data-consent counts by itself) instead of over the whole attribute text.
// readNeeds reads nothing else, and within attrsEnd's shape it splits
// attributes exactly as this loop does, so a tag this dismisses is one the
// whole-text test would have let through to a zero need. Alt text, sizes
// and classes, most of an image tag, go unread. The loop repeats the shape
// of attrsEndNamed's on purpose: both run in the hot loop, so each carries
// only the checks its kind of tag needs.
func attrsEndMedia(data []byte, i int, sigs *Signatures) (int, bool) {
	may := false
	for i < len(data) {
		switch data[i] {
		case '>':
			return i + 1, may
		case ' ':
		default:
			return -1, false
		}
		i++
		s := i
		for i < len(data) && attrNameByte[data[i]] {
			i++
		}
		if i == s || i+1 >= len(data) {
			return -1, false
		}
		n := i - s
		if data[i] == '=' {
			if data[i+1] != '"' {
				return -1, false
			}
			j := quoteAt(data, i+2)
			if j < 0 {
				return -1, false
			}
			i = j + 1
		}
		if !may && n < len(urlNames) && urlNames[n]&(1<<(((data[s]|0x20)-'a')&31)) != 0 {
			// data-consent needs only its name; the others, their value.
			may = n == len("data-consent") || sigs.mayNeed(data[s+n:i])
		}
	}
	return -1, false
}

// urlNames has, per name length, a bit for the first letter of each
// attribute name readNeeds reads (any other letter or length is never read).
var urlNames = func() (t [13]uint32) {
	for _, n := range []string{"src", "rel", "href", "data", "ping", "srcset", "srcdoc", "content",
		"http-equiv", "xlink:href", "imagesrcset", "data-consent"} {
		t[len(n)] |= 1 << (n[0] - 'a')
	}
	return
}()

// quoteAt returns the index of the first '"' at or after i, or -1. Attribute
// values are short, so it reads eight bytes at a time itself rather than pay
// for a call into IndexByte.
func quoteAt(data []byte, i int) int {
	const ones, highs, quotes = 0x0101010101010101, 0x8080808080808080, 0x2222222222222222
	for stop := i + 64; i+8 <= len(data); i += 8 {
		y := binary.LittleEndian.Uint64(data[i:]) ^ quotes
		// The lowest set high bit marks the first zero byte of y exactly.
		if t := (y - ones) &^ y & highs; t != 0 {
			return i + bits.TrailingZeros64(t)>>3
		}
		if i >= stop {
			if j := bytes.IndexByte(data[i:], '"'); j >= 0 {
				return i + j
			}
			return -1
		}
	}
	for ; i < len(data); i++ {
		if data[i] == '"' {
			return i
		}
	}
	return -1
}

// attr is one attribute of a complete tag, as offsets into the tag.
type attr struct {
	nameStart, nameEnd int
	valStart, valEnd   int // equal when there is no value
}

// attrIter walks the attributes of a tag whose bytes are body (the tag
// without its closing '>'), starting after the tag name.
type attrIter struct {
	body []byte
	pos  int
}

// next returns the next attribute, or false at the end of the tag.
func (it *attrIter) next() (attr, bool) {
	b := it.body
	i := it.pos
	for i < len(b) && iterClass[b[i]]&(icSpace|icSlash) != 0 {
		i++
	}
	if i >= len(b) {
		it.pos = i
		return attr{}, false
	}
	a := attr{nameStart: i}
	i++ // the first character may be '='
	for i < len(b) && iterClass[b[i]] == 0 {
		i++
	}
	a.nameEnd = i
	j := i
	for j < len(b) && isSpace(b[j]) {
		j++
	}
	if j >= len(b) || b[j] != '=' {
		a.valStart, a.valEnd = i, i
		it.pos = i
		return a, true
	}
	j++
	for j < len(b) && isSpace(b[j]) {
		j++
	}
	if j < len(b) && (b[j] == '"' || b[j] == '\'') {
		var k int
		if b[j] == '"' {
			k = quoteAt(b, j+1)
		} else if k = bytes.IndexByte(b[j+1:], '\''); k >= 0 {
			k += j + 1
		}
		if k < 0 { // cut tag at end of input
			a.valStart, a.valEnd = j+1, len(b)
			it.pos = len(b)
			return a, true
		}
		a.valStart, a.valEnd = j+1, k
		it.pos = k + 1
		return a, true
	}
	k := j
	for k < len(b) && !isSpace(b[k]) {
		k++
	}
	a.valStart, a.valEnd = j, k
	it.pos = k
	return a, true
}

// kind is what the rewriter needs to know about an element.
type kind uint8

const (
	kOther kind = iota
	kScript
	kNoscript
	kBody
	kIframe // gateable and raw text
	kMedia  // img, source, link, video, audio, embed, object, base…
	// kCond is a, area (which load only through ping), meta (only with
	// http-equiv) and the table and its parts (only through the legacy
	// background attribute): gateable like kMedia, but dismissed unread when
	// the tag's bytes lack that attribute name, since <a> is the commonest
	// tag of all and <td> is common too.
	kCond
	kRawText
	kPlaintext
	kForeign // svg, math
	// kFrameset may put the browser in the "in frameset" insertion mode,
	// which ignores the start tags of raw-text elements.
	kFrameset
)

// rawTextEnds are the end tags that close raw text and RCDATA elements (and,
// read as raw text where the rewriter is unsure of foreign content, script
// and noscript).
var rawTextEnds = map[string]string{
	"style": "</style", "xmp": "</xmp", "iframe": "</iframe", "noembed": "</noembed",
	"noframes": "</noframes", "textarea": "</textarea", "title": "</title",
	"script": "</script", "noscript": "</noscript",
}

// nameStop marks the bytes that end a tag name.
var nameStop = func() (t [256]bool) {
	for _, c := range []byte{' ', '\t', '\n', '\f', '\r', '/', '>'} {
		t[c] = true
	}
	return
}()

// tagName returns the lower-cased name of the tag starting at tag[off], in buf.
// Names longer than buf come back empty: no element we care about is that long.
func tagName(tag []byte, off int, buf *[16]byte) []byte {
	n := 0
	for i := off; i < len(tag); i++ {
		if nameStop[tag[i]] {
			break
		}
		c := lower(tag[i])
		if n == len(buf) {
			return nil
		}
		buf[n] = c
		n++
	}
	return buf[:n]
}

// maybeKind has, per name length, a bit for each first letter that some
// element kindOf knows starts with, so most tags are dismissed unread.
// maybeLast does the same for last letters.
var maybeKind, maybeLast = func() (first, last [10]uint32) {
	for _, n := range []string{"script", "noscript", "body", "iframe", "img", "source", "link", "video",
		"audio", "embed", "object", "style", "xmp", "noembed", "noframes", "textarea", "title", "plaintext",
		"svg", "math", "frame", "input", "image", "track", "base", "meta", "a", "area", "frameset",
		"table", "thead", "tbody", "tfoot", "tr", "td", "th"} {
		first[len(n)] |= 1 << (n[0] - 'a')
		last[len(n)] |= 1 << (n[len(n)-1] - 'a')
	}
	return
}()

// mayMatter reports whether a tag name of length n starting with letter c
// and ending with letter e could be one kindOf knows.
func mayMatter(c, e byte, n int) bool {
	return n < len(maybeKind) && maybeKind[n]&(1<<(((c|0x20)-'a')&31)) != 0 &&
		maybeLast[n]&(1<<(((e|0x20)-'a')&31)) != 0
}

func kindOf(name []byte) kind {
	switch string(name) {
	case "script":
		return kScript
	case "noscript":
		return kNoscript
	case "body":
		return kBody
	case "iframe":
		return kIframe
	case "img", "source", "link", "video", "audio", "embed", "object", "frame", "input", "image", "track", "base":
		return kMedia
	case "a", "area", "meta", "table", "thead", "tbody", "tfoot", "tr", "td", "th":
		return kCond
	case "style", "xmp", "noembed", "noframes", "textarea", "title":
		return kRawText
	case "plaintext":
		return kPlaintext
	case "svg", "math":
		return kForeign
	case "frameset":
		return kFrameset
	}
	return kOther
}

// condMatters reports whether a kCond tag (its bytes, name included) could
// need a category: it holds the name of the attribute that makes it load,
// in any case. Attribute names are never entity-decoded, so a literal search
// finds every one.
func condMatters(tag []byte) bool {
	want := condAttr(tag[1])
	for i := 0; i+len(want) <= len(tag); i++ {
		if lower(tag[i]) == want[0] && hasPrefixFold(tag[i:], want) {
			return true
		}
	}
	return false
}

// condAttr names the attribute that makes a kCond element starting with
// letter c (or <body>) load something.
func condAttr(c byte) string {
	switch lower(c) {
	case 'm':
		return "http-equiv"
	case 'a':
		return "ping"
	}
	return "background"
}

// breaksOut reports whether a start tag leaves SVG or MathML content (HTML
// standard, "parsing main inforeign"); <font> does only with some
// attributes, see fontBreaksOut.
func breaksOut(name []byte) bool {
	switch string(name) {
	case "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em",
		"embed", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu",
		"meta", "nobr", "ol", "p", "pre", "ruby", "s", "small", "span", "strong", "strike", "sub", "sup",
		"table", "tt", "u", "ul", "var":
		return true
	}
	return false
}

// urlAttr reports whether attribute name (lower case) of element el carries
// a URL the browser fetches (or, for <base>, resolves others against; for
// <meta http-equiv=refresh>, navigates to; for ping, posts to on a click), and
// so is renamed when the element is gated.
func urlAttr(el, name []byte) bool {
	switch string(name) {
	case "src":
		return string(el) != "link" && string(el) != "object" && string(el) != "base" &&
			string(el) != "meta" && string(el) != "a" && string(el) != "area" && !hasBackground(el)
	case "srcset":
		return string(el) == "img" || string(el) == "source" || string(el) == "image"
	case "imagesrcset":
		return string(el) == "link"
	case "href":
		return string(el) == "link" || string(el) == "base" || svgFetches(el)
	case "xlink:href":
		return svgFetches(el)
	case "data":
		return string(el) == "object"
	case "srcdoc":
		return string(el) == "iframe"
	case "ping":
		return string(el) == "a" || string(el) == "area"
	case "content":
		return string(el) == "meta" // gated only with http-equiv=refresh
	case "background":
		return hasBackground(el)
	}
	return false
}

// hasBackground reports whether an element fetches the image its legacy
// background attribute names (HTML standard, rendering: body, table and
// its parts).
func hasBackground(el []byte) bool {
	switch string(el) {
	case "body", "table", "thead", "tbody", "tfoot", "tr", "td", "th":
		return true
	}
	return false
}

// svgFetches reports whether an SVG element loads its href.
func svgFetches(el []byte) bool {
	return string(el) == "image" || string(el) == "feimage" || string(el) == "use"
}
