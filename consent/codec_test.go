package consent

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testPolicy() Policy {
	t := Text{EN: "x", CY: "y"}
	return Policy{
		Revision: 3,
		Categories: []CategoryInfo{
			{ID: Essential, Title: t, Description: t},
			{ID: Analytics, Title: t, Description: t},
			{ID: Marketing, Title: t, Description: t},
		},
		Cookies: []Cookie{
			{Name: "_ga", Category: Analytics, Provider: Provider{Name: "Google"}, Purpose: t, Expiry: Expiry{Text: t}},
			{Name: "_ga_*", Category: Analytics, Provider: Provider{Name: "Google"}, Purpose: t, Expiry: Expiry{Text: t}},
		},
	}
}

// fixedKey returns a deterministic key so failures reproduce.
func fixedKey(seed byte, block int) Key {
	k := Key{Hash: make([]byte, 32)}
	for i := range k.Hash {
		k.Hash[i] = seed + byte(i)
	}
	if block > 0 {
		k.Block = make([]byte, block)
		for i := range k.Block {
			k.Block[i] = seed ^ byte(i*7)
		}
	}
	return k
}

func newTestCodec(t testing.TB, cat *Catalogue, opts CodecOptions) *Codec {
	t.Helper()
	if opts.Keys == nil {
		opts.Keys = []Key{fixedKey(1, 0)}
	}
	c, err := NewCodec(cat, opts)
	require.NoError(t, err)
	return c
}

func mustDecide(t testing.TB, cat *Catalogue, at time.Time, accepted ...Category) Choices {
	t.Helper()
	ch, err := cat.Decide(Choices{}, accepted, at)
	require.NoError(t, err)
	return ch
}

func mustEncode(t testing.TB, c *Codec, ch Choices) string {
	t.Helper()
	v, err := c.Encode(ch)
	require.NoError(t, err)
	return v
}

func TestCodecRoundTrip(t *testing.T) {
	cat := testCatalogue(t)
	for _, block := range []int{0, 16, 24, 32} {
		codec := newTestCodec(t, cat, CodecOptions{Keys: []Key{fixedKey(5, block)}})
		for _, accepted := range [][]Category{nil, {Analytics}, {Marketing}, {Analytics, Marketing}} {
			ch := mustDecide(t, cat, time.Now(), accepted...)
			v := mustEncode(t, codec, ch)
			assert.LessOrEqual(t, len(v), 300, "a consent cookie stays small")
			got, err := codec.Decode(v)
			require.NoError(t, err, "block %d, %v", block, accepted)
			assert.Equal(t, ch, got)
			assert.Equal(t, ch.Accepted(), got.Accepted())
		}
	}
}

func TestCodecEncodeRejects(t *testing.T) {
	cat := testCatalogue(t)
	codec := newTestCodec(t, cat, CodecOptions{})
	other := newTestCodec(t, testCatalogue(t), CodecOptions{})
	tests := []struct {
		name string
		ch   Choices
	}{
		{"undecided", Choices{}},
		{"GPC refusal", cat.GPCRefusal()},
		{"another catalogue's choices", mustDecide(t, other.Catalogue(), time.Now())},
		{"decided before 1970", mustDecide(t, cat, time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := codec.Encode(tt.ch)
			assert.Error(t, err)
			assert.Empty(t, v)
			ck, err := codec.Cookie(tt.ch)
			assert.Error(t, err)
			assert.Nil(t, ck)
		})
	}
}

