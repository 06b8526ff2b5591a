package htmlgate

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentgate/consentgate/consent"
)

func TestCompileSignaturesErrors(t *testing.T) {
	ok := Signature{Name: "Chat widget", Category: "chat", URLs: []string{"chat.example.net"}}
	tests := []struct {
		name string
		sig  Signature
		err  string
	}{
		{"no name", Signature{Category: consent.Analytics, URLs: []string{"example.net"}}, `htmlgate: signature 1: name missing`},
		{"bad category", Signature{Name: "X", Category: "Ads!", URLs: []string{"example.net"}}, `htmlgate: signature 1 ("X"): category "Ads!" must be 1–32 lower-case letters, digits or '-'`},
		{"essential", Signature{Name: "X", Category: consent.Essential, URLs: []string{"example.net"}}, `htmlgate: signature 1 ("X"): a tracker cannot be essential`},
		{"no patterns", Signature{Name: "X", Category: consent.Analytics}, `htmlgate: signature 1 ("X"): needs at least one URL or inline pattern`},
		{"scheme", Signature{Name: "X", Category: consent.Analytics, URLs: []string{"https://example.net/"}}, `htmlgate: signature 1 ("X"): URL fragment "https://example.net/" must start at the host, without a scheme`},
		{"too short", Signature{Name: "X", Category: consent.Analytics, URLs: []string{"a.b"}}, `htmlgate: signature 1 ("X"): URL fragment "a.b" is too short to match safely`},
		{"entity", Signature{Name: "X", Category: consent.Analytics, URLs: []string{"a&amp;b.net"}}, `htmlgate: signature 1 ("X"): URL fragment "a&amp;b.net" holds a character URLs do not carry literally`},
		{"starts with a dot", Signature{Name: "X", Category: consent.Analytics, URLs: []string{".example.net"}}, `htmlgate: signature 1 ("X"): URL fragment ".example.net" must start with a host name`},
		{"short inline", Signature{Name: "X", Category: consent.Analytics, Inline: []string{"a("}}, `htmlgate: signature 1 ("X"): inline pattern "a(" is too short to match safely`},
		{"spaced inline", Signature{Name: "X", Category: consent.Analytics, Inline: []string{" track("}}, `htmlgate: signature 1 ("X"): inline pattern " track(" is empty or has surrounding space`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CompileSignatures([]Signature{ok, tt.sig})
			require.EqualError(t, err, tt.err)
		})
	}
}

func TestDefaultSignaturesCompile(t *testing.T) {
	s, err := CompileSignatures(DefaultSignatures())
	require.NoError(t, err)
	assert.Equal(t, []consent.Category{consent.Analytics, consent.Marketing}, s.Categories())
	assert.Equal(t, DefaultSignatures(), s.List())
	assert.Same(t, Default(), Default())
	allocs := testing.AllocsPerRun(100, func() { _ = Default().Categories() })
	assert.Zero(t, allocs)
}

