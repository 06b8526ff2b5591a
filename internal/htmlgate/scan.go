package htmlgate

import "bytes"

// scanComment advances through a comment from data[i], following the HTML
// standard's comment states: "<!-->" and "<!--->" are whole comments, and
// both "-->" and "--!>" end one. It returns where scanning goes on; the mode
// is back to mData when the comment ended.
func (w *Rewriter) scanComment(data []byte, i int) int {
	for i < len(data) {
		if w.cm == cmText {
			j := bytes.IndexByte(data[i:], '-')
			if j < 0 {
				return len(data)
			}
			i += j + 1
			w.cm = cmEndDash
			continue
		}
		c := data[i]
		switch w.cm {
		case cmStart:
			switch c {
			case '-':
				w.cm = cmStartDash
			case '>':
				w.mode = mData
				return i + 1
			default:
				w.cm = cmText
				continue
			}
		case cmStartDash:
			switch c {
			case '-':
				w.cm = cmEnd
			case '>':
				w.mode = mData
				return i + 1
			default:
				w.cm = cmText
				continue
			}
		case cmEndDash:
			if c != '-' {
				w.cm = cmText
				continue
			}
			w.cm = cmEnd
		case cmEnd:
			switch c {
			case '>':
				w.mode = mData
				return i + 1
			case '!':
				w.cm = cmEndBang
			case '-':
			default:
				w.cm = cmText
				continue
			}
		case cmEndBang:
			switch c {
			case '>':
				w.mode = mData
				return i + 1
			case '-':
				w.cm = cmEndDash
			default:
				w.cm = cmText
				continue
			}
		}
		i++
	}
	return i
}

type matchResult uint8

const (
	matchNo matchResult = iota
	matchYes
	matchMore // rest is too short to tell
)

// endTagAt reports whether rest starts with prefix (lower case, such as
// "</style") in any letter case, followed by a character that ends a tag name.
func endTagAt(rest []byte, prefix string, final bool) matchResult {
	n := min(len(rest), len(prefix))
	for k := 0; k < n; k++ {
		if lower(rest[k]) != prefix[k] {
			return matchNo
		}
	}
	if len(rest) <= len(prefix) {
		if final {
			return matchNo
		}
		return matchMore
	}
	if c := rest[len(prefix)]; isSpace(c) || c == '/' || c == '>' {
		return matchYes
	}
	return matchNo
}

type scriptEvent uint8

const (
	evLimit scriptEvent = iota // reached limit
	evEnd                      // the script's end tag starts at the returned index
	evMore                     // need more input to tell
)

// scanScript advances through script data from data[i] up to limit,
// following the HTML standard's script data states, including the escaped
// and double-escaped ones: after "<!--", a "<script>" makes the next
// "</script>" not end the element.
func (w *Rewriter) scanScript(data []byte, i, limit int, final bool) (int, scriptEvent) {
	for i < limit {
		if w.sst == sdData {
			j := bytes.IndexByte(data[i:limit], '<')
			if j < 0 {
				return limit, evLimit
			}
			i += j
			rest := data[i:]
			switch endTagAt(rest, "</script", final) {
			case matchYes:
				return i, evEnd
			case matchMore:
				return i, evMore
			}
			if bytes.HasPrefix(rest, commentOpen) {
				w.sst, w.dashes = sdEscaped, 2
				i += 4
				continue
			}
			if !final && bytes.HasPrefix(commentOpen, rest) {
				return i, evMore
			}
			i++
			continue
		}
		c := data[i]
		switch c {
		case '-':
			w.dashes++
			i++
		case '>':
			if w.dashes >= 2 {
				w.sst = sdData
			}
			w.dashes = 0
			i++
		case '<':
			w.dashes = 0
			rest := data[i:]
			if w.sst == sdEscaped {
				switch endTagAt(rest, "</script", final) {
				case matchYes:
					return i, evEnd
				case matchMore:
					return i, evMore
				}
				switch endTagAt(rest, "<script", final) {
				case matchYes:
					w.sst = sdDouble
					i += len("<script") + 1
					continue
				case matchMore:
					return i, evMore
				}
			} else {
				switch endTagAt(rest, "</script", final) {
				case matchYes:
					w.sst = sdEscaped
					i += len("</script") + 1
					continue
				case matchMore:
					return i, evMore
				}
			}
			i++
		default:
			w.dashes = 0
			i++
		}
	}
	return i, evLimit
}
