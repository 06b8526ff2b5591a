package htmlgate

import (
	"bytes"

	"github.com/consentgate/consentgate/consent"
)

// invalidBit marks a data-consent token that is not a usable category (or one
// too many): it is never allowed, so the tag stays off.
const invalidBit = 63

// endOfTag handles the complete (or, with cut, end-of-input-truncated) tag
// data[hold:end] and returns the new start of unwritten bytes.
func (w *Rewriter) endOfTag(data []byte, run, hold, end int, cut bool) int {
	w.holding = false
	w.mode = mData
	if w.tagDrop { // the end tag of a removed <noscript>
		w.tagDrop = false
		w.emit(data[run:hold])
		return end
	}
	tag := data[hold:end]
	body := tag
	if !cut {
		body = tag[:len(tag)-1]
	}
	var nb [16]byte
	if w.tagEnd {
		// A tag cut short by the end of input is no tag to the browser.
		if (w.fn > 0 || w.fover > 0) && !cut {
			run = w.foreignEnd(data, run, hold, end)
		}
		return run
	}
	name := tagName(tag, 1, &nb)
	k := kindOf(name)
	selfClosing := !cut && w.ts == tsSelfClose
	foreign := (w.fn > 0 || w.fover > 0 || k == kForeign) && w.foreignStart(tag, body, selfClosing)
	if k == kFrameset && !foreign {
		w.framesetMayFollow()
	}
	if w.unsure() && !cut {
		switch k {
		case kScript, kIframe, kNoscript, kRawText, kPlaintext:
			return w.unsureRaw(data, run, hold, end, name, k)
		}
	}
	if foreign {
		// SVG elements that fetch their href, SVG 2 links with ping, and,
		// in case the browser has left foreign content where the rewriter
		// has not, every HTML element that loads.
		switch {
		case k == kScript:
			return w.foreignScript(data, run, hold, end, body)
		case k == kMedia || k == kIframe || k == kCond || svgFetches(name):
			if k == kCond && !condMatters(body) {
				break
			}
			if need := w.tagNeeds(body, name, len(name)+1); w.gated(need) {
				w.emit(data[run:hold])
				w.emit(w.neutraliseMedia(tag, name, need))
				return end
			}
		}
		return run // other foreign elements load nothing and hold markup
	}
	switch k {
	case kScript:
		return w.scriptTag(data, run, hold, end, body, cut)
	case kMedia, kIframe, kCond, kBody:
		if (k == kCond || k == kBody) && !condMatters(body) {
			break
		}
		if need := w.tagNeeds(body, name, len(name)+1); w.gated(need) {
			w.emit(data[run:hold])
			w.emit(w.neutraliseMedia(tag, name, need))
			run = end
		}
	case kNoscript:
		if !cut {
			w.holding = true
			w.tagLen = end - hold
			w.mode = mNoscript
			// The element itself may be labelled: <noscript data-consent=…>.
			w.need = w.tagNeeds(body, name, len(name)+1)
			return run
		}
	}
	if cut {
		return run
	}
	if k == kRawText {
		w.rawEnd = rawTextEnds[string(name)]
	}
	return w.afterTag(data, run, end, k, selfClosing)
}

// afterTag switches state after a start tag of kind k ending at data[end]
// has been handled, and writes the banner after the first <body>.
func (w *Rewriter) afterTag(data []byte, run, end int, k kind, selfClosing bool) int {
	if w.unsure() {
		switch k {
		case kScript, kIframe, kRawText:
			w.mode, w.rawDrop = mRawText, true
			w.rawEnd = rawEndOf(k, w.rawEnd)
			return run
		case kPlaintext:
			return run
		}
	}
	switch k {
	case kBody:
		if !w.bodyYet {
			w.bodyYet = true
			if len(w.banner) > 0 {
				w.emit(data[run:end])
				w.emit(w.banner)
				run = end
			}
		}
	case kScript:
		w.mode, w.sst, w.dashes = mScript, sdData, 0
	case kIframe:
		w.mode, w.rawEnd = mRawText, "</iframe"
	case kRawText:
		w.mode = mRawText
	case kPlaintext:
		w.mode = mPlaintext
	case kNoscript:
		w.mode, w.discard = mNoscript, true
	}
	return run
}