// TestSiteSignatures checks a site's own list: a custom category, a moved
// category, and that the rewriter uses the visitor's choice for it.
func TestSiteSignatures(t *testing.T) {
	sigs := DefaultSignatures()
	for i := range sigs {
		if sigs[i].Name == "YouTube embeds" {
			sigs[i].Category = consent.Preferences
		}
	}
	sigs = append(sigs, Signature{Name: "Chat widget", Category: "chat", URLs: []string{"widget.chat-vendor.example/"}, Inline: []string{"ChatVendor.init("}})
	s, err := CompileSignatures(sigs)
	require.NoError(t, err)
	assert.Equal(t, []consent.Category{consent.Preferences, consent.Analytics, consent.Marketing, "chat"}, s.Categories())

	policy := consent.DefaultPolicy()
	policy.Categories = append(policy.Categories, consent.CategoryInfo{ID: "chat",
		Title:       consent.Text{EN: "Chat", CY: "Sgwrs"},
		Description: consent.Text{EN: "Live chat with the control room.", CY: "Sgwrs fyw gyda'r ystafell reoli."}})
	cat, err := consent.NewCatalogue(policy)
	require.NoError(t, err)
	chat, err := cat.Decide(consent.Choices{}, []consent.Category{"chat"}, testTime)
	require.NoError(t, err)

	in := `<iframe src="https://www.youtube.com/embed/x"></iframe><script src="https://widget.chat-vendor.example/w.js"></script><script>ChatVendor.init({})</script>`
	run := func(ch consent.Choices) string {
		var out stringsBuilder
		var w Rewriter
		w.Reset(&out, ch, s, nil)
		_, _ = w.Write([]byte(in))
		require.NoError(t, w.Close())
		return out.String()
	}
	assert.Equal(t, `<iframe data-cg-category="preferences" data-cg-src="https://www.youtube.com/embed/x"></iframe><script src="https://widget.chat-vendor.example/w.js"></script><script>ChatVendor.init({})</script>`, run(chat))
	assert.Equal(t, `<iframe data-cg-category="preferences" data-cg-src="https://www.youtube.com/embed/x"></iframe><script type="text/plain" data-cg-category="chat" src="https://widget.chat-vendor.example/w.js"></script><script type="text/plain" data-cg-category="chat">ChatVendor.init({})</script>`, run(consent.Choices{}))
}

