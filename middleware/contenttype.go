package middleware

import "strings"

// A page's fate hangs on what the browser makes of its Content-Type, so the
// Gate reads it the way browsers do rather than the way RFC 9110 says to.
//
// Browsers read Content-Type as one comma-separated list over all its
// header lines (commas inside quoted strings excepted) and take the last
// member they can parse: "text/plain, text/html" and
// "application/json;,text/html" are HTML (the Fetch standard's "extract a
// MIME type"; Chromium's HttpResponseHeaders::GetMimeTypeAndCharset, checked
// against Chromium 156). What counts as parseable differs: Chromium splits
// each line on its own and takes a member's type up to the first space, ';'
// or '(' as long as it holds a '/', so "text/html garbage" is HTML to it;
// Fetch joins the lines first and wants type and subtype to be tokens. The
// Gate fails closed: a body is HTML if either reading makes it HTML.
//
// A type that says nothing makes browsers sniff the body: none parseable,
// "*/*" (which Fetch and Chromium skip when it is a whole member),
// "unknown/unknown" and "application/unknown" (Chromium's
// IsUnknownMimeType, the MIME Sniffing standard's "unknown" types). The
// Gate sniffs those too. The charset the readings also extract does not
// matter to the Gate, which rewrites bytes, not characters.

// mediaClass is what the Gate does about a body's type, in order of caution.
type mediaClass uint8

const (
	mediaOther mediaClass = iota // a type the browser takes as given
	mediaXHTML                   // the browser renders XHTML, which the Gate passes through (see decide)
	mediaSniff                   // the browser sniffs the body
	mediaHTML                    // the browser renders HTML
)

// contentTypeClass classifies the values of a response's Content-Type header.
func contentTypeClass(vals []string) mediaClass {
	var chromium, fetch string // the last type each reading took; "" for none
	switch len(vals) {
	case 0:
		return mediaSniff
	case 1:
		if mt, ok := plainMediaType(vals[0]); ok {
			return classOf(mt)
		}
		lastMediaTypes(vals[0], &chromium, &fetch)
	default:
		for _, v := range vals {
			lastMediaTypes(v, &chromium, nil)
		}
		// Fetch reads the lines joined; an unclosed quote runs on into the
		// next one. Several Content-Type lines are rare: the join's
		// allocation is only theirs.
		lastMediaTypes(strings.Join(vals, ","), nil, &fetch)
	}
	return max(classOf(chromium), classOf(fetch))
}

// plainMediaType returns the media type of v when v is the usual one-member
// "type/subtype" with nothing or parameters after it, which both readings
// take alike; ok is false for anything else, which the full readings judge.
// It spares every ordinary response the two list walks.
func plainMediaType(v string) (mt string, ok bool) {
	if strings.IndexByte(v, ',') >= 0 {
		return "", false
	}
	mt = v
	if semi := strings.IndexByte(v, ';'); semi >= 0 {
		mt = v[:semi]
	}
	slash := strings.IndexByte(mt, '/')
	if slash <= 0 || slash == len(mt)-1 || !isToken(mt[:slash]) || !isToken(mt[slash+1:]) {
		return "", false
	}
	return mt, true
}

// classOf classifies a media type as read from Content-Type ("" for none).
func classOf(mt string) mediaClass {
	switch {
	case equalASCIIFold(mt, "text/html"):
		return mediaHTML
	case equalASCIIFold(mt, "application/xhtml+xml"):
		return mediaXHTML
	case mt == "", mt == "*/*", equalASCIIFold(mt, "unknown/unknown"), equalASCIIFold(mt, "application/unknown"):
		return mediaSniff
	}
	return mediaOther
}

// lastMediaTypes walks the members of the list s and sets *chromium and
// *fetch (each unless nil) to the media type of each member that reading
// can parse, so that they end up holding the last one.
func lastMediaTypes(s string, chromium, fetch *string) {
	for {
		member, rest, more := cutListMember(s)
		if chromium != nil {
			if mt := chromiumMediaType(member); mt != "" {
				*chromium = mt
			}
		}
		if fetch != nil {
			if mt := fetchMediaType(member); mt != "" {
				*fetch = mt
			}
		}
		if !more {
			return
		}
		s = rest
	}
}

// cutListMember cuts s at its first comma outside a quoted string (where a
// backslash escapes the next character; an unclosed quote runs to the end).
// more says a comma was found.
func cutListMember(s string) (member, rest string, more bool) {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case c == ',' && !quoted:
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// chromiumMediaType returns the media type Chromium's ParseMimeType takes
// from a list member, or "" where it takes none. CR and LF count as spaces:
// net/http sends them as spaces.
func chromiumMediaType(m string) string {
	m = trimHTTPSpace(m)
	if m == "*/*" {
		return "" // skipped as meaningless; "*/*;x" is not, and is unknown
	}
	end := 0
	for end < len(m) && !isHTTPSpace(m[end]) && m[end] != ';' && m[end] != '(' {
		end++
	}
	if slash := strings.IndexByte(m, '/'); slash < 0 || slash > end {
		return ""
	}
	return m[:end]
}

// fetchMediaType returns the essence of a list member as the MIME Sniffing
// standard parses it, or "" if that fails or gives "*/*", which Fetch skips.
func fetchMediaType(m string) string {
	m = trimHTTPSpace(m)
	slash := strings.IndexByte(m, '/')
	if slash <= 0 || !isToken(m[:slash]) {
		return ""
	}
	sub := m[slash+1:]
	if semi := strings.IndexByte(sub, ';'); semi >= 0 {
		sub = sub[:semi]
	}
	for len(sub) > 0 && isHTTPSpace(sub[len(sub)-1]) {
		sub = sub[:len(sub)-1]
	}
	if sub == "" || !isToken(sub) {
		return ""
	}
	if mt := m[:slash+1+len(sub)]; mt != "*/*" {
		return mt
	}
	return ""
}

// trimHTTPSpace trims HTTP whitespace: space, tab, CR and LF. It runs on
// every response, so it loops by hand: strings.Trim with a cutset builds a
// set on each call.
func trimHTTPSpace(s string) string {
	for len(s) > 0 && isHTTPSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isHTTPSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// isHTTPSpace reports whether c is HTTP whitespace.
func isHTTPSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// isToken reports whether s is made of HTTP token characters only.
func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		if !tokenChar[s[i]] {
			return false
		}
	}
	return true
}

// tokenChar marks the HTTP token characters (RFC 9110 5.6.2): a table, as
// isToken runs on every response's Content-Type.
var tokenChar = func() (t [256]bool) {
	for c := range 256 {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			strings.IndexByte("!#$%&'*+-.^_`|~", byte(c)) >= 0
	}
	return t
}()
