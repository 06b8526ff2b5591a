// Package middleware provides the Gate: HTTP middleware that keeps a site's
// cookies and tracking tags in line with each visitor's consent.
//
// For every request the Gate reads the signed consent cookie (see
// [consent.Codec]), treats Sec-GPC: 1 as a refusal of everything optional when
// the visitor has not decided, and puts the result in the request context,
// where handlers read it with [consent.FromContext]. (For an undecided
// visitor the choices are the zero value, which FromContext returns anyway,
// so the request is passed on as it came, without a copy.)
//
// On the way out it
//   - drops every Set-Cookie whose category the visitor has not accepted
//     (deleting a cookie is always allowed; essential cookies always pass;
//     cookies the catalogue does not know are dropped unless
//     [Options.UnknownCookies] says otherwise), before any header leaves:
//     at WriteHeader, the first Write, Flush, a 1xx response, ReadFrom, and
//     when the handler returns without writing or panics (a recoverer
//     outside the Gate then sends its 500 with the filtered headers, without
//     the length and encoding of the body that never left);
//   - at the same points, drops each link in a Link header (preload,
//     modulepreload, prefetch, preconnect… act before any HTML is parsed,
//     in a 103 Early Hints too) whose URL or parameters a tracker
//     signature puts in a category the visitor has not accepted, and each
//     preconnect or dns-prefetch to a tracker's host;
//   - expires cookies of refused categories that the browser sent, host-only
//     and for [Options.CookieDomain], so withdrawing consent removes _ga and
//     friends;
//   - streams HTML through a rewriter that neutralises tracker tags the
//     visitor has not accepted and injects the banner after <body>;
//   - marks responses that depend on consent with Vary: Cookie, Sec-GPC
//     (and Accept-Language when the banner is injected, as the banner's
//     language follows it) and Cache-Control: private, so a shared cache or
//     CDN never serves one visitor's page to another.
//
// A response that sets a new consent cookie, such as the banner's answer to
// Accept or Reject, is gated by the choices in that cookie rather than the
// request's: cookies just accepted pass, and a cookie the handler already
// deletes is not expired a second time. A new cookie that does not decode
// counts as no decision.
//
// # Which responses are rewritten
//
// A response is HTML when a browser would read its Content-Type as
// text/html: browsers take the last type they can parse over all its lines
// and comma-separated members, under any spelling of the key, so the Gate
// does too. When it has no Content-Type, or one that says nothing (*/*,
// unknown/unknown, application/unknown), it is HTML when
// [net/http.DetectContentType] says so over the first 512 bytes (the Gate
// then sets the Content-Type it sniffed). A Flush before then sends nothing
// while the bytes so far (whitespace, or the start of a tag that marks HTML)
// could still turn out to open a page. 204 and 304 are never rewritten.
// A HEAD gets the headers its GET would get: the type sniffed from the body
// the handler writes for it (as net/http does), and, where the GET's page
// is rewritten, no Content-Length, Accept-Ranges or compressed
// Content-Encoding; a HEAD that writes no body and names no type loses its
// Content-Length whenever an HTML page would be rewritten.
//
// A page goes through the rewriter only when it can change something: the
// banner is needed, or the visitor has not accepted some category a tag may
// need. A visitor who accepted everything gets the
// handler's bytes untouched.
//
// XHTML (application/xhtml+xml) is not rewritten, though browsers run its
// scripts. The rewriter writes HTML, which is not always well-formed XML: a
// gated script that has a type attribute of its own (as XHTML 1.0 scripts
// all do) gets a second one, and a gated SVG image's xlink:href becomes
// data-cg-xlink:href, a prefix no namespace declares. Either error makes the
// browser show an XML error in place of the page. So XHTML passes through
// as written, without the banner, and when an HTML page would have been
// rewritten the Gate logs it (at most once per [Options.LogInterval]): serve
// such pages as text/html. Other XML types (text/xml, application/xml,
// image/svg+xml) can hold scripts a browser runs too; they pass unlogged.
//
// The rewriter reads a page's bytes as ASCII, as every encoding a browser
// decodes ASCII bytes in as ASCII allows (ISO-2022-JP, whose escape
// sequences can split a tag, does not quite: avoid it). A page the browser reads as
// UTF-16 (it opens with a UTF-16 byte order mark, or, without one, its
// Content-Type's charset names UTF-16) is transcoded to UTF-8 to be gated,
// and sent as UTF-8: relabelled, or behind a UTF-8 byte order mark where the
// header had already left naming another charset.
//
// Every HTML response varies with consent, so the Gate removes its ETag and
// Last-Modified (a revalidated copy could be one gated under an earlier
// choice) and adds Vary: Cookie, Sec-GPC and Cache-Control: private. A
// rewritten one also loses Content-Length and Accept-Ranges. Flush sends
// everything rewritten so far; only an unfinished tag or script is held back.
//
// # Range requests
//
// A part of a page cannot be rewritten, so whenever the Gate may rewrite
// (the same condition under which it removes Accept-Encoding, below) it also
// removes Range and If-Range from the request: the handler answers with the
// whole page, which is then gated. Requests an <audio> or <video> element
// makes (Sec-Fetch-Dest: audio or video) keep their ranges, as media needs
// them (Safari plays no video without) and a browser never runs what they
// fetch as HTML. A response that has a Content-Range all the same is passed
// through as it is, and the Gate logs it (at most once per
// [Options.LogInterval]).
//
// # Conditional requests
//
// A browser may hold a copy of a page cached before the Gate was deployed,
// ungated and with the ETag or Last-Modified the Gate now removes. When it
// revalidates that copy, a 304 would have it show the copy again, trackers
// and all. So, under the same condition, the Gate removes If-None-Match
// and If-Modified-Since from a request that may load a document: one whose
// Sec-Fetch-Dest is document, iframe, frame, embed, object or fencedframe,
// or, from a browser that sends no Sec-Fetch-Dest, whose Accept names
// text/html. The handler then sends the whole page, which is gated and goes
// out without validators (see above). Images, scripts, stylesheets and
// fetch() calls keep their revalidation. A copy still fresh in the
// browser's cache is shown without asking the server at all, until it
// expires.
//
// # Put compression outside the Gate
//
// The Gate rewrites HTML as it streams, so it must see the body uncompressed.
// Wrap the Gate with your gzip or brotli middleware, not the other way round:
//
//	handler := gzipMiddleware(gate.Handler(site)) // right
//	handler := gate.Handler(gzipMiddleware(site)) // wrong: the Gate must decompress to gate tags
//
// The Gate removes Accept-Encoding from the request it passes on (the
// header map is shared with the middleware outside it, which has read it by
// then), so a compressor inside it normally sends identity. If a handler still sends gzip
// or deflate HTML, the Gate decodes it to rewrite it and sends it
// uncompressed, and it decodes a compressed body without a Content-Type to
// sniff it, as the browser would; any other encoding of HTML is passed
// through and logged. A compressed body that turns out to be corrupt is cut
// short where the damage starts (its 200 has already been sent): what was
// decoded before it is sent, gated, and the damage logged at Error with the
// page's path. Bytes after a complete gzip member that begin no other member
// are dropped without a word, as browsers drop them.
package middleware
