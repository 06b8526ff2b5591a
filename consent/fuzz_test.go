package consent

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// FuzzDecode feeds arbitrary cookie values (and Cookie header lines) to the
// codec. Nothing may panic, and the only values that decode to a decision
// are those Encode produced with a current key: every success must equal one
// of the choices signed below. Choices, keys and clock are fixed so that the
// corpus stays valid from run to run.
func FuzzDecode(f *testing.F) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	cat, err := NewCatalogue(testPolicy())
	if err != nil {
		f.Fatal(err)
	}
	clock := func() time.Time { return now }
	signOnly, err := NewCodec(cat, CodecOptions{Keys: []Key{fixedKey(11, 0)}, Now: clock})
	if err != nil {
		f.Fatal(err)
	}
	// Encrypting, with the other codec's key as a retired one.
	encrypting, err := NewCodec(cat, CodecOptions{Keys: []Key{fixedKey(12, 32), fixedKey(11, 0)}, Now: clock})
	if err != nil {
		f.Fatal(err)
	}

	var signed []Choices
	for i, mask := range []uint32{0, 1, 2, 3} {
		ch := Choices{
			ID:        ID{byte(i + 1), 0xc0, 0x05, 0xe7},
			Revision:  cat.Revision(),
			DecidedAt: now.Add(-time.Duration(i) * time.Hour),
			accepted:  mask,
			basis:     decided,
			catalogue: cat,
		}
		signed = append(signed, ch)
		for _, c := range []*Codec{signOnly, encrypting} {
			v, err := c.Encode(ch)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(v)
			f.Add(v[:len(v)/2])
			f.Add(v[1:])
			f.Add(v + "\r\n")
			f.Add(`"` + v + `"`)
		}
	}
	for _, s := range []string{"", "=", "|", "||", "MTIzfA==", "AAAA", "cookie_consent=x; cookie_consent=y", "\x00\xff"} {
		f.Add(s)
	}

	known := func(t *testing.T, ch Choices, from string) {
		t.Helper()
		for _, s := range signed {
			if ch == s {
				return
			}
		}
		t.Fatalf("%s decoded a decision nobody signed: %+v", from, ch)
	}
	f.Fuzz(func(t *testing.T, value string) {
		for _, c := range []*Codec{signOnly, encrypting} {
			ch, err := c.Decode(value)
			if err != nil {
				if ch != (Choices{}) {
					t.Fatalf("Decode returned %+v beside %v", ch, err)
				}
				continue
			}
			known(t, ch, "Decode")

			r := &http.Request{Header: http.Header{"Cookie": {"a=b; " + c.Name() + "=" + value}}}
			got, err := c.Read(r)
			if err == nil {
				known(t, got, "Read")
			}
		}
		// The value as a whole Cookie header line.
		r := &http.Request{Header: http.Header{"Cookie": {value}}}
		if ch, err := encrypting.Read(r); err == nil {
			known(t, ch, "Read of a raw header")
		} else if ch.Decided() {
			t.Fatalf("Read returned a decision beside %v", err)
		}
	})
}

// findAllReference is the straightforward split-on-';' cookie scan the
// vectorised cookieScanner replaced; FuzzFindCookie holds them equal.
func findAllReference(lines []string, name string) []string {
	var out []string
	for _, line := range lines {
		for len(line) > 0 {
			var part string
			part, line, _ = strings.Cut(line, ";")
			part = strings.TrimLeft(part, " \t")
			if len(part) > len(name) && part[len(name)] == '=' && part[:len(name)] == name {
				v := strings.TrimRight(part[len(name)+1:], " \t")
				if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
					v = v[1 : len(v)-1]
				}
				out = append(out, v)
			}
		}
	}
	return out
}

// FuzzFindCookie checks that the scanner yields exactly the values, in order,
// that a plain split of the header lines finds, for our name and for names
// that are prefixes, suffixes or extensions of it.
func FuzzFindCookie(f *testing.F) {
	for _, s := range []string{
		"cookie_consent=v", "a=b; cookie_consent=v; c=d", "xcookie_consent=x; cookie_consent=y",
		"cookie_consent_csrf=x;cookie_consent=\"q\"", "a=cookie_consent=x", " \t cookie_consent = v ",
		"cookie_consent; cookie_consent=;", "cookie_consentcookie_consent=1; cookie_consent=2",
		";;;", "=v; =w", "cookie_consent=a\ncookie_consent=b",
	} {
		f.Add(s, DefaultCookieName)
	}
	f.Add("a=b; =v", "")
	f.Add("c=1; cc=2; c c=3", "c")
	f.Add("; =", " ") // names with leading blanks or ";" never match
	f.Fuzz(func(t *testing.T, header, name string) {
		// A newline splits the input into several Cookie header lines.
		lines := strings.Split(header, "\n")
		want := findAllReference(lines, name)
		v, ok := FindCookie(http.Header{"Cookie": lines}, name)
		if ok != (len(want) > 0) || (ok && v != want[0]) {
			t.Fatalf("FindCookie(%q, %q) = %q, %v; want %q", lines, name, v, ok, want)
		}
		if !scannable(name) {
			return
		}
		s := cookieScanner{lines: lines, name: name}
		var got []string
		for {
			v, ok := s.next()
			if !ok {
				break
			}
			got = append(got, v)
			if len(got) > len(header)+1 {
				t.Fatalf("scanner does not terminate on %q", header)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("scan of %q for %q: got %q, want %q", lines, name, got, want)
		}
	})
}

// FuzzBase64 holds the hand-written decoder to encoding/base64: wherever it
// claims a result, URLEncoding must decode the same input to the same bytes,
// and on the canonical encoding of any bytes it must claim one.
func FuzzBase64(f *testing.F) {
	for _, s := range []string{"", "AAAA", "AB==", "ABC=", "A===", "====", "AB=C", "-_-_", "+/+/", "AA\nAA", "QUJD\r\n", "YQ", "YWJj" + "ZA=="} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		want, werr := base64.URLEncoding.DecodeString(string(in))
		for _, src := range []string{string(in), base64.URLEncoding.EncodeToString(in)} {
			dst := make([]byte, len(src)/4*3)
			n, ok := decodeBase64URL(dst, src)
			if src != string(in) {
				want, werr = in, nil
				if !ok {
					t.Fatalf("canonical encoding %q refused", src)
				}
			}
			if !ok {
				continue
			}
			if werr != nil {
				t.Fatalf("decoded %q, which encoding/base64 refuses: %v", src, werr)
			}
			if !bytes.Equal(dst[:n], want) {
				t.Fatalf("decode %q = %x, encoding/base64 says %x", src, dst[:n], want)
			}
			dstb := make([]byte, len(dst))
			if nb, okb := decodeBase64URL(dstb, []byte(src)); !okb || !bytes.Equal(dstb[:nb], want) {
				t.Fatalf("[]byte decode of %q = %x, %v; want %x", src, dstb[:nb], okb, want)
			}
		}
	})
}
