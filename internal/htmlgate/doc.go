// Package htmlgate is the streaming HTML rewriter behind the Gate's tag
// gating: it neutralises the tags a visitor has not consented to and injects
// the consent banner after <body>, without holding the page in memory.
//
// # What needs consent
//
// A tag needs the categories named in its data-consent attribute
// (space-separated; all of them are needed) and those of every [Signature]
// its URLs or, for an inline script, its text match. A tag is gated when it
// needs a category the visitor's [consent.Choices] do not allow; otherwise it
// passes byte for byte.
//
// # How a gated tag is neutralised
//
// The markup is the one the banner's script knows how to undo:
//   - <script>: ` type="text/plain" data-cg-category="CATS"` is inserted right
//     after "<script" (browsers keep the first of duplicate attributes, so this
//     wins whatever follows), plus ` data-cg-type="T"` when the tag had its own
//     type T. The script's text stays in place.
//   - <iframe>, <img>, <source>, <link>, <video>, <audio>, <embed>, <object>
//     (and <frame>, <input type=image>, <image>, <track>, <base>, <meta>,
//     <a>, <area>, <body>, <table> and its parts): the attributes that make
//     the browser fetch are renamed with a "data-cg-" prefix and
//     ` data-cg-category="CATS"` is inserted after the tag name. The renamed
//     attributes are:
//     src → data-cg-src (all but link, object, base, meta, a, area, body
//     and table parts);
//     srcset → data-cg-srcset (img, source, SVG image);
//     imagesrcset → data-cg-imagesrcset (link; imagesizes is left alone);
//     href → data-cg-href (link, base, SVG image, feImage, use);
//     xlink:href → data-cg-xlink:href (SVG image, feImage, use);
//     data → data-cg-data (object); srcdoc → data-cg-srcdoc (iframe);
//     ping → data-cg-ping (a, area, SVG a);
//     content → data-cg-content (meta http-equiv=refresh);
//     background → data-cg-background (body, table, thead, tbody, tfoot,
//     tr, td, th: the legacy attribute browsers still load as a
//     background image).
//   - <noscript> holding a gated tag, or itself labelled with data-consent
//     that is refused, is removed with its content, so visitors without
//     JavaScript are not tracked either.
//
// CATS lists the categories the tag needs, in the order of the signatures'
// category table (essential, preferences, analytics, marketing, then others).
//
// # What is matched where
//
// URL fragments are matched in the attributes above. <a> and <area> count
// only through ping (a link to a tracker's site is not tracking until
// clicked, and then it is a navigation the visitor chose); <meta> only with
// http-equiv=refresh, in its content; <body> and table parts only through
// background. Where only a host is named — <base
// href>, and <link rel=preconnect> or rel=dns-prefetch, which open a
// connection or a DNS lookup that reveals the visitor's address — the host
// part of any fragment is enough ("googletagmanager.com"). Relative URLs
// after a <base> the rewriter passed are resolved by the browser against it:
// a site must not use a tracker's host as its base (it is gated, so they then
// resolve against the page's own address). Scripts of type importmap and
// speculationrules are classified by their JSON text like inline scripts,
// since the browser fetches the URLs they name; scripts of type
// text/partytown like JavaScript, since the Partytown library runs them in a
// web worker (their original type goes to data-cg-type as for any script).
//
// Before matching, a value is read as the browser reads it: character
// references and percent escapes decoded, tabs and newlines dropped,
// backslashes read as "/", an explicit default port (":443", ":80", ":")
// dropped and "." and ".." path segments resolved (the value as written is
// matched too), and, only when it holds a non-ASCII character,
// every host-like run mapped as the WHATWG host parser maps hosts (UTS 46:
// soft hyphens and zero-width characters dropped, "。", "．" and "｡" read
// as ".", fullwidth and other compatibility letters folded to ASCII), using
// golang.org/x/net/idna. A run the mapper rejects is still compared with the
// ignored characters dropped, so an error never lets a clear tracker through.
// ASCII values take none of this path and do not allocate.
//
// # Scanning
//
// The scanner follows the HTML standard's tokenizer where it decides what is
// a tag: comments (including "<!-->", "<!--->" and "--!>"), bogus comments and
// DOCTYPE, CDATA in SVG and MathML, the raw text of style, textarea, title,
// iframe, xmp, noembed and noframes, plaintext, and script data with its
// escaped and double-escaped states. Attribute values are read as the browser
// reads them (entities, quotes, unquoted values) before URLs are matched.
// Between writes it carries only the construct it is in the middle of, each
// bounded by a cap ([MaxTag], [MaxInline], [MaxNoscript]); what happens past
// each cap is documented on [Rewriter].
//
// On amd64 a small assembly kernel (AVX2 where the processor and operating
// system allow it, SSE2 otherwise) first marks every '<' of the data in a
// bitmap, so the text between tags is skipped without a call per run of
// text. Other processors, and builds with -tags purego, call
// bytes.IndexByte instead; the output is the same either way.
//
// # Known limits
//
//   - A tag gated only through an ancestor is not followed: <source> children
//     of a gated <video> need their own data-consent or matching URL.
//   - Scripts inside SVG and MathML hold markup, not raw text, so their text
//     is not classified: they are gated unless labelled with data-consent.
//     Where SVG or MathML is left or nested in ways the rewriter cannot
//     follow exactly, it changes the markup for a visitor who refused
//     something, so that the browser reads the page as it does: it writes
//     end tags of its own or, for the rest of the document, cuts raw-text
//     content short and gates unlabelled scripts (see [Rewriter]).
//   - After a <frameset> start tag the rewriter does the same for the rest
//     of the document: the browser then ignores the start tags of raw-text
//     elements, unless it ignored the frameset itself (after body content),
//     and telling which would mean following the body's content.
//   - Obfuscated inline code (building "gtag" from pieces, or writing a
//     tracker URL with JavaScript escapes such as \u002f or \x2e; "\/" is
//     read) is not recognised: label such scripts with data-consent. Code in
//     event-handler attributes (onload, onerror…) and in data: or
//     javascript: URLs is not read at all.
//   - Bytes are read as ASCII. A page in ISO-2022-JP, whose escape
//     sequences the browser drops from between ASCII bytes, can hide a tag
//     from the rewriter; UTF-16 is transcoded by the Gate (see middleware).
//   - <select> content is read by the current select parser (Chromium's,
//     and x/net/html's): a browser still on the older one ignores raw-text
//     start tags inside <select>, which the rewriter reads as raw text.
//   - URLs in CSS (style attributes, <style>) and in <video poster> are not
//     gated; nor are scripts whose type is not JavaScript, text/partytown,
//     an import map or speculation rules (they do not run), even with
//     data-consent.
//   - Lazy-loading conventions such as <img data-src=…> are the site's own
//     script's business and are left alone: the URL is only fetched when
//     that script copies it to src, and a tracker pixel loaded that way must
//     be labelled with data-consent.
//   - A gated <meta http-equiv=refresh> does not refresh when restored after
//     consent (browsers act on it only when it is parsed).
//   - data-consent is honoured on the elements above; on any other element it
//     is left alone (there is nothing to switch off). On <a> and <area> it
//     counts only with a ping attribute, on <meta> only with
//     http-equiv=refresh, on <body> and table parts only with background.
//
// # Use from the Gate
//
// Pool Rewriters; call [Rewriter.Reset] per response with the visitor's
// choices, Write the (decoded) HTML body as it comes, [Rewriter.Flush] when
// the handler flushes, and [Rewriter.Close] at the end. A visitor who allows
// every category in [Signatures.Categories] and needs no banner can skip the
// rewriter (see the example), at the cost of not honouring data-consent
// attributes that name other categories.
package htmlgate
