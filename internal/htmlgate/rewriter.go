package htmlgate

import (
	"bytes"
	"errors"
	"io"
	"math/bits"

	"github.com/consentgate/consentgate/consent"
)

// Caps on what the rewriter holds back while it decides. Each is reached only
// by a single construct, never by page size.
const (
	// MaxTag is the longest tag the rewriter buffers. A longer tag is failed
	// closed: a <script> start tag is neutralised, an <iframe> start tag is
	// replaced by a bare one (so its content stays text), the start tag of
	// any other element that can load a URL is dropped, and anything else
	// passes, <body> included (it keeps the page's own attributes and the
	// banner, at the cost of a background attribute past MaxTag).
	MaxTag = 64 << 10
	// MaxInline is how much of an inline script is held back to classify it.
	// A longer inline script is neutralised unless it carries a data-consent
	// attribute (see [Rewriter]).
	MaxInline = 64 << 10
	// MaxNoscript is how much of a <noscript> element is held back to classify
	// it. A longer one is removed.
	MaxNoscript = 64 << 10
)

// chunk is how much of a write is appended to the carry buffer at a time
// while an unfinished construct is held, so a big write does not grow it.
const chunk = 8 << 10

type mode uint8

const (
	mData mode = iota
	mTag
	mTagStream // a tag past MaxTag, passed or dropped to its end
	mComment
	mBogus // bogus comment or DOCTYPE: ends at the first '>'
	mCDATA
	mRawText
	mPlaintext
	mScript
	mNoscript
)

type commentState uint8

const (
	cmStart commentState = iota
	cmStartDash
	cmText
	cmEndDash
	cmEnd
	cmEndBang
)

type scriptState uint8

const (
	sdData scriptState = iota
	sdEscaped
	sdDouble
)

// ErrClosed is returned by Write after Close.
var ErrClosed = errors.New("htmlgate: write after Close")

// Rewriter streams an HTML document to a destination, neutralising the tags
// that need a category the visitor has not accepted and writing the banner
// after the first <body> start tag. Between writes it keeps only the
// construct it is in the middle of: an unfinished tag (up to [MaxTag]), an
// inline script being classified (up to [MaxInline]) or a <noscript> element
// (up to [MaxNoscript]). Its output does not depend on how the document is
// split into writes.
//
// Inline scripts longer than MaxInline fail closed: they are neutralised with
// every signature category unless the tag declares its categories with
// data-consent (for example data-consent="essential" on a large first-party
// bundle), in which case the declared categories and whatever the first
// MaxInline bytes matched decide. Trackers' snippets are a few hundred bytes;
// a tracker hidden after 64 KiB of other code would otherwise run unasked.
//
// In SVG and MathML the rewriter follows the browser's tree construction for
// the tags that enter and leave foreign content. Where the browser's reading
// depends on HTML elements the rewriter does not follow (an HTML end tag
// inside <svg> leaves it only if that element is open outside), it writes
// the foreign elements' end tags itself first. Where it still cannot tell
// (nesting deeper than it tracks, table parts or misnested formatting inside
// a foreignObject), it keeps the foreign and the HTML reading alike for the
// rest of the document: raw-text elements keep their content only up to the
// first '<' that could start markup, scripts are gated unless labelled with
// data-consent, and '>' in CDATA sections is written as "&gt;". Well-formed
// SVG and MathML never come to this. A <frameset> start tag has the same
// effect, as the browser ignores the start tags of raw-text elements after
// one unless it ignored the frameset itself.
//
// A Rewriter is not safe for concurrent use. The zero value is unusable until
// [Rewriter.Reset]; reuse one (for example from a sync.Pool) to avoid
// allocating per response.
type Rewriter struct {
	dst     io.Writer
	sigs    *Signatures
	choices consent.Choices
	allowed uint64 // bit per category index: visitor allows it
	refused uint64 // signature categories the visitor does not allow
	extra   []consent.Category
	seen    uint64 // categories of everything gated so far
	banner  []byte
	bodyYet bool
	err     error
	closed  bool

	buf []byte // held bytes, starting with the unfinished construct
	tmp []byte // scratch for rewritten tags and decoded values
	// renames holds where the URL attributes of the tag readNeeds last read
	// start, for neutraliseMedia.
	renames []int
	scan    int // where scanning resumes in buf
	marks   ltMarks

	mode mode
	// inner reads srcdoc documents (see srcdocNeeds); src holds one, and
	// depth is how deep in srcdoc documents this rewriter reads.
	inner  *Rewriter
	src    []byte
	srcOut sameAs
	depth  int

	holding bool            // buf[0:] is a construct being decided
	fstack  [maxOpen]openEl // open elements from the first <svg> or <math> on
	fn      int
	fover   int // open elements past maxOpen, not tracked
	// funsure: the rewriter may read foreign content where the browser does
	// not, or the reverse, or raw text where the browser reads markup
	// (after a <frameset>).
	funsure bool

	// mTag / mTagStream
	ts      tagState
	tagEnd  bool // an end tag
	tagDrop bool // drop the tag instead of writing it
	tagKind kind

	cm      commentState
	brk     int    // ']' seen in CDATA
	rawEnd  string // "</style" etc. for mRawText
	sst     scriptState
	dashes  int
	discard bool // mNoscript, mRawText: content is being removed
	rawDrop bool // mRawText: remove the content from the first character that could start markup
	gtEsc   bool // mCDATA: write '>' as "&gt;" (see funsure)

	// held <script> or <noscript>: the start tag is buf[0:tagLen]
	tagLen   int
	need     uint64 // categories the held script needs from its attributes
	declared bool   // the held script has data-consent
	typeOff  int    // offsets of the original type value in the held tag
	typeEnd  int
	hasType  bool
}