// TestCodecDetectsEveryTamperedByte changes every byte of the signed message
// and every character of the cookie value: none may decode to a decision
// other than the one that was signed.
func TestCodecDetectsEveryTamperedByte(t *testing.T) {
	cat := testCatalogue(t)
	for _, block := range []int{0, 32} {
		codec := newTestCodec(t, cat, CodecOptions{Keys: []Key{fixedKey(9, block)}})
		ch := mustDecide(t, cat, time.Now(), Analytics)
		v := mustEncode(t, codec, ch)
		msg, err := base64.URLEncoding.DecodeString(v)
		require.NoError(t, err)

		for i := range msg {
			for _, flip := range []byte{0x01, 0x80, 0xff} {
				bad := append([]byte(nil), msg...)
				bad[i] ^= flip
				got, err := codec.Decode(base64.URLEncoding.EncodeToString(bad))
				require.Error(t, err, "block %d: byte %d ^ %#x accepted", block, i, flip)
				require.False(t, got.Decided())
			}
		}

		const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_="
		for i := range v {
			for _, r := range alphabet + "+/ .;\"\x00" {
				if byte(r) == v[i] {
					continue
				}
				bad := v[:i] + string(r) + v[i+1:]
				got, err := codec.Decode(bad)
				if err != nil {
					require.False(t, got.Decided())
					continue
				}
				// Only a spelling of the same signed bytes may pass (the last
				// character before padding carries unused bits).
				same, derr := base64.URLEncoding.DecodeString(bad)
				require.NoError(t, derr)
				require.Equal(t, msg, same, "block %d: char %d -> %q accepted", block, i, r)
				require.Equal(t, ch, got)
			}
		}
	}
}

func TestCodecExpiry(t *testing.T) {
	cat := testCatalogue(t)
	now := time.Now()
	clock := now
	codec := newTestCodec(t, cat, CodecOptions{MaxAge: 24 * time.Hour, Now: func() time.Time { return clock }})
	ch := mustDecide(t, cat, now, Analytics)
	v := mustEncode(t, codec, ch)

	clock = now.Add(23 * time.Hour)
	_, err := codec.Decode(v)
	require.NoError(t, err, "within MaxAge")

	clock = now.Add(24*time.Hour + 2*time.Second)
	got, err := codec.Decode(v)
	assert.ErrorIs(t, err, ErrExpired)
	assert.False(t, got.Decided())

	// The default is a year.
	yearCodec := newTestCodec(t, cat, CodecOptions{Now: func() time.Time { return clock }})
	clock = now.Add(364 * 24 * time.Hour)
	_, err = yearCodec.Decode(mustEncode(t, yearCodec, ch))
	require.NoError(t, err)
	clock = now.Add(366 * 24 * time.Hour)
	_, err = yearCodec.Decode(mustEncode(t, yearCodec, ch))
	assert.ErrorIs(t, err, ErrExpired, "re-signing a cookie does not extend the consent inside it")
}

func TestCodecOldDecisionReadsAsExpired(t *testing.T) {
	cat := testCatalogue(t)
	codec := newTestCodec(t, cat, CodecOptions{})
	old := mustDecide(t, cat, time.Now().Add(-DefaultMaxAge-time.Hour), Analytics)
	_, err := codec.Decode(mustEncode(t, codec, old))
	assert.ErrorIs(t, err, ErrExpired)
}

func TestCodecUnknownKey(t *testing.T) {
	cat := testCatalogue(t)
	a := newTestCodec(t, cat, CodecOptions{Keys: []Key{fixedKey(1, 0)}})
	b := newTestCodec(t, cat, CodecOptions{Keys: []Key{fixedKey(2, 0)}})
	got, err := b.Decode(mustEncode(t, a, mustDecide(t, cat, time.Now(), Analytics)))
	assert.ErrorIs(t, err, ErrSignature)
	assert.False(t, got.Decided())
}

func TestCodecWrongCookieName(t *testing.T) {
	// securecookie signs the name too: a value copied into another cookie fails.
	cat := testCatalogue(t)
	a := newTestCodec(t, cat, CodecOptions{Name: "a"})
	b := newTestCodec(t, cat, CodecOptions{Name: "b"})
	_, err := b.Decode(mustEncode(t, a, mustDecide(t, cat, time.Now())))
	assert.ErrorIs(t, err, ErrSignature)
}

