package consent

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/securecookie"
)

// Each benchmark group starts with its baseline, so ratios come from one run:
//
//	go test -run '^$' -bench . -benchmem -count 3 ./consent
//
// Targets (PERFORMANCE.md): Lookup 0 allocs; Decode ≤ 3× one HMAC-SHA256 and ≤ 2 allocs.

var (
	sinkCookie  *Cookie
	sinkBool    bool
	sinkInt     int
	sinkChoices Choices
	sinkString  string
	sinkBytes   []byte
)

func BenchmarkLookup(b *testing.B) {
	cat, err := NewCatalogue(DefaultPolicy())
	if err != nil {
		b.Fatal(err)
	}
	plain := make(map[string]int)
	for i, ck := range cat.Cookies() {
		plain[ck.Name] = i
	}
	b.Run("baseline-map", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sinkInt, sinkBool = plain["_gid"]
		}
	})
	for _, bc := range []struct{ name, cookie string }{
		{"exact", "_gid"},
		{"prefix", "_ga_ABC123XYZ"}, // misses the map, then walks the patterns
		{"unknown", "PHPSESSID"},    // misses everything
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				sinkCookie, sinkBool = cat.Lookup(bc.cookie)
			}
		})
	}
}

// pooledMAC is the Decode baseline: one HMAC-SHA256 from a pool, Reset before
// use, as Decode's verifier does it.
type pooledMAC struct {
	pool sync.Pool
	out  [sha256.Size]byte // one benchmark goroutine at a time
}

func newPooledMAC(key []byte) *pooledMAC {
	m := &pooledMAC{}
	m.pool.New = func() any { return hmac.New(sha256.New, key) }
	return m
}

func (m *pooledMAC) sum(in []byte) {
	h := m.pool.Get().(hash.Hash)
	h.Reset()
	h.Write(in)
	sinkBytes = h.Sum(m.out[:0])
	m.pool.Put(h)
}

// macInput returns the bytes Decode runs HMAC over for value: "name|date|value".
func macInput(b *testing.B, name, value string) []byte {
	msg, err := base64.URLEncoding.DecodeString(value)
	if err != nil {
		b.Fatal(err)
	}
	last := bytes.LastIndexByte(msg[:len(msg)-sha256.Size], '|')
	return append([]byte(name+"|"), msg[:last]...)
}

func BenchmarkDecode(b *testing.B) {
	cat, err := NewCatalogue(DefaultPolicy())
	if err != nil {
		b.Fatal(err)
	}
	key := fixedKey(1, 0)
	codec := newTestCodec(b, cat, CodecOptions{Keys: []Key{key}})
	ch := mustDecide(b, cat, time.Now(), Analytics)
	value := mustEncode(b, codec, ch)

	b.Run("baseline-hmac", func(b *testing.B) {
		in := macInput(b, codec.Name(), value)
		mac := newPooledMAC(key.Hash)
		b.SetBytes(int64(len(in)))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			mac.sum(in)
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sinkChoices, err = codec.Decode(value)
		}
		if err != nil {
			b.Fatal(err)
		}
	})
	b.Run("decode-rotated-key", func(b *testing.B) {
		// The cookie was signed by the older of two keys: two HMACs.
		rotated := newTestCodec(b, cat, CodecOptions{Keys: []Key{fixedKey(2, 0), key}})
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sinkChoices, err = rotated.Decode(value)
		}
		if err != nil {
			b.Fatal(err)
		}
	})
	b.Run("decode-encrypted", func(b *testing.B) {
		enc := newTestCodec(b, cat, CodecOptions{Keys: []Key{fixedKey(3, 32)}})
		v := mustEncode(b, enc, mustDecide(b, cat, time.Now(), Analytics))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sinkChoices, err = enc.Decode(v)
		}
		if err != nil {
			b.Fatal(err)
		}
	})
	b.Run("decode-tampered", func(b *testing.B) {
		bad := value[:20] + "x" + value[21:]
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sinkChoices, err = codec.Decode(bad)
		}
		if err == nil {
			b.Fatal("tampered value decoded")
		}
	})
	b.Run("securecookie-nop", func(b *testing.B) {
		sc := securecookie.New(key.Hash, nil).SetSerializer(securecookie.NopEncoder{}).MaxAge(int(DefaultMaxAge / time.Second))
		var raw []byte
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			err = sc.Decode(codec.Name(), value, &raw)
		}
		if err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkEncode(b *testing.B) {
	cat, err := NewCatalogue(DefaultPolicy())
	if err != nil {
		b.Fatal(err)
	}
	key := fixedKey(1, 0)
	codec := newTestCodec(b, cat, CodecOptions{Keys: []Key{key}})
	ch := mustDecide(b, cat, time.Now(), Analytics)
	b.Run("baseline-securecookie-nop", func(b *testing.B) {
		sc := securecookie.New(key.Hash, nil).SetSerializer(securecookie.NopEncoder{})
		packed := codec.pack(nil, ch)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sinkString, err = sc.Encode(codec.Name(), packed)
		}
	})
	b.Run("encode", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sinkString, err = codec.Encode(ch)
		}
	})
	if err != nil {
		b.Fatal(err)
	}
}

