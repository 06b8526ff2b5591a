package htmlgate

import (
	"encoding/binary"
	"fmt"
	"strings"
	"sync"

	"github.com/consentgate/consentgate/consent"
)

// Signature recognises a tracker's tags.
type Signature struct {
	// Name says which tracker this is, e.g. "Google tag (gtag.js)"; errors quote it.
	Name string
	// Category is the category the tag needs; the site can change it.
	Category consent.Category
	// URLs are host/path fragments matched in src, href, srcset, imagesrcset,
	// srcdoc, data and ping attributes and in a refresh <meta>'s content,
	// case-insensitively, after entity and percent decoding, the browser's
	// mapping of non-ASCII hosts, and the URL parser's dropping of default
	// ports and resolving of dot segments, with any scheme or
	// protocol-relative, e.g. "googletagmanager.com/gtm.js". A <base href> or <link rel=preconnect> is
	// matched against the host part alone ("googletagmanager.com"). A fragment
	// matches only where a host label may start (after "/", ".", "@", the start of
	// the value…) and, when it ends in a letter or digit, where that label ends, so
	// "doubleclick.net" does not match "notdoubleclick.network". Inline scripts are
	// searched for them too, because loader snippets name the script they inject.
	URLs []string
	// Inline are substrings matched in inline <script> text, case-sensitively,
	// e.g. "gtag(" or "fbq(". A pattern that starts with an identifier character
	// must not follow one ("ga(" does not match "mega("), and a pattern ending in
	// "(" also matches with spaces before the parenthesis ("ga ('send')").
	Inline []string
}

// DefaultSignatures returns the built-in signatures for the trackers UK force
// sites use. Choices a site may want to change (each is a fresh copy):
//   - Google Tag Manager is listed twice, under analytics and under marketing,
//     because a container loads whatever tags the site configured in it; so it
//     only runs when the visitor accepted both. A site whose container holds
//     analytics tags only can drop the marketing entry.
//   - gtag.js is analytics, but gtag.js loaded for a Google Ads or Floodlight ID
//     ("AW-", "DC-") is also marketing.
//   - youtube-nocookie.com is gated like youtube.com: the "privacy-enhanced" player
//     still writes to the visitor's browser storage when it loads.
func DefaultSignatures() []Signature {
	return []Signature{
		{
			Name:     "Google tag (gtag.js)",
			Category: consent.Analytics,
			URLs:     []string{"googletagmanager.com/gtag/"},
			Inline:   []string{"gtag("},
		},
		{
			Name:     "Google Tag Manager (analytics tags)",
			Category: consent.Analytics,
			URLs:     []string{"googletagmanager.com/gtm.js", "googletagmanager.com/ns.html"},
			Inline:   []string{"gtm.start"},
		},
		{
			Name:     "Google Tag Manager (advertising tags)",
			Category: consent.Marketing,
			URLs:     []string{"googletagmanager.com/gtm.js", "googletagmanager.com/ns.html"},
			Inline:   []string{"gtm.start"},
		},
		{
			Name:     "Google Analytics (analytics.js, ga.js)",
			Category: consent.Analytics,
			URLs:     []string{"google-analytics.com", "analytics.google.com"},
			Inline:   []string{"ga(", "_gaq.push", "GoogleAnalyticsObject"},
		},
		{
			Name:     "Google Ads, Doubleclick and Floodlight",
			Category: consent.Marketing,
			URLs: []string{"doubleclick.net", "googleadservices.com", "googlesyndication.com",
				"google.com/pagead/", "googletagmanager.com/gtag/js?id=aw-", "googletagmanager.com/gtag/js?id=dc-"},
			Inline: []string{"'AW-", `"AW-`, "'DC-", `"DC-`},
		},
		{
			Name:     "Meta Pixel",
			Category: consent.Marketing,
			URLs:     []string{"connect.facebook.net", "facebook.com/tr"},
			Inline:   []string{"fbq("},
		},
		{
			Name:     "YouTube embeds",
			Category: consent.Marketing,
			URLs:     []string{"youtube.com/embed", "youtube.com/iframe_api", "youtube.com/player_api", "youtube-nocookie.com"},
		},
	}
}

