package middleware

import (
	"bufio"
	"bytes"
	"net/http"
	"net/textproto"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGatedHeadersSpelling: each entry's names must be the canonical and
// lower-case forms of one another, or a key would be missed.
func TestGatedHeadersSpelling(t *testing.T) {
	for _, gh := range gatedHeaders {
		assert.Equal(t, textproto.CanonicalMIMEHeaderKey(gh.lower), gh.name)
		assert.Same(t, gh, candidate(gh.lower), "candidate must find %s", gh.name)
		assert.Same(t, gh, candidate(gh.name))
	}
}

func TestScanHeaders(t *testing.T) {
	h := http.Header{
		"Set-Cookie":   {"a=1"},
		"SET-COOKIE":   {"b=2"},
		"link":         {"</x.js>; rel=preload"},
		"Content-Type": {"text/html"},
		"Etag":         {`"1"`},
	}
	setCookie, present := scanHeaders(h)
	assert.ElementsMatch(t, []string{"a=1", "b=2"}, setCookie)
	assert.Equal(t, setCookie, h["Set-Cookie"], "the returned values are the map's")
	assert.Equal(t, hasSetCookie|hasLink, present)
	assert.Equal(t, []string{"</x.js>; rel=preload"}, h["Link"])
	assert.NotContains(t, h, "SET-COOKIE")
	assert.NotContains(t, h, "link")
	assert.Equal(t, []string{"text/html"}, h["Content-Type"], "other keys untouched")

	_, present = scanHeaders(http.Header{"X-Frame-Options": {"DENY"}})
	assert.Zero(t, present)
}

// TestScanHeadersKeepsWireOrder: folded values come in the order net/http
// would have sent the separate keys in (sorted byte by byte), so a header
// whose last value counts, like Content-Type, still means what the browser
// would have read. net/http's own Header.Write is the oracle.
func TestScanHeadersKeepsWireOrder(t *testing.T) {
	for name, h := range map[string]http.Header{
		"lower after canonical":  {"Content-Type": {"text/plain"}, "content-type": {"text/html"}},
		"upper before canonical": {"CONTENT-TYPE": {"text/html"}, "Content-Type": {"text/plain"}},
		"three spellings, several values": {
			"content-type": {"a/1", "a/2"}, "Content-type": {"b/1"}, "CONTENT-TYPE": {"c/1"}, "Content-Type": {"d/1", "d/2"},
		},
		"no canonical key": {"content-encoding": {"gzip"}, "CONTENT-ENCODING": {"br"}},
		"several headers": {
			"set-cookie": {"a=1"}, "Set-Cookie": {"b=2"}, "etag": {`"x"`}, "ETag": {`"y"`},
			"content-length": {"5"}, "Content-Length": {"6"}, "accept-ranges": {"bytes"}, "last-modified": {"Thu, 01 Jan 2026 00:00:00 GMT"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			var wire bytes.Buffer
			require.NoError(t, h.Write(&wire))
			wire.WriteString("\r\n")
			want, err := textproto.NewReader(bufio.NewReader(&wire)).ReadMIMEHeader()
			require.NoError(t, err)

			setCookie, _ := scanHeaders(h)
			assert.Equal(t, http.Header(want), h)
			assert.Equal(t, h["Set-Cookie"], setCookie)
		})
	}
}

// TestScanHeadersCopiesSharedValues: folding must not append into the
// canonical key's slice, which a handler may share between responses.
func TestScanHeadersCopiesSharedValues(t *testing.T) {
	shared := make([]string, 1, 4)
	shared[0] = "text/plain"
	h := http.Header{"Content-Type": shared, "content-type": {"text/html"}}
	scanHeaders(h)
	assert.Equal(t, []string{"text/plain", "text/html"}, h["Content-Type"])
	assert.Equal(t, "", shared[:2][1], "the shared slice's spare room is untouched")
}

// TestScanHeadersAllocatesNothing: it runs on every response, whose keys
// are usually canonical.
func TestScanHeadersAllocatesNothing(t *testing.T) {
	h := http.Header{
		"Content-Type": {"text/html; charset=utf-8"}, "Content-Length": {"120"}, "Etag": {`"1"`},
		"Set-Cookie": {"session=s"}, "Cache-Control": {"no-cache"}, "Date": {"Thu, 01 Jan 2026 00:00:00 GMT"},
	}
	assert.Zero(t, testing.AllocsPerRun(100, func() { scanHeaders(h) }))
}

// FuzzScanHeadersWireOrder: for any mix of spellings, the folded header map
// holds what net/http would have sent, in the order it would have sent it,
// under canonical keys only.
func FuzzScanHeadersWireOrder(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7})
	f.Add([]byte{9, 200, 13, 77, 4, 4, 4})
	f.Fuzz(func(t *testing.T, ops []byte) {
		h := http.Header{}
		for i, op := range ops {
			gh := gatedHeaders[int(op)%len(gatedHeaders)]
			k := []byte(gh.name)
			for j := range k { // the op's upper bits pick each letter's case
				if op>>(j%8)&1 == 1 && 'a' <= k[j]|0x20 && k[j]|0x20 <= 'z' {
					k[j] ^= 0x20
				}
			}
			h[string(k)] = append(h[string(k)], "v"+strconv.Itoa(i))
		}
		var wire bytes.Buffer
		require.NoError(t, h.Write(&wire))
		wire.WriteString("\r\n")
		want, err := textproto.NewReader(bufio.NewReader(&wire)).ReadMIMEHeader()
		require.NoError(t, err)
		if len(want) == 0 {
			want = nil
		}
		scanHeaders(h)
		if len(h) == 0 {
			h = nil
		}
		assert.Equal(t, http.Header(want), h)
	})
}
