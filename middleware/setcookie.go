package middleware

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/consentgate/consentgate/consent"
)

// The banner's cookies (see the contracts between packages); the Gate does
// not import the banner package.
const (
	csrfCookieName  = "cookie_consent_csrf"
	flashCookieName = "cookie_consent_flash"
)

// setCookieName returns the name the site and its scripts will see for the
// cookie in a Set-Cookie value: the text before the first '=' of the first
// ';'-separated part, without surrounding whitespace (CR and LF included:
// they reach the browser as spaces). A nameless cookie (RFC 6265bis 5.6) is
// sent back as its bare value, so "=_ga=1" counts as _ga; one whose value has
// no '=' is returned as "". It reads only the name: parsing the whole header
// costs ten times more and is only needed for refused cookies.
func setCookieName(v string) string {
	// One byte loop to the first '=' or ';': names are short, so this beats
	// two IndexByte calls (for '=', then for ';' before it).
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case ';':
			return "" // no '=' in the first part
		case '=':
			if name := trimCookieSpace(v[:i]); name != "" {
				return name
			}
			// "=_ga=1" stores a nameless cookie whose value the browser
			// sends back as "_ga=1": to the site and its scripts, a
			// cookie named _ga.
			value := v[i+1:]
			if j := strings.IndexByte(value, ';'); j >= 0 {
				value = value[:j]
			}
			if eq2 := strings.IndexByte(value, '='); eq2 >= 0 {
				return trimCookieSpace(value[:eq2])
			}
			return ""
		}
	}
	return ""
}

// trimCookieSpace trims spaces, tabs, CR and LF from both ends. strings.Trim
// would build its character set on every call; this runs for every
// Set-Cookie header.
func trimCookieSpace(s string) string {
	for len(s) > 0 && isCookieSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isCookieSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// isCookieSpace settles most bytes, which are above ' ', with one compare.
func isCookieSpace(c byte) bool {
	return c <= ' ' && (c == ' ' || c == '\t' || c == '\r' || c == '\n')
}

// Spaces and tabs surround names and attributes without counting, and so do
// CR and LF, which net/http turns into spaces on the wire.

// isDeletion reports whether a Set-Cookie value makes the browser delete the
// cookie rather than store it: a last valid Max-Age of zero or less, or, with
// no valid Max-Age, an Expires date in the past. Browsers use the last valid
// occurrence of each attribute and let Max-Age win over Expires (RFC 6265
// 5.3); an attribute they would ignore is ignored here too, so a value cannot
// pass as a deletion while the browser stores it.
//
// now is called only when an Expires date has to be compared.
func isDeletion(v string, now func() time.Time) bool {
	if endsWithPositiveMaxAge(v) {
		return false
	}
	var haveExpires, expiresGone bool
	// The last valid occurrence wins, so attributes are read from the end:
	// the first valid Max-Age met settles the answer, and of the Expires
	// dates only the first valid one met (the last) is compared. Sites put
	// Max-Age last more often than not, so the name-value pair before the
	// first ';' is rarely scanned at all. v[i] is the ';' before the
	// attribute v[i+1:end]. Only Max-Age and Expires matter, so an
	// attribute is dismissed by its first letter; the name is only read
	// when it could be one of them.
	for end := len(v); ; {
		i := strings.LastIndexByte(v[:end], ';')
		if i < 0 {
			break // the name-value pair, not an attribute
		}
		a := i + 1
		for a < end && isCookieSpace(v[a]) {
			a++
		}
		attrEnd := end
		end = i
		if attrEnd-a >= len("max-age=") {
			isMaxAge := false
			switch v[a] | 0x20 { // ASCII lower case for letters
			case 'm':
				isMaxAge = true
			case 'e':
				isMaxAge = false
			default:
				continue
			}
			// The name is what precedes the attribute's first '=',
			// trimmed; both names are seven letters.
			eq := a + 7
			for eq < attrEnd && isCookieSpace(v[eq]) {
				eq++
			}
			if eq == attrEnd || v[eq] != '=' {
				continue
			}
			if isMaxAge {
				// Sites nearly always write the canonical spelling; a
				// plain compare settles that before the byte-wise fold.
				if name := v[a : a+7]; name != "Max-Age" && !equalASCIIFold(name, "max-age") {
					continue
				}
				if gone, ok := maxAgeGone(trimCookieSpace(v[eq+1 : attrEnd])); ok {
					return gone && !hasCTL(v) // see below
				}
			} else if name := v[a : a+7]; !haveExpires && (name == "Expires" || equalASCIIFold(name, "expires")) {
				if t, ok := parseCookieDate(trimCookieSpace(v[eq+1 : attrEnd])); ok {
					haveExpires, expiresGone = true, !t.After(now())
				}
			}
		}
	}
	// No valid Max-Age: the last valid Expires decides. Browsers either
	// ignore a line with a control character or (older ones) cut it there,
	// which could cut off the very attribute that made it a deletion. Not a
	// deletion, then: drop it. hasCTL runs last, as most refused cookies
	// are not deletions.
	return haveExpires && expiresGone && !hasCTL(v)
}

// endsWithPositiveMaxAge reports whether v's last attribute is exactly
// "; Max-Age=N" with N a positive number not starting with 0: the last
// valid Max-Age, so the cookie is stored, whatever comes before. Many sites
// and frameworks end with Max-Age; this settles them without isDeletion's
// general walk. Any other shape returns false and takes the walk.
func endsWithPositiveMaxAge(v string) bool {
	i := len(v)
	for i > 0 && v[i-1]-'0' <= 9 {
		i--
	}
	const attr = "; Max-Age="
	return i < len(v) && v[i] != '0' && i >= len(attr) && v[i-len(attr):i] == attr
}

// hasCTL reports whether v holds a control character that reaches the
// browser as is: CR and LF become spaces on the wire, and tab is allowed.
func hasCTL(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f {
			return true
		}
	}
	return false
}