// framesetMayFollow notes an HTML <frameset> start tag. Where the browser
// honours it (before the body has content), it ignores every start tag but
// frame, frameset and noframes from then on, raw-text ones included, so
// their content is markup to it; where it ignores the frameset, it is raw
// text. Telling the two apart would mean following the body's content, so
// the rewriter keeps both readings alike, as where it is unsure of foreign
// content (see unsure). A frame in either reading is gated by its src.
func (w *Rewriter) framesetMayFollow() { w.funsure = true }

// unsure reports whether the rewriter must keep the foreign and the HTML
// reading of what follows alike, because it cannot tell which the browser
// uses (see funsure): only when something could be gated.
func (w *Rewriter) unsure() bool { return w.funsure && w.refused != 0 }

// unsureRaw handles the start tag data[hold:end] of an element that is raw
// text in HTML but holds markup in SVG or MathML (or, for <plaintext>, holds
// the rest of the document), where the rewriter cannot tell which the
// browser reads. Its content is kept only up to the first character that
// could start markup, so both readings see the same text and the same end
// tag; a script is gated unless it declares its categories, as its text
// cannot be held and classified.
func (w *Rewriter) unsureRaw(data []byte, run, hold, end int, name []byte, k kind) int {
	tag := data[hold:end]
	body := tag[:len(tag)-1]
	switch k {
	case kPlaintext:
		return run // markup goes on in the foreign reading
	case kScript:
		run = w.foreignScript(data, run, hold, end, body)
	case kIframe:
		if need := w.tagNeeds(body, name, len(name)+1); w.gated(need) {
			w.emit(data[run:hold])
			w.emit(w.neutraliseMedia(tag, name, need))
			run = end
		}
	}
	w.mode, w.rawDrop = mRawText, true
	w.rawEnd = rawTextEnds[string(name)]
	return run
}

// rawEndOf returns the end tag that closes an element of kind k read as raw
// text; for kRawText, the one already chosen.
func rawEndOf(k kind, cur string) string {
	switch k {
	case kScript:
		return "</script"
	case kIframe:
		return "</iframe"
	}
	return cur
}

// overflowTag fails closed on a tag longer than MaxTag: data[hold:i] is its
// first MaxTag bytes. The rest of the tag streams through (or is dropped).
// Whatever it writes, the browser must read what follows as the rewriter
// does: a dropped iframe start tag is replaced, or its raw text would turn
// into markup.
func (w *Rewriter) overflowTag(data []byte, run, hold, i int) int {
	w.holding = false
	w.mode = mTagStream
	off := 1
	if w.tagEnd {
		off = 2
	}
	var nb [16]byte
	name := tagName(data[hold:i], off, &nb)
	w.tagKind = kindOf(name)
	if w.tagEnd {
		if w.fn > 0 || w.fover > 0 {
			run = w.foreignEnd(data, run, hold, i)
		}
		w.tagKind = kOther
		return run
	}
	foreign := (w.fn > 0 || w.fover > 0 || w.tagKind == kForeign) && w.foreignStart(data[hold:i], data[hold:i], false)
	k := w.tagKind
	if k == kFrameset && !foreign {
		w.framesetMayFollow()
	}
	if k == kRawText {
		w.rawEnd = rawTextEnds[string(name)]
	}
	if foreign && !(w.unsure() && (k == kScript || k == kIframe || k == kRawText)) {
		w.tagKind = kOther // its content is markup
	}
	if w.refused == 0 {
		if w.tagKind == kNoscript {
			w.tagKind = kOther // nothing to remove: read its content as markup
		}
		return run
	}
	switch k {
	case kScript:
		return w.overflowScript(data, run, hold)
	case kIframe:
		// Dropped, it would leave its content to be read as markup by the
		// browser: a bare iframe keeps it text, as the rewriter reads it.
		w.emit(data[run:hold])
		w.tmp = w.appendCategoryAttr(append(w.tmp[:0], "<iframe"...), w.sigs.sigMask)
		w.emit(append(w.tmp, '>'))
		w.tagDrop = true
		return i
	case kNoscript:
		if foreign {
			return run // an SVG or MathML element: its content is markup anyway
		}
		fallthrough
	case kMedia, kCond:
		w.emit(data[run:hold])
		w.tagDrop = true
		return i
	}
	if foreign && svgFetches(name) {
		// <feImage>, <use>…: gated by their href like <image>, so dropped
		// like it when too long to read.
		w.emit(data[run:hold])
		w.tagDrop = true
		return i
	}
	return run
}

