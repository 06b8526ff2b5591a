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
// percent escape, a backslash (browsers read it as "/" in http URLs), a tab
// or newline (the URL parser deletes them, so "face\nbook.net" still loads),
// or what may be a port or a dot segment (see appendResolved).
func needsNormalising(v []byte) bool {
	for i, c := range v {
		switch normByte[c] {
		case normNo:
		case normYes:
			return true
		default:
			if mayResolveAt(v, i) {
				return true
			}
		}
	}
	return false
}

// What normByte says about a byte.
const (
	normNo    = iota
	normYes   // always needs normalising
	normMaybe // "/" or ":": depends on the bytes after it (mayResolveAt)
)

// normByte sorts the bytes needsNormalising looks at: one table load per
// byte instead of a switch.
var normByte = func() (t [256]uint8) {
	for _, c := range []byte{'&', '%', '\\', '\t', '\n', '\r'} {
		t[c] = normYes
	}
	t['/'], t[':'] = normMaybe, normMaybe
	return
}()

// mayResolveAt reports whether v[i], a "/" or ":", may start a dot segment
// ("/.") or a port (a ":" that is not the last byte and not the scheme's
// "://"), which the browser resolves before fetching.
func mayResolveAt(v []byte, i int) bool {
	if i+1 >= len(v) {
		return false
	}
	if v[i] == '/' {
		return v[i+1] == '.'
	}
	return v[i+1] != '/' || i+2 == len(v) || v[i+2] != '/'
}

// normaliseURL appends to dst the value v as a browser would see it when
// fetching: character references decoded, percent escapes decoded, tabs and
// newlines removed, backslashes turned into slashes, ASCII lower-cased, and
// then any URL with an explicit default port or dot segments also as the
// browser resolves it. Percent decoding is what the host parser does; doing
// it for the path as well can only add matches, which is the safe direction.
func normaliseURL(dst, v []byte) []byte {
	return normaliseDecodedURL(appendDecoded(dst, v), len(dst))
}

// normaliseDecodedURL normalises dst[base:], a value whose character
// references are already decoded: foldURL rewrites it in place, then
// appendResolved adds the URLs in it that the browser resolves to something
// else.
func normaliseDecodedURL(dst []byte, base int) []byte {
	dst = foldURL(dst, base)
	if mayResolve(dst[base:]) {
		dst = appendResolved(dst, base)
	}
	return dst
}

// mayResolve reports whether v may hold a port or a dot segment.
func mayResolve(v []byte) bool {
	for i, c := range v {
		if normByte[c] == normMaybe && mayResolveAt(v, i) {
			return true
		}
	}
	return false
}

