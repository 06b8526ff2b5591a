package htmlgate

import (
	"bytes"
	"encoding/binary"
	"html"
	"strings"
	"unicode/utf8"
)

// needsNormalising reports whether an attribute value must be decoded before
// URL fragments can be matched in it: it holds a character reference, a
// percent escape, a backslash (browsers read it as "/" in http URLs), or a tab
// or newline (the URL parser deletes them, so "face\nbook.net" still loads).
func needsNormalising(v []byte) bool {
	for _, c := range v {
		if normByte[c] {
			return true
		}
	}
	return false
}

// normByte marks the bytes needsNormalising looks for: one table load per
// byte instead of a switch.
var normByte = func() (t [256]bool) {
	for _, c := range []byte{'&', '%', '\\', '\t', '\n', '\r'} {
		t[c] = true
	}
	return
}()

// normaliseURL appends to dst the value v as a browser would see it when
// fetching: character references decoded, percent escapes decoded, tabs and
// newlines removed, backslashes turned into slashes, ASCII lower-cased.
// Percent decoding is what the host parser does; doing it for the path as well
// can only add matches, which is the safe direction.
func normaliseURL(dst, v []byte) []byte {
	return normaliseDecodedURL(appendDecoded(dst, v), len(dst))
}

// normaliseDecodedURL normalises dst[base:], a value whose character
// references are already decoded, in place: no byte makes more than one.
func normaliseDecodedURL(dst []byte, base int) []byte {
	w := base
	for i := base; i < len(dst); i++ {
		// Eight bytes at a time while none is a control byte, '%' or '\\'
		// (URLs are mostly plain): the write trails the read, so it only
		// overwrites bytes already read.
		for i+8 <= len(dst) {
			x := binary.LittleEndian.Uint64(dst[i:])
			if hasByteBelow(x, 0x20) || hasByteEqual(x, '%') || hasByteEqual(x, '\\') {
				break
			}
			binary.LittleEndian.PutUint64(dst[w:], lower8(x))
			i, w = i+8, w+8
		}
		if i == len(dst) {
			break
		}
		c := dst[i]
		if urlByte[c] {
			switch {
			case c == '\t' || c == '\n' || c == '\r':
				continue
			case c == '\\':
				c = '/'
			case c == '%' && i+2 < len(dst) && isHex(dst[i+1]) && isHex(dst[i+2]):
				c = unhex(dst[i+1])<<4 | unhex(dst[i+2])
				i += 2
				if c == '\t' || c == '\n' || c == '\r' {
					continue
				}
				if c == '\\' {
					c = '/'
				}
			}
		}
		dst[w] = lower(c)
		w++
	}
	return dst[:w]
}

// hasByteBelow reports whether any of the eight bytes in x is below n
// (n <= 0x80).
func hasByteBelow(x uint64, n byte) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	return (x-ones*uint64(n))&^x&highs != 0
}

// hasByteEqual reports whether any of the eight bytes in x is c.
func hasByteEqual(x uint64, c byte) bool {
	const ones = 0x0101010101010101
	return hasByteBelow(x^(ones*uint64(c)), 1)
}

// urlByte marks the bytes normaliseDecodedURL changes other than by case.
var urlByte = func() (t [256]bool) {
	for _, c := range []byte{'%', '\\', '\t', '\n', '\r'} {
		t[c] = true
	}
	return
}()

// appendDecoded appends v to dst with character references decoded as
// browsers decode them in attribute values: numeric references with or
// without the trailing ';', named ones with it, and the legacy names also
// without it when no letter, digit or '=' follows (see namedRef).
func appendDecoded(dst, v []byte) []byte {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '&' {
			// Copy the run up to the next reference at once.
			k := bytes.IndexByte(v[i:], '&')
			if k < 0 {
				return append(dst, v[i:]...)
			}
			dst = append(dst, v[i:i+k]...)
			i += k - 1
			continue
		}
		if r, n := numericRef(v[i:]); n > 0 {
			dst = utf8.AppendRune(dst, r)
			i += n - 1
			continue
		}
		if d, n := namedRef(dst, v[i:]); n > 0 {
			dst = d
			i += n - 1
			continue
		}
		dst = append(dst, c)
	}
	return dst
}

// DecodeAttribute returns v, an attribute value as written in the markup,
// with its character references decoded as the rewriter decodes them before
// matching, which is how the HTML standard decodes attribute values. Tests
// compare it with an HTML parser.
func DecodeAttribute(v string) string { return string(appendDecoded(nil, []byte(v))) }