// Signatures is a compiled, read-only set of [Signature]s, safe for concurrent
// use by any number of [Rewriter]s.
type Signatures struct {
	sigs []Signature
	// cats indexes every category the rewriter keeps a bit for: the built-in
	// ones first, then any other a signature names. Bits in masks refer to it.
	cats []consent.Category
	// sigCats are the categories some signature needs, in cats order.
	sigCats []consent.Category
	sigMask uint64

	urls     []urlPattern
	urlFirst [256][]uint16 // pattern indexes by first byte, both letter cases
	// hosts are the host parts of the URL fragments, matched where only a host
	// matters: <base href> and <link rel=preconnect/dns-prefetch>.
	hosts []urlPattern
	// hostFirst indexes hosts by first byte, both letter cases.
	hostFirst [256][]uint16
	maxFrag   int // length of the longest URL fragment
	inline    []inlinePattern
	inFirst   [256][]uint16
	// pairs has a bit for every two-byte start of any pattern (both letter
	// cases for URL fragments), so scanning script text skips most positions
	// with one lookup.
	pairs [1 << 16 / 64]uint64
	// quick is pairs plus the start of "data-consent", for mayNeed.
	quick [1 << 16 / 64]uint64
}

// mayNeed reports whether a tag's attribute text could need a category: it
// holds the start of a URL fragment or of "data-consent" where a host label
// or attribute name may begin, or a character that needs decoding or host
// mapping (any non-ASCII byte) first.
// Most tags (first-party images, stylesheets) are dismissed without
// reading their attributes one by one.
func (s *Signatures) mayNeed(b []byte) bool {
	n := len(b)
	j := 0
	for j+1 < n {
		// b[j] starts a label or name: test the pair there.
		k := uint16(b[j])<<8 | uint16(b[j+1])
		if s.quick[k>>6]&(1<<(k&63)) != 0 {
			return true
		}
		// Skip to the next byte that is not part of a label.
		for j < n && byteClass[b[j]] == clLabel {
			j++
		}
		if j == n {
			return false
		}
		if byteClass[b[j]] == clDecode {
			return true
		}
		j++
	}
	return j < n && (needsNormalising(b[j:]) || b[j] >= 0x80)
}

func (s *Signatures) addPair(a, b byte) {
	k := uint16(a)<<8 | uint16(b)
	s.pairs[k>>6] |= 1 << (k & 63)
}

func (s *Signatures) hasPair(a, b byte) bool {
	k := uint16(a)<<8 | uint16(b)
	return s.pairs[k>>6]&(1<<(k&63)) != 0
}

type urlPattern struct {
	frag     []byte // lower case
	mask     uint64
	endLabel bool // fragment ends in a host-label character: the label must end there too
	// slash is the index of the fragment's first "/" (0: none). A host
	// written as a fully qualified name ("www.google.com./pagead/") has a
	// "." there that the fragment lacks.
	slash int
	// head holds the fragment's first bytes, up to eight and not past
	// slash, under headMask: urlAt rejects most candidates with one compare.
	head, headMask uint64
}

type inlinePattern struct {
	text      []byte // without a trailing "(" when call is set
	mask      uint64
	wordStart bool // starts with an identifier character: must not follow one
	call      bool // ends in "(": optional spaces allowed before it
}

// maxCategories bounds the categories a Rewriter tracks in one 64-bit mask.
// Bits past the compiled ones hold categories met in data-consent attributes.
const maxCategories = 64

