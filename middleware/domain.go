package middleware

import (
	"fmt"
	"net"

	"golang.org/x/net/publicsuffix"
)

// checkRegistrable rejects a cookie domain that is an IP address, not a host
// name, or a public suffix. A cookie scoped to "police.uk" would be sent to
// every force's site, and browsers refuse such cookies anyway.
func checkRegistrable(d string) error {
	if net.ParseIP(d) != nil {
		return fmt.Errorf("%q is an IP address; cookies on an IP address are host-only, leave CookieDomain empty", d)
	}
	if !validHostname(d) {
		return fmt.Errorf("%q is not a host name", d)
	}
	if _, err := publicsuffix.EffectiveTLDPlusOne(d); err != nil {
		return fmt.Errorf("%q is a public suffix; give the site's registrable domain, such as \"leics.police.uk\"", d)
	}
	return nil
}

// validHostname checks d's syntax: dot-separated labels of letters, digits and
// '-', none empty, at most 253 bytes.
func validHostname(d string) bool {
	if len(d) == 0 || len(d) > 253 {
		return false
	}
	label := 0
	for i := 0; i < len(d); i++ {
		c := d[i]
		switch {
		case c == '.':
			if label == 0 {
				return false
			}
			label = 0
			continue
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-':
		default:
			return false
		}
		label++
		if label > 63 {
			return false
		}
	}
	return label > 0
}
