// Package consent is the foundation of consentgate: it knows which cookies a
// site sets and why, records what each visitor allowed, and carries that
// decision from request to request in a signed cookie. It has no HTTP
// handlers of its own; the middleware and banner packages build on it.
//
// Under PECR regulation 6 a UK website may store or read nothing on a
// visitor's device, beyond what is strictly necessary, until the visitor has
// agreed. Everything here leans the same way: when in doubt, nothing optional
// is allowed.
//
// # Catalogue
//
// A [Policy] lists the categories a site asks about ([Essential] is always
// on; [Analytics], [Marketing], [Preferences] or the site's own need consent)
// and every cookie the site or its tags set, each with a provider, a purpose
// and an expiry in English and Welsh. [NewCatalogue] validates it at start-up
// and returns a [*CatalogueError] naming the first bad entry: a duplicate, a
// pattern such as "_ga_*" that would also match a cookie of another category,
// missing text in either language, an unknown category, or an advertiser's
// cookie marked essential. [Catalogue.Lookup] finds the entry for a cookie
// name, exact names first and then the longest pattern, without allocating.
//
// [DefaultPolicy] covers what UK police force sites commonly set (session and
// CSRF cookies, this library's own cookies, the tal.net recruitment portal,
// Google Analytics, Google Ads and Doubleclick, the Meta Pixel and YouTube
// embeds). Sites add their own cookies to it, remove tags they do not use,
// and bump [Policy.Revision] when they start using cookies for a new purpose.
//
// # Choices
//
// [Choices] is one visitor's state. Its zero value is "undecided", which
// allows essential cookies only. [Catalogue.Decide] makes a decision;
// [Catalogue.GPCRefusal] is what a Sec-GPC: 1 header stands for when the
// visitor has not decided (a refusal, never consent). The middleware stores
// the request's choices with [WithChoices]; handlers read them with
// [FromContext] or ask [Allowed].
//
// # The consent cookie
//
// A [Codec] writes the decision into the cookie named [DefaultCookieName]
// (policy revision, accepted categories, decision time and a random consent
// [ID]) signed with HMAC-SHA256 in gorilla/securecookie's wire format, and
// optionally AES-encrypted. The first of [CodecOptions.Keys] signs and all of
// them verify, so keys rotate without logging anyone out of their choice.
// [Codec.Cookie] sets HttpOnly, Secure, SameSite=Lax, Path=/ and a Max-Age of
// [DefaultMaxAge] (12 months) unless configured otherwise.
//
// Reading never fails loudly. A missing, malformed, tampered, expired or
// unknown-key cookie, or one given under another policy revision, reads as
// undecided, and [Codec.Read] says why with [ErrNoCookie], [ErrMalformed],
// [ErrSignature], [ErrExpired] or [ErrRevision], for logging only. Reading
// allocates nothing, because it runs on every request.
//
// # Proof of consent
//
// The banner's POST handler gives each decision to a [Recorder] as a
// [Record] built by [NewRecord], with [MethodOf] saying whether the visitor
// accepted all, rejected all, chose, or withdrew. No IP address is recorded.
// [SlogRecorder] writes one log line per decision; the consentlog package
// stores them in a database.
package consent
