package middleware

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// utf16Page is page with text outside ASCII, and outside the BMP.
var utf16Page = strings.Replace(page, "<p>Hello</p>", "<p>Croeso, ŵ ✓ 😀</p><p>Hello</p>", 1)

// encodeUTF16 returns s in UTF-16, big- or little-endian, after bom.
func encodeUTF16(s string, bigEndian bool, bom string) []byte {
	b := []byte(bom)
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return b
}

// browserText decodes a response body as a browser does (WHATWG Encoding):
// a BOM decides, else the Content-Type's charset; UTF-8 by default.
func browserText(t *testing.T, contentType string, body []byte) string {
	t.Helper()
	decode16 := func(b []byte, big bool) string {
		require.Zero(t, len(b)%2, "odd UTF-16 body")
		return utf16Reference(b, big)
	}
	switch {
	case bytes.HasPrefix(body, []byte("\xef\xbb\xbf")):
		return string(body[3:])
	case bytes.HasPrefix(body, []byte("\xff\xfe")):
		return decode16(body[2:], false)
	case bytes.HasPrefix(body, []byte("\xfe\xff")):
		return decode16(body[2:], true)
	}
	_, params, _ := mime.ParseMediaType(contentType)
	switch strings.ToLower(params["charset"]) {
	case "utf-16be", "unicodefffe":
		return decode16(body, true)
	case "utf-16", "utf-16le", "unicode", "unicodefeff", "ucs-2", "iso-10646-ucs-2", "csunicode":
		return decode16(body, false)
	}
	return string(body)
}

// TestUTF16PagesGated: a browser decodes an HTML page as UTF-16 when its
// BOM says so (whatever the Content-Type's charset) or, without a BOM, when
// the charset names UTF-16. The rewriter reads bytes as ASCII, where such a
// page has a NUL after every tag letter: it must still be gated, and read
// by the browser as the same text.
func TestUTF16PagesGated(t *testing.T) {
	tests := []struct {
		name, ctype, encoding string
		body                  []byte
	}{
		{"labelled utf-16le", "text/html; charset=utf-16le", "", encodeUTF16(utf16Page, false, "")},
		{"labelled utf-16, BOM", "text/html; charset=UTF-16", "", encodeUTF16(utf16Page, false, "\xff\xfe")},
		{"labelled utf-16be", "text/html; charset=utf-16be", "", encodeUTF16(utf16Page, true, "")},
		{"labelled unicode, quoted", `text/html; charset="unicode"`, "", encodeUTF16(utf16Page, false, "")},
		{"labelled with a quoted-pair", `text/html; charset="utf\-16le"`, "", encodeUTF16(utf16Page, false, "")},
		{"BOM beats the label", "text/html; charset=utf-16le", "", encodeUTF16(utf16Page, true, "\xfe\xff")},
		{"BOM beats utf-8", "text/html; charset=utf-8", "", encodeUTF16(utf16Page, false, "\xff\xfe")},
		{"BOM, no charset", "text/html", "", encodeUTF16(utf16Page, true, "\xfe\xff")},
		{"UTF-8 BOM beats utf-16", "text/html; charset=utf-16", "", []byte("\xef\xbb\xbf" + utf16Page)},
		{"gzip, labelled", "text/html; charset=utf-16le", "gzip", gz(string(encodeUTF16(utf16Page, false, "")))},
		{"gzip, BOM", "text/html", "gzip", gz(string(encodeUTF16(utf16Page, false, "\xff\xfe")))},
	}
	for _, tt := range tests {
		for _, split := range []int{1, 7, 1 << 20} {
			t.Run(fmt.Sprintf("%s split=%d", tt.name, split), func(t *testing.T) {
				tg := hostileGate(t, nil)
				srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", tt.ctype)
					if tt.encoding != "" {
						w.Header().Set("Content-Encoding", tt.encoding)
					}
					for b := tt.body; len(b) > 0; b = b[min(len(b), split):] {
						w.Write(b[:min(len(b), split)])
					}
				}))
				resp, body := get(t, http.MethodGet, srv.URL, "", nil)
				assert.Equal(t, http.StatusOK, resp.StatusCode)
				text := browserText(t, resp.Header.Get("Content-Type"), []byte(body))
				assertGated(t, text)
				assert.Contains(t, text, "<p>Croeso, ŵ ✓ 😀</p>")
				assert.NotContains(t, tg.logs.String(), "level=ERROR")
			})
		}
	}

	t.Run("consented: untouched", func(t *testing.T) {
		tg := hostileGate(t, nil)
		src := encodeUTF16(utf16Page, false, "\xff\xfe")
		srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-16")
			w.Write(src)
		}))
		cookie := "cookie_consent=" + tg.consentValue(t, tg.codec.Catalogue().Optional()...)
		resp, body := get(t, http.MethodGet, srv.URL, cookie, nil)
		assert.Equal(t, "text/html; charset=utf-16", resp.Header.Get("Content-Type"))
		assert.Equal(t, string(src), body)
	})

	t.Run("untyped with a BOM is text", func(t *testing.T) {
		// Browsers and net/http sniff a UTF-16 BOM as text/plain: shown as
		// text, never run, so passed as it is.
		tg := hostileGate(t, nil)
		src := encodeUTF16(utf16Page, false, "\xff\xfe")
		srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(src) }))
		resp, body := get(t, http.MethodGet, srv.URL, "", nil)
		assert.Equal(t, "text/plain; charset=utf-16le", resp.Header.Get("Content-Type"))
		assert.Equal(t, string(src), body)
	})
}

