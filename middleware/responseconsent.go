package middleware

import (
	"net/http"
	"strings"
	"time"

	"github.com/consentgate/consentgate/consent"
)

// The banner's POST handler runs inside the Gate and answers with a new
// consent cookie. The request still carries the old one, so gating that
// response by the request would expire the _ga the visitor has just accepted,
// or repeat every expiry the handler already sent for a refusal. The choices
// a response sets are the ones it is gated by.

// responseChoices returns the choices that gate a response whose Set-Cookie
// values are vals: those of the last consent cookie the response sets, read
// as the next request will read them, or reqCh, the request's, when it sets
// none. A new cookie that does not decode (another key, tampered, a foreign
// layout) will read as no decision next time, so it counts as none now:
// the GPC refusal for a GPC browser, else undecided.
func (g *Gate) responseChoices(vals []string, reqCh consent.Choices, r *http.Request) consent.Choices {
	name := g.codec.Name()
	last := -1
	for i, v := range vals {
		if setCookieName(v) == name {
			last = i
		}
	}
	if last < 0 {
		return reqCh
	}
	v := vals[last]
	if isDeletion(v, time.Now) {
		// Withdrawing goes through a new decision, not a deletion; a handler
		// that deletes the cookie leaves this response as the request was.
		return reqCh
	}
	if ch, err := g.codec.Decode(setCookieValue(v)); err == nil && ch.Decided() {
		return ch
	}
	if gpc(r.Header) {
		return g.cat.GPCRefusal()
	}
	return consent.Choices{}
}

// setCookieValue returns the value a browser will send back for the cookie in
// a Set-Cookie value, without the double quotes that may surround it. For a
// nameless cookie ("=name=value") it is the part after the inner '=', as
// setCookieName reads the name.
func setCookieValue(v string) string {
	if i := strings.IndexByte(v, ';'); i >= 0 {
		v = v[:i]
	}
	name, value, _ := strings.Cut(v, "=")
	if trimCookieSpace(name) == "" {
		_, value, _ = strings.Cut(value, "=")
	}
	value = trimCookieSpace(value)
	if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
		value = value[1 : len(value)-1]
	}
	return value
}

// cookieID is what a browser tells cookies apart by: name, domain ("" for
// host-only) and path.
type cookieID struct{ name, domain, path string }

// dropDuplicateExpiries removes from vals[from:] (the Gate's clean-up
// expiries) each one whose cookie vals[:from] (the handler's) already
// deletes, so no deletion is sent twice. It edits vals in place.
func dropDuplicateExpiries(vals []string, from int, r *http.Request) []string {
	var deleted []cookieID
	for _, v := range vals[:from] {
		if isDeletion(v, time.Now) {
			deleted = append(deleted, setCookieID(v, r))
		}
	}
	if len(deleted) == 0 {
		return vals
	}
	n := from
	for _, v := range vals[from:] {
		id := setCookieID(v, r)
		dup := false
		for _, d := range deleted {
			if d == id {
				dup = true
				break
			}
		}
		if !dup {
			vals[n] = v
			n++
		}
	}
	clear(vals[n:])
	return vals[:n]
}

// setCookieID reads the cookie a Set-Cookie value concerns as a browser would
// (RFC 6265 5.2): the last Domain and Path attributes win, a leading dot and
// letter case of the domain do not count, and a missing or relative path
// means the directory of the request's path.
func setCookieID(v string, r *http.Request) cookieID {
	id := cookieID{name: setCookieName(v)}
	havePath := false
	attrs := v
	if i := strings.IndexByte(attrs, ';'); i >= 0 {
		attrs = attrs[i+1:]
	} else {
		attrs = ""
	}
	for attrs != "" {
		var a string
		a, attrs, _ = strings.Cut(attrs, ";")
		k, val, _ := strings.Cut(a, "=")
		k, val = trimCookieSpace(k), trimCookieSpace(val)
		switch {
		case equalASCIIFold(k, "domain"):
			if val != "" {
				id.domain = strings.ToLower(strings.TrimPrefix(val, "."))
			}
		case equalASCIIFold(k, "path"):
			if strings.HasPrefix(val, "/") {
				id.path, havePath = val, true
			} else {
				havePath = false
			}
		}
	}
	if !havePath {
		id.path = defaultCookiePath(r.URL.Path)
	}
	return id
}

// defaultCookiePath is RFC 6265 5.1.4's default-path of a request path.
func defaultCookiePath(p string) string {
	i := strings.LastIndexByte(p, '/')
	if !strings.HasPrefix(p, "/") || i <= 0 {
		return "/"
	}
	return p[:i]
}