// naiveMatch is the plain reading of the matching rules, position by
// position, without the pair filter or run skipping.
func naiveMatch(s *Signatures, t []byte, inline bool) uint64 {
	var mask uint64
	for j := range t {
		if inline {
			for _, p := range s.inline {
				end := j + len(p.text)
				if end > len(t) || string(t[j:end]) != string(p.text) || p.wordStart && j > 0 && isIdentChar(t[j-1]) {
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
		}
		if j > 0 && isLabelChar(t[j-1]) {
			continue
		}
		for _, p := range s.urls {
			end := j + len(p.frag)
			if end <= len(t) && equalFold(t[j:end], p.frag) && !(p.endLabel && end < len(t) && isLabelChar(t[end])) {
				mask |= p.mask
			}
		}
	}
	return mask
}

func TestMatchersAgreeWithNaiveReading(t *testing.T) {
	s := Default()
	pieces := []string{"gtag", "(", " ", "ga", "fbq", "_gaq.push", "gtm.start", "'AW-", `"DC-`, "mega", "x", "-", "$", ".",
		"/", "connect.facebook.net", "FACEBOOK.COM/tr", "ack", "doubleclick.net", "work", "www.", "youtube-nocookie.com",
		"\u00e9", "_", "9", "GoogleAnalyticsObject", "googletagmanager.com/gtag/js?id=aw-", "AW-"}
	rng := rand.New(rand.NewPCG(5, 6))
	for n := 0; n < 50000; n++ {
		var sb strings.Builder
		writePieces(&sb, rng, pieces, 7)
		b := []byte(sb.String())
		require.Equal(t, naiveMatch(s, b, true), s.matchInline(b), "inline %q", b)
		require.Equal(t, naiveMatch(s, b, false), s.matchURL(b), "url %q", b)
	}
}

// TestMatchHostAgreesWithNaiveReading checks matchHost, with its index and
// eight-byte heads, against the plain reading on random ASCII values.
func TestMatchHostAgreesWithNaiveReading(t *testing.T) {
	s := Default()
	pieces := []string{"https://", "//", "www.", "WWW.", "GoogleTagManager.COM", "googletagmanager.com", "google.com",
		"Google-Analytics.com", "analytics.google.com", "youtube.com", "youtube-nocookie.com", "connect.facebook.net",
		"facebook.com", "doubleclick.net", ".", "/", ":443", "x", "-", "not", "com"}
	rng := rand.New(rand.NewPCG(7, 8))
	for n := 0; n < 50000; n++ {
		var sb strings.Builder
		writePieces(&sb, rng, pieces, 6)
		b := []byte(sb.String())
		require.Equal(t, naiveHostMatch(s, b), s.matchHost(b), "host %q", b)
	}
}

// naiveHostMatch is matchHost for ASCII values read the obvious way: every
// host at every label boundary, in any letter case.
func naiveHostMatch(s *Signatures, v []byte) uint64 {
	var mask uint64
	for _, p := range s.hosts {
		for j := 0; j+len(p.frag) <= len(v); j++ {
			end := j + len(p.frag)
			if (j == 0 || !isLabelChar(v[j-1])) && (end == len(v) || !isLabelChar(v[end])) &&
				strings.EqualFold(string(v[j:end]), string(p.frag)) {
				mask |= p.mask
			}
		}
	}
	return mask
}

// TestMatchURLMapsHostsLikeBrowsers checks the UTS 46 host mapping browsers
// apply before a fetch, including a host the mapper rejects (fail closed).
func TestMatchURLMapsHostsLikeBrowsers(t *testing.T) {
	s := Default()
	mkt := []consent.Category{consent.Marketing}
	tests := []struct {
		name string
		url  string
		want []consent.Category
	}{
		{"soft hyphen", "https://www.face\u00adbook.com/tr?id=1", mkt},
		{"percent-encoded soft hyphen", "https://www.face%C2%ADbook.com/tr", mkt},
		{"zero-width space", "//connect.face\u200bbook.net/x.js", mkt},
		{"word joiner and BOM", "//connect.face\u2060book\ufeff.net/x.js", mkt},
		{"fullwidth full stop", "https://connect.facebook\uff0enet/x.js", mkt},
		{"ideographic full stop", "https://connect\u3002facebook\u3002net/x.js", mkt},
		{"halfwidth ideographic full stop", "https://www.facebook\uff61com/tr", mkt},
		{"fullwidth letters", "https://connect.\uff46\uff41\uff43\uff45\uff42\uff4f\uff4f\uff4b.net/x.js", mkt},
		{"fullwidth capitals", "https://CONNECT.\uff26ACEBOOK.NET/x.js", mkt},
		{"mathematical letters", "https://www.\U0001d557acebook.com/tr", mkt},
		{"circled letters", "https://www.\u24d5acebook.com/tr", mkt},
		{"percent-encoded fullwidth letter", "https://connect.%EF%BD%86acebook.net/x.js", mkt},
		{"a label the mapper rejects still matches the rest", "https://x\u200d.www.face\u00adbook.com/tr", mkt},
		{"a rejected label next to a mathematical letter, path kept", "https://x\u200d.www.\U0001d557acebook.com/tr", mkt},
		{"mapped root dot before the fragment's path", "https://www.google.com\u3002/pagead/x", mkt},
		{"ASCII root dot before the fragment's path", "https://www.facebook.com./tr?id=1", mkt},
		{"fragment with a path after a mapped host", "https://www.\uff47oogle.com/pagead/conversion", mkt},
		{"soft hyphen inside a srcset list", "/a.png 1x, https://ad.double\u00adclick.net/p.gif 2x", mkt},
		{"cyrillic look-alike is another host", "https://www.f\u0430cebook.com/tr", nil},
		{"non-ASCII path on a first-party host", "/newyddion/\u0175yr-\u00e2.html", nil},
		{"soft hyphen does not join labels", "https://notface\u00adbook.com/tr", nil},
		{"a label running past the bytes copied after a mapped run", "\u00e9 google.comWWW.Google-Analytics.comyoutube.com", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, s.MatchURL(tt.url))
		})
	}
}

