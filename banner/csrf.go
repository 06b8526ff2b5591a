package banner

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"hash"
	"net/http"
	"strings"

	"github.com/consentgate/consentgate/consent"
)

// Why a POST was refused with 403. They are for logs, never shown to visitors.
var (
	// ErrCrossOrigin means the browser said the form came from another site.
	ErrCrossOrigin = errors.New("banner: cross-origin request")
	// ErrBadToken means the CSRF token was missing, malformed, not ours, or not
	// bound to the visitor's cookie_consent_csrf cookie.
	ErrBadToken = errors.New("banner: missing or invalid CSRF token")
)

const nonceLen = 16 // bytes of randomness in a nonce

var b64 = base64.RawURLEncoding

// nonceOf returns the nonce in the visitor's CSRF cookie, if it is well formed.
func nonceOf(r *http.Request) (string, bool) {
	v, ok := consent.FindCookie(r.Header, CSRFCookieName)
	if !ok || !validNonce(v) {
		return "", false
	}
	return v, true
}

func validNonce(s string) bool {
	if len(s) != b64.EncodedLen(nonceLen) {
		return false
	}
	_, err := b64.DecodeString(s)
	return err == nil
}

func newNonce() string {
	var n [nonceLen]byte
	_, _ = rand.Read(n[:])
	return b64.EncodeToString(n[:])
}

// mac signs a nonce; the cookie name is part of the message so a MAC made
// for something else under the same key can never pass as a token.
//
// The keyed HMACs are pooled: keying one costs two SHA-256 blocks and five
// allocations, and every banner shown to an undecided visitor signs a nonce.
func (b *Banner) mac(nonce string) string {
	h, _ := b.csrfMACs.Get().(hash.Hash)
	if h == nil {
		h = hmac.New(sha256.New, b.csrfKey)
	}
	h.Reset()
	var msg [len(CSRFCookieName) + 1 + 64]byte
	h.Write(append(append(append(msg[:0], CSRFCookieName...), '|'), nonce...))
	var sum [sha256.Size]byte
	out := b64.EncodeToString(h.Sum(sum[:0])[:16])
	b.csrfMACs.Put(h)
	return out
}

// token returns the CSRF token for a form on the page answering r: the
// visitor's nonce, or a fresh one when they have no CSRF cookie yet, with
// its MAC.
func (b *Banner) token(r *http.Request) string {
	n, ok := nonceOf(r)
	if !ok {
		n = newNonce()
	}
	return n + "." + b.mac(n)
}

// checkToken verifies a posted token and returns its nonce. With a CSRF
// cookie the nonce must be the cookie's; without one, only a request the
// browser marked as same-origin may pass, and the caller then sets the cookie.
func (b *Banner) checkToken(r *http.Request, tok string, sameOrigin bool) (string, error) {
	n, m, ok := strings.Cut(tok, ".")
	if !ok || !validNonce(n) || !hmac.Equal([]byte(m), []byte(b.mac(n))) {
		return "", ErrBadToken
	}
	if c, has := nonceOf(r); has {
		if !hmac.Equal([]byte(c), []byte(n)) {
			return "", ErrBadToken
		}
		return n, nil
	}
	if !sameOrigin {
		return "", ErrBadToken
	}
	return n, nil
}

// checkOrigin applies the browser's own word on where a POST came from.
// It returns whether the browser positively said same-origin; a request
// with neither header (an old browser or a non-browser client) is not
// refused here, but then needs a cookie-bound token.
func (b *Banner) checkOrigin(r *http.Request) (sameOrigin bool, err error) {
	origin := r.Header.Get("Origin")
	trusted := origin != "" && b.trusted[strings.ToLower(origin)]
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return true, nil
	case "":
	default: // same-site, cross-site
		if trusted {
			return true, nil
		}
		return false, ErrCrossOrigin
	}
	if origin == "" {
		return false, nil
	}
	if trusted || sameHostOrigin(origin, r) {
		return true, nil
	}
	return false, ErrCrossOrigin
}

// sameHostOrigin reports whether an Origin header names r's own host with the
// scheme r arrived on (or, behind a TLS-terminating proxy, https).
func sameHostOrigin(origin string, r *http.Request) bool {
	scheme, host, ok := strings.Cut(origin, "://")
	if !ok || !strings.EqualFold(host, r.Host) {
		return false
	}
	switch strings.ToLower(scheme) {
	case "https":
		return true // a plain-HTTP hop behind a TLS proxy still came from our https page
	case "http":
		return r.TLS == nil
	}
	return false
}

// csrfCookie returns the cookie that binds future tokens to nonce.
func (b *Banner) csrfCookie(nonce string) *http.Cookie {
	return &http.Cookie{
		Name:     CSRFCookieName,
		Value:    nonce,
		Path:     "/",
		HttpOnly: true,
		Secure:   !b.insecure,
		SameSite: http.SameSiteLaxMode,
	}
}