func BenchmarkRead(b *testing.B) {
	cat, err := NewCatalogue(DefaultPolicy())
	if err != nil {
		b.Fatal(err)
	}
	codec := newTestCodec(b, cat, CodecOptions{})
	value := mustEncode(b, codec, mustDecide(b, cat, time.Now(), Analytics))
	// Four cookies, ours third, as a returning visitor's browser sends them.
	r := &http.Request{Header: http.Header{"Cookie": {
		"session=0123456789abcdef; _ga=GA1.1.1234567890.1700000000; cookie_consent=" + value + "; _ga_ABC123=GS1.1.1700000000.1.0.1700000000.0.0.0",
	}}}
	b.Run("baseline-request-cookie", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			ck, err := r.Cookie(DefaultCookieName)
			if err != nil {
				b.Fatal(err)
			}
			sinkString = ck.Value
		}
	})
	b.Run("find-cookie", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sinkString, sinkBool = FindCookie(r.Header, DefaultCookieName)
		}
	})
	b.Run("read", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sinkChoices, err = codec.Read(r)
		}
		if err != nil {
			b.Fatal(err)
		}
	})
	b.Run("read-no-cookie", func(b *testing.B) {
		empty := &http.Request{Header: http.Header{"Cookie": {"session=0123456789abcdef; _ga=GA1.1.1234567890.1700000000"}}}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sinkChoices, err = codec.Read(empty)
		}
	})
}

// BenchmarkDecodeVsHMAC interleaves short runs of the HMAC baseline and of
// Decode and reports their ratio, which stays meaningful on a shared, busy
// machine where separate benchmarks see different load.
func BenchmarkDecodeVsHMAC(b *testing.B) {
	codec, value, in, mac := hmacBenchSetup(b)
	var err error
	interleaveWithHMAC(b, "decode", mac, in, func() { sinkChoices, err = codec.Decode(value) })
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkReadVsHMAC is BenchmarkDecodeVsHMAC for the whole read from a
// request: scanning the Cookie header (four cookies, ours third) and decoding.
func BenchmarkReadVsHMAC(b *testing.B) {
	codec, value, in, mac := hmacBenchSetup(b)
	r := &http.Request{Header: http.Header{"Cookie": {
		"session=0123456789abcdef; _ga=GA1.1.1234567890.1700000000; cookie_consent=" + value + "; _ga_ABC123=GS1.1.1700000000.1.0.1700000000.0.0.0",
	}}}
	var err error
	interleaveWithHMAC(b, "read", mac, in, func() { sinkChoices, err = codec.Read(r) })
	if err != nil {
		b.Fatal(err)
	}
}

// hmacBenchSetup returns a codec, a cookie value it signed, the bytes its MAC
// covers and a pooled HMAC over them: the baseline both ratios divide by.
func hmacBenchSetup(b *testing.B) (*Codec, string, []byte, *pooledMAC) {
	cat, err := NewCatalogue(DefaultPolicy())
	if err != nil {
		b.Fatal(err)
	}
	key := fixedKey(1, 0)
	codec := newTestCodec(b, cat, CodecOptions{Keys: []Key{key}})
	value := mustEncode(b, codec, mustDecide(b, cat, time.Now(), Analytics))
	return codec, value, macInput(b, codec.Name(), value), newPooledMAC(key.Hash)
}

// interleaveWithHMAC alternates batches of one HMAC over in and of op, and
// reports both times per op and their ratio under the name what.
func interleaveWithHMAC(b *testing.B, what string, mac *pooledMAC, in []byte, op func()) {
	const batch = 200
	var inHMAC, inOp time.Duration
	b.ReportAllocs()
	for done := 0; done < b.N; done += batch {
		n := min(batch, b.N-done)
		start := time.Now()
		for i := 0; i < n; i++ {
			mac.sum(in)
		}
		mid := time.Now()
		for i := 0; i < n; i++ {
			op()
		}
		inOp += time.Since(mid)
		inHMAC += mid.Sub(start)
	}
	b.ReportMetric(float64(inHMAC.Nanoseconds())/float64(b.N), "hmac-ns/op")
	b.ReportMetric(float64(inOp.Nanoseconds())/float64(b.N), what+"-ns/op")
	b.ReportMetric(float64(inOp)/float64(inHMAC), what+"/hmac")
}
