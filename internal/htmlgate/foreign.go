package htmlgate

import "hash/maphash"

// SVG and MathML ("foreign content") change how markup is read: <style> and
// <script> inside <svg> hold markup, not raw text; CDATA sections exist; some
// HTML start tags ("breakouts") leave foreign content; and integration points
// (<foreignObject>, <desc>, <title>, <mi>, <mtext>…) hold HTML again.
//
// From the first <svg> or <math> on, the rewriter keeps a small stack of the
// elements open in the browser's tree: the foreign elements, and the HTML
// elements opened inside integration points, whose end tags decide whether
// an end tag for a foreign element still reaches it. It follows the HTML
// standard's tree construction for the tags that open and close foreign
// content. Where a browser's reading depends on more of the tree than that
// (an HTML end tag inside <svg> that only pops out of it if the same element
// is open outside), the rewriter makes the browser's reading certain by
// writing the end tags of the foreign elements itself.

// Namespaces of open elements.
const (
	nsHTML uint8 = iota
	nsSVG
	nsMath
)

// Kinds of integration points.
const (
	ipNone uint8 = iota
	ipText       // MathML mi, mo, mn, ms, mtext: HTML, but mglyph and malignmark stay MathML
	ipHTML       // SVG foreignObject, desc, title; MathML annotation-xml with an HTML encoding
)

// elName is an element's name, lower case, as the stack compares it: names
// longer than b are told apart by length and a seeded hash.
type elName struct {
	b    [16]byte
	size int
	hash uint64
}

var nameSeed = maphash.MakeSeed()

// nameOf returns the name of a tag whose name starts at tag[off].
func nameOf(tag []byte, off int) (k elName) {
	end := off
	for end < len(tag) && !nameStop[tag[end]] {
		end++
	}
	raw := tag[min(off, end):end]
	k.size = len(raw)
	for i := 0; i < len(raw) && i < len(k.b); i++ {
		k.b[i] = lower(raw[i])
	}
	if len(raw) > len(k.b) {
		var h maphash.Hash
		h.SetSeed(nameSeed)
		for _, c := range raw {
			_ = h.WriteByte(lower(c))
		}
		k.hash = h.Sum64()
	}
	return k
}

// is reports whether the name is s (lower case, at most 16 bytes).
func (k *elName) is(s string) bool {
	return k.size == len(s) && string(k.b[:len(s)]) == s
}

// short returns the name when it fits b, else nil.
func (k *elName) short() []byte {
	if k.size > len(k.b) {
		return nil
	}
	return k.b[:k.size]
}

// openEl is an element open in the browser's tree.
type openEl struct {
	name elName
	ns   uint8
	ip   uint8
	// dirty marks an integration point whose HTML content was not followed
	// exactly (auto-closed elements, table parts…): whether an end tag still
	// reaches it cannot be told.
	dirty bool
}

// maxOpen bounds the stack. Deeper elements are counted (fover), not
// tracked, and are taken to be foreign: the rewriter then reads with foreign
// rules but does not trust its reading (see funsure).
const maxOpen = 32

// foreignNow reports whether the current node is an SVG or MathML element
// (integration points included): CDATA sections exist there.
func (w *Rewriter) foreignNow() bool {
	return w.fover > 0 || w.fn > 0 && w.fstack[w.fn-1].ns != nsHTML
}

// byHTMLRules reports whether a start tag called k is read by HTML rules
// (HTML standard, "tree construction dispatcher").
func (w *Rewriter) byHTMLRules(k *elName) bool {
	if w.fover > 0 {
		return false
	}
	if w.fn == 0 {
		return true
	}
	t := &w.fstack[w.fn-1]
	switch {
	case t.ns == nsHTML || t.ip == ipHTML:
		return true
	case t.ip == ipText:
		return !k.is("mglyph") && !k.is("malignmark")
	case t.ns == nsMath && t.name.is("annotation-xml"):
		return k.is("svg")
	}
	return false
}

func (w *Rewriter) push(k *elName, ns, ip uint8) {
	if w.fn == maxOpen || w.fover > 0 {
		w.fover++
		w.funsure = true
		return
	}
	w.fstack[w.fn] = openEl{name: *k, ns: ns, ip: ip}
	w.fn++
}