// CompileSignatures checks sigs and compiles them for matching. The error
// names the first bad entry.
func CompileSignatures(sigs []Signature) (*Signatures, error) {
	s := &Signatures{}
	for _, c := range []consent.Category{consent.Essential, consent.Preferences, consent.Analytics, consent.Marketing} {
		s.cats = append(s.cats, c)
	}
	for i, sig := range sigs {
		name := fmt.Sprintf("signature %d (%q)", i, sig.Name)
		switch {
		case strings.TrimSpace(sig.Name) == "":
			return nil, fmt.Errorf("htmlgate: signature %d: name missing", i)
		case !validCategory(string(sig.Category)):
			return nil, fmt.Errorf("htmlgate: %s: category %q must be 1–32 lower-case letters, digits or '-'", name, sig.Category)
		case sig.Category == consent.Essential:
			return nil, fmt.Errorf("htmlgate: %s: a tracker cannot be essential", name)
		case len(sig.URLs) == 0 && len(sig.Inline) == 0:
			return nil, fmt.Errorf("htmlgate: %s: needs at least one URL or inline pattern", name)
		}
		bit := s.catIndex(sig.Category)
		if bit < 0 {
			if len(s.cats) == maxCategories-8 {
				return nil, fmt.Errorf("htmlgate: %s: too many categories", name)
			}
			bit = len(s.cats)
			s.cats = append(s.cats, sig.Category)
		}
		mask := uint64(1) << bit
		s.sigMask |= mask
		for _, u := range sig.URLs {
			frag := strings.ToLower(strings.TrimSpace(u))
			switch {
			case len(frag) < 4:
				return nil, fmt.Errorf("htmlgate: %s: URL fragment %q is too short to match safely", name, u)
			case strings.Contains(frag, "://") || strings.HasPrefix(frag, "//"):
				return nil, fmt.Errorf("htmlgate: %s: URL fragment %q must start at the host, without a scheme", name, u)
			case strings.ContainsAny(frag, " \t\r\n\f\"'<>&%"):
				return nil, fmt.Errorf("htmlgate: %s: URL fragment %q holds a character URLs do not carry literally", name, u)
			case !isLabelChar(frag[0]):
				return nil, fmt.Errorf("htmlgate: %s: URL fragment %q must start with a host name", name, u)
			}
			s.addURL(frag, mask)
		}
		for _, in := range sig.Inline {
			if strings.TrimSpace(in) != in || in == "" || in == "(" {
				return nil, fmt.Errorf("htmlgate: %s: inline pattern %q is empty or has surrounding space", name, in)
			}
			if len(in) < 3 {
				return nil, fmt.Errorf("htmlgate: %s: inline pattern %q is too short to match safely", name, in)
			}
			s.addInline(in, mask)
		}
		s.sigs = append(s.sigs, sig)
	}
	for i, c := range s.cats {
		if s.sigMask&(1<<i) != 0 {
			s.sigCats = append(s.sigCats, c)
		}
	}
	s.quick = s.pairs
	for _, a := range []byte("dD") {
		for _, b := range []byte("aA") {
			k := uint16(a)<<8 | uint16(b)
			s.quick[k>>6] |= 1 << (k & 63)
		}
	}
	return s, nil
}

func (s *Signatures) addURL(frag string, mask uint64) {
	for i, p := range s.urls {
		if string(p.frag) == frag {
			s.urls[i].mask |= mask
			return
		}
	}
	s.addHost(frag, mask)
	s.maxFrag = max(s.maxFrag, len(frag))
	idx := uint16(len(s.urls))
	p := urlPattern{frag: []byte(frag), mask: mask, endLabel: isAlnum(frag[len(frag)-1]),
		slash: max(strings.IndexByte(frag, '/'), 0)}
	n := min(8, len(frag))
	if p.slash > 0 {
		n = min(n, p.slash)
	}
	p.setHead(frag[:n])
	s.urls = append(s.urls, p)
	c := frag[0]
	for _, a := range []byte{c, upper(c)} {
		for _, b := range []byte{frag[1], upper(frag[1])} {
			s.addPair(a, b)
		}
	}
	s.urlFirst[c] = append(s.urlFirst[c], idx)
	if u := upper(c); u != c {
		s.urlFirst[u] = append(s.urlFirst[u], idx)
	}
}

// addHost records the host part of URL fragment frag (up to the first "/",
// "?" or "#"), which must end where a host label ends.
func (s *Signatures) addHost(frag string, mask uint64) {
	h := frag
	if k := strings.IndexAny(h, "/?#:"); k >= 0 {
		h = h[:k]
	}
	h = strings.TrimRight(h, ".")
	if len(h) < 4 || !strings.Contains(h, ".") {
		return // not a host name: nothing to match on its own
	}
	for i, p := range s.hosts {
		if string(p.frag) == h {
			s.hosts[i].mask |= mask
			return
		}
	}
	p := urlPattern{frag: []byte(h), mask: mask, endLabel: true}
	p.setHead(h[:min(8, len(h))])
	idx := uint16(len(s.hosts))
	s.hosts = append(s.hosts, p)
	c := h[0]
	s.hostFirst[c] = append(s.hostFirst[c], idx)
	if u := upper(c); u != c {
		s.hostFirst[u] = append(s.hostFirst[u], idx)
	}
}

