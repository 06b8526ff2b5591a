package middleware

import (
	"net/http"
	"strings"
)

// privateCaching marks a response that depends on the visitor's consent so
// that no shared cache stores it: Vary: Cookie for the browser's own cache,
// Cache-Control private (unless already private or no-store) with the
// directives that would let a shared cache store it anyway removed, and the
// CDN-specific headers that override Cache-Control at a CDN (RFC 9213)
// dropped.
func privateCaching(h http.Header) {
	addVaryCookie(h)
	delete(h, "Cdn-Cache-Control")
	delete(h, "Surrogate-Control")
	delete(h, "Cloudflare-Cdn-Cache-Control")
	cc := h["Cache-Control"]
	if len(cc) == 0 {
		h["Cache-Control"] = ccPrivate[:1:1]
		return
	}
	var keep []string
	for _, line := range cc {
		for line != "" {
			var d string
			d, line, _ = strings.Cut(line, ",")
			d = trimOWS(d)
			name, _, _ := strings.Cut(d, "=")
			name = trimOWS(name)
			switch {
			case equalASCIIFold(name, "private"), equalASCIIFold(name, "no-store"):
				if equalASCIIFold(name, "private") && strings.Contains(d, "=") {
					// private="Set-Cookie" lets shared caches store the rest: not enough.
					continue
				}
				return
			case d == "", equalASCIIFold(name, "public"), equalASCIIFold(name, "s-maxage"),
				equalASCIIFold(name, "proxy-revalidate"):
				continue // shared-cache directives have no meaning once private
			}
			keep = append(keep, d)
		}
	}
	h["Cache-Control"] = []string{strings.Join(append([]string{"private"}, keep...), ", ")}
}

// addVaryCookie adds Cookie to Vary unless it is there already or Vary is "*".
func addVaryCookie(h http.Header) {
	for _, line := range h["Vary"] {
		for line != "" {
			var tok string
			tok, line, _ = strings.Cut(line, ",")
			tok = trimOWS(tok)
			if tok == "*" || equalASCIIFold(tok, "cookie") {
				return
			}
		}
	}
	if len(h["Vary"]) == 0 {
		h["Vary"] = varyCookie[:1:1]
		return
	}
	h["Vary"] = append(h["Vary"], "Cookie")
}

// Shared header values for the common case, so marking a response private
// allocates nothing. Capacity equals length, so an append by later code
// copies rather than writing into them; nothing in net/http edits header
// values in place.
var (
	ccPrivate  = []string{"private"}
	varyCookie = []string{"Cookie"}
)