// overflowScript neutralises a <script> start tag too long to read, with
// every signature category.
func (w *Rewriter) overflowScript(data []byte, run, hold int) int {
	w.emit(data[run:hold])
	w.tmp = append(w.tmp[:0], data[hold:hold+len("<script")]...)
	w.tmp = w.appendCategoryAttr(append(w.tmp, ` type="text/plain"`...), w.sigs.sigMask)
	w.emit(w.tmp)
	return hold + len("<script")
}

// scriptTag handles a <script> start tag: it is neutralised now, passed now,
// or held with its text until the text has been classified.
func (w *Rewriter) scriptTag(data []byte, run, hold, end int, body []byte, cut bool) int {
	var need uint64
	var typ, lang []byte
	hasType, hasLang, hasSrc := false, false, false
	w.declared = false
	it := attrIter{body: body, pos: len("<script")}
	for {
		a, ok := it.next()
		if !ok {
			break
		}
		val := body[a.valStart:a.valEnd]
		var nb [16]byte
		switch string(lowerName(body[a.nameStart:a.nameEnd], &nb)) {
		case "src":
			if !hasSrc {
				hasSrc = true
				need |= w.urlNeeds(val)
			}
		case "type":
			if !hasType {
				hasType, typ = true, val
				w.typeOff, w.typeEnd = a.valStart, a.valEnd
			}
		case "language":
			if !hasLang {
				hasLang, lang = true, val
			}
		case "data-consent":
			if !w.declared {
				w.declared = true
				need |= w.consentNeeds(val)
			}
		}
	}
	w.hasType = hasType
	w.tagLen = end - hold
	if !cut {
		w.mode, w.sst, w.dashes = mScript, sdData, 0
	}
	if !w.executable(typ, hasType, lang, hasLang) {
		return run
	}
	if cut && !w.declared {
		need |= w.sigs.sigMask
	}
	if w.gated(need) {
		w.emit(data[run:hold])
		w.emit(w.neutraliseScript(data[hold:end], need))
		return end
	}
	if w.refused != 0 && w.mode == mScript {
		w.holding = true
		w.need = need
	}
	return run
}

// decideScript classifies the held script whose text runs to data[i] (or, with
// overflow, past MaxInline) and writes its start tag, neutralised if needed.
func (w *Rewriter) decideScript(data []byte, run, hold, i int, overflow bool) int {
	w.holding = false
	start := hold + w.tagLen
	if overflow {
		i = min(i, start+MaxInline)
	}
	need := w.need | w.sigs.matchInline(data[start:i])
	if overflow && !w.declared {
		need |= w.sigs.sigMask
	}
	if !w.gated(need) {
		return run
	}
	w.emit(data[run:hold])
	w.emit(w.neutraliseScript(data[hold:start], need))
	return start
}