func (s *Signatures) addInline(in string, mask uint64) {
	call := strings.HasSuffix(in, "(")
	text := strings.TrimSuffix(in, "(")
	for i, p := range s.inline {
		if string(p.text) == text && p.call == call {
			s.inline[i].mask |= mask
			return
		}
	}
	idx := uint16(len(s.inline))
	s.inline = append(s.inline, inlinePattern{text: []byte(text), mask: mask, wordStart: isIdentChar(text[0]), call: call})
	s.inFirst[text[0]] = append(s.inFirst[text[0]], idx)
	s.addPair(text[0], text[1])
}

// Categories returns the categories any signature needs, without duplicates.
// A visitor who has accepted all of them (and a page with no data-consent
// attributes) needs no tag gating, so the Gate can skip the rewriter. The slice
// is shared: do not modify it. It does not allocate.
func (s *Signatures) Categories() []consent.Category { return s.sigCats }

// MatchURL returns the categories of the signatures whose URL fragments
// appear in url, an attribute value whose character references are already
// decoded (as an HTML parser returns it), after the normalisation a browser
// applies (percent escapes, tabs and newlines, backslashes, explicit default
// ports, dot segments, and the UTS 46 mapping of hosts with non-ASCII
// characters). Tests use it as an oracle.
func (s *Signatures) MatchURL(url string) []consent.Category {
	return s.names(s.matchURL(normaliseDecodedURL([]byte(url), 0)))
}

// MatchHost returns the categories of the signatures whose URL fragments'
// host names appear in url, normalised like [Signatures.MatchURL]: what a
// <base href> or a <link rel=preconnect> pointing at that host needs.
func (s *Signatures) MatchHost(url string) []consent.Category {
	return s.names(s.matchHost(normaliseDecodedURL([]byte(url), 0)))
}

// MatchInline returns the categories of the signatures whose inline patterns
// or URL fragments appear in the text of an inline script.
func (s *Signatures) MatchInline(text string) []consent.Category {
	return s.names(s.matchInline([]byte(text)))
}

func (s *Signatures) names(mask uint64) []consent.Category {
	var out []consent.Category
	for i, c := range s.cats {
		if mask&(1<<i) != 0 {
			out = append(out, c)
		}
	}
	return out
}

// List returns a copy of the signatures s was compiled from.
func (s *Signatures) List() []Signature { return append([]Signature(nil), s.sigs...) }

func (s *Signatures) catIndex(c consent.Category) int {
	for i, x := range s.cats {
		if x == c {
			return i
		}
	}
	return -1
}

var defaultSignatures = sync.OnceValue(func() *Signatures {
	s, err := CompileSignatures(DefaultSignatures())
	if err != nil {
		panic(err) // the built-in list is fixed; a test covers it
	}
	return s
})

// Default returns the compiled [DefaultSignatures], shared by every caller.
func Default() *Signatures { return defaultSignatures() }

// matchURL returns the categories of every URL fragment found in v, a
// normalised (lower-case or case-folded) attribute value. A value with a
// non-ASCII byte is matched again with its hosts mapped as browsers map them.
func (s *Signatures) matchURL(v []byte) uint64 {
	mask, hi := s.matchURLBytes(v)
	if hi {
		mask |= s.matchMappedRuns(v)
	}
	return mask
}

// matchURLBytes is matchURL without the host mapping; it also reports
// whether v holds a non-ASCII byte. Bytes of 0x80 and up are never label
// bytes, so the loop visits each of them and notices them for free.
func (s *Signatures) matchURLBytes(v []byte) (mask uint64, hi bool) {
	for j := 0; j+1 < len(v); j++ {
		if s.hasPair(v[j], v[j+1]) {
			mask |= s.urlAt(v, j)
		}
		// Only a label's first byte can start a fragment: skip the rest.
		if isLabelChar(v[j]) {
			for j+1 < len(v) && isLabelChar(v[j+1]) {
				j++
			}
		} else if v[j] >= 0x80 {
			hi = true
		}
	}
	if len(v) > 0 && v[len(v)-1] >= 0x80 {
		hi = true
	}
	return mask, hi
}

