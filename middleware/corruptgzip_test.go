package middleware

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCorruptGzipLogged: a compressed page the Gate cannot decode is
// already committed (200, headers sent) when the damage shows, so all the
// Gate can do is cut it short and say so, at Error, whatever the damage and
// however the body arrives.
func TestCorruptGzipLogged(t *testing.T) {
	good := gz(page)
	flipped := append([]byte(nil), good...)
	for i := 12; i < len(flipped)-8; i++ {
		flipped[i] ^= 0x55
	}
	badSum := append([]byte(nil), good...)
	badSum[len(badSum)-6] ^= 1
	bodies := []struct {
		name string
		body []byte
	}{
		{"not gzip", []byte("this is not gzip <script src=https://www.googletagmanager.com/gtag/js></script>")},
		{"header cut", good[:5]},
		{"header only", good[:10]},
		{"stream cut", good[:len(good)/2]},
		{"corrupt data", flipped},
		{"bad checksum", badSum},
		{"trailing garbage", append(append([]byte(nil), good...), "garbage!!!!!"...)},
	}
	for _, typed := range []bool{true, false} {
		for _, bb := range bodies {
			t.Run(fmt.Sprintf("%s typed=%v", bb.name, typed), func(t *testing.T) {
				tg := newTestGate(t, nil)
				srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if typed {
						w.Header().Set("Content-Type", "text/html")
					}
					w.Header().Set("Content-Encoding", "gzip")
					w.Write(bb.body)
				}))
				resp, body := get(t, http.MethodGet, srv.URL+"/page", "", nil)
				assert.Equal(t, http.StatusOK, resp.StatusCode)
				assert.Empty(t, resp.Header.Get("Content-Encoding"), "sent decoded, as far as it went")
				assert.NotContains(t, body, "<script src=", "nothing ungated")
				logs := tg.logs.String()
				assert.Contains(t, logs, "level=ERROR")
				assert.Contains(t, logs, "could not decode")
				assert.Contains(t, logs, "path=/page")
			})
		}
	}
}

// TestCorruptGzipLoggedDespiteCookieFlood: logs about cookie names are rate
// limited in a bounded table; a flood of distinct names must not silence
// the Error about a broken body.
func TestCorruptGzipLoggedDespiteCookieFlood(t *testing.T) {
	tg := newTestGate(t, nil)
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/flood" {
			for i := 0; i < maxRateKeys+10; i++ {
				w.Header().Add("Set-Cookie", fmt.Sprintf("unknown_%d=1", i))
			}
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write([]byte("not gzip at all"))
	}))
	get(t, http.MethodGet, srv.URL+"/flood", "", nil)
	require.Equal(t, maxRateKeys, len(tg.logs.String())-len(strings.ReplaceAll(tg.logs.String(), "\n", "")), "the cookie-name table is full")
	get(t, http.MethodGet, srv.URL+"/broken", "", nil)
	assert.Contains(t, tg.logs.String(), "could not decode")
}