// Reset prepares w to rewrite a new document into dst for a visitor with
// choices, matching sigs (nil means [Default]). banner, which may be nil, is
// written right after the first <body> start tag; it is not copied, so it
// must not change until the document is closed.
func (w *Rewriter) Reset(dst io.Writer, choices consent.Choices, sigs *Signatures, banner []byte) {
	if sigs == nil {
		sigs = Default()
	}
	*w = Rewriter{
		dst:     dst,
		sigs:    sigs,
		choices: choices,
		banner:  banner,
		extra:   w.extra[:0],
		buf:     w.buf[:0],
		tmp:     w.tmp[:0],
		renames: w.renames[:0],
		marks:   ltMarks{words: w.marks.words[:0]},
		inner:   w.inner,
		src:     w.src[:0],
	}
	for i, c := range sigs.cats {
		if choices.Allowed(c) {
			w.allowed |= 1 << i
		}
	}
	w.refused = sigs.sigMask &^ w.allowed
}

// Write rewrites p into the destination. It returns len(p) unless the
// destination failed, after which every call returns that error.
func (w *Rewriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if w.closed {
		return 0, ErrClosed
	}
	n := len(p)
	for len(p) > 0 && w.err == nil {
		if len(w.buf) == 0 {
			// A long write goes to process in steps, each covered by the
			// marks (see ltMarks). Each step starts where the last one kept
			// from, as the carry buffer would, without copying.
			start := 0
			for end := 0; end < len(p) && w.err == nil; {
				end = min(len(p), end+markedWrite)
				start += w.process(p[start:end], false)
			}
			w.buf = append(w.buf, p[start:]...)
			break
		}
		k := min(len(p), chunk)
		w.buf = append(w.buf, p[:k]...)
		p = p[k:]
		keep := w.process(w.buf, false)
		w.buf = w.buf[:copy(w.buf, w.buf[keep:])]
	}
	return n, w.err
}

// WriteString is Write for a string, for io.StringWriter callers.
func (w *Rewriter) WriteString(s string) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if w.closed {
		return 0, ErrClosed
	}
	// Copying through the carry buffer in chunks keeps this allocation-free.
	n := len(s)
	for len(s) > 0 && w.err == nil {
		k := min(len(s), chunk)
		w.buf = append(w.buf, s[:k]...)
		s = s[k:]
		keep := w.process(w.buf, false)
		w.buf = w.buf[:copy(w.buf, w.buf[keep:])]
	}
	return n, w.err
}

// Flush reports the destination's error, if any. Every byte the rewriter has
// decided about is already written to the destination by the Write that
// supplied it; what remains is the unfinished construct, which cannot be
// written before its end is seen. Flushing the destination itself is the
// caller's business.
func (w *Rewriter) Flush() error { return w.err }

// Close ends the document: it decides on whatever construct is unfinished
// (failing closed on a tag cut short) and writes it. It does not close the
// destination.
func (w *Rewriter) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	if w.err == nil {
		w.process(w.buf, true)
		w.buf = w.buf[:0]
	}
	return w.err
}

func (w *Rewriter) emit(b []byte) {
	if w.err != nil || len(b) == 0 {
		return
	}
	_, w.err = w.dst.Write(b)
}