func TestCodecKeyRotation(t *testing.T) {
	cat := testCatalogue(t)
	oldKey, newKey := fixedKey(1, 32), fixedKey(2, 0)
	before := newTestCodec(t, cat, CodecOptions{Keys: []Key{oldKey}})
	during := newTestCodec(t, cat, CodecOptions{Keys: []Key{newKey, oldKey}})
	after := newTestCodec(t, cat, CodecOptions{Keys: []Key{newKey}})

	ch := mustDecide(t, cat, time.Now(), Marketing)
	oldValue := mustEncode(t, before, ch)
	newValue := mustEncode(t, during, ch)

	got, err := during.Decode(oldValue)
	require.NoError(t, err, "older keys still verify")
	assert.Equal(t, ch, got)
	got, err = during.Decode(newValue)
	require.NoError(t, err)
	assert.Equal(t, ch, got)

	_, err = before.Decode(newValue)
	assert.ErrorIs(t, err, ErrSignature, "the newest key signs")
	got, err = after.Decode(newValue)
	require.NoError(t, err)
	assert.Equal(t, ch, got)
	_, err = after.Decode(oldValue)
	assert.ErrorIs(t, err, ErrSignature, "a dropped key no longer verifies")
}

func TestCodecEncryption(t *testing.T) {
	cat := testCatalogue(t)
	key := fixedKey(3, 32)
	codec := newTestCodec(t, cat, CodecOptions{Keys: []Key{key}})
	ch := mustDecide(t, cat, time.Now(), Analytics)
	v1, v2 := mustEncode(t, codec, ch), mustEncode(t, codec, ch)
	assert.NotEqual(t, v1, v2, "a random IV per cookie")

	// With the signing key but not the encryption key, the contents stay unreadable.
	signOnly := newTestCodec(t, cat, CodecOptions{Keys: []Key{{Hash: key.Hash}}})
	got, err := signOnly.Decode(v1)
	assert.Error(t, err)
	assert.False(t, got.Decided())

	// And the clear text holds no ID: the value is really encrypted.
	msg, err := base64.URLEncoding.DecodeString(v1)
	require.NoError(t, err)
	parts := strings.SplitN(string(msg), "|", 3)
	inner, err := base64.URLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	assert.NotContains(t, string(inner), string(ch.ID[:]))
}

func TestCodecPolicyChangesReadAsRevision(t *testing.T) {
	cat := testCatalogue(t)
	key := fixedKey(4, 0)
	codec := newTestCodec(t, cat, CodecOptions{Keys: []Key{key}})
	v := mustEncode(t, codec, mustDecide(t, cat, time.Now(), Analytics))

	tests := []struct {
		name   string
		change func(p *Policy)
		err    error
	}{
		{"same policy after a restart", func(*Policy) {}, nil},
		{"new cookie, same purposes", func(p *Policy) {
			p.Cookies = append(p.Cookies, entry("_gid", Analytics))
		}, nil},
		{"revision bumped", func(p *Policy) { p.Revision++ }, ErrRevision},
		{"revision rolled back", func(p *Policy) { p.Revision-- }, ErrRevision},
		{"categories reordered", func(p *Policy) {
			p.Categories[1], p.Categories[2] = p.Categories[2], p.Categories[1]
		}, ErrRevision},
		{"category added", func(p *Policy) {
			p.Categories = append(p.Categories, CategoryInfo{ID: Preferences, Title: Text{EN: "p", CY: "p"}, Description: Text{EN: "p", CY: "p"}})
		}, ErrRevision},
		{"category removed", func(p *Policy) {
			p.Categories = p.Categories[:2]
		}, ErrRevision},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPolicy()
			tt.change(&p)
			next, err := NewCatalogue(p)
			require.NoError(t, err)
			got, err := newTestCodec(t, next, CodecOptions{Keys: []Key{key}}).Decode(v)
			if tt.err == nil {
				require.NoError(t, err)
				assert.True(t, got.Allowed(Analytics))
				assert.Same(t, next, got.catalogue)
				return
			}
			assert.ErrorIs(t, err, tt.err)
			assert.False(t, got.Decided())
			assert.False(t, got.Allowed(Analytics))
		})
	}
}

