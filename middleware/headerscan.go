package middleware

import (
	"net/http"
	"slices"
)

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
	name, lower string    // canonical and lower-case name
	bit         headerSet // 0 for headers whose presence nothing needs to know
}

var (
	hdrSetCookie  = gatedHeader{"Set-Cookie", "set-cookie", hasSetCookie}
	hdrLink       = gatedHeader{"Link", "link", hasLink}
	hdrVary       = gatedHeader{"Vary", "vary", hasVary}
	hdrCache      = gatedHeader{"Cache-Control", "cache-control", hasCacheControl}
	hdrCDNCache   = gatedHeader{"Cdn-Cache-Control", "cdn-cache-control", hasCDNCacheControl}
	hdrSurrogate  = gatedHeader{"Surrogate-Control", "surrogate-control", hasCDNCacheControl}
	hdrCloudflare = gatedHeader{"Cloudflare-Cdn-Cache-Control", "cloudflare-cdn-cache-control", hasCDNCacheControl}
	// The representation headers the Gate decides on or removes.
	hdrType         = gatedHeader{"Content-Type", "content-type", 0}
	hdrEncoding     = gatedHeader{"Content-Encoding", "content-encoding", 0}
	hdrLength       = gatedHeader{"Content-Length", "content-length", 0}
	hdrETag         = gatedHeader{"Etag", "etag", 0}
	hdrLastModified = gatedHeader{"Last-Modified", "last-modified", 0}
	hdrAcceptRanges = gatedHeader{"Accept-Ranges", "accept-ranges", 0}
	gatedHeaders    = []*gatedHeader{&hdrSetCookie, &hdrLink, &hdrVary, &hdrCache, &hdrCDNCache, &hdrSurrogate, &hdrCloudflare,
		&hdrType, &hdrEncoding, &hdrLength, &hdrETag, &hdrLastModified, &hdrAcceptRanges}
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
		case 'e':
			return &hdrETag
		}
	case 10:
		return &hdrSetCookie
	case 12:
		return &hdrType
	case 13:
		switch k[0] | 0x20 {
		case 'c':
			return &hdrCache
		case 'l':
			return &hdrLastModified
		case 'a':
			return &hdrAcceptRanges
		}
	case 14:
		return &hdrLength
	case 16:
		return &hdrEncoding
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
// slip past the Gate, a lower-case content-type: text/html would reach the
// browser on a page the Gate let pass as text, a content-encoding it did not
// see would carry gzip past the rewriter, and a stale content-length or
// validator would survive the rewrite. It returns which of the headers with
// a bit are present and h["Set-Cookie"], which the pass usually meets on its
// way.
//
// The result describes h only until someone edits it: the Gate scans right
// before it filters and sends the headers, with no handler code in between.
func scanHeaders(h http.Header) (setCookie []string, present headerSet) {
	var spare [4]string
	odd := spare[:0] // non-canonical spellings met
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
			odd = append(odd, k)
			present |= gh.bit
		}
	}
	if len(odd) > 0 {
		foldSpellings(h, odd)
		setCookie = h["Set-Cookie"]
	}
	return setCookie, present
}

// foldSpellings moves the values under the non-canonical keys odd (all
// spellings of gated headers) to their canonical keys. The values keep the
// order net/http would have sent them in, which sorts the keys byte by byte
// (HTTP/1 and HTTP/2 alike): browsers take the last Content-Type they can
// parse, so the merged header must mean what the separate ones meant.
func foldSpellings(h http.Header, odd []string) {
	slices.Sort(odd)
	for i, k := range odd {
		if k == "" {
			continue // folded with an earlier spelling
		}
		gh := candidate(k)
		canon, hadCanon := h[gh.name]
		var vals []string // new: the canonical slice may be shared with other responses
		placed := !hadCanon
		for j := i; j < len(odd); j++ {
			if odd[j] == "" || candidate(odd[j]) != gh {
				continue
			}
			if !placed && gh.name < odd[j] {
				vals, placed = append(vals, canon...), true
			}
			vals = append(vals, h[odd[j]]...)
			delete(h, odd[j])
			odd[j] = ""
		}
		if !placed {
			vals = append(vals, canon...)
		}
		if vals != nil || hadCanon {
			h[gh.name] = vals
		}
	}
}
