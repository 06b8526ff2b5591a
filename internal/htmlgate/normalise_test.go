package htmlgate

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNormaliseURLAgreesWithPlainReading checks normaliseURL, which copies
// runs and rewrites in place, against a byte-by-byte reading of its rules on
// random values built from references, escapes and the bytes it drops (the
// resolved URLs it may append are checked in TestNormaliseURLResolves).
func TestNormaliseURLAgreesWithPlainReading(t *testing.T) {
	pieces := []string{"&#46;", "&#x2E;", "&period;", "&amp;", "&ev=", "&", "%2e", "%2F", "%5C", "%09", "%0a", "%", "%g1",
		"\\", "\t", "\n", "\r", "HTTPS://", "www.", "Face", "book.com", "/tr?id=1", "é", "\u00ad", "x"}
	rng := rand.New(rand.NewPCG(9, 10))
	for n := 0; n < 20000; n++ {
		var sb strings.Builder
		writePieces(&sb, rng, pieces, 8)
		v := []byte(sb.String())
		prefix := []byte("kept:")
		got := normaliseURL(append([]byte(nil), prefix...), v)
		decoded := plainDecode(v)
		require.Equal(t, string(decoded), string(appendDecoded(nil, v)), "decoding %q", v)
		want := append(append([]byte(nil), prefix...), plainNormalise(string(decoded))...)
		// Any URL resolved differently follows, after a space.
		require.GreaterOrEqual(t, len(got), len(want), "%q", v)
		require.Equal(t, string(want), string(got[:len(want)]), "%q", v)
		require.True(t, len(got) == len(want) || got[len(want)] == ' ', "%q", v)
	}
}

// plainDecode is appendDecoded one byte at a time.
func plainDecode(v []byte) []byte {
	var dst []byte
	for i := 0; i < len(v); i++ {
		if v[i] == '&' {
			if r, n := numericRef(v[i:]); n > 0 {
				dst = utf8.AppendRune(dst, r)
				i += n - 1
				continue
			}
			if d, n := namedRef(dst, v[i:]); n > 0 {
				dst = d
				i += n - 1
				continue
			}
		}
		dst = append(dst, v[i])
	}
	return dst
}

// plainNormalise applies normaliseDecodedURL's rules one byte at a time:
// tabs and newlines dropped, backslashes read as slashes, percent escapes
// decoded (and then dropped or turned likewise), ASCII lower-cased.
func plainNormalise(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			c = unhex(s[i+1])<<4 | unhex(s[i+2])
			i += 2
		}
		switch c {
		case '\t', '\n', '\r':
			continue
		case '\\':
			c = '/'
		}
		b.WriteByte(lower(c))
	}
	return b.String()
}

// TestAppendDecodedReferences checks character references in attribute
// values as the HTML standard decodes them: numeric ones with or without ';',
// named ones with ';', and the legacy names (the Latin-1 set and &amp, &lt,
// &gt, &quot in both cases) also without it, unless a letter, digit or '='
// follows, so "&shy-" is a soft hyphen and "&copyx" stays as written.
func TestAppendDecodedReferences(t *testing.T) {
	tests := []struct{ in, want string }{
		{"www.google&shy-analytics.com", "www.google\u00ad-analytics.com"},
		{"a&shy", "a\u00ad"},
		{"&shy.", "\u00ad."},
		{"&shy;x", "\u00adx"},
		{"&shyx", "&shyx"},
		{"&shy9", "&shy9"},
		{"&shy=", "&shy="},
		{"&SHY-", "&SHY-"},
		{"&copy-", "\u00a9-"},
		{"&copyx", "&copyx"},
		{"&copyx;", "&copyx;"},
		{"&notit", "&notit"},
		{"&notit;", "&notit;"},
		{"&not;it", "\u00acit"},
		{"&notin;", "\u2209"},
		{"&amp", "&"},
		{"&AMP.", "&."},
		{"&ampx", "&ampx"},
		{"&Amp-", "&Amp-"},
		{"&lt/", "</"},
		{"&GT", ">"},
		{"&QUOT-", "\"-"},
		{"&nbsp.", "\u00a0."},
		{"&sup1.", "\u00b9."},
		{"&frac12", "\u00bd"},
		{"&AElig", "\u00c6"},
		{"&yuml", "\u00ff"},
		{"&apos-", "&apos-"},
		{"&period-", "&period-"},
		{"&hellip-", "&hellip-"},
		{"&NotEqualTilde;", "\u2242\u0338"},
		{"&nosuch;", "&nosuch;"},
		{"&#173-", "\u00ad-"},
		{"&#xAD;", "\u00ad"},
		{"?a=1&b=2&utm_source=x&id", "?a=1&b=2&utm_source=x&id"},
		{"&", "&"},
		{"&;", "&;"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, string(appendDecoded(nil, []byte(tt.in))))
		})
	}
}

// TestAppendDecodedDoesNotAllocate checks that decoding into a buffer with
// room, as the rewriter does, allocates nothing for the references URLs
// carry: query separators and the legacy names.
func TestAppendDecodedDoesNotAllocate(t *testing.T) {
	v := []byte("https://www.google&shy-analytics.com/x?a=1&b=2&utm_source=x&copy&amp&notit&#46;&period;")
	buf := make([]byte, 0, 256)
	allocs := testing.AllocsPerRun(100, func() { buf = appendDecoded(buf[:0], v) })
	assert.Zero(t, allocs)
}