func TestCodecSecurecookieInterop(t *testing.T) {
	cat := testCatalogue(t)
	for _, block := range []int{0, 16, 32} {
		key := fixedKey(6, block)
		codec := newTestCodec(t, cat, CodecOptions{Keys: []Key{key}})
		sc := securecookie.New(key.Hash, key.Block).SetSerializer(securecookie.NopEncoder{})
		ch := mustDecide(t, cat, time.Now(), Analytics)

		// Ours, read by securecookie.
		var raw []byte
		require.NoError(t, sc.Decode(codec.Name(), mustEncode(t, codec, ch), &raw))
		assert.Equal(t, codec.pack(nil, ch), raw)

		// securecookie's, read by ours.
		v, err := sc.Encode(codec.Name(), codec.pack(nil, ch))
		require.NoError(t, err)
		got, err := codec.Decode(v)
		require.NoError(t, err, "block %d", block)
		assert.Equal(t, ch, got)

		// Signed by securecookie but not in our format: malformed, not a panic.
		for _, junk := range [][]byte{nil, {0}, {1}, []byte("hello"), append(codec.pack(nil, ch), 0)} {
			v, err := sc.Encode(codec.Name(), junk)
			require.NoError(t, err)
			got, err := codec.Decode(v)
			assert.Error(t, err, "%q", junk)
			assert.False(t, got.Decided())
		}
		for _, enc := range []securecookie.Serializer{securecookie.JSONEncoder{}, securecookie.GobEncoder{}} {
			v, err := securecookie.New(key.Hash, key.Block).SetSerializer(enc).Encode(codec.Name(), map[string]string{"analytics": "yes"})
			require.NoError(t, err)
			_, err = codec.Decode(v)
			assert.ErrorIs(t, err, ErrMalformed)
		}
	}
}

func TestCodecDecodeHostileInput(t *testing.T) {
	cat := testCatalogue(t)
	codec := newTestCodec(t, cat, CodecOptions{})
	b64 := base64.URLEncoding.EncodeToString
	valid := mustEncode(t, codec, mustDecide(t, cat, time.Now(), Analytics))
	tests := []struct {
		name  string
		value string
		err   error
	}{
		{"empty", "", ErrMalformed},
		{"too long", strings.Repeat("A", maxCookieLen+1), ErrMalformed},
		{"longest allowed, junk", strings.Repeat("A", maxCookieLen), ErrMalformed},
		{"not base64", "not base64!", ErrMalformed},
		{"standard base64 alphabet", strings.NewReplacer("-", "+", "_", "/").Replace(valid) + "+/", ErrMalformed},
		{"no separators", b64([]byte("12345")), ErrMalformed},
		{"one separator", b64([]byte("12345|abc")), ErrMalformed},
		{"empty fields", b64([]byte("||")), ErrSignature},
		{"all pipes", b64([]byte("||||||||")), ErrSignature},
		{"unsigned date and value", b64([]byte("1700000000|AQ==|")), ErrSignature},
		{"mac of the wrong length", b64([]byte("1700000000|AQ==|abc")), ErrSignature},
		{"NUL bytes", "\x00\x00\x00\x00", ErrMalformed},
		{"unicode", "ŵŷ€", ErrMalformed},
		{"value with spaces", valid[:10] + " " + valid[10:], ErrMalformed},
		{"truncated", valid[:len(valid)-4], ErrSignature}, // still base64: a MAC cut short
		{"truncated mid-quantum", valid[:len(valid)-3], ErrMalformed},
		{"doubled", valid + valid, nil}, // malformed or unsigned, depending on padding
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := codec.Decode(tt.value)
			require.Error(t, err)
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err)
			}
			assert.Equal(t, Choices{}, got)
		})
	}
}