// popToHTML pops the foreign elements above the nearest integration point or
// HTML element, as a breakout start tag and </p> or </br> do.
func (w *Rewriter) popToHTML() {
	w.fover = 0
	for w.fn > 0 {
		if t := &w.fstack[w.fn-1]; t.ns == nsHTML || t.ip != ipNone {
			return
		}
		w.fn--
	}
}

// curNS returns the namespace of the current node, for a new foreign element.
func (w *Rewriter) curNS() uint8 {
	if w.fn == 0 {
		return nsHTML
	}
	return w.fstack[w.fn-1].ns
}

// foreignStart updates the stack for the start tag tag (body is the tag
// without its '>') and reports whether it makes an SVG or MathML element.
func (w *Rewriter) foreignStart(tag, body []byte, selfClosing bool) bool {
	k := nameOf(tag, 1)
	if !w.byHTMLRules(&k) {
		if !breaksOut(k.short()) && !(k.is("font") && fontBreaksOut(body)) {
			if !selfClosing {
				ns := w.curNS()
				w.push(&k, ns, w.integrationPoint(ns, &k, body))
			}
			return true
		}
		w.popToHTML() // then read by HTML rules
	}
	switch {
	case k.is("svg"):
		if !selfClosing {
			w.push(&k, nsSVG, ipNone)
		}
	case k.is("math"):
		if !selfClosing {
			w.push(&k, nsMath, ipNone)
		}
	case w.fn > 0:
		w.htmlStart(&k)
	}
	return false
}