// noscriptGated reports whether a <noscript> element's content holds a tag
// that needs a refused category. Every "<name" is read as a tag, comments
// included, so a tag only some parsers see still counts.
func (w *Rewriter) noscriptGated(c []byte) bool {
	if w.gated(w.need) {
		return true
	}
	for i := 0; i < len(c); {
		j := bytes.IndexByte(c[i:], '<')
		if j < 0 {
			return false
		}
		i += j
		if i+1 >= len(c) || !isAlpha(c[i+1]) {
			i++
			continue
		}
		end, _ := scanTag(c, i+2, tsName)
		if end < 0 {
			// A tag still open at "</noscript" (<img alt="</noscript>"
			// src=…>) hides the rest of the element from us, while a browser
			// without scripting reads on: remove it unless nothing is refused.
			return w.refused != 0
		}
		body := c[i : end-1]
		var nb [16]byte
		name := tagName(body, 1, &nb)
		if w.gated(w.tagNeeds(body, name, len(name)+1)) {
			return true
		}
		i = end
	}
	return false
}

// tagNeeds returns the categories a start tag needs from its data-consent
// attribute and the URLs in its URL attributes. body is the tag without its
// '>'; attributes start at body[off].
func (w *Rewriter) tagNeeds(body, name []byte, off int) uint64 {
	if off > len(body) {
		return 0
	}
	// An iframe's srcdoc is a document, which the quick filter cannot judge.
	if !w.sigs.mayNeed(body[off:]) && string(name) != "iframe" {
		return 0
	}
	return w.readNeeds(body, name, off)
}

// readNeeds is tagNeeds without the quick filter.
func (w *Rewriter) readNeeds(body, name []byte, off int) uint64 {
	var need, hostNeed uint64
	declared := false
	// <meta> counts only with http-equiv=refresh (its content), <a> and
	// <area> only with ping, <body> and table parts only with background,
	// <link> by host too when it is preconnect or dns-prefetch (the href
	// then names just a host).
	el := elOther
	switch string(name) {
	case "meta":
		el = elMeta
	case "a", "area":
		el = elPing
	case "link":
		el = elLink
	case "base":
		el = elBase
	default:
		if hasBackground(name) {
			el = elBackground
		}
	}
	cond := el != elMeta && el != elPing && el != elBackground
	w.renames = w.renames[:0]
	var relBuf, hrefBuf [2][]byte
	rels, hrefs := relBuf[:0], hrefBuf[:0]
	it := attrIter{body: body, pos: off}
	for {
		a, ok := it.next()
		if !ok {
			break
		}
		switch a.nameEnd - a.nameStart {
		case 3, 4, 6, 7, 10, 11, 12: // src, rel, href, data, ping, srcset, srcdoc, content, http-equiv, xlink:href, background, imagesrcset, data-consent
		default:
			continue
		}
		var nb [16]byte
		an := lowerName(body[a.nameStart:a.nameEnd], &nb)
		val := body[a.valStart:a.valEnd]
		switch {
		case string(an) == "data-consent":
			if !declared {
				declared = true
				need |= w.consentNeeds(val)
			}
			continue
		case el == elMeta && string(an) == "http-equiv":
			cond = cond || w.valueIs(val, "refresh")
			continue
		case el == elLink && string(an) == "rel":
			rels = append(rels, val)
			continue
		case el == elPing && string(an) == "ping", el == elBackground && string(an) == "background":
			cond = true
		}
		url := urlAttr(name, an)
		if url {
			w.renames = append(w.renames, a.nameStart)
		}
		if string(an) == "srcdoc" && url {
			need |= w.srcdocNeeds(val)
		}
		if url || string(an) == "src" {
			need |= w.urlNeeds(val)
			switch {
			case string(an) != "href":
			case el == elBase:
				hostNeed |= w.hostNeeds(val)
			case el == elLink:
				hrefs = append(hrefs, val) // read by host only if rel asks
			}
		}
	}
	if len(hrefs) > 0 && w.connectsEarly(rels) {
		for _, h := range hrefs {
			hostNeed |= w.hostNeeds(h)
		}
	}
	need |= hostNeed
	if !cond {
		return 0
	}
	return need
}

// connectsEarly reports whether a <link>'s rel values hold preconnect or
// dns-prefetch, which make the browser reach the href's host at once.
func (w *Rewriter) connectsEarly(rels [][]byte) bool {
	for _, rel := range rels {
		if w.hasToken(rel, "preconnect") || w.hasToken(rel, "dns-prefetch") {
			return true
		}
	}
	return false
}