// numericRef decodes "&#46;" or "&#x2e;" at the start of b.
func numericRef(b []byte) (rune, int) {
	if len(b) < 3 || b[1] != '#' {
		return 0, 0
	}
	i := 2
	hex := false
	if b[i] == 'x' || b[i] == 'X' {
		hex = true
		i++
	}
	start := i
	var r int64
	for i < len(b) {
		c := b[i]
		var d int64
		switch {
		case c >= '0' && c <= '9':
			d = int64(c - '0')
		case hex && isHex(c):
			d = int64(unhex(c))
		default:
			goto done
		}
		if hex {
			r = r*16 + d
		} else {
			r = r*10 + d
		}
		if r > utf8.MaxRune {
			r = utf8.MaxRune + 1
		}
		i++
	}
done:
	if i == start {
		return 0, 0
	}
	if i < len(b) && b[i] == ';' {
		i++
	}
	if r == 0 || r > utf8.MaxRune || r >= 0xD800 && r <= 0xDFFF {
		return utf8.RuneError, i
	}
	if r >= 0x80 && r <= 0x9F {
		return win1252[r-0x80], i
	}
	return rune(r), i
}

// win1252 is how browsers read numeric references to C1 control codes.
var win1252 = [32]rune{
	0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
	0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
}

// asciiEntities are the HTML named character references that stand for an
// ASCII character (letters and digits have none).
var asciiEntities = map[string]byte{
	"Tab": '\t', "NewLine": '\n', "excl": '!', "quot": '"', "QUOT": '"', "num": '#', "dollar": '$',
	"percnt": '%', "amp": '&', "AMP": '&', "apos": '\'', "lpar": '(', "rpar": ')', "ast": '*',
	"midast": '*', "plus": '+', "comma": ',', "period": '.', "sol": '/', "colon": ':', "semi": ';',
	"lt": '<', "LT": '<', "equals": '=', "gt": '>', "GT": '>', "quest": '?', "commat": '@',
	"lsqb": '[', "lbrack": '[', "bsol": '\\', "rsqb": ']', "rbrack": ']', "Hat": '^', "lowbar": '_',
	"UnderBar": '_', "grave": '`', "DiacriticalGrave": '`', "lcub": '{', "lbrace": '{', "verbar": '|',
	"vert": '|', "VerticalLine": '|', "rcub": '}', "rbrace": '}',
}

// legacyRefs are the named references the HTML standard also decodes
// without their ';' (its fixed "legacy" list: the Latin-1 set, and &amp, &lt,
// &gt, &quot in both cases), by name without the ';'. Their characters come
// from the standard library's table.
var legacyRefs = func() map[string]string {
	m := make(map[string]string)
	for _, name := range strings.Fields("AElig AMP Aacute Acirc Agrave Aring Atilde Auml COPY Ccedil ETH " +
		"Eacute Ecirc Egrave Euml GT Iacute Icirc Igrave Iuml LT Ntilde Oacute Ocirc Ograve Oslash Otilde Ouml " +
		"QUOT REG THORN Uacute Ucirc Ugrave Uuml Yacute aacute acirc acute aelig agrave amp aring atilde auml " +
		"brvbar ccedil cedil cent copy curren deg divide eacute ecirc egrave eth euml frac12 frac14 frac34 gt " +
		"iacute icirc iexcl igrave iquest iuml laquo lt macr micro middot nbsp not ntilde oacute ocirc ograve " +
		"ordf ordm oslash otilde ouml para plusmn pound quot raquo reg sect shy sup1 sup2 sup3 szlig thorn " +
		"times uacute ucirc ugrave uml uuml yacute yen yuml") {
		m[name] = html.UnescapeString("&" + name + ";")
	}
	return m
}()

// namedRef decodes a named reference such as "&period;" at the start of b,
// as the HTML standard does in an attribute value: the name must be followed
// by ';', or be a legacy name (&shy, &amp…) followed by neither a letter,
// digit nor '=' ("&shy-" is a soft hyphen, "&copyx" and "&notit;" stay as
// written). An ASCII one comes from asciiEntities and a legacy one from
// legacyRefs without allocating; any other (&ZeroWidthSpace;, &fopf;…, which
// a host parser maps or drops) through the standard library's table into dst.
func namedRef(dst, b []byte) ([]byte, int) {
	end := 1
	for end < len(b) && end < 40 && isAlnumAny(b[end]) {
		end++
	}
	if end == 1 {
		return dst, 0
	}
	if end == len(b) || b[end] != ';' {
		// No name is 39 long, so a run cut there is followed by a letter or
		// digit too.
		if end < len(b) && (b[end] == '=' || isAlnumAny(b[end])) {
			return dst, 0
		}
		if d, ok := legacyRefs[string(b[1:end])]; ok {
			return append(dst, d...), end
		}
		return dst, 0
	}
	if c, ok := asciiEntities[string(b[1:end])]; ok {
		return append(dst, c), end + 1
	}
	ref := string(b[:end+1])
	// The standard library reads "&notit;" as "&not" and "it;", as in text;
	// in an attribute it stays as written, so only a whole-name match counts
	// (no reference other than &semi;, read above, decodes to a ';').
	if d := html.UnescapeString(ref); d != ref && !strings.HasSuffix(d, ";") {
		return append(dst, d...), end + 1
	}
	return dst, 0
}

// isAlnumAny reports whether c is an ASCII letter, in either case, or digit.
func isAlnumAny(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
