package middleware

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/consentgate/consentgate/consent"
	"github.com/consentgate/consentgate/internal/htmlgate"
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

// TestGzipTrailingBytesIgnored: bytes after a complete gzip member that do
// not start another member are ignored by browsers, which show the decoded
// page. The Gate must send that page gated, whole, and not call it broken,
// however many such bytes follow and however they arrive.
func TestGzipTrailingBytesIgnored(t *testing.T) {
	for name, trailing := range map[string]string{
		"one byte":               "x",
		"shorter than a header":  "garbage!!",
		"a bad header's worth":   "garbage!!!",
		"twelve bytes":           "garbage!!!!!",
		"zero padding":           strings.Repeat("\x00", 100),
		"gzip magic, bad header": "\x1f\x8b\x08garbage-after-a-magic",
	} {
		for _, typed := range []bool{true, false} {
			for _, split := range []int{1 << 20, 7} {
				t.Run(fmt.Sprintf("%s typed=%v split=%d", name, typed, split), func(t *testing.T) {
					tg := hostileGate(t, nil)
					var writeErr error
					srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						if typed {
							w.Header().Set("Content-Type", "text/html")
						}
						w.Header().Set("Content-Encoding", "gzip")
						for b := append(gz(page), trailing...); len(b) > 0 && writeErr == nil; {
							n := min(len(b), split)
							_, writeErr = w.Write(b[:n])
							b = b[n:]
						}
					}))
					resp, body := get(t, http.MethodGet, srv.URL, "", nil)
					assert.Equal(t, http.StatusOK, resp.StatusCode)
					assert.Empty(t, resp.Header.Get("Content-Encoding"))
					assertGated(t, body)
					assert.NoError(t, writeErr)
					assert.NotContains(t, tg.logs.String(), "level=ERROR")
				})
			}
		}
	}
}

// TestCorruptGzipSendsWhatDecoded: when a compressed page breaks off or
// turns corrupt, the 200 is already out. What was decoded before the damage
// is the page the browser would show, so it goes out, gated exactly as the
// rewriter gates that much of the page: never the raw bytes, never an
// unfinished tracker tag, and never an empty body or a panic.
func TestCorruptGzipSendsWhatDecoded(t *testing.T) {
	var long strings.Builder
	long.WriteString("<!doctype html><html><head><title>News</title></head><body><p>Hello</p>")
	for i := range 40 {
		fmt.Fprintf(&long, "<p>Paragraph %d of the news, %x.</p>", i, i*7919)
	}
	long.WriteString(hostileTracker + "<p>The end</p></body></html>")
	good := gz(long.String())
	bodies := map[string][]byte{}
	for cut := 11; cut < len(good); cut += len(good) / 13 {
		bodies[fmt.Sprintf("cut at %d", cut)] = good[:cut]
	}
	for at := 20; at < len(good)-8; at += len(good) / 7 {
		b := append([]byte(nil), good...)
		b[at] ^= 0xa5
		bodies[fmt.Sprintf("corrupt at %d", at)] = b
	}
	badSum := append([]byte(nil), good...)
	badSum[len(badSum)-6] ^= 1
	bodies["bad checksum"] = badSum

	for name, b := range bodies {
		// What a decompressor gets out of b before it fails.
		var decoded []byte
		if zr, err := gzip.NewReader(bytes.NewReader(b)); err == nil {
			decoded, _ = io.ReadAll(zr)
		}
		for _, typed := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s typed=%v", name, typed), func(t *testing.T) {
				tg := hostileGate(t, nil)
				srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if typed {
						w.Header().Set("Content-Type", "text/html")
					}
					w.Header().Set("Content-Encoding", "gzip")
					for p := b; len(p) > 0; p = p[min(len(p), 50):] {
						w.Write(p[:min(len(p), 50)])
					}
				}))
				resp, body := get(t, http.MethodGet, srv.URL, "", nil)
				assert.Equal(t, http.StatusOK, resp.StatusCode)
				want := string(decoded) // too short to sniff as HTML: sent as text
				if typed || isHTMLType(http.DetectContentType(decoded)) {
					want = gatedReference(decoded)
				}
				assert.Equal(t, want, body)
				assert.NotContains(t, body, hostileTracker)
				assert.Contains(t, tg.logs.String(), "could not decode")
			})
		}
	}
}

// gatedReference is what the rewriter makes of a whole document for an
// undecided visitor of hostileGate.
func gatedReference(doc []byte) string {
	var ref bytes.Buffer
	var rw htmlgate.Rewriter
	rw.Reset(&ref, consent.Choices{}, nil, []byte(hostileBanner))
	rw.Write(doc)
	rw.Close()
	return ref.String()
}
