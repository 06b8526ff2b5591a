package middleware

import (
	"net/http"
	"strings"
)

// privateCaching marks a response that depends on the visitor's consent so
// that no shared cache stores it: Vary for the browser's own cache (see
// addVary), Cache-Control private (unless already private or no-store) with
// the directives that would let a shared cache store it anyway removed, and
// the CDN-specific headers that override Cache-Control at a CDN (RFC 9213)
// dropped. banner says the banner was injected; present is what
// scanHeaders found in h, so absent headers cost no lookup.
func privateCaching(h http.Header, banner bool, present headerSet) {
	if present&hasVary != 0 {
		addVary(h, banner)
	} else {
		h["Vary"] = varyValues[varyNeeded(banner)][:1:1]
	}
	if present&hasCDNCacheControl != 0 {
		delete(h, "Cdn-Cache-Control")
		delete(h, "Surrogate-Control")
		delete(h, "Cloudflare-Cdn-Cache-Control")
	}
	if present&hasCacheControl == 0 {
		h["Cache-Control"] = ccPrivate[:1:1]
		return
	}
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

// Request headers a consent-dependent response varies on, as bits.
const (
	varyCookie   = 1 << iota // the consent cookie
	varyGPC                  // Sec-GPC: 1 refuses everything optional for an undecided visitor
	varyLanguage             // the banner picks its language from Accept-Language
	varyAll      = varyCookie | varyGPC | varyLanguage
)

// addVary adds to Vary the request headers a consent-dependent response
// depends on: Cookie and Sec-GPC, and Accept-Language when banner says the
// banner was injected. A token already there (in any case) is not repeated,
// and Vary: * is left alone, as it already covers everything.
func addVary(h http.Header, banner bool) {
	need := varyNeeded(banner)
	for _, line := range h["Vary"] {
		for line != "" {
			var tok string
			tok, line, _ = strings.Cut(line, ",")
			tok = trimOWS(tok)
			switch {
			case tok == "*":
				return
			case equalASCIIFold(tok, "cookie"):
				need &^= varyCookie
			case equalASCIIFold(tok, "sec-gpc"):
				need &^= varyGPC
			case equalASCIIFold(tok, "accept-language"):
				need &^= varyLanguage
			}
		}
	}
	if need == 0 {
		return
	}
	if len(h["Vary"]) == 0 {
		h["Vary"] = varyValues[need][:1:1]
		return
	}
	h["Vary"] = append(h["Vary"], varyValues[need][0])
}

// varyNeeded returns the request headers a consent-dependent response
// varies on, as bits.
func varyNeeded(banner bool) int {
	if banner {
		return varyCookie | varyGPC | varyLanguage
	}
	return varyCookie | varyGPC
}

// Shared header values for the common case, so marking a response private
// allocates nothing. Capacity equals length, so an append by later code
// copies rather than writing into them; nothing in net/http edits header
// values in place.
var (
	ccPrivate  = []string{"private"}
	varyValues = func() (v [varyAll + 1][]string) {
		for need := 1; need <= varyAll; need++ {
			var toks []string
			for bit, name := range []string{"Cookie", "Sec-GPC", "Accept-Language"} {
				if need&(1<<bit) != 0 {
					toks = append(toks, name)
				}
			}
			v[need] = []string{strings.Join(toks, ", ")}
		}
		return v
	}()
)