// Elements whose URL attributes count only in some cases.
const (
	elOther = iota
	elMeta
	elPing
	elLink
	elBase
	elBackground
)

// valueIs reports whether an attribute value, decoded and trimmed, is
// lower-case ASCII want in any case.
func (w *Rewriter) valueIs(val []byte, want string) bool {
	w.tmp = appendDecoded(w.tmp[:0], val)
	v := bytes.Trim(w.tmp, " \t\n\f\r")
	return len(v) == len(want) && hasPrefixFold(v, want)
}

// hasToken reports whether a space-separated attribute value (rel) holds
// lower-case ASCII token tok in any case.
func (w *Rewriter) hasToken(val []byte, tok string) bool {
	w.tmp = appendDecoded(w.tmp[:0], val)
	v := w.tmp
	for len(v) > 0 {
		n := 0
		for n < len(v) && !isSpace(v[n]) {
			n++
		}
		if n == len(tok) && hasPrefixFold(v, tok) {
			return true
		}
		if n < len(v) {
			n++
		}
		v = v[n:]
	}
	return false
}

// hostNeeds returns the signature categories whose fragments' host names
// appear in an attribute value.
func (w *Rewriter) hostNeeds(val []byte) uint64 {
	w.tmp = normaliseURL(w.tmp[:0], val)
	return w.sigs.matchHost(w.tmp)
}

// urlNeeds returns the signature categories whose URL fragments appear in an
// attribute value.
func (w *Rewriter) urlNeeds(val []byte) uint64 {
	if needsNormalising(val) {
		w.tmp = normaliseURL(w.tmp[:0], val)
		return w.sigs.matchURL(w.tmp)
	}
	return w.sigs.matchURL(val)
}

// consentNeeds returns the categories a data-consent value lists.
func (w *Rewriter) consentNeeds(val []byte) uint64 {
	w.tmp = appendDecoded(w.tmp[:0], val)
	v := w.tmp
	var need uint64
	for len(v) > 0 {
		for len(v) > 0 && isSpace(v[0]) {
			v = v[1:]
		}
		n := 0
		for n < len(v) && !isSpace(v[n]) {
			n++
		}
		if n > 0 {
			need |= 1 << w.categoryBit(v[:n])
		}
		need &^= 1 // essential (index 0) is always allowed: not worth naming
		v = v[n:]
	}
	return need
}

// categoryBit returns the mask bit for a category named in data-consent,
// lower-casing it, and learning categories the signatures do not name.
func (w *Rewriter) categoryBit(tok []byte) int {
	for i := range tok {
		tok[i] = lower(tok[i])
	}
	if !validCategory(string(tok)) {
		return invalidBit
	}
	for i, c := range w.sigs.cats {
		if string(c) == string(tok) {
			return i
		}
	}
	for i, c := range w.extra {
		if string(c) == string(tok) {
			return len(w.sigs.cats) + i
		}
	}
	bit := len(w.sigs.cats) + len(w.extra)
	if bit >= invalidBit {
		return invalidBit
	}
	c := consent.Category(tok) // allocates, once per site-defined category per document
	w.extra = append(w.extra, c)
	if w.choices.Allowed(c) {
		w.allowed |= 1 << bit
	}
	return bit
}

func (w *Rewriter) gated(need uint64) bool {
	if need&^w.allowed == 0 {
		return false
	}
	w.seen |= need
	return true
}

func (w *Rewriter) categoryName(bit int) string {
	switch {
	case bit < len(w.sigs.cats):
		return string(w.sigs.cats[bit])
	case bit == invalidBit:
		// Not a valid category ID, so no visitor's choices can ever allow it.
		return "!invalid"
	}
	return string(w.extra[bit-len(w.sigs.cats)])
}

