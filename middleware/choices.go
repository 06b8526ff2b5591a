package middleware

import (
	"net/http"

	"github.com/consentgate/consentgate/consent"
)

// choices returns the visitor's consent for r: the consent cookie when it
// holds a valid decision for the current policy, else the GPC refusal when the
// browser sends Sec-GPC: 1, else undecided. Any problem with the cookie reads
// as undecided: fail closed, never an error response.
func (g *Gate) choices(r *http.Request) consent.Choices {
	ch, _ := g.codec.Read(r)
	if ch.Decided() {
		return ch // an explicit decision wins over GPC
	}
	if gpc(r.Header) {
		return g.cat.GPCRefusal()
	}
	return consent.Choices{}
}

// gpc reports whether the request carries Sec-GPC: 1. It reads the map
// directly: the canonical key form is "Sec-Gpc".
func gpc(h http.Header) bool {
	for _, v := range h["Sec-Gpc"] {
		if v == "1" || trimOWS(v) == "1" {
			return true
		}
	}
	return false
}

// trimOWS trims HTTP optional whitespace (spaces and tabs) from both ends.
func trimOWS(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}
