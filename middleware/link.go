package middleware

import (
	"net/http"
	"strings"

	"github.com/consentgate/consentgate/consent"
)

// A Link response header (RFC 8288) is markup by another name: browsers act
// on rel=preload, modulepreload, prefetch, preconnect and dns-prefetch in it,
// in the final response and in a 103 Early Hints, before any HTML is parsed.
// So a tracker's script or pixel named there must be dropped just as the
// rewriter neutralises it in a <link> or <script>.

// filterLinks drops each link in h's Link headers that a tracker signature
// puts in a category ch does not allow. It reports whether any link matched
// an optional category, in which case the response depends on consent.
// Headers with no tracker in them are left as they are, unparsed.
func (g *Gate) filterLinks(h http.Header, ch consent.Choices) (dependent bool) {
	vals := h["Link"]
	if len(vals) == 0 {
		return false
	}
	n := 0 // lines kept, compacted in place as in filterSetCookies
	for i, line := range vals {
		refused, dep := g.linkVerdict(line, ch)
		dependent = dependent || dep
		if refused {
			// Something in the line is refused: decide link by link.
			line = g.keepAllowedLinks(line, ch)
			if line == "" {
				continue
			}
		}
		if n != i || refused {
			vals[n] = line
		}
		n++
	}
	switch {
	case n == len(vals):
	case n == 0:
		delete(h, "Link")
	default:
		clear(vals[n:])
		h["Link"] = vals[:n]
	}
	return dependent
}

// linkVerdict matches text (a whole Link line or one link in it) against the
// signatures: refused when it names a tracker in a category ch does not
// allow, dependent when it names one in any optional category. The whole
// text is matched, parameters included, because imagesrcset and anchor
// hold URLs too; a parameter that merely mentions a tracker's host costs a
// hint, never a tracker.
//
// A preconnect or dns-prefetch link names just a host, so, as the rewriter
// does for <link>, it is matched by the trackers' host names too: opening a
// connection to www.googletagmanager.com already tells it the visitor is
// here. The test for the rel is a plain substring one, which can only ever
// add host matching to a link that did not need it: fail closed.
func (g *Gate) linkVerdict(text string, ch consent.Choices) (refused, dependent bool) {
	cats := g.sigs.MatchURL(text)
	if containsFold(text, "preconnect") || containsFold(text, "dns-prefetch") {
		cats = append(cats, g.sigs.MatchHost(text)...)
	}
	for _, c := range cats {
		if c == consent.Essential {
			continue
		}
		dependent = true
		if !ch.Allowed(c) {
			refused = true
		}
	}
	return refused, dependent
}

// keepAllowedLinks returns line, which names a refused tracker, without the
// links ch refuses, the rest joined with ", ", or "" when none is left.
func (g *Gate) keepAllowedLinks(line string, ch consent.Choices) string {
	var kept []string
	dropped := false
	for rest := line; rest != ""; {
		var link string
		link, rest = nextLink(rest)
		link = trimOWS(link)
		if link == "" {
			continue
		}
		if refused, _ := g.linkVerdict(link, ch); refused {
			dropped = true
		} else {
			kept = append(kept, link)
		}
	}
	if !dropped {
		// The line names a refused tracker that no single link does (a
		// signature spanning a comma): drop it all, failing closed.
		return ""
	}
	return strings.Join(kept, ", ")
}

// nextLink splits off the first link of a Link header value: everything up
// to the first comma that is neither inside <…> (a URI may hold commas) nor
// inside a quoted parameter value. Unbalanced brackets or quotes run to the
// end of the line: a larger piece is matched whole, so a tracker URL in it
// still drops it. The pieces cover the line, commas aside, so no URL can
// slip between them.
func nextLink(s string) (link, rest string) {
	inURL, inQuote := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inQuote:
			switch c {
			case '\\':
				i++ // quoted-pair: the next byte is literal
			case '"':
				inQuote = false
			}
		case inURL:
			if c == '>' {
				inURL = false
			}
		case c == '<':
			inURL = true
		case c == '"':
			inQuote = true
		case c == ',':
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}