// maxAgeGone reads a Max-Age value as RFC 6265 5.2.2 does (an optional '-'
// then digits; browsers ignore anything else) and reports whether it deletes
// the cookie: zero or less. Only the sign matters, so the number itself is
// never built.
func maxAgeGone(s string) (gone, ok bool) {
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	if s == "" {
		return false, false
	}
	var digits byte // the OR of all digit values: zero only for a zero
	for i := 0; i < len(s); i++ {
		d := s[i] - '0' // wraps around for bytes below '0'
		if d > 9 {
			return false, false
		}
		digits |= d
	}
	return neg || digits == 0, true
}

// parseCookieDate accepts only unambiguous four-digit-year dates. Browsers
// read two-digit years differently from Go (70–99 versus 69–99 as 19xx), so a
// date this function cannot read with certainty is treated as not past, and
// the cookie is dropped: fail closed.
func parseCookieDate(s string) (time.Time, bool) {
	for _, layout := range [...]string{http.TimeFormat, "Mon, 02-Jan-2006 15:04:05 GMT", "Monday, 02-Jan-2006 15:04:05 GMT"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// filterSetCookieSlice filters vals, which must be h["Set-Cookie"]: callers
// that have just read it pass it in rather than look it up again. It returns
// what h["Set-Cookie"] holds afterwards.
func (g *Gate) filterSetCookieSlice(h http.Header, vals []string, ch consent.Choices) (dependent bool, kept []string) {
	if len(vals) == 0 {
		return false, nil
	}
	n := 0 // values kept, compacted in place
	for i, v := range vals {
		keep, dep := g.allowSetCookie(v, ch)
		dependent = dependent || dep
		if keep {
			if n != i {
				vals[n] = v
			}
			n++
		}
	}
	switch {
	case n == len(vals):
		// Nothing dropped: leave the map alone.
	case n == 0:
		delete(h, "Set-Cookie")
		return dependent, nil
	default:
		clear(vals[n:]) // drop references to filtered values
		h["Set-Cookie"] = vals[:n]
	}
	return dependent, vals[:n]
}

// allowSetCookie decides one Set-Cookie value.
func (g *Gate) allowSetCookie(v string, ch consent.Choices) (keep, dependent bool) {
	name := setCookieName(v)
	if name == g.codec.Name() || name == csrfCookieName || name == flashCookieName {
		// The consent machinery's own cookies are strictly necessary to
		// record and honour the choice, whatever a custom catalogue says.
		return true, false
	}
	ck, known := g.cat.Lookup(name)
	if known && ck.Category == consent.Essential {
		return true, false
	}
	if known && ch.Allowed(ck.Category) {
		return true, true
	}
	if isDeletion(v, time.Now) {
		return true, true
	}
	if known {
		g.logCookie(slog.LevelDebug, "consent gate: dropped cookie the visitor has not accepted", name, string(ck.Category), "dropped")
		return false, true
	}
	switch g.unknown {
	case AllowUnknown:
		return true, true
	case ReportUnknown:
		g.logCookie(slog.LevelWarn, "consent gate: cookie not in the catalogue (report-only: let through)", name, "", "would drop")
		return true, true
	}
	g.logCookie(slog.LevelWarn, "consent gate: dropped cookie not in the catalogue", name, "", "dropped")
	return false, true
}

// logCookie logs about a cookie name at most once per interval.
func (g *Gate) logCookie(level slog.Level, msg, name, category, action string) {
	ctx := context.Background()
	if !g.logger.Enabled(ctx, level) || !g.logs.allow(rateKey{kind: action, name: name}, time.Now()) {
		return
	}
	attrs := []slog.Attr{slog.String("cookie", name), slog.String("action", action)}
	if category != "" {
		attrs = append(attrs, slog.String("category", category))
	}
	g.logger.LogAttrs(ctx, level, msg, attrs...)
}