// TestMatchURLResolvesPortsAndDotSegments checks URLs a browser fetches
// from a tracker's path although they are not written that way: an explicit
// default or empty port, and "." or ".." path segments (also percent-encoded
// or with backslashes), in a src (one URL, spaces and commas inside it
// belong to the path) or a srcset or ping (one URL per candidate).
func TestMatchURLResolvesPortsAndDotSegments(t *testing.T) {
	s := Default()
	both := []consent.Category{consent.Analytics, consent.Marketing}
	ana := []consent.Category{consent.Analytics}
	mkt := []consent.Category{consent.Marketing}
	tests := []struct {
		name string
		url  string
		want []consent.Category
	}{
		{"port 443", "https://www.googletagmanager.com:443/gtm.js", both},
		{"port 443 with a leading zero", "https://www.googletagmanager.com:0443/gtm.js", both},
		{"port 80", "http://www.facebook.com:80/tr?id=1", mkt},
		{"port 80 with leading zeros", "http://www.facebook.com:0000080/tr", mkt},
		{"empty port", "https://www.googletagmanager.com:/gtm.js", both},
		{"port before a query", "https://www.google.com:443/pagead/x", mkt},
		{"port on a protocol-relative URL", "//www.googletagmanager.com:443/gtm.js", both},
		{"port after userinfo", "https://u:p@www.googletagmanager.com:443/gtm.js", both},
		{"port after a fully qualified host", "https://www.facebook.com.:443/tr", mkt},
		{"upper-case scheme and port", "HTTPS://WWW.FACEBOOK.COM:443/TR", mkt},
		{"other port is another server", "https://www.googletagmanager.com:8443/gtm.js", nil},
		{"port 4430 is not 443", "https://www.googletagmanager.com:4430/gtm.js", nil},
		{"port in userinfo belongs to another host", "https://www.googletagmanager.com:443@example.com/gtm.js", nil},
		{"single-dot segment", "https://www.googletagmanager.com/./gtm.js", both},
		{"double-dot segment", "https://www.googletagmanager.com/x/../gtag/js?id=G-1", ana},
		{"percent-encoded single dot", "https://www.googletagmanager.com/%2e/gtm.js", both},
		{"percent-encoded double dot", "https://www.googletagmanager.com/x/%2E%2E/gtm.js", both},
		{"half-encoded double dot", "https://www.googletagmanager.com/x/.%2e/gtm.js", both},
		{"double dots at the root stay there", "https://www.googletagmanager.com/../../gtm.js", both},
		{"double dot removes an empty segment", "https://www.googletagmanager.com//../gtm.js", both},
		{"backslashes around double dots", "https:\\\\www.googletagmanager.com\\x\\..\\gtm.js", both},
		{"single dot as the last segment", "https://www.facebook.com/x/../tr/.", mkt},
		{"double dot as the last segment", "https://www.google.com/x/../pagead/y/..", mkt},
		{"comma inside a path segment", "https://www.googletagmanager.com/a,b/../gtm.js", both},
		{"space inside a src path", "https://www.googletagmanager.com/a b/../../gtm.js", both},
		{"extra slashes after the scheme", "https:///www.googletagmanager.com/../gtm.js", both},
		{"one slash after the scheme", "https:/www.googletagmanager.com/../gtm.js", both},
		{"no slash after the scheme", "http:www.googletagmanager.com/./gtm.js", both},
		{"port and dot segments together", "https://www.googletagmanager.com:443/x/./../gtm.js", both},
		{"srcset candidate with a port", "/a.png 1x, https://www.googletagmanager.com:443/gtm.js 2x", both},
		{"srcset candidate after a descriptor's comma", "/a.png 1x,https://www.facebook.com/x/../tr 2x", mkt},
		{"refresh url", "0;url=https://www.facebook.com:443/tr", mkt},
		{"refresh url in quotes", "0; url='https://www.facebook.com/./tr'", mkt},
		{"dot segments in the query are not the path", "https://www.googletagmanager.com/x?/../gtm.js", nil},
		{"dot segments in the fragment are not the path", "https://www.googletagmanager.com/x#/../gtm.js", nil},
		{"a dot segment cannot reach the host", "https://www.googletagmanager.com.example.org/../gtm.js", nil},
		{"dots inside a segment are not dot segments", "https://www.googletagmanager.com/x/.../gtm.js", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, s.MatchURL(tt.url))
		})
	}
}

