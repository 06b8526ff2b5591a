package middleware

import (
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// The rewriter reads a page's bytes as ASCII, which is right for the
// encodings a browser decodes ASCII bytes in as ASCII. UTF-16 is not one: a
// tag's letters come with NULs between them and no tag would be gated.
// (Nor, strictly, is ISO-2022-JP, whose escape sequences the browser drops
// from between ASCII bytes; that is a known limit of internal/htmlgate.) A
// browser reads a page as UTF-16 when it opens with a UTF-16 BOM, whatever
// the Content-Type's charset says, or, without a BOM, when the charset names
// UTF-16 (WHATWG Encoding; a <meta> cannot ask for it). The Gate then
// transcodes the page to UTF-8 before the rewriter. The BOM becomes a UTF-8
// BOM, which the browser obeys whatever the header says; without one, the
// header is relabelled UTF-8 before it leaves (see decide).

// encodings of a rewritten page's bytes.
const (
	textASCII   = iota // ASCII bytes are ASCII: rewritten as they are
	textUTF16LE        // transcoded
	textUTF16BE        // transcoded
)

// labelEncoding returns the encoding the first charset parameter of an HTML
// Content-Type value names, as far as the rewriter cares. The usual values
// are rejected by a scan for the words every UTF-16 label contains (or a
// backslash, which a quoted value may put inside such a word).
func labelEncoding(ct string) int {
	if !containsFold(ct, "16") && !containsFold(ct, "unicode") && !containsFold(ct, "ucs") && strings.IndexByte(ct, '\\') < 0 {
		return textASCII
	}
	_, params, _ := strings.Cut(ct, ";")
	for params != "" {
		var param string
		param, params, _ = strings.Cut(params, ";")
		name, val, _ := strings.Cut(param, "=")
		if !equalASCIIFold(trimOWS(name), "charset") {
			continue
		}
		switch strings.ToLower(trimOWS(unquoteParam(trimOWS(val)))) {
		case "utf-16be", "unicodefffe":
			return textUTF16BE
		case "utf-16", "utf-16le", "unicode", "unicodefeff", "ucs-2", "iso-10646-ucs-2", "csunicode":
			return textUTF16LE
		}
		return textASCII
	}
	return textASCII
}

// unquoteParam returns a parameter value without its quotes and with each
// backslash-escaped character in it unescaped, as browsers read a quoted
// string ("utf\-16le" is utf-16le). An unclosed quote runs to the end.
func unquoteParam(v string) string {
	if !strings.HasPrefix(v, `"`) {
		return v
	}
	v = v[1:]
	if strings.IndexByte(v, '\\') < 0 {
		v, _, _ = strings.Cut(v, `"`)
		return v
	}
	var b strings.Builder // only for a value with escapes
	for i := 0; i < len(v) && v[i] != '"'; i++ {
		if v[i] == '\\' && i+1 < len(v) {
			i++
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// charsetStage stands in front of the rewriter. It holds the first bytes of
// the page while they may be a BOM, then passes the page on as it is or
// through a UTF-16 transcoder. Where it is the response's bodyTarget it
// then steps aside, so an ASCII-compatible page costs nothing more.
type charsetStage struct {
	rw    *responseWriter
	label int     // what the Content-Type says
	head  [3]byte // the first bytes, while they may be a BOM
	n     int
	next  io.Writer // nil until the encoding is known
	utf16 *utf16Transcoder
}

// boms are the byte order marks that decide a page's encoding.
var boms = [...]string{"\xff\xfe", "\xfe\xff", "\xef\xbb\xbf"}

func (c *charsetStage) Write(p []byte) (int, error) {
	if c.next != nil {
		return c.next.Write(p)
	}
	k := copy(c.head[c.n:], p)
	c.n += k
	if c.mayBeBOM() {
		return len(p), nil
	}
	if err := c.settle(); err != nil {
		return 0, err
	}
	m, err := c.next.Write(p[k:])
	return k + m, err
}

// WriteString keeps io.WriteString's copy-free path to the rewriter.
func (c *charsetStage) WriteString(s string) (int, error) {
	k := 0
	if c.next == nil {
		k = copy(c.head[c.n:], s)
		c.n += k
		if c.mayBeBOM() {
			return len(s), nil
		}
		if err := c.settle(); err != nil {
			return 0, err
		}
	}
	m, err := io.WriteString(c.next, s[k:])
	return k + m, err
}

// mayBeBOM reports whether the bytes so far are the unfinished start of a BOM.
func (c *charsetStage) mayBeBOM() bool {
	for _, bom := range boms {
		if c.n < len(bom) && string(c.head[:c.n]) == bom[:c.n] {
			return true
		}
	}
	return false
}

// settle picks the encoding from the bytes held (a BOM beats the label),
// sends them on, and steps aside where it can.
func (c *charsetStage) settle() error {
	enc := c.label
	switch head := string(c.head[:c.n]); {
	case strings.HasPrefix(head, boms[0]):
		enc = textUTF16LE
	case strings.HasPrefix(head, boms[1]):
		enc = textUTF16BE
	case strings.HasPrefix(head, boms[2]):
		enc = textASCII
	}
	c.next = c.rw.rewriter
	if enc != textASCII {
		c.utf16 = &utf16Transcoder{dst: c.rw.rewriter, bigEndian: enc == textUTF16BE}
		c.next = c.utf16
	}
	if c.rw.bodyTarget == io.Writer(c) {
		c.rw.bodyTarget = c.next
	}
	_, err := c.next.Write(c.head[:c.n])
	return err
}

// close sends what is held at the end of the page.
func (c *charsetStage) close() error {
	if c.next == nil && c.n > 0 {
		if err := c.settle(); err != nil {
			return err
		}
	}
	if c.utf16 != nil {
		return c.utf16.close()
	}
	return nil
}

// utf16Transcoder writes UTF-16 on as UTF-8, decoding as browsers do: an
// unpaired surrogate or a final odd byte becomes U+FFFD.
type utf16Transcoder struct {
	dst       io.Writer
	bigEndian bool
	odd       byte // the first byte of a unit cut by a write
	hasOdd    bool
	high      uint16 // a high surrogate waiting for its pair, or 0
	out       []byte
}

func (t *utf16Transcoder) Write(p []byte) (int, error) {
	if t.out == nil {
		t.out = make([]byte, 0, outSize)
	}
	n := len(p)
	for len(p) > 0 {
		var b0, b1 byte
		if t.hasOdd {
			b0, b1, p = t.odd, p[0], p[1:]
			t.hasOdd = false
		} else if len(p) == 1 {
			t.odd, t.hasOdd = p[0], true
			break
		} else {
			b0, b1, p = p[0], p[1], p[2:]
		}
		u := uint16(b1)<<8 | uint16(b0)
		if t.bigEndian {
			u = uint16(b0)<<8 | uint16(b1)
		}
		t.unit(u)
		if len(t.out) > cap(t.out)-2*utf8.UTFMax {
			if err := t.flush(); err != nil {
				return 0, err
			}
		}
	}
	return n, t.flush()
}

// unit appends the UTF-8 of one UTF-16 code unit.
func (t *utf16Transcoder) unit(u uint16) {
	switch {
	case 0xd800 <= u && u < 0xdc00: // high surrogate
		if t.high != 0 {
			t.out = utf8.AppendRune(t.out, utf8.RuneError)
		}
		t.high = u
	case 0xdc00 <= u && u < 0xe000: // low surrogate
		r := utf8.RuneError
		if t.high != 0 {
			r = utf16.DecodeRune(rune(t.high), rune(u))
		}
		t.high = 0
		t.out = utf8.AppendRune(t.out, r)
	default:
		if t.high != 0 {
			t.out = utf8.AppendRune(t.out, utf8.RuneError)
			t.high = 0
		}
		t.out = utf8.AppendRune(t.out, rune(u))
	}
}

func (t *utf16Transcoder) flush() error {
	if len(t.out) == 0 {
		return nil
	}
	_, err := t.dst.Write(t.out)
	t.out = t.out[:0]
	return err
}

// close ends the page: a surrogate or a byte left without its pair is
// U+FFFD.
func (t *utf16Transcoder) close() error {
	if t.high != 0 || t.hasOdd {
		t.out = utf8.AppendRune(t.out, utf8.RuneError)
		t.high, t.hasOdd = 0, false
	}
	return t.flush()
}