// htmlStart updates the stack for an HTML start tag inside an integration
// point. Void elements open nothing; the elements whose start tags close
// others are followed where that is simple, and otherwise mark the
// integration point dirty.
func (w *Rewriter) htmlStart(k *elName) {
	name := k.short()
	if voidElement(name) {
		return
	}
	ip := w.nearestIP()
	switch {
	case closesP(name):
		// "Close a p element": pops through the p, if one is open.
		for i := w.fn - 1; i > ip; i-- {
			if w.fstack[i].name.is("p") {
				p := w.fstack[i].name
				w.popTo(i, ip, &p)
				break
			}
		}
	case len(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6':
		if t := &w.fstack[w.fn-1].name; w.fn-1 > ip && t.size == 2 && t.b[0] == 'h' && t.b[1] >= '1' && t.b[1] <= '6' {
			w.fn--
		}
	case tablePart(name) || string(name) == "frameset":
		// In a table, these close cells and rows up the whole stack.
		if !w.openAbove(ip, "table") && !w.openAbove(ip, "template") {
			w.funsure = true
		}
		w.dirty(ip)
	case autoCloses(name):
		for i := w.fn - 1; i > ip; i-- {
			if autoCloses(w.fstack[i].name.short()) {
				w.dirty(ip)
				break
			}
		}
	case string(name) == "select" || string(name) == "template":
		w.dirty(ip)
	}
	w.push(k, nsHTML, ipNone)
}

// popTo pops the stack down to index i, above the integration point at ip,
// for a start or end tag called k that closes the element at i with those
// above it. The browser does the same when k is an end tag that looks for
// its element in scope (or a start tag that closes a p) and the elements
// above are ones it closes silently; otherwise the integration point turns
// dirty.
func (w *Rewriter) popTo(i, ip int, k *elName) {
	if i != w.fn-1 {
		exact := closesInScope(k.short())
		for j := i + 1; j < w.fn && exact; j++ {
			exact = impliedEnd(w.fstack[j].name.short())
		}
		if !exact {
			w.dirty(ip)
		}
	}
	w.fn = i
}

// closesInScope reports whether an HTML end tag looks for its element in
// scope and closes it with everything above it (the others stop at the
// first special element).
func closesInScope(name []byte) bool {
	switch string(name) {
	case "address", "article", "aside", "blockquote", "button", "center", "details", "dialog", "dir",
		"div", "dl", "fieldset", "figcaption", "figure", "footer", "header", "hgroup", "listing", "main",
		"menu", "nav", "ol", "pre", "search", "section", "summary", "ul", "form", "p", "li", "dd", "dt",
		"h1", "h2", "h3", "h4", "h5", "h6", "applet", "marquee", "object":
		return true
	}
	return false
}

// impliedEnd reports whether an element is closed silently when an element
// below it is ("generate implied end tags").
func impliedEnd(name []byte) bool {
	switch string(name) {
	case "dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt", "rtc":
		return true
	}
	return false
}

func (w *Rewriter) dirty(ip int) {
	if ip >= 0 {
		w.fstack[ip].dirty = true
	}
}

// openAbove reports whether an element called name is open above index ip.
func (w *Rewriter) openAbove(ip int, name string) bool {
	for i := w.fn - 1; i > ip; i-- {
		if w.fstack[i].name.is(name) {
			return true
		}
	}
	return false
}

// nearestIP returns the index of the topmost foreign element on the stack
// (the integration point HTML elements above it are inside), or -1.
func (w *Rewriter) nearestIP() int {
	i := w.fn - 1
	for i >= 0 && w.fstack[i].ns == nsHTML {
		i--
	}
	return i
}

// foreignEnd updates the stack for the end tag data[hold:end] (which starts
// "</" and holds at least its name) and returns the new start of unwritten
// bytes: it may write end tags of its own before it.
func (w *Rewriter) foreignEnd(data []byte, run, hold, end int) int {
	if w.fover > 0 {
		// An untracked element: take the end tag to close it.
		w.fover--
		return run
	}
	if w.fn == 0 {
		return run
	}
	k := nameOf(data[hold:end], 2)
	if w.fstack[w.fn-1].ns == nsHTML {
		w.htmlEnd(&k)
		return run
	}
	// Foreign rules: the current node is an SVG or MathML element.
	if k.is("p") || k.is("br") {
		w.popToHTML()
		if w.fn > 0 && w.fstack[w.fn-1].ns == nsHTML {
			w.htmlEnd(&k)
		}
		return run
	}
	// "Any other end tag": the nearest open foreign element of that name,
	// looking down to the first HTML element, is closed with all above it.
	stop := w.fn - 1
	for ; stop >= 0 && w.fstack[stop].ns != nsHTML; stop-- {
		if w.fstack[stop].name == k {
			w.checkDirty(stop)
			w.fn = stop
			return run
		}
	}
	// None: the browser reads the end tag by HTML rules with the foreign
	// elements still open. Those rules look for the element only as far as
	// the nearest integration point, which stops them.
	for i := w.fn - 1; i > stop; i-- {
		if w.fstack[i].ip != ipNone {
			w.checkDirty(i)
			w.htmlEnd(&k)
			return run
		}
	}
	// Without one, whether they pop the foreign elements depends on HTML
	// elements outside, which the rewriter does not follow. Close them
	// first, so the browser surely leaves them.
	run = w.closeForeign(data, run, hold, stop+1)
	if w.fn > 0 {
		w.htmlEnd(&k)
	}
	return run
}

// closeForeign writes end tags before data[hold] that close the foreign
// elements from the top of the stack down to index from (a root: <svg> or
// <math> opened by HTML rules), and pops them. Each "</svg>" or "</math>"
// closes everything above the nearest element of that name.
func (w *Rewriter) closeForeign(data []byte, run, hold, from int) int {
	if w.refused != 0 {
		w.emit(data[run:hold])
		run = hold
		for i := w.fn - 1; i >= from; i-- {
			switch n := &w.fstack[i].name; {
			case n.is("svg"):
				w.emit(closeSVG)
			case n.is("math"):
				w.emit(closeMath)
			}
		}
	}
	w.checkDirty(from)
	w.fn = from
	return run
}

// checkDirty gives up certainty when an end tag read by foreign rules closes
// a dirty integration point (the stack from index i up): an HTML element
// the rewriter lost track of may keep the browser inside it.
func (w *Rewriter) checkDirty(i int) {
	for ; i < w.fn; i++ {
		if w.fstack[i].dirty {
			w.funsure = true
		}
	}
}

var (
	closeSVG  = []byte("</svg>")
	closeMath = []byte("</math>")
)

// htmlEnd updates the stack for an end tag read by HTML rules inside an
// integration point. The scopes the HTML rules look in stop at the
// integration point, so only HTML elements above it are closed, except by
// table and template end tags.
func (w *Rewriter) htmlEnd(k *elName) {
	ip := w.nearestIP()
	for i := w.fn - 1; i > ip; i-- {
		if w.fstack[i].name == *k {
			w.popTo(i, ip, k)
			return
		}
	}
	if name := k.short(); tablePart(name) || string(name) == "template" {
		// Closes a cell, row or table the svg is in, if it is in one.
		w.funsure = true
		return
	}
	if ip >= 0 && w.fstack[ip].dirty {
		// The HTML elements the stack holds may already be closed, so the
		// end tag may reach the integration point after all.
		w.funsure = true
	}
}

// integrationPoint returns what kind of integration point a foreign element
// called k in namespace ns is.
func (w *Rewriter) integrationPoint(ns uint8, k *elName, body []byte) uint8 {
	if ns == nsSVG {
		switch string(k.short()) {
		case "foreignobject", "desc", "title":
			return ipHTML
		}
		return ipNone
	}
	switch string(k.short()) {
	case "mi", "mo", "mn", "ms", "mtext":
		return ipText
	case "annotation-xml":
		it := attrIter{body: body, pos: 1 + len("annotation-xml")}
		for {
			a, ok := it.next()
			if !ok {
				return ipNone
			}
			var nb [16]byte
			if string(lowerName(body[a.nameStart:a.nameEnd], &nb)) == "encoding" {
				// The browser compares the decoded value, in any case, untrimmed.
				w.tmp = appendDecoded(w.tmp[:0], body[a.valStart:a.valEnd])
				if v := w.tmp; len(v) == len("text/html") && hasPrefixFold(v, "text/html") ||
					len(v) == len("application/xhtml+xml") && hasPrefixFold(v, "application/xhtml+xml") {
					return ipHTML
				}
				return ipNone // the first encoding attribute counts
			}
		}
	}
	return ipNone
}

// fontBreaksOut reports whether a <font> start tag leaves foreign content:
// only with a color, face or size attribute.
func fontBreaksOut(body []byte) bool {
	it := attrIter{body: body, pos: 1 + len("font")}
	for {
		a, ok := it.next()
		if !ok {
			return false
		}
		var nb [16]byte
		switch string(lowerName(body[a.nameStart:a.nameEnd], &nb)) {
		case "color", "face", "size":
			return true
		}
	}
}

// voidElement reports whether an HTML element has no content, so opens
// nothing on the stack.
func voidElement(name []byte) bool {
	switch string(name) {
	case "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
		"input", "keygen", "link", "meta", "param", "source", "track", "wbr":
		return true
	}
	return false
}

// closesP reports whether an HTML start tag closes an open <p> first.
func closesP(name []byte) bool {
	switch string(name) {
	case "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl",
		"fieldset", "figcaption", "figure", "footer", "header", "hgroup", "main", "menu", "nav", "ol", "p",
		"search", "section", "summary", "ul", "pre", "listing", "form", "xmp", "h1", "h2", "h3", "h4", "h5", "h6":
		return true
	}
	return false
}

// autoCloses reports whether an HTML start tag closes an open element like
// itself (li closes li, option closes option, a and nobr run the adoption
// agency…): the rewriter does not follow these.
func autoCloses(name []byte) bool {
	switch string(name) {
	case "li", "dd", "dt", "option", "optgroup", "rb", "rp", "rt", "rtc", "button", "a", "nobr":
		return true
	}
	return false
}

// tablePart reports whether an element is a table or one of its parts,
// whose tags close cells, rows and tables up the whole stack.
func tablePart(name []byte) bool {
	switch string(name) {
	case "table", "caption", "colgroup", "col", "tbody", "thead", "tfoot", "tr", "td", "th":
		return true
	}
	return false
}

// foreignScript handles an SVG or MathML <script>. Its content is markup, not
// raw text, so it cannot be held and classified: unless data-consent declares
// its categories, it fails closed and needs every signature category.
func (w *Rewriter) foreignScript(data []byte, run, hold, end int, body []byte) int {
	var need uint64
	declared := false
	w.hasType = false
	it := attrIter{body: body, pos: len("<script")}
	for {
		a, ok := it.next()
		if !ok {
			break
		}
		var nb [16]byte
		val := body[a.valStart:a.valEnd]
		switch string(lowerName(body[a.nameStart:a.nameEnd], &nb)) {
		case "href", "xlink:href", "src":
			need |= w.urlNeeds(val)
		case "type":
			if !w.hasType {
				w.hasType = true
				w.typeOff, w.typeEnd = a.valStart, a.valEnd
			}
		case "data-consent":
			if !declared {
				declared = true
				need |= w.consentNeeds(val)
			}
		}
	}
	if !declared {
		need |= w.sigs.sigMask
	}
	if !w.gated(need) {
		return run
	}
	w.emit(data[run:hold])
	w.emit(w.neutraliseScript(data[hold:end], need))
	return end
}