// TestLabelEncoding: the WHATWG labels of UTF-16, spelled as headers spell
// them, and the charsets that only look like them.
func TestLabelEncoding(t *testing.T) {
	for ct, want := range map[string]int{
		"text/html; charset=utf-8":           textASCII,
		"text/html":                          textASCII,
		"text/html; charset=iso-8859-16":     textASCII,
		"text/html; charset=windows-1252":    textASCII,
		"text/html; charset=utf-16":          textUTF16LE,
		"text/html;charset=UTF-16LE":         textUTF16LE,
		`text/html; charset=" utf-16 "`:      textUTF16LE,
		"text/html; charset=ucs-2":           textUTF16LE,
		"text/html; charset=iso-10646-ucs-2": textUTF16LE,
		"text/html; charset=csUnicode":       textUTF16LE,
		"text/html; charset=unicodeFEFF":     textUTF16LE,
		"text/html; CHARSET = utf-16be":      textUTF16BE,
		"text/html; charset=unicodefffe":     textUTF16BE,
		"text/html; charset=utf-8; x=16":     textASCII,
		"text/html; x=1; charset=utf-16":     textUTF16LE,
		"text/html; charset=utf-16; bad":     textUTF16LE,
		`text/html; charset="utf\-16le"`:     textUTF16LE,
		`text/html; charset="utf-1\6be"`:     textUTF16BE,
		`text/html; charset="utf-16le`:       textUTF16LE,
		`text/html; charset="utf-8\"`:        textASCII,
		`text/html; charset=utf\-16le`:       textASCII,
	} {
		assert.Equal(t, want, labelEncoding(ct), "%q", ct)
	}
}

// utf16Reference decodes UTF-16 the way browsers do (WHATWG Encoding): an
// unpaired surrogate, and a final odd byte, are U+FFFD; a final high
// surrogate and odd byte together are one.
func utf16Reference(b []byte, big bool) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		if big {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	s := string(utf16.Decode(u))
	if len(b)%2 == 1 && (len(u) == 0 || !utf16.IsSurrogate(rune(u[len(u)-1])) || u[len(u)-1] >= 0xdc00) {
		s += "\uFFFD"
	}
	return s
}

// TestUTF16TranscoderSplits: however the writes cut a page (inside a unit,
// between the halves of a surrogate pair), the transcoder writes what a
// browser decodes, broken sequences included.
func TestUTF16TranscoderSplits(t *testing.T) {
	for name, units := range map[string][]uint16{
		"pair":                 utf16.Encode([]rune("a😀b")),
		"lone high, then text": {'a', 0xd83d, 'b'},
		"lone low":             {'a', 0xde00, 'b'},
		"high, high, low":      {0xd83d, 0xd83d, 0xde00},
		"high at the end":      {'a', 0xd83d},
		"NUL and BOM":          {0xfeff, 0, '<'},
	} {
		for _, big := range []bool{false, true} {
			var src []byte
			for _, u := range units {
				if big {
					src = append(src, byte(u>>8), byte(u))
				} else {
					src = append(src, byte(u), byte(u>>8))
				}
			}
			for _, odd := range []bool{false, true} {
				in := src
				if odd {
					in = append(in[:len(in):len(in)], 'x')
				}
				want := utf16Reference(in, big)
				for cut := 0; cut <= len(in); cut++ {
					var out bytes.Buffer
					tr := &utf16Transcoder{dst: &out, bigEndian: big}
					_, err1 := tr.Write(in[:cut])
					_, err2 := tr.Write(in[cut:])
					require.NoError(t, errors.Join(err1, err2, tr.close()))
					assert.Equal(t, want, out.String(), "%s big=%v odd=%v cut=%d", name, big, odd, cut)
				}
			}
		}
	}
}