// process scans data from w.scan, writes everything decided, and returns the
// index from which data must be kept for the next call. data[0:] is either
// the held construct or not yet written. With final set, data is the end of
// the document: nothing is kept.
func (w *Rewriter) process(data []byte, final bool) int {
	w.marks.reset()
	i := w.scan
	run := 0  // data[run:] is not yet written
	hold := 0 // start of the held construct when w.holding
loop:
	for i < len(data) {
		switch w.mode {
		case mData:
			if w.fn == 0 && !w.tagDrop {
				var end int
				if i, end = skipPlain(data, i, w.sigs, w.marks.of(data)); i == len(data) {
					break loop
				}
				if end > 0 { // a start tag skipPlain found needs a look
					w.mode, w.ts, w.tagEnd, w.holding = mTag, tsBeforeAttr, false, true
					hold = i
					run = w.endOfTag(data, run, hold, end, false)
					i = end
					continue
				}
			}
			if data[i] != '<' { // tags often follow each other directly
				j := bytes.IndexByte(data[i:], '<')
				if j < 0 {
					i = len(data)
					break loop
				}
				i += j
			}
			if i+2 < len(data) && w.fn == 0 && !w.tagDrop {
				// Fast path for a whole tag of no interest, the common case.
				c := data[i+1]
				off := 2
				if c == '/' {
					c, off = data[i+2], 3
				}
				if isAlpha(c) {
					lim := data[:min(len(data), i+MaxTag)]
					end, nameLen := fastTagEnd(lim, i+off)
					ts := tsBeforeAttr // not self-closing: fastTagEnd refuses '/'
					known := end > 0
					if !known {
						end, ts = scanTag(lim, i+off, tsName)
					}
					if end > 0 {
						if off == 3 || known && !mayMatter(c, data[i+nameLen], nameLen) {
							i = end
							continue
						}
						var nb [16]byte
						if k := kindOf(tagName(data[i:end], 1, &nb)); k == kOther || k == kCond && !condMatters(data[i:end]) {
							i = end
							continue
						}
						w.mode, w.ts, w.tagEnd, w.holding = mTag, ts, false, true
						hold = i
						run = w.endOfTag(data, run, hold, end, false)
						i = end
						continue
					}
				}
			}
			var ok bool
			if i, ok = w.markup(data, i, final); !ok {
				break loop
			}
			if w.mode == mTag {
				hold = i - 2
				if w.tagEnd {
					hold--
				}
			}

		case mTag:
			limit := min(len(data), hold+MaxTag)
			end, ts := scanTag(data[:limit], i, w.ts)
			w.ts = ts
			if end < 0 {
				i = limit
				if hold+MaxTag <= len(data) {
					run = w.overflowTag(data, run, hold, i)
					continue
				}
				break loop
			}
			run = w.endOfTag(data, run, hold, end, false)
			i = end

		case mTagStream:
			end, ts := scanTag(data, i, w.ts)
			w.ts = ts
			if end < 0 {
				i = len(data)
				if w.tagDrop {
					run = i
				}
				break loop
			}
			if w.tagDrop {
				run, w.tagDrop = end, false
			}
			i = end
			w.mode = mData
			run = w.afterTag(data, run, end, w.tagKind, false)

		case mComment:
			i = w.scanComment(data, i)

		case mBogus:
			j := bytes.IndexByte(data[i:], '>')
			if j < 0 {
				i = len(data)
				break loop
			}
			i += j + 1
			w.mode = mData

		case mCDATA:
			for i < len(data) && w.mode == mCDATA {
				c := data[i]
				i++
				switch {
				case c == ']':
					w.brk++
				case c == '>' && w.brk >= 2:
					w.mode = mData
				case c == '>' && w.gtEsc:
					// Read as a bogus comment, the section now ends where
					// a CDATA reading ends it.
					w.emit(data[run : i-1])
					w.emit(gtRef)
					run = i
					w.brk = 0
				default:
					w.brk = 0
				}
			}

		case mRawText:
			j := bytes.IndexByte(data[i:], '<')
			if j < 0 {
				i = len(data)
				if w.discard {
					run = i
				}
				break loop
			}
			i += j
			switch endTagAt(data[i:], w.rawEnd, final) {
			case matchYes:
				w.mode = mData
				if w.discard {
					run = i
				}
				w.discard, w.rawDrop = false, false
			case matchMore:
				if w.discard {
					run = i
				}
				break loop
			default:
				if w.rawDrop && !w.discard && i+1 < len(data) && startsMarkup(data[i+1]) {
					w.emit(data[run:i])
					w.discard = true
				}
				i++
				if w.discard {
					run = i
				}
			}

		case mPlaintext:
			i = len(data)

		case mScript:
			limit := len(data)
			if w.holding {
				limit = min(limit, hold+w.tagLen+MaxInline)
			}
			var ev scriptEvent
			i, ev = w.scanScript(data, i, limit, final)
			switch ev {
			case evEnd:
				if w.holding {
					run = w.decideScript(data, run, hold, i, false)
				}
				w.mode = mData
			case evMore:
				break loop
			case evLimit:
				if i < len(data) { // the held script reached MaxInline
					run = w.decideScript(data, run, hold, i, true)
					continue
				}
				break loop
			}

		case mNoscript:
			start := hold + w.tagLen
			limit := len(data)
			if w.holding {
				limit = min(limit, start+MaxNoscript)
			}
			j := bytes.IndexByte(data[i:limit], '<')
			if j < 0 {
				i = limit
				if w.holding && limit < len(data) {
					// Too long to classify: remove it, unless the visitor
					// accepted every signature category.
					w.holding = false
					if w.refused != 0 {
						w.emit(data[run:hold])
						w.discard = true
						run = i
					}
					continue
				}
				if w.discard {
					run = i
				}
				break loop
			}
			i += j
			switch endTagAt(data[i:], "</noscript", final) {
			case matchYes:
				switch {
				case w.discard:
					run = i
					w.tagDrop = true // and its end tag
				case w.holding && w.noscriptGated(data[start:i]):
					w.emit(data[run:hold])
					run = i
					w.tagDrop = true
				}
				w.holding, w.discard = false, false
				w.mode = mData
			case matchMore:
				if w.discard {
					run = i
				}
				break loop
			default:
				i++
			}
		}
	}
	if final {
		run = w.atEnd(data, run, hold)
		i = len(data)
	}
	keep := i
	if w.holding {
		keep = hold
	}
	w.emit(data[run:keep])
	w.scan = i - keep
	return keep
}