// foldURL rewrites dst[base:] in place, as normaliseURL describes, up to the
// resolving of ports and dot segments: no byte makes more than one.
func foldURL(dst []byte, base int) []byte {
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

// appendResolved appends to dst, each after a space, the URLs in dst[base:]
// (a folded value) that the browser resolves to something other than what is
// written: an explicit port that is empty or 80 or 443 (leading zeros
// allowed) is dropped, and "." and ".." path segments are removed, never
// above the path's root, as the URL parser does (see appendPathResolved). The
// value as written stays in front of them: the fold reads "%2f" as "/", which
// may make dot segments the browser does not see, and that must never hide a
// match.
//
// The value is read both ways an attribute holds URLs: as one URL (src,
// href: spaces and commas inside it are part of its path) and, if it has
// spaces, as space-separated candidates (srcset, ping), each resolved on its
// own, so no resolution runs across a candidate boundary. It allocates only
// if dst lacks room.
func appendResolved(dst []byte, base int) []byte {
	s, e := base, len(dst)
	for s < e && dst[s] <= ' ' {
		s++
	}
	for e > s && dst[e-1] <= ' ' {
		e--
	}
	if bytes.IndexFunc(dst[s:e], func(r rune) bool { return r <= ' ' }) >= 0 {
		dst = appendResolvedURL(dst, s, e)
	}
	for i := s; i < e; {
		j := i
		for j < e && dst[j] > ' ' {
			j++
		}
		dst = appendResolvedURL(dst, i, j)
		for j < e && dst[j] <= ' ' {
			j++
		}
		i = j
	}
	return dst
}

// urlLead marks the bytes a URL may follow inside an attribute value other
// than at its start: a srcset descriptor's ",", a refresh's ";" and "url=",
// quotes, spaces, and the "<" that opens each link of a Link header (which
// the Gate matches with the same code).
var urlLead = func() (t [256]bool) {
	for c := 0; c <= ' '; c++ {
		t[c] = true
	}
	for _, c := range []byte(",;='\"<") {
		t[c] = true
	}
	return
}()

// appendResolvedURL appends a space and the URL in dst[s:e] as the browser
// resolves it, if that differs from how it is written. The URL is the first
// one with a host that starts at s or right after a urlLead byte, and it runs
// to e. dst[s:e] must not reach past the value.
func appendResolvedURL(dst []byte, s, e int) []byte {
	p, a := -1, -1
	for i := s; i < e && a < 0; i++ {
		if urlLead[dst[i]] || i > s && !urlLead[dst[i-1]] {
			continue
		}
		p, a = i, authorityStart(dst[:e], i)
	}
	if a < 0 {
		return dst
	}
	h := a // the authority ends at the path, query or fragment, or a Link's ">"
	for h < e && dst[h] != '/' && dst[h] != '?' && dst[h] != '#' && dst[h] != '>' {
		h++
	}
	hostEnd := h
	if k := defaultPort(dst[a:h]); k >= 0 {
		hostEnd = a + k
	}
	q := h // the path ends at the query or fragment
	for q < e && dst[q] != '?' && dst[q] != '#' {
		q++
	}
	if hostEnd == h && !hasDotSegment(dst[h:q]) {
		return dst
	}
	dst = append(dst, ' ')
	dst = append(dst, dst[p:hostEnd]...)
	dst = appendPathResolved(dst, h, q)
	return append(dst, dst[q:e]...)
}

// authorityStart returns where the host starts if a URL with one starts at
// v[i], else -1: after two or more slashes (a page on http or https reads
// "///host" as "//host"), after a special scheme's ":" and any number of
// slashes (none or one too, as a page on another scheme reads
// "https:/host"), or after another scheme's "://".
func authorityStart(v []byte, i int) int {
	if !isAlpha(v[i]) {
		if i+1 < len(v) && v[i] == '/' && v[i+1] == '/' {
			return skipSlashes(v, i)
		}
		return -1
	}
	k := i + 1
	for k < len(v) && (isAlnumAny(v[k]) || v[k] == '+' || v[k] == '-' || v[k] == '.') {
		k++
	}
	if k == len(v) || v[k] != ':' {
		return -1
	}
	switch string(v[i:k]) { // the fold lower-cased it
	case "http", "https", "ws", "wss", "ftp":
		return skipSlashes(v, k+1)
	}
	if k+2 < len(v) && v[k+1] == '/' && v[k+2] == '/' {
		return k + 3
	}
	return -1
}

func skipSlashes(v []byte, i int) int {
	for i < len(v) && v[i] == '/' {
		i++
	}
	return i
}

// defaultPort returns the index in auth, a URL's authority, of the ":" of a
// port the browser drops or that names the default server (empty, or 80 or
// 443 with any leading zeros), or -1. A ":" in the userinfo is followed by
// "@" and more, so it is never taken for the port.
func defaultPort(auth []byte) int {
	k := len(auth)
	for k > 0 && auth[k-1] >= '0' && auth[k-1] <= '9' {
		k--
	}
	if k == 0 || auth[k-1] != ':' {
		return -1
	}
	d := bytes.TrimLeft(auth[k:], "0")
	if k == len(auth) || string(d) == "80" || string(d) == "443" {
		return k - 1
	}
	return -1
}

// hasDotSegment reports whether path has a "." or ".." segment.
func hasDotSegment(path []byte) bool {
	for i := 0; i+1 < len(path); i++ {
		if path[i] != '/' || path[i+1] != '.' {
			continue
		}
		j := i + 2
		if j < len(path) && path[j] == '.' {
			j++
		}
		if j == len(path) || path[j] == '/' {
			return true
		}
	}
	return false
}

// appendPathResolved appends the path dst[from:to], which is empty or starts
// with "/", with its dot segments removed as the URL parser removes them: "."
// is dropped, ".." drops it and the segment before it (at the root there is
// none to drop), and either one last leaves a trailing "/". The fold has
// already turned "%2e" into "." and backslashes into "/".
func appendPathResolved(dst []byte, from, to int) []byte {
	root := len(dst)
	for i := from; i < to; {
		j := i + 1
		for j < to && dst[j] != '/' {
			j++
		}
		switch seg := dst[i+1 : j]; {
		case len(seg) == 2 && seg[0] == '.' && seg[1] == '.':
			n := len(dst)
			for n > root {
				n--
				if dst[n] == '/' {
					break
				}
			}
			dst = dst[:n]
			if j == to {
				dst = append(dst, '/')
			}
		case len(seg) == 1 && seg[0] == '.':
			if j == to {
				dst = append(dst, '/')
			}
		default:
			dst = append(dst, dst[i:j]...)
		}
		i = j
	}
	return dst
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
