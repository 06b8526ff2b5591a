// Package middleware provides the Gate: HTTP middleware that keeps a site's
// cookies and tracking tags in line with each visitor's consent.
//
// For every request the Gate reads the signed consent cookie (see
// [consent.Codec]), treats Sec-GPC: 1 as a refusal of everything optional when
// the visitor has not decided, and puts the result in the request context,
// where handlers read it with [consent.FromContext].
//
// On the way out it
//   - drops every Set-Cookie whose category the visitor has not accepted
//     (deleting a cookie is always allowed; essential cookies always pass;
//     cookies the catalogue does not know are dropped unless
//     [Options.UnknownCookies] says otherwise), before any header leaves:
//     at WriteHeader, the first Write, Flush, a 1xx response, ReadFrom, and
//     when the handler returns without writing;
//   - expires cookies of refused categories that the browser sent, host-only
//     and for [Options.CookieDomain], so withdrawing consent removes _ga and
//     friends;
//   - streams HTML through a rewriter that neutralises tracker tags the
//     visitor has not accepted and injects the banner after <body>;
//   - marks responses that depend on consent with Vary: Cookie and
//     Cache-Control: private, so a shared cache or CDN never serves one
//     visitor's page to another.
//
// # Put compression outside the Gate
//
// The Gate rewrites HTML as it streams, so it must see the body uncompressed.
// Wrap the Gate with your gzip or brotli middleware, not the other way round:
//
//	handler := gzipMiddleware(gate.Handler(site)) // right
//	handler := gate.Handler(gzipMiddleware(site)) // wrong: the Gate must decompress to gate tags
//
// The Gate removes Accept-Encoding from the request it passes on, so a
// compressor inside it normally sends identity. If a handler still sends gzip
// or deflate HTML, the Gate decodes it to rewrite it and sends it
// uncompressed; any other encoding of HTML is passed through and logged.
package middleware
