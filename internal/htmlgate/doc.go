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
//     (and <frame>, <input type=image>, <image>, <track>):
//     src, srcset, href (link), data (object) and srcdoc (iframe) are renamed
//     data-cg-src and so on, and ` data-cg-category="CATS"` is inserted after
//     the tag name.
//   - <noscript> holding a gated tag, or itself labelled with data-consent
//     that is refused, is removed with its content, so visitors without
//     JavaScript are not tracked either.
//
// CATS lists the categories the tag needs, in the order of the signatures'
// category table (essential, preferences, analytics, marketing, then others).
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
// # Known limits
//
//   - A tag gated only through an ancestor is not followed: <source> children
//     of a gated <video> need their own data-consent or matching URL.
//   - Scripts inside SVG are classified like HTML scripts; a CDATA section in
//     an SVG script that contains "</script>" ends it early for the scanner
//     (what follows is then read as markup, which can only gate more).
//   - Obfuscated inline code (building "gtag" from pieces) is not recognised:
//     label such scripts with data-consent.
//   - URLs in CSS (style attributes, <style>), in <base href> and in
//     <video poster> are not gated; nor are scripts whose type is not
//     JavaScript (they do not run), even with data-consent.
//   - data-consent is honoured on the elements above; on any other element it
//     is left alone (there is nothing to switch off).
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