func TestCodecCookieAttributes(t *testing.T) {
	cat := testCatalogue(t)
	ch := mustDecide(t, cat, time.Now(), Analytics)
	tests := []struct {
		name   string
		opts   CodecOptions
		want   http.Cookie // Value and Raw not compared
		header string      // substrings of the Set-Cookie line
	}{
		{"defaults", CodecOptions{}, http.Cookie{
			Name: DefaultCookieName, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode,
		}, "; Path=/; Max-Age=31536000; HttpOnly; Secure; SameSite=Lax"},
		{"insecure for localhost", CodecOptions{Insecure: true}, http.Cookie{
			Name: DefaultCookieName, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode,
		}, "; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax"},
		{"name, domain and max age", CodecOptions{Name: "cg", Domain: "police.example", MaxAge: 180 * 24 * time.Hour}, http.Cookie{
			Name: "cg", Path: "/", Domain: "police.example", MaxAge: 180 * 24 * 3600,
			HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode,
		}, "; Path=/; Domain=police.example; Max-Age=15552000; HttpOnly; Secure; SameSite=Lax"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			codec := newTestCodec(t, cat, tt.opts)
			ck, err := codec.Cookie(ch)
			require.NoError(t, err)
			require.NotEmpty(t, ck.Value)
			want := tt.want
			want.Value = ck.Value
			assert.Equal(t, want, *ck)
			assert.Equal(t, tt.want.Name+"="+ck.Value+tt.header, ck.String())
			assert.Equal(t, tt.want.Name, codec.Name())
			assert.Equal(t, time.Duration(tt.want.MaxAge)*time.Second, codec.MaxAge())
			assert.Same(t, cat, codec.Catalogue())

			// The browser sends the value back untouched; it decodes.
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.AddCookie(ck)
			got, err := codec.Read(r)
			require.NoError(t, err)
			assert.Equal(t, ch, got)

			gone := codec.Expired()
			wantGone := tt.want
			wantGone.MaxAge = -1
			assert.Equal(t, wantGone, *gone)
			assert.Contains(t, gone.String(), "Max-Age=0")
			assert.True(t, strings.HasPrefix(gone.String(), tt.want.Name+"=;"))
		})
	}
}