// TestNormaliseURLResolves checks the URLs normaliseURL appends after the
// value as written: each URL with a host whose explicit default or empty port
// or dot segments the browser resolves away, read as one URL and, if the
// value has spaces, candidate by candidate.
func TestNormaliseURLResolves(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://h.example:443/a", "https://h.example:443/a https://h.example/a"},
		{"HTTP://H.EXAMPLE:0080", "http://h.example:0080 http://h.example"},
		{"//h.example:/a?b#c", "//h.example:/a?b#c //h.example/a?b#c"},
		{"https://[::1]:443/a", "https://[::1]:443/a https://[::1]/a"},
		{"https://h.example:8080/a", "https://h.example:8080/a"},
		{"https://h.example:4430/a", "https://h.example:4430/a"},
		{"https://h.example:0/a", "https://h.example:0/a"},
		{"https://u:443@h.example/a", "https://u:443@h.example/a"},
		{"https://[::443]/a", "https://[::443]/a"},
		{"https://h.example/a/./b/../c", "https://h.example/a/./b/../c https://h.example/a/c"},
		{"https://h.example/a/..", "https://h.example/a/.. https://h.example/"},
		{"https://h.example/a/.", "https://h.example/a/. https://h.example/a/"},
		{"https://h.example/../../a", "https://h.example/../../a https://h.example/a"},
		{"https://h.example//../a", "https://h.example//../a https://h.example/a"},
		{"https://h.example/a/..?x/../y#z/../w", "https://h.example/a/..?x/../y#z/../w https://h.example/?x/../y#z/../w"},
		{"https://h.example/a#/../b", "https://h.example/a#/../b"},
		{"https://h.example/%2e%2E/a", "https://h.example/../a https://h.example/a"},
		{`https:\\h.example\a\..\b`, "https://h.example/a/../b https://h.example/b"},
		{"https:///h.example/../a", "https:///h.example/../a https:///h.example/a"},
		{"http:h.example:80/a", "http:h.example:80/a http:h.example/a"},
		{"foo://h.example/./a", "foo://h.example/./a foo://h.example/a"},
		{"mailto:a@h.example", "mailto:a@h.example"},
		{"https://h.example/a/.../b/..c/.well-known", "https://h.example/a/.../b/..c/.well-known"},
		{"/a/../b", "/a/../b"},
		// A Link header's <…>, which the Gate matches with this code.
		{"<https://h.example:443/./a>; rel=preload", "<https://h.example:443/./a>; rel=preload https://h.example/a>; rel=preload https://h.example/a>;"},
		{"<https://h.example:443>; rel=preconnect", "<https://h.example:443>; rel=preconnect https://h.example>; rel=preconnect https://h.example>;"},
		{"  https://h.example/./a  ", "  https://h.example/./a   https://h.example/a"},
		// src reads a space as part of the path; srcset as a candidate's end.
		{"https://h.example/a b/../c", "https://h.example/a b/../c https://h.example/c"},
		{"https://h.example/x/y 1x, /../z 2x", "https://h.example/x/y 1x, /../z 2x https://h.example/x/z 2x"},
		{"/a.png 1x, https://h.example:443/b.png 2x",
			"/a.png 1x, https://h.example:443/b.png 2x https://h.example/b.png 2x https://h.example/b.png"},
		{"/a.png 1x,https://h.example/./b 2x", "/a.png 1x,https://h.example/./b 2x https://h.example/b 2x https://h.example/b"},
		{"https://h.example/a,b/../c", "https://h.example/a,b/../c https://h.example/c"},
		{"0;url='https://h.example/./a'", "0;url='https://h.example/./a' https://h.example/a'"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, string(normaliseURL(nil, []byte(tt.in))))
		})
	}
}

// TestAppendPathResolvedAgreesWithPlainReading checks the in-buffer removal
// of dot segments against the URL standard's path state read plainly, with
// a list of segments, on random paths.
func TestAppendPathResolvedAgreesWithPlainReading(t *testing.T) {
	pieces := []string{"/", "/", "a", "b", ".", "..", "...", ".a", "a."}
	rng := rand.New(rand.NewPCG(11, 12))
	for n := 0; n < 20000; n++ {
		var sb strings.Builder
		sb.WriteString("/")
		writePieces(&sb, rng, pieces, 10)
		path := sb.String()
		buf := []byte("x" + path + "?q")
		got := appendPathResolved(buf, 1, 1+len(path))
		require.Equal(t, plainResolvePath(path), string(got[len(buf):]), "%q", path)
	}
}

// plainResolvePath removes the dot segments of path, which starts with "/",
// as the URL standard's path state does, segment by segment.
func plainResolvePath(path string) string {
	segs := strings.Split(path[1:], "/")
	var out []string
	for k, seg := range segs {
		last := k == len(segs)-1
		switch seg {
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		case ".":
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, seg)
		}
	}
	return "/" + strings.Join(out, "/")
}

// TestNormaliseURLReusesItsBuffer checks that normalising into a buffer with
// room, as the rewriter does, allocates nothing, resolved URLs included.
func TestNormaliseURLReusesItsBuffer(t *testing.T) {
	v := []byte("/a.png 1x, https://www.googletagmanager.com:443/x/../gtm.js?a=1&amp;b=2 2x")
	buf := make([]byte, 0, 512)
	allocs := testing.AllocsPerRun(100, func() { buf = normaliseURL(buf[:0], v) })
	assert.Zero(t, allocs)
}
