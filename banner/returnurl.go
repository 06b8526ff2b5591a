package banner

import (
	"net/http"
	"net/url"
	"strings"
)

// maxReturnLen bounds the return URL; longer ones fall back to "/".
const maxReturnLen = 2048

// safeReturn turns a posted return URL into a same-site path to redirect to.
// Anything that could leave the site — another host, "//host", "/\host",
// a scheme such as javascript:, control characters, backslashes — gives "/".
// An absolute URL on r's own host is reduced to its path and query.
func safeReturn(raw string, r *http.Request) string {
	if raw == "" || len(raw) > maxReturnLen {
		return "/"
	}
	for i := 0; i < len(raw); i++ {
		if c := raw[i]; c < ' ' || c == 0x7f || c == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Opaque != "" || u.User != nil {
		return "/"
	}
	if u.Scheme != "" || u.Host != "" {
		if (u.Scheme != "http" && u.Scheme != "https") || !strings.EqualFold(u.Host, r.Host) {
			return "/"
		}
	}
	p := u.EscapedPath()
	// A path must start with exactly one slash, or browsers read it as a host
	// (or relative to a page we cannot know).
	if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") {
		return "/"
	}
	out := p
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	return out
}