func TestNewCodecRejects(t *testing.T) {
	cat := testCatalogue(t)
	short := Key{Hash: make([]byte, 31)}
	tests := []struct {
		name string
		cat  *Catalogue
		opts CodecOptions
		msg  string
	}{
		{"nil catalogue", nil, CodecOptions{Keys: []Key{fixedKey(1, 0)}}, "nil catalogue"},
		{"no keys", cat, CodecOptions{}, "at least one key"},
		{"empty key list", cat, CodecOptions{Keys: []Key{}}, "at least one key"},
		{"short hash key", cat, CodecOptions{Keys: []Key{short}}, "key 0: hash key is 31 bytes"},
		{"short older key", cat, CodecOptions{Keys: []Key{fixedKey(1, 0), short}}, "key 1: hash key is 31 bytes"},
		{"missing hash key", cat, CodecOptions{Keys: []Key{{Block: make([]byte, 32)}}}, "hash key is 0 bytes"},
		{"15-byte block key", cat, CodecOptions{Keys: []Key{fixedKey(1, 15)}}, "key 0: block key"},
		{"33-byte block key", cat, CodecOptions{Keys: []Key{fixedKey(1, 33)}}, "key 0: block key"},
		{"bad older block key", cat, CodecOptions{Keys: []Key{fixedKey(1, 0), fixedKey(2, 7)}}, "key 1: block key"},
		{"name with a space", cat, CodecOptions{Keys: []Key{fixedKey(1, 0)}, Name: "cookie consent"}, "invalid cookie name"},
		{"name with a separator", cat, CodecOptions{Keys: []Key{fixedKey(1, 0)}, Name: "a;b"}, "invalid cookie name"},
		{"name with an equals sign", cat, CodecOptions{Keys: []Key{fixedKey(1, 0)}, Name: "a=b"}, "invalid cookie name"},
		{"non-ASCII name", cat, CodecOptions{Keys: []Key{fixedKey(1, 0)}, Name: "caniatâd"}, "invalid cookie name"},
		{"domain with a space", cat, CodecOptions{Keys: []Key{fixedKey(1, 0)}, Domain: "police .example"}, "invalid cookie domain"},
		{"domain with a separator", cat, CodecOptions{Keys: []Key{fixedKey(1, 0)}, Domain: "police.example;x=y"}, "invalid cookie domain"},
		{"sub-second max age", cat, CodecOptions{Keys: []Key{fixedKey(1, 0)}, MaxAge: time.Millisecond}, "shorter than a second"},
		{"negative max age", cat, CodecOptions{Keys: []Key{fixedKey(1, 0)}, MaxAge: -time.Hour}, "shorter than a second"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewCodec(tt.cat, tt.opts)
			require.Error(t, err)
			assert.Nil(t, c)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
}

func TestNewCodecCopiesKeys(t *testing.T) {
	cat := testCatalogue(t)
	key := fixedKey(1, 32)
	codec := newTestCodec(t, cat, CodecOptions{Keys: []Key{key}})
	v := mustEncode(t, codec, mustDecide(t, cat, time.Now()))
	key.Hash[0]++
	key.Block[0]++
	_, err := codec.Decode(v)
	assert.NoError(t, err, "changing the caller's slices does not change the codec")
}

func TestCodecRead(t *testing.T) {
	cat := testCatalogue(t)
	codec := newTestCodec(t, cat, CodecOptions{})
	older := mustDecide(t, cat, time.Now().Add(-time.Hour), Analytics)
	newer := mustDecide(t, cat, time.Now(), Marketing)
	olderV, newerV := mustEncode(t, codec, older), mustEncode(t, codec, newer)
	staleV := mustEncode(t, newTestCodec(t, cat, CodecOptions{Keys: []Key{fixedKey(99, 0)}}), newer)

	tests := []struct {
		name    string
		headers []string
		want    Choices
		err     error
	}{
		{"no Cookie header", nil, Choices{}, ErrNoCookie},
		{"other cookies only", []string{"_ga=GA1.1.1; cookie_consent_csrf=abc"}, Choices{}, ErrNoCookie},
		{"one cookie", []string{"a=1; cookie_consent=" + olderV + "; b=2"}, older, nil},
		{"quoted", []string{`cookie_consent="` + olderV + `"`}, older, nil},
		{"tampered", []string{"cookie_consent=" + olderV[:20] + "x" + olderV[21:]}, Choices{}, ErrSignature},
		{"empty value", []string{"cookie_consent="}, Choices{}, ErrMalformed},
		// Copies with different Domain or Path attributes all arrive.
		{"invalid copy first, valid second", []string{"cookie_consent=" + staleV + "; cookie_consent=" + olderV}, older, nil},
		{"valid copy first, invalid second", []string{"cookie_consent=" + olderV + "; cookie_consent=garbage"}, older, nil},
		{"newest decision wins", []string{"cookie_consent=" + olderV, "cookie_consent=" + newerV}, newer, nil},
		{"newest decision wins, either order", []string{"cookie_consent=" + newerV + "; cookie_consent=" + olderV}, newer, nil},
		{"only invalid copies: the first one's reason", []string{"cookie_consent=" + staleV + "; cookie_consent="}, Choices{}, ErrSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			for _, h := range tt.headers {
				r.Header.Add("Cookie", h)
			}
			got, err := codec.Read(r)
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err)
			} else {
				assert.NoError(t, err)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestFindCookie(t *testing.T) {
	tests := []struct {
		name    string
		headers []string
		want    string
		found   bool
	}{
		{"no header", nil, "", false},
		{"empty header", []string{""}, "", false},
		{"only", []string{"cookie_consent=v"}, "v", true},
		{"first of several", []string{"cookie_consent=v; a=b"}, "v", true},
		{"last of several", []string{"a=b; c=d; cookie_consent=v"}, "v", true},
		{"no space after ;", []string{"a=b;cookie_consent=v"}, "v", true},
		{"several spaces and tabs", []string{"a=b; \t  cookie_consent=v \t; c=d"}, "v", true},
		{"in the second header", []string{"a=b", "c=d; cookie_consent=v"}, "v", true},
		{"first of duplicates wins", []string{"cookie_consent=one; cookie_consent=two"}, "one", true},
		{"first header wins", []string{"cookie_consent=one", "cookie_consent=two"}, "one", true},
		{"quoted", []string{`cookie_consent="v"`}, "v", true},
		{"lone quote kept", []string{`cookie_consent="`}, `"`, true},
		{"half-quoted kept", []string{`cookie_consent="v`}, `"v`, true},
		{"empty quoted", []string{`cookie_consent=""`}, "", true},
		{"empty value", []string{"cookie_consent=; a=b"}, "", true},
		{"longer name with our name as prefix", []string{"cookie_consent_csrf=x; cookie_consent_flash=y"}, "", false},
		{"longer name before ours", []string{"cookie_consent_csrf=x; cookie_consent=v"}, "v", true},
		{"our name as a suffix", []string{"xcookie_consent=x"}, "", false},
		{"name without equals", []string{"cookie_consent; a=b"}, "", false},
		{"value containing equals", []string{"cookie_consent=a=b=="}, "a=b==", true},
		{"name in a value", []string{"a=cookie_consent=x"}, "", false},
		{"case differs", []string{"Cookie_Consent=x"}, "", false},
		{"trailing semicolon", []string{"cookie_consent=v;"}, "v", true},
		{"only semicolons", []string{";;;"}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for _, line := range tt.headers {
				h.Add("Cookie", line)
			}
			got, ok := FindCookie(h, DefaultCookieName)
			assert.Equal(t, tt.found, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestDecodeErrorsAreSentinels(t *testing.T) {
	for _, err := range []error{ErrNoCookie, ErrMalformed, ErrSignature, ErrExpired, ErrRevision} {
		assert.True(t, strings.HasPrefix(err.Error(), "consent: "), err)
		for _, other := range []error{ErrNoCookie, ErrMalformed, ErrSignature, ErrExpired, ErrRevision} {
			assert.Equal(t, err == other, errors.Is(err, other))
		}
	}
}

func TestCodecConcurrentUse(t *testing.T) {
	// Decode shares pooled scratch space between goroutines; -race checks it.
	cat := testCatalogue(t)
	codec := newTestCodec(t, cat, CodecOptions{Keys: []Key{fixedKey(1, 32), fixedKey(2, 0)}})
	old := newTestCodec(t, cat, CodecOptions{Keys: []Key{fixedKey(2, 0)}})
	want := []Choices{mustDecide(t, cat, time.Now(), Analytics), mustDecide(t, cat, time.Now(), Marketing)}
	values := []string{mustEncode(t, codec, want[0]), mustEncode(t, old, want[1])}

	done := make(chan error)
	for g := 0; g < 8; g++ {
		go func() {
			for i := 0; i < 200; i++ {
				k := (g + i) % 2
				got, err := codec.Decode(values[k])
				if err == nil && got != want[k] {
					err = errors.New("decoded another goroutine's choices")
				}
				if err == nil {
					_, err = codec.Encode(want[k])
				}
				if err != nil {
					done <- err
					return
				}
				if _, err := codec.Decode(values[k][:30]); err == nil {
					done <- errors.New("truncated value decoded")
					return
				}
			}
			done <- nil
		}()
	}
	for g := 0; g < 8; g++ {
		require.NoError(t, <-done)
	}
}

func TestDecodeBase64URL(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" with ok false: left to encoding/base64
		ok   bool
	}{
		{"YWJj", "abc", true},
		{"YWJjZA==", "abcd", true},
		{"YWJjZGU=", "abcde", true},
		{"-_-_", "\xfb\xff\xbf", true},
		{"YR==", "a", true}, // leftover bits ignored, as URLEncoding (not Strict) does
		{"", "", false},
		{"YWJ", "", false},          // not whole quanta
		{"YW=j", "", false},         // padding inside
		{"Y===", "", false},         // too much padding
		{"====", "", false},         // padding only
		{"+/+/", "", false},         // standard alphabet
		{"YWJj\r\nZA==", "", false}, // newlines: encoding/base64 skips them, so it decides
		{"YWJj ", "", false},
		{"\xffWJj", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			dst := make([]byte, len(tt.in))
			n, ok := decodeBase64URL(dst, tt.in)
			require.Equal(t, tt.ok, ok)
			if ok {
				assert.Equal(t, tt.want, string(dst[:n]))
				std, err := base64.URLEncoding.DecodeString(tt.in)
				require.NoError(t, err)
				assert.Equal(t, std, dst[:n])
			}
		})
	}
}
