package middleware

import (
	"net/http"
	"net/textproto"
	"testing"

	"github.com/stretchr/testify/assert"
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