// skipPlain passes over text and ordinary tags that need nothing done, from
// data[i], and returns where something needs a closer look: a '<' the fast
// path cannot judge, or len(data). Only for HTML content with no end tag to
// drop. It is the hot loop: most of a page is this.
//
// When data[i] starts a tag of a kind that needs a look (script, iframe, a
// media tag mayNeed keeps…) in attrsEnd's simple shape, end is the index past
// its '>', so process hands it to endOfTag without reading its name and
// attributes again; end is 0 otherwise. Such a tag is never self-closing:
// attrsEnd refuses '/'.
//
// A media tag (kMedia: img, link, source…) whose URL and data-consent
// attributes sigs.mayNeed dismisses (attrsEndMedia) is passed here too:
// endOfTag would find it needs nothing and, as such tags change no state,
// pass it byte for byte. Most of a page's images are first-party.
//
// lt holds the marks of data's '<'s (see ltMarks); they may cover only a
// prefix of data, or none of it.
func skipPlain(data []byte, i int, sigs *Signatures, lt []uint64) (pos, end int) {
	for uint(i) < uint(len(data)) {
		if data[i] != '<' {
			// The next '<' from the marks (see ltMarks).
			k := i + 1
			if q := uint(k) >> 6; q < uint(len(lt)) {
				if x := lt[q] >> (k & 63); x != 0 {
					i = k + bits.TrailingZeros64(x)
				} else {
					for q++; q < uint(len(lt)) && lt[q] == 0; q++ {
					}
					if q < uint(len(lt)) {
						i = int(q<<6) + bits.TrailingZeros64(lt[q])
					} else if i = indexLT(data, len(lt)<<6); i < 0 {
						return len(data), 0
					}
				}
			} else if i = indexLT(data, k); i < 0 {
				return len(data), 0
			}
		}
		// Unsigned comparisons let the compiler drop the bounds checks on
		// this path, which every tag takes.
		if uint(i+2) >= uint(len(data)) {
			return i, 0
		}
		c, off := data[i+1], 2
		if c == '/' {
			c, off = data[i+2], 3
		}
		if !isAlpha(c) {
			return i, 0
		}
		// The name, inline: most tags are just a name ("<p>", "</a>").
		j := i + off
		for uint(j) < uint(len(data)) && !nameStop[data[j]] {
			j++
		}
		if uint(j) >= uint(len(data)) || j-i > MaxTag {
			return i, 0
		}
		if off == 3 && data[j] == '>' { // an end tag, nearly half of all tags
			i = j + 1
			continue
		}
		nameLen := j - i - off + 1
		cond, media := false, false
		if off == 2 && nameLen == 1 {
			cond = c|0x20 == 'a' // <a>, the commonest tag: no lookup
		} else if off == 2 && nameLen == 3 && c|0x20 == 'i' && data[i+2]|0x20 == 'm' && data[i+3]|0x20 == 'g' {
			media = true // <img>, the commonest media tag: no lookup
		} else if off == 2 && mayMatter(c, data[j-1], nameLen) {
			var nb [16]byte
			switch kindOf(tagName(data[i:j], 1, &nb)) {
			case kOther:
			case kCond:
				cond = true // judged once its end is known
			case kMedia:
				media = true // judged by its attribute text
			default:
				return i, max(attrsEnd(data[:min(len(data), i+MaxTag)], j), 0)
			}
		}
		if media {
			end, may := attrsEndMedia(data[:min(len(data), i+MaxTag)], j, sigs)
			if end < 0 {
				return i, 0
			}
			if may {
				return i, end
			}
			i = end
			continue
		}
		if data[j] == '>' {
			i = j + 1
			continue
		}
		lim := data[:min(len(data), i+MaxTag)]
		if cond {
			end, found := attrsEndNamed(lim, j, condAttr(c))
			if end < 0 {
				return i, 0
			}
			if found { // condMatters finds the same attribute name
				return i, end
			}
			i = end
			continue
		}
		end := attrsEnd(lim, j)
		if end < 0 {
			return i, 0
		}
		i = end
	}
	return i, 0
}

