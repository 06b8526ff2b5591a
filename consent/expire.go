package consent

import (
	"net/http"
	"strings"
)

// expiresEpoch makes the deletion work in browsers that predate Max-Age.
const expiresEpoch = "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"

// maxExpireNameLen bounds the names echoed back: request cookie names come
// from the visitor's browser.
const maxExpireNameLen = 256

// AppendExpirations appends to dst the Set-Cookie header values that delete
// every cookie in reqCookies' Cookie headers whose category ch does not allow,
// and returns the extended slice. Essential cookies and cookies the catalogue
// does not know are never touched: the first are needed, and the second may be
// the site's own.
//
// Each refused cookie is expired host-only and, when domain is set, for domain
// (trackers such as Google Analytics set their cookies on the registrable
// domain), for Path=/ and each of paths. A browser only deletes a cookie when
// name, domain and path all match, so every variant is needed. Each name is
// expired once however often it was sent. At most max values are appended in
// all (counting those already in dst), a whole cookie at a time, so a request
// crafted with many cookies cannot bloat the response; cookies left over are
// expired on a later response.
//
// It allocates nothing when there is nothing to expire. The Gate calls it on
// every response; the banner's POST handler calls it with the new choices after
// a withdrawal, because that request still carries the old consent cookie.
func (c *Catalogue) AppendExpirations(dst []string, reqCookies http.Header, ch Choices, domain string, paths []string, max int) []string {
	perCookie := 1 + len(paths)
	if domain != "" {
		perCookie *= 2
	}
	start := len(dst)
	for _, line := range reqCookies["Cookie"] {
		for len(line) > 0 {
			var part string
			part, line, _ = strings.Cut(line, ";")
			name, _, _ := strings.Cut(part, "=")
			name = trimSpaceTab(name)
			if name == "" || len(name) > maxExpireNameLen {
				continue
			}
			ck, ok := c.Lookup(name)
			if !ok || ck.Category == Essential || ch.Allowed(ck.Category) {
				continue
			}
			// Lookup matches patterns by prefix, so the rest of the name is
			// the visitor's: echo it only if it is a valid cookie name.
			if !validCookieName(name) || expiring(dst[start:], name) {
				continue
			}
			if len(dst)+perCookie > max {
				return dst
			}
			dst = appendExpiry(dst, name, "", "/")
			for _, p := range paths {
				dst = appendExpiry(dst, name, "", p)
			}
			if domain != "" {
				dst = appendExpiry(dst, name, domain, "/")
				for _, p := range paths {
					dst = appendExpiry(dst, name, domain, p)
				}
			}
		}
	}
	return dst
}

// trimSpaceTab trims spaces and tabs. strings.Trim would build its
// character set on every call, and this runs for every request cookie.
func trimSpaceTab(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// expiring reports whether vals already expire the cookie called name.
func expiring(vals []string, name string) bool {
	for _, v := range vals {
		if len(v) > len(name) && v[len(name)] == '=' && v[:len(name)] == name {
			return true
		}
	}
	return false
}

func appendExpiry(dst []string, name, domain, path string) []string {
	var b strings.Builder
	b.Grow(len(name) + len(domain) + len(path) + len(expiresEpoch) + 32)
	b.WriteString(name)
	b.WriteString("=; Path=")
	b.WriteString(path)
	if domain != "" {
		b.WriteString("; Domain=")
		b.WriteString(domain)
	}
	b.WriteString(expiresEpoch)
	// Browsers ignore a cookie with these prefixes unless it is Secure, and
	// that includes the cookie that would delete it.
	if strings.HasPrefix(name, "__Secure-") || strings.HasPrefix(name, "__Host-") {
		b.WriteString("; Secure")
	}
	return append(dst, b.String())
}