// matchHost returns the categories of every fragment host found in v, a
// normalised value, mapping hosts with non-ASCII bytes first. Only a label's
// first byte can start a host, and the index by first byte and the eight-byte
// head rule out most candidates at once, as in urlAt.
func (s *Signatures) matchHost(v []byte) uint64 {
	for _, c := range v {
		if c >= 0x80 {
			v = append(append(append([]byte(nil), v...), ' '), appendMappedHosts(nil, v)...)
			break
		}
	}
	var mask uint64
	for j := 0; j < len(v); j++ {
		if j > 0 && isLabelChar(v[j-1]) || !isLabelChar(v[j]) {
			continue
		}
		w, full := headAt(v, j)
		for _, pi := range s.hostFirst[v[j]] {
			p := &s.hosts[pi]
			if p.headDiffers(w, full) {
				continue
			}
			end := j + len(p.frag)
			if end <= len(v) && equalFold(v[j:end], p.frag) && (end == len(v) || !isLabelChar(v[end])) {
				mask |= p.mask
			}
		}
	}
	return mask
}

// urlAt returns the categories of the URL fragments starting at v[j], which
// starts a host label.
func (s *Signatures) urlAt(v []byte, j int) uint64 {
	var mask uint64
	w, full := headAt(v, j)
	for _, pi := range s.urlFirst[v[j]] {
		p := &s.urls[pi]
		if p.headDiffers(w, full) {
			continue // both ways of matching need the head
		}
		end := j + len(p.frag)
		if end > len(v) || !equalFold(v[j:end], p.frag) {
			var ok bool
			if end, ok = p.looseEnd(v, j); !ok {
				continue
			}
		}
		if p.endLabel && end < len(v) && isLabelChar(v[end]) {
			continue
		}
		mask |= p.mask
	}
	return mask
}

// looseEnd matches p, a fragment with a path, at v[j:] allowing what a
// browser reads as the same URL although the bytes differ: the root's "."
// before the first "/" ("google.com./pagead/"), and, for any "/", a script
// string's escaped slash "\/" or escaped backslash "\\" (which the URL
// parser reads as "/"), as in "googletagmanager.com\/gtm.js" in an inline
// script. It returns where the match ends in v. Attribute values never hold
// a backslash here: normalising turned them into slashes.
func (p *urlPattern) looseEnd(v []byte, j int) (int, bool) {
	if p.slash == 0 {
		return 0, false
	}
	k := j
	for i := 0; i < len(p.frag); i++ {
		c := p.frag[i]
		if c == '/' {
			if i == p.slash && k < len(v) && v[k] == '.' {
				k++
			}
			if k+1 < len(v) && v[k] == '\\' && (v[k+1] == '/' || v[k+1] == '\\') {
				k += 2
				continue
			}
		}
		if k == len(v) || lower(v[k]) != c {
			return 0, false
		}
		k++
	}
	return k, true
}

// setHead sets p's head to prefix, at most eight lower-case bytes.
func (p *urlPattern) setHead(prefix string) {
	for k := len(prefix) - 1; k >= 0; k-- {
		p.head = p.head<<8 | uint64(prefix[k])
		p.headMask = p.headMask<<8 | 0xff
	}
}

// headAt returns the eight bytes of v from j, lower-cased, for
// urlPattern.headDiffers; full is false when fewer remain.
func headAt(v []byte, j int) (w uint64, full bool) {
	if j+8 > len(v) {
		return 0, false
	}
	return lower8(binary.LittleEndian.Uint64(v[j:])), true
}

// headDiffers reports whether w, from headAt, rules p out at once: its
// first bytes are not p's head.
func (p *urlPattern) headDiffers(w uint64, full bool) bool {
	return full && (w^p.head)&p.headMask != 0
}

// lower8 lower-cases the ASCII letters among eight bytes, as lower does
// each byte.
func lower8(x uint64) uint64 {
	const highs = 0x8080808080808080
	seven := x &^ highs
	ge := seven + 0x3f3f3f3f3f3f3f3f // high bit set where the low seven bits are >= 'A'
	gt := seven + 0x2525252525252525 // … and where they are > 'Z'
	return x | (ge&^gt&^x&highs)>>2
}