// markup handles the '<' at data[i] in the data state. It returns where
// scanning goes on, or false when more input is needed to tell what it starts.
func (w *Rewriter) markup(data []byte, i int, final bool) (int, bool) {
	rest := data[i:]
	if len(rest) < 2 {
		if !final {
			return i, false
		}
		return i + 1, true
	}
	switch c := rest[1]; {
	case isAlpha(c):
		w.startTag(false)
		return i + 2, true
	case c == '/':
		if len(rest) < 3 {
			if !final {
				return i, false
			}
			return i + 2, true
		}
		switch c2 := rest[2]; {
		case isAlpha(c2):
			w.startTag(true)
			return i + 3, true
		case c2 == '>': // "</>" is ignored by browsers
			return i + 3, true
		}
		w.mode = mBogus
		return i + 2, true
	case c == '!':
		switch {
		case bytes.HasPrefix(rest, commentOpen):
			w.mode, w.cm = mComment, cmStart
			return i + 4, true
		case (w.foreignNow() || w.unsure()) && bytes.HasPrefix(rest, cdataOpen):
			w.mode, w.brk, w.gtEsc = mCDATA, 0, w.unsure()
			return i + 9, true
		case !final && (bytes.HasPrefix(commentOpen, rest) || (w.foreignNow() || w.unsure()) && bytes.HasPrefix(cdataOpen, rest)):
			return i, false
		}
		w.mode = mBogus
		return i + 2, true
	case c == '?':
		w.mode = mBogus
		return i + 1, true
	}
	return i + 1, true
}

var (
	commentOpen = []byte("<!--")
	cdataOpen   = []byte("<![CDATA[")
	gtRef       = []byte("&gt;")
)

// startsMarkup reports whether c, after a '<', starts a tag, an end tag, a
// comment or a bogus comment when read as markup.
func startsMarkup(c byte) bool { return isAlpha(c) || c == '/' || c == '!' || c == '?' }

func (w *Rewriter) startTag(end bool) {
	w.mode = mTag
	w.ts = tsName
	w.tagEnd = end
	w.holding = true
}

// atEnd decides on whatever is still held when the document ends.
func (w *Rewriter) atEnd(data []byte, run, hold int) int {
	if !w.holding {
		if w.discard || w.mode == mTagStream && w.tagDrop {
			return len(data)
		}
		return run
	}
	switch w.mode {
	case mTag:
		run = w.endOfTag(data, run, hold, len(data), true)
	case mScript:
		run = w.decideScript(data, run, hold, len(data), false)
	case mNoscript:
		if w.noscriptGated(data[hold+w.tagLen:]) {
			w.emit(data[run:hold])
			run = len(data)
		}
	}
	w.holding = false
	return run
}