// appendCategoryAttr appends ` data-cg-category="CATS"`.
func (w *Rewriter) appendCategoryAttr(b []byte, need uint64) []byte {
	b = append(b, ` data-cg-category="`...)
	first := true
	for bit := 0; bit < 64; bit++ {
		if need&(1<<bit) == 0 {
			continue
		}
		if !first {
			b = append(b, ' ')
		}
		first = false
		b = append(b, w.categoryName(bit)...)
	}
	return append(b, '"')
}

// neutraliseScript rewrites a script start tag so the browser treats it as
// data: type="text/plain" goes first, because browsers keep the first of
// duplicate attributes; the original type is kept in data-cg-type.
func (w *Rewriter) neutraliseScript(tag []byte, need uint64) []byte {
	b := append(w.tmp[:0], tag[:len("<script")]...)
	b = append(b, ` type="text/plain"`...)
	b = w.appendCategoryAttr(b, need)
	if w.hasType {
		b = append(b, ` data-cg-type="`...)
		for _, c := range tag[w.typeOff:w.typeEnd] {
			if c == '"' {
				b = append(b, "&quot;"...)
			} else {
				b = append(b, c)
			}
		}
		b = append(b, '"')
	}
	b = append(b, tag[len("<script"):]...)
	w.tmp = b
	return b
}

// neutraliseMedia renames the URL attributes of a start tag to data-cg-*
// and adds data-cg-category after the tag name. It is called right after
// tagNeeds found the need of the same tag, so readNeeds has just listed
// where those attributes start (w.renames).
func (w *Rewriter) neutraliseMedia(tag, name []byte, need uint64) []byte {
	off := 1 + len(name)
	b := append(w.tmp[:0], tag[:off]...)
	b = w.appendCategoryAttr(b, need)
	prev := off
	for _, at := range w.renames {
		b = append(b, tag[prev:at]...)
		b = append(b, "data-cg-"...)
		prev = at
	}
	b = append(b, tag[prev:]...)
	w.tmp = b
	return b
}

// executable reports whether a script with these type and language
// attributes runs as JavaScript (HTML standard, "prepare the script element"),
// is run as JavaScript by a library (Partytown), or is an import map or
// speculation rules, which make the browser fetch.
func (w *Rewriter) executable(typ []byte, hasType bool, lang []byte, hasLang bool) bool {
	var v []byte
	switch {
	case hasType:
		w.tmp = appendDecoded(w.tmp[:0], typ)
		v = bytes.Trim(w.tmp, " \t\n\f\r")
		if len(v) == 0 {
			return true
		}
	case hasLang && len(lang) > 0:
		w.tmp = appendDecoded(append(w.tmp[:0], "text/"...), lang)
		v = w.tmp
	default:
		return true
	}
	for i := range v {
		v[i] = lower(v[i])
	}
	switch string(v) {
	case "module", "application/ecmascript", "application/javascript", "application/x-ecmascript",
		"application/x-javascript", "text/ecmascript", "text/javascript", "text/javascript1.0",
		"text/javascript1.1", "text/javascript1.2", "text/javascript1.3", "text/javascript1.4",
		"text/javascript1.5", "text/jscript", "text/livescript", "text/x-ecmascript", "text/x-javascript":
		return true
	case "text/partytown":
		// The browser skips it, but the Partytown library finds every
		// script of this type and runs it in a web worker, where it tracks
		// as it would on the page (GTM, GA and Meta Pixel are its main use).
		// Neutralised, its first type is text/plain, which Partytown skips.
		// Partytown looks only at type, not at language.
		return hasType
	case "importmap", "speculationrules":
		// Not JavaScript, but the browser acts on the URLs their JSON names
		// (module addresses, pages to prefetch or prerender), so their text
		// is classified like a script's.
		return true
	}
	return false
}

// lowerName lower-cases an attribute name into buf; longer names come back
// as nil, which matches no attribute the rewriter cares about.
func lowerName(n []byte, buf *[16]byte) []byte {
	if len(n) > len(buf) {
		return nil
	}
	for i, c := range n {
		buf[i] = lower(c)
	}
	return buf[:len(n)]
}
