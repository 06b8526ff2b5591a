package htmlgate

// SVG and MathML ("foreign content") change how markup is read: <style> and
// <script> inside <svg> hold markup, not raw text; CDATA sections exist; some
// HTML start tags ("breakouts") leave foreign content; and integration points
// (<foreignObject>, <desc>, <title>, <mi>, <mtext>…) hold HTML again. The
// rewriter keeps a small stack of open foreign elements to follow this.

// foreignEl is an open SVG or MathML element.
type foreignEl struct {
	name [16]byte
	n    uint8
	ip   bool // integration point: HTML rules apply inside
}

// maxForeign bounds the stack; deeper elements are not tracked (their end
// tags then pop an ancestor early, which only makes the scanner read HTML
// rules, that is raw text, a little sooner).
const maxForeign = 32

// inForeign reports whether the next tag is read by foreign rules.
func (w *Rewriter) inForeign() bool { return w.fn > 0 && !w.fstack[w.fn-1].ip }

func (w *Rewriter) push(name []byte, ip bool) {
	if w.fn == maxForeign || len(name) == 0 {
		return
	}
	e := &w.fstack[w.fn]
	e.n = uint8(copy(e.name[:], name))
	e.ip = ip
	w.fn++
}

// popToBoundary pops until the stack is empty or an integration point is on top.
func (w *Rewriter) popToBoundary() {
	for w.fn > 0 && !w.fstack[w.fn-1].ip {
		w.fn--
	}
}

// foreignStart updates the stack for a start tag called name (lower case)
// and reports whether the tag is a foreign element, read by foreign rules.
func (w *Rewriter) foreignStart(name, body []byte, selfClosing bool) bool {
	if !w.inForeign() {
		if (string(name) == "svg" || string(name) == "math") && !selfClosing {
			w.push(name, false)
		}
		return false
	}
	if breaksOut(name) || string(name) == "font" && w.fontBreaksOut(body) {
		w.popToBoundary()
		return false
	}
	if !selfClosing {
		w.push(name, integrationPoint(name, body))
	}
	return true
}

// foreignEnd updates the stack for an end tag called name (lower case).
func (w *Rewriter) foreignEnd(name []byte) {
	if w.fn == 0 {
		return
	}
	if !w.inForeign() { // inside an integration point: only its own end tag closes it
		if e := &w.fstack[w.fn-1]; string(e.name[:e.n]) == string(name) {
			w.fn--
		}
		return
	}
	if string(name) == "p" || string(name) == "br" { // breakout end tags
		w.popToBoundary()
		return
	}
	for k := w.fn - 1; k >= 0 && !w.fstack[k].ip; k-- {
		if e := &w.fstack[k]; string(e.name[:e.n]) == string(name) {
			w.fn = k
			return
		}
	}
}

// integrationPoint reports whether a foreign element holds HTML: SVG
// foreignObject, desc and title, MathML text integration points, and
// annotation-xml with an HTML encoding.
func integrationPoint(name, body []byte) bool {
	switch string(name) {
	case "foreignobject", "desc", "title", "mi", "mo", "mn", "ms", "mtext":
		return true
	case "annotation-xml":
		it := attrIter{body: body, pos: 1 + len("annotation-xml")}
		for {
			a, ok := it.next()
			if !ok {
				return false
			}
			var nb [16]byte
			if string(lowerName(body[a.nameStart:a.nameEnd], &nb)) == "encoding" {
				var vb [16]byte
				v := lowerName(body[a.valStart:a.valEnd], &vb)
				return string(v) == "text/html" || string(v) == "application/xhtml+xml"
			}
		}
	}
	return false
}

// fontBreaksOut reports whether a <font> start tag leaves foreign content:
// only with a color, face or size attribute.
func (w *Rewriter) fontBreaksOut(body []byte) bool {
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