// TestMatchInlineReadsEscapedSlashes checks URLs in inline scripts written
// with a string's escaped slash ("\/", as JSON encoders write it), which the
// script engine reads as "/", or escaped backslash, which the URL parser
// then reads as "/".
func TestMatchInlineReadsEscapedSlashes(t *testing.T) {
	s := Default()
	both := []consent.Category{consent.Analytics, consent.Marketing}
	tests := []struct {
		name string
		text string
		want []consent.Category
	}{
		{"gtm loader", `s.src="https:\/\/www.googletagmanager.com\/gtm.js?id=GTM-X";`, both},
		{"gtag with two escaped slashes", `{"src":"https:\/\/www.googletagmanager.com\/gtag\/js?id=G-1"}`, []consent.Category{consent.Analytics}},
		{"pixel", `i.src='https:\/\/www.facebook.com\/tr?id=1'`, []consent.Category{consent.Marketing}},
		{"root dot and an escaped slash", `u="//www.google.com.\/pagead\/x"`, []consent.Category{consent.Marketing}},
		{"a longer last label is another path", `u="//www.googletagmanager.com\/gtm.json"`, nil},
		{"an escaped backslash, which the URL parser reads as a slash", `u="//www.googletagmanager.com\\gtm.js"`, both},
		{"an escaped backslash before a slash makes two slashes", `u="//www.googletagmanager.com\\/gtm.js"`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, s.MatchInline(tt.text))
		})
	}
}

// TestMatchHost checks the host-only matching used for <base href> and
// <link rel=preconnect>: the host of any fragment, on a label boundary.
func TestMatchHost(t *testing.T) {
	s := Default()
	tests := []struct {
		url  string
		want []consent.Category
	}{
		{"https://www.googletagmanager.com", []consent.Category{consent.Analytics, consent.Marketing}},
		{"//connect.facebook.net/", []consent.Category{consent.Marketing}},
		{"https://www.facebook.com", []consent.Category{consent.Marketing}},
		{"https://www.google-analytics.com:443/", []consent.Category{consent.Analytics}},
		{"https://www.googletagmanager\uff0ecom/", []consent.Category{consent.Analytics, consent.Marketing}},
		{"https://www.example.police.uk/", nil},
		{"https://notfacebook.com/", nil},
		{"https://facebook.community/", nil},
		{"https://fonts.gstatic.com", nil},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			assert.Equal(t, tt.want, s.MatchHost(tt.url))
		})
	}
}

// TestLower8 checks the eight-byte lower-casing against lower on every byte
// value in every lane.
func TestLower8(t *testing.T) {
	for c := 0; c < 256; c++ {
		for lane := 0; lane < 8; lane++ {
			b := []byte("@Z[az`\xc1\x7f")
			b[lane] = byte(c)
			got := lower8(binary.LittleEndian.Uint64(b))
			for k := range b {
				require.Equal(t, lower(b[k]), byte(got>>(8*k)), "byte %#x in lane %d, lane %d", c, lane, k)
			}
		}
	}
}

// TestEqualFold checks the word-at-a-time comparison against a byte loop for
// every length up to 40 and a difference at every position.
func TestEqualFold(t *testing.T) {
	slow := func(b, l []byte) bool {
		for i := range b {
			if lower(b[i]) != l[i] {
				return false
			}
		}
		return len(b) == len(l)
	}
	base := []byte("googletagmanager.com/gtm.js?id=gtm-ab12cd3")
	for n := 0; n <= 40; n++ {
		l := base[:n]
		b := bytes.ToUpper(l)
		require.Equal(t, slow(b, l), equalFold(b, l), "n=%d", n)
		require.True(t, equalFold(b, l), "n=%d", n)
		for k := 0; k < n; k++ {
			for _, c := range []byte{'@', '`', '[', '{', 0xc7, l[k] ^ 0x20} {
				bb := bytes.Clone(b)
				bb[k] = c
				require.Equal(t, slow(bb, l), equalFold(bb, l), "n=%d k=%d c=%#x", n, k, c)
			}
		}
		require.False(t, equalFold(b, base[:n+1]))
	}
}
