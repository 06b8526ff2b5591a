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

var (
	hdrSetCookie  = gatedHeader{"Set-Cookie", "set-cookie", hasSetCookie}
	hdrLink       = gatedHeader{"Link", "link", hasLink}
	hdrVary       = gatedHeader{"Vary", "vary", hasVary}
	hdrCache      = gatedHeader{"Cache-Control", "cache-control", hasCacheControl}
	hdrCDNCache   = gatedHeader{"Cdn-Cache-Control", "cdn-cache-control", hasCDNCacheControl}
	hdrSurrogate  = gatedHeader{"Surrogate-Control", "surrogate-control", hasCDNCacheControl}
	hdrCloudflare = gatedHeader{"Cloudflare-Cdn-Cache-Control", "cloudflare-cdn-cache-control", hasCDNCacheControl}
	gatedHeaders  = []*gatedHeader{&hdrSetCookie, &hdrLink, &hdrVary, &hdrCache, &hdrCDNCache, &hdrSurrogate, &hdrCloudflare}
)

// candidate returns the gated header key k could be a spelling of, judged by
// its length and first letter, or nil: most keys are dismissed by length.
func candidate(k string) *gatedHeader {
	switch len(k) {
	case 4:
		switch k[0] | 0x20 {
		case 'l':
			return &hdrLink
		case 'v':
			return &hdrVary
		}
	case 10:
		return &hdrSetCookie
	case 13:
		return &hdrCache
	case 17:
		switch k[0] | 0x20 {
		case 'c':
			return &hdrCDNCache
		case 's':
			return &hdrSurrogate
		}
	case 28:
		return &hdrCloudflare
	}
	return nil
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
		gh := candidate(k)
		switch {
		case gh == nil:
		case k == gh.name:
			present |= gh.bit
			if gh == &hdrSetCookie {
				setCookie = vs
			}
		case equalASCIIFold(k, gh.lower):
			h[gh.name] = append(h[gh.name], vs...)
			delete(h, k)
			present |= gh.bit
			merged = merged || gh == &hdrSetCookie
		}
	}
	if merged {
		// The merge rewrote the entry, possibly after the loop saw it.
		setCookie = h["Set-Cookie"]
	}
	return setCookie, present
}
