package middleware

import "net/http"

// headerSet records which of the response headers the Gate acts on are
// present, so that the usual response, which has few of them, costs no
// lookup or delete for the ones it lacks.
type headerSet uint8

const (
	hasSetCookie headerSet = 1 << iota
	hasLink
	hasVary
	hasCacheControl
	hasCDNCacheControl // Cdn-Cache-Control, Surrogate-Control or Cloudflare-Cdn-Cache-Control
)

// gatedHeader is a header scanHeaders looks for.
type gatedHeader struct {
	name, lower string // canonical and lower-case name
	bit         headerSet
}

var gatedHeaders = [...]gatedHeader{
	{"Set-Cookie", "set-cookie", hasSetCookie},
	{"Link", "link", hasLink},
	{"Vary", "vary", hasVary},
	{"Cache-Control", "cache-control", hasCacheControl},
	{"Cdn-Cache-Control", "cdn-cache-control", hasCDNCacheControl},
	{"Surrogate-Control", "surrogate-control", hasCDNCacheControl},
	{"Cloudflare-Cdn-Cache-Control", "cloudflare-cdn-cache-control", hasCDNCacheControl},
}

// scanHeaders makes one pass over the response header map. It moves values
// of the headers above stored under a non-canonical key (h["set-cookie"] =
// ...) to the canonical one: net/http writes such keys as they are, so
// without this a tracker cookie, a preload or a shared-cache directive would
// slip past the Gate. It returns which of them are present and
// h["Set-Cookie"], which the pass usually meets on its way.
//
// The result describes h only until someone edits it: the Gate scans right
// before it filters and sends the headers, with no handler code in between.
func scanHeaders(h http.Header) (setCookie []string, present headerSet) {
	merged := false
	for k, vs := range h {
		// Most keys have none of these lengths, so one switch dismisses them.
		switch len(k) {
		case 4, 10, 13, 17, 28:
		default:
			continue
		}
		for _, gh := range gatedHeaders {
			if len(k) != len(gh.name) {
				continue
			}
			if k == gh.name {
				present |= gh.bit
				if gh.bit == hasSetCookie {
					setCookie = vs
				}
				break
			}
			if equalASCIIFold(k, gh.lower) {
				h[gh.name] = append(h[gh.name], vs...)
				delete(h, k)
				present |= gh.bit
				merged = merged || gh.bit == hasSetCookie
				break
			}
		}
	}
	if merged {
		// The merge rewrote the entry, possibly after the loop saw it.
		setCookie = h["Set-Cookie"]
	}
	return setCookie, present
}
