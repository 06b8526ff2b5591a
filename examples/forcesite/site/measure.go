package site

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"net/http"
	"time"
)

// measured wraps a page handler with server-side measurement, the way a
// server-side Google Tag Manager container does it: the server itself sets
// the first-party _ga client ID with Set-Cookie, so no script is involved.
//
// It deliberately does not check consent: this is the kind of code a force
// inherits from an agency, and the Gate drops the Set-Cookie for every
// visitor who has not accepted analytics cookies. That is what the example
// shows; new code should check consent.Allowed(r.Context(), consent.Analytics)
// itself too.
func (s *Site) measured(page http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := r.Cookie("_ga"); err != nil {
			var b [4]byte
			_, _ = rand.Read(b[:])
			http.SetCookie(w, &http.Cookie{
				Name:     "_ga",
				Value:    fmt.Sprintf("GA1.2.%d.%d", binary.BigEndian.Uint32(b[:])>>1, time.Now().Unix()),
				Path:     "/",
				Domain:   s.domain,
				MaxAge:   2 * 365 * 24 * 60 * 60,
				Secure:   !s.insecure,
				SameSite: http.SameSiteLaxMode,
			})
		}
		page(w, r)
	})
}