// wordByte marks bytes that continue both a host label and a JavaScript
// identifier: no pattern can start right after one, so runs of them are
// skipped after their first byte.
var wordByte = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = isAlpha(byte(c)) || c >= '0' && c <= '9' || c == '_'
	}
	return
}()

// matchInline returns the categories of every inline pattern or URL fragment
// found in script text.
// Script text with a non-ASCII byte is also searched for URL fragments with
// its hosts mapped, since a loader's URL goes through the browser's host
// parser ("connect.ｆacebook.net").
func (s *Signatures) matchInline(t []byte) uint64 {
	var mask uint64
	hi := false
	for j := 0; j+1 < len(t); j++ {
		if s.hasPair(t[j], t[j+1]) {
			if mask |= s.inlineAt(t, j); mask == s.sigMask {
				return mask // nothing left to find
			}
		}
		if wordByte[t[j]] {
			for j+1 < len(t) && wordByte[t[j+1]] {
				j++
			}
		} else if t[j] >= 0x80 {
			hi = true
		}
	}
	if hi {
		mask |= s.matchMappedRuns(t)
	}
	return mask
}

// inlineAt returns the categories of the inline patterns and URL fragments
// starting at t[j].
func (s *Signatures) inlineAt(t []byte, j int) uint64 {
	var mask uint64
	for _, pi := range s.inFirst[t[j]] {
		p := &s.inline[pi]
		end := j + len(p.text)
		if end > len(t) || string(t[j:end]) != string(p.text) {
			continue
		}
		if p.wordStart && j > 0 && isIdentChar(t[j-1]) {
			continue
		}
		if p.call {
			for end < len(t) && isJSSpace(t[end]) {
				end++
			}
			if end == len(t) || t[end] != '(' {
				continue
			}
		}
		mask |= p.mask
	}
	if j == 0 || !isLabelChar(t[j-1]) {
		mask |= s.urlAt(t, j)
	}
	return mask
}

func validCategory(c string) bool {
	if c == "" || len(c) > 32 {
		return false
	}
	for i := 0; i < len(c); i++ {
		if !(c[i] >= 'a' && c[i] <= 'z' || c[i] >= '0' && c[i] <= '9' || c[i] == '-') {
			return false
		}
	}
	return true
}

// isLabelChar reports whether c can continue a host label (lower or upper case).
func isLabelChar(c byte) bool { return byteClass[c] == clLabel }

// Byte classes for the matching loops, so each byte costs one table load
// instead of a chain of range tests.
const (
	clOther  = iota
	clLabel  // a host-label byte: letter, digit, '-' or '_'
	clDecode // needs decoding or host mapping before matching: & % \ tab LF CR, non-ASCII
)

var byteClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch b := byte(c); {
		case b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_':
			t[c] = clLabel
		case b == '&' || b == '%' || b == '\\' || b == '\t' || b == '\n' || b == '\r' || b >= 0x80:
			t[c] = clDecode
		}
	}
	return
}()

func isAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

func isIdentChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$' || c >= 0x80
}

func isJSSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c - 'A' + 'a'
	}
	return c
}

// equalFold compares b with lower-case ASCII l, ignoring the case of b.
func equalFold(b, l []byte) bool {
	if len(b) != len(l) {
		return false
	}
	if n := len(b); n >= 8 {
		// Eight bytes at a time; the last word overlaps the one before.
		for k := 0; k+8 < n; k += 8 {
			if lower8(binary.LittleEndian.Uint64(b[k:])) != binary.LittleEndian.Uint64(l[k:]) {
				return false
			}
		}
		return lower8(binary.LittleEndian.Uint64(b[n-8:])) == binary.LittleEndian.Uint64(l[n-8:])
	}
	for i := range b {
		if lower(b[i]) != l[i] {
			return false
		}
	}
	return true
}

// hasPrefixFold reports whether b starts with lower-case ASCII l, any case.
func hasPrefixFold(b []byte, l string) bool {
	if len(b) < len(l) {
		return false
	}
	for i := 0; i < len(l); i++ {
		if lower(b[i]) != l[i] {
			return false
		}
	}
	return true
}
