package consent

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/fnv"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/securecookie"
)

// Reasons a consent cookie reads as undecided. [Codec.Decode] and [Codec.Read]
// return one of them (possibly wrapped) beside zero Choices; they are for
// logging, never for showing to visitors.
var (
	// ErrNoCookie means the request carried no consent cookie.
	ErrNoCookie = errors.New("consent: no consent cookie")
	// ErrMalformed means the value is not in the consent cookie format.
	ErrMalformed = errors.New("consent: malformed consent cookie")
	// ErrSignature means no current key verifies the value: tampered, or signed with a retired key.
	ErrSignature = errors.New("consent: consent cookie signature invalid")
	// ErrExpired means the cookie is older than the codec's MaxAge.
	ErrExpired = errors.New("consent: consent cookie expired")
	// ErrRevision means the consent was given under another policy revision or category list.
	ErrRevision = errors.New("consent: consent cookie is for another policy revision")
)

// DefaultCookieName is the consent cookie's name unless [CodecOptions.Name] says otherwise.
const DefaultCookieName = "cookie_consent"

// DefaultMaxAge is how long consent lasts: 12 months, as the GOV.UK Design
// System and the ICO's guidance on re-asking suggest (REQUIREMENTS A13).
const DefaultMaxAge = 365 * 24 * time.Hour

// minHashKeyLen is the shortest signing key accepted: HMAC-SHA256's block of security.
const minHashKeyLen = 32

// maxCookieLen bounds the cookie values Decode will look at; ours are about 100 bytes.
const maxCookieLen = 1024

// Key is one signing key with an optional encryption key.
type Key struct {
	// Hash signs the cookie with HMAC-SHA256. At least 32 random bytes.
	Hash []byte
	// Block, when set, encrypts the value with AES (16, 24 or 32 bytes).
	// The value holds no personal data, so signing alone is the default.
	Block []byte
}

// CodecOptions configures the consent cookie.
type CodecOptions struct {
	// Keys sign (and optionally encrypt) the cookie. The first key signs new
	// cookies; every key verifies, so a site rotates by putting a new key first
	// and dropping the oldest once MaxAge has passed. Required.
	Keys []Key
	// Name is the cookie name. Default [DefaultCookieName].
	Name string
	// MaxAge is how long consent lasts, both as the cookie's Max-Age and as the
	// oldest signature Decode accepts. Default [DefaultMaxAge].
	MaxAge time.Duration
	// Domain, when set, is the cookie's Domain attribute. Default empty: a
	// host-only cookie, which is what most sites want.
	Domain string
	// Insecure drops the Secure attribute. Default false (Secure is set). Only
	// for development over http://localhost, where browsers would refuse a
	// Secure cookie from a plain-HTTP origin other than localhost.
	Insecure bool
	// Now is the clock Decode judges a decision's age by; nil means the
	// wall clock, read at most about once a second. For tests. (The
	// signature's own timestamp comes from securecookie, which always uses
	// the wall clock.)
	Now func() time.Time
}

// Codec writes and reads the signed consent cookie. The wire format is
// securecookie's (base64 of "date|value|mac"), so any securecookie with the same
// key and name can read it; reading uses a verifier that allocates nothing.
type Codec struct {
	catalogue *Catalogue
	name      string
	maxAge    time.Duration
	domain    string
	insecure  bool
	unixNow   func() int64 // the current Unix second, for judging ages
	signer    *securecookie.SecureCookie
	keys      []Key
	blocks    []cipher.Block // per key; nil where the key does not encrypt
	layout    uint32         // hash of the optional category list, so a reordered list reads as a new revision
	macPrefix []byte         // "name|": securecookie puts the cookie name inside the MAC
	verifiers sync.Pool
}

// NewCodec checks opts and returns a codec for cat's policy. Key problems are
// reported here, because securecookie only reports them at Encode time.
func NewCodec(cat *Catalogue, opts CodecOptions) (*Codec, error) {
	if cat == nil {
		return nil, errors.New("consent: NewCodec: nil catalogue")
	}
	if len(opts.Keys) == 0 {
		return nil, errors.New("consent: NewCodec: at least one key is required")
	}
	c := &Codec{
		catalogue: cat,
		name:      opts.Name,
		maxAge:    opts.MaxAge,
		domain:    opts.Domain,
		insecure:  opts.Insecure,
		unixNow:   wallSeconds.now,
		keys:      make([]Key, len(opts.Keys)),
		blocks:    make([]cipher.Block, len(opts.Keys)),
		layout:    layoutHash(cat.optional),
	}
	if c.name == "" {
		c.name = DefaultCookieName
	}
	if !validCookieName(c.name) {
		return nil, fmt.Errorf("consent: NewCodec: invalid cookie name %q", c.name)
	}
	c.macPrefix = []byte(c.name + "|")
	if c.domain != "" && (&http.Cookie{Name: c.name, Value: "x", Domain: c.domain}).Valid() != nil {
		return nil, fmt.Errorf("consent: NewCodec: invalid cookie domain %q", c.domain)
	}
	if c.maxAge == 0 {
		c.maxAge = DefaultMaxAge
	}
	if c.maxAge < time.Second {
		return nil, fmt.Errorf("consent: NewCodec: MaxAge %v is shorter than a second", c.maxAge)
	}
	if now := opts.Now; now != nil {
		c.unixNow = func() int64 { return now().Unix() }
	}
	for i, k := range opts.Keys {
		if len(k.Hash) < minHashKeyLen {
			return nil, fmt.Errorf("consent: NewCodec: key %d: hash key is %d bytes, need at least %d", i, len(k.Hash), minHashKeyLen)
		}
		c.keys[i] = Key{Hash: append([]byte(nil), k.Hash...), Block: append([]byte(nil), k.Block...)}
		if len(k.Block) > 0 {
			b, err := aes.NewCipher(k.Block)
			if err != nil {
				return nil, fmt.Errorf("consent: NewCodec: key %d: block key: %w", i, err)
			}
			c.blocks[i] = b
		}
	}
	first := c.keys[0]
	var block []byte
	if len(first.Block) > 0 {
		block = first.Block
	}
	c.signer = securecookie.New(first.Hash, block).
		SetSerializer(securecookie.NopEncoder{}).
		MaxAge(int(c.maxAge / time.Second)).
		MaxLength(maxCookieLen)
	c.verifiers.New = func() any { return c.newVerifier() }
	// securecookie keeps key errors until the first Encode: surface them now.
	if _, err := c.signer.Encode(c.name, []byte{0}); err != nil {
		return nil, fmt.Errorf("consent: NewCodec: %w", err)
	}
	return c, nil
}

// Name returns the consent cookie's name.
func (c *Codec) Name() string { return c.name }

// Catalogue returns the catalogue the codec was built for.
func (c *Codec) Catalogue() *Catalogue { return c.catalogue }

// MaxAge returns how long consent lasts.
func (c *Codec) MaxAge() time.Duration { return c.maxAge }

// Packed value, format 1:
//
//	[0]     format (1)
//	[1:5]   layout hash of the optional categories, big-endian
//	[5:21]  consent ID
//	then    uvarint revision, uvarint decision time (Unix seconds), uvarint accepted bits
const packedFormat = 1

// Encode returns the signed cookie value for a decision. Undecided or GPC
// choices have nothing to store and return an error.
func (c *Codec) Encode(ch Choices) (string, error) {
	if !ch.Decided() {
		return "", errors.New("consent: Encode: choices are not a decision")
	}
	if ch.catalogue != c.catalogue {
		return "", errors.New("consent: Encode: choices belong to another catalogue")
	}
	if ch.DecidedAt.Unix() < 0 {
		return "", errors.New("consent: Encode: decision time is before 1970")
	}
	var buf [packedMaxLen]byte
	return c.signer.Encode(c.name, c.pack(buf[:0], ch))
}

// packedMaxLen bounds a packed value: format, layout, ID and three uvarints.
const packedMaxLen = 5 + len(ID{}) + 3*binary.MaxVarintLen64

// pack appends the packed form of ch to b.
func (c *Codec) pack(b []byte, ch Choices) []byte {
	b = append(b, packedFormat)
	b = binary.BigEndian.AppendUint32(b, c.layout)
	b = append(b, ch.ID[:]...)
	b = binary.AppendUvarint(b, uint64(ch.Revision))
	b = binary.AppendUvarint(b, uint64(ch.DecidedAt.Unix()))
	b = binary.AppendUvarint(b, uint64(ch.accepted))
	return b
}

// Cookie returns the consent cookie to set for a decision, with every
// attribute in place: HttpOnly (no script needs to read it), Secure unless
// Insecure, SameSite=Lax (sent on top-level navigation from other sites, so a
// returning visitor is not asked again), Path=/, and Max-Age of MaxAge.
func (c *Codec) Cookie(ch Choices) (*http.Cookie, error) {
	v, err := c.Encode(ch)
	if err != nil {
		return nil, err
	}
	ck := c.base()
	ck.Value = v
	ck.MaxAge = int(c.maxAge / time.Second)
	return ck, nil
}

// Expired returns a cookie that deletes the consent cookie. It matches the
// codec's own Domain and Path; a copy set with other attributes needs its own
// deletion.
func (c *Codec) Expired() *http.Cookie {
	ck := c.base()
	ck.MaxAge = -1
	return ck
}

func (c *Codec) base() *http.Cookie {
	return &http.Cookie{
		Name:     c.name,
		Path:     "/",
		Domain:   c.domain,
		HttpOnly: true,
		Secure:   !c.insecure,
		SameSite: http.SameSiteLaxMode,
	}
}

// Read finds the consent cookie in r's Cookie headers and decodes it. Any
// problem yields undecided Choices and the reason; it never panics.
//
// A browser sends several cookies of the same name when they differ in Domain
// or Path, for instance after a site starts setting Domain. Read decodes each
// and keeps the most recent valid decision, so a stale copy the site can no
// longer overwrite does not bring the banner back for ever. When none is
// valid, the error is the first copy's.
func (c *Codec) Read(r *http.Request) (Choices, error) {
	s := cookieScanner{lines: r.Header["Cookie"], name: c.name}
	value, ok := s.next()
	if !ok {
		return Choices{}, ErrNoCookie
	}
	// One verifier and one clock reading serve every copy.
	v := c.verifiers.Get().(*verifier)
	defer c.verifiers.Put(v)
	clk := clock{now: c.unixNow, maxAge: c.maxAge}
	best, err := c.decode(v, &clk, value)
	for {
		// The usual single copy ends here: the rest of the header holds no other.
		if value, ok = s.next(); !ok {
			break
		}
		ch, derr := c.decode(v, &clk, value)
		if derr == nil && (!best.Decided() || ch.DecidedAt.After(best.DecidedAt)) {
			best = ch
		}
	}
	if best.Decided() {
		return best, nil
	}
	return Choices{}, err
}

// FindCookie returns the value of the first cookie called name in h's Cookie
// headers, without surrounding double quotes. It scans by hand: cheaper than
// [http.Request.Cookie], which parses every cookie into a new slice.
func FindCookie(h http.Header, name string) (string, bool) {
	if !scannable(name) {
		return "", false
	}
	s := cookieScanner{lines: h["Cookie"], name: name}
	return s.next()
}

// scannable reports whether a cookie called name can appear at all: pairs are
// split at ';' and lose their leading blanks before names are compared.
func scannable(name string) bool {
	return strings.IndexByte(name, ';') < 0 && (name == "" || (name[0] != ' ' && name[0] != '\t'))
}

// cookieScanner walks the "name=value" pairs of Cookie header lines,
// yielding the values of one name in the order the browser sent them.
// line always starts at the beginning of a pair (or of the header line), and
// name must be [scannable] ([NewCodec] only accepts valid cookie names).
type cookieScanner struct {
	lines []string
	line  string
	name  string
}

func (s *cookieScanner) next() (string, bool) {
	name := s.name
	for {
		for len(s.line) > 0 {
			// strings.Index skips the other cookies in one vectorised search;
			// a hit counts only where a pair starts and is followed by '='.
			line := trimBlanksLeft(s.line)
			i := strings.Index(line, name)
			if i < 0 {
				s.line = ""
				break
			}
			end := i + len(name)
			if end < len(line) && line[end] == '=' && startsPair(line, i) {
				v := line[end+1:]
				if j := strings.IndexByte(v, ';'); j >= 0 {
					v, s.line = v[:j], v[j+1:]
				} else {
					s.line = ""
				}
				v = trimBlanksRight(v)
				if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
					v = v[1 : len(v)-1]
				}
				return v, true
			}
			// A longer name, a name inside a value, or a name without '=':
			// no pair can start before the next ';'.
			if j := strings.IndexByte(line[i:], ';'); j >= 0 {
				s.line = line[i+j+1:]
			} else {
				s.line = ""
			}
		}
		if len(s.lines) == 0 {
			return "", false
		}
		s.line, s.lines = s.lines[0], s.lines[1:]
	}
}

// trimBlanksLeft is strings.TrimLeft(s, " \t") without building a cutset per call.
func trimBlanksLeft(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	return s
}

// trimBlanksRight is strings.TrimRight(s, " \t") without building a cutset per call.
func trimBlanksRight(s string) string {
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// startsPair reports whether line[i] is the first byte of a cookie pair: only
// spaces and tabs stand between it and the previous ';' or the line's start.
func startsPair(line string, i int) bool {
	for i > 0 {
		i--
		switch line[i] {
		case ';':
			return true
		case ' ', '\t':
		default:
			return false
		}
	}
	return true
}

// clock reads the codec's clock at most once, and only once a signature has
// verified, however many copies of the cookie a request carries.
type clock struct {
	now    func() int64 // Unix seconds
	maxAge time.Duration
	oldest int64
	read   bool
}

// oldestAllowed returns the earliest Unix second a signature or decision may carry.
func (k *clock) oldestAllowed() int64 {
	if !k.read {
		k.oldest = k.now() - int64(k.maxAge/time.Second)
		k.read = true
	}
	return k.oldest
}

// verifier holds one goroutine's scratch space for Decode.
type verifier struct {
	macs []hash.Hash
	raw  [maxCookieLen]byte
	dec  []byte // the codec's "name|", then room for the decoded value
	val  [maxCookieLen]byte
	sum  [sha256.Size]byte
}

func (c *Codec) newVerifier() *verifier {
	v := &verifier{macs: make([]hash.Hash, len(c.keys))}
	v.dec = append(append(make([]byte, 0, len(c.macPrefix)+maxCookieLen), c.macPrefix...), make([]byte, maxCookieLen)...)
	for i, k := range c.keys {
		v.macs[i] = hmac.New(sha256.New, k.Hash)
	}
	return v
}

// Decode verifies and unpacks a consent cookie value. Any problem yields
// undecided Choices and one of the package's Err values; it never panics.
func (c *Codec) Decode(value string) (Choices, error) {
	v := c.verifiers.Get().(*verifier)
	defer c.verifiers.Put(v)
	clk := clock{now: c.unixNow, maxAge: c.maxAge}
	return c.decode(v, &clk, value)
}

func (c *Codec) decode(v *verifier, clk *clock, value string) (Choices, error) {
	if len(value) == 0 || len(value) > maxCookieLen {
		return Choices{}, ErrMalformed
	}
	// Outer layer: base64("date|value|mac"), decoded right after the
	// "name|" that v.dec starts with, so one Write feeds the MAC.
	dec := v.dec[len(c.macPrefix):]
	n, ok := decodeBase64URL(dec, value)
	if !ok {
		var err error
		raw := v.raw[:copy(v.raw[:], value)]
		if n, err = base64.URLEncoding.Decode(dec, raw); err != nil {
			return Choices{}, ErrMalformed
		}
	}
	msg := dec[:n]
	p1 := indexPipe(msg, 0)
	p2 := indexPipe(msg, p1+1)
	if p1 < 0 || p2 < 0 {
		return Choices{}, ErrMalformed
	}
	mac := msg[p2+1:]
	key := -1
	for i, h := range v.macs {
		h.Reset()
		h.Write(v.dec[:len(c.macPrefix)+p2])
		if subtle.ConstantTimeCompare(h.Sum(v.sum[:0]), mac) == 1 {
			key = i
			break
		}
	}
	if key < 0 {
		return Choices{}, ErrSignature
	}
	signed, ok := parseUint(msg[:p1])
	if !ok {
		return Choices{}, ErrMalformed
	}
	oldest := clk.oldestAllowed()
	if signed < oldest {
		return Choices{}, ErrExpired
	}
	// Inner layer: base64(packed), encrypted first when the key has a block key.
	if n, ok = decodeBase64URL(v.val[:], msg[p1+1:p2]); !ok {
		var err error
		if n, err = base64.URLEncoding.Decode(v.val[:], msg[p1+1:p2]); err != nil {
			return Choices{}, ErrMalformed
		}
	}
	packed := v.val[:n]
	if b := c.blocks[key]; b != nil {
		bs := b.BlockSize()
		if len(packed) < bs {
			return Choices{}, ErrMalformed
		}
		cipher.NewCTR(b, packed[:bs]).XORKeyStream(packed[bs:], packed[bs:])
		packed = packed[bs:]
	}
	ch, err := c.unpack(packed)
	if err != nil {
		return Choices{}, err
	}
	// securecookie stamps the signature with the wall clock; the decision
	// time follows Now, and consent lapses MaxAge after it was given even if
	// the cookie was re-signed since.
	if ch.DecidedAt.Unix() < oldest {
		return Choices{}, ErrExpired
	}
	return ch, nil
}

func (c *Codec) unpack(b []byte) (Choices, error) {
	if len(b) < 5+len(ID{}) || b[0] != packedFormat {
		return Choices{}, ErrMalformed
	}
	if binary.BigEndian.Uint32(b[1:5]) != c.layout {
		return Choices{}, ErrRevision
	}
	ch := Choices{basis: decided, catalogue: c.catalogue}
	copy(ch.ID[:], b[5:])
	b = b[5+len(ID{}):]
	var fields [3]uint64
	for i := range fields {
		x, n := binary.Uvarint(b)
		if n <= 0 {
			return Choices{}, ErrMalformed
		}
		fields[i], b = x, b[n:]
	}
	if len(b) != 0 || fields[0] > 1<<32-1 || fields[1] > 1<<62 || fields[2]&^uint64(c.catalogue.allMask()) != 0 {
		return Choices{}, ErrMalformed
	}
	if uint32(fields[0]) != c.catalogue.revision {
		return Choices{}, ErrRevision
	}
	ch.Revision = uint32(fields[0])
	ch.DecidedAt = time.Unix(int64(fields[1]), 0).UTC()
	ch.accepted = uint32(fields[2])
	return ch, nil
}

func indexPipe(b []byte, from int) int {
	if from < 0 || from > len(b) {
		return -1
	}
	for i := from; i < len(b); i++ {
		if b[i] == '|' {
			return i
		}
	}
	return -1
}

// parseUint parses a non-negative decimal without allocating.
func parseUint(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, d := range b {
		if d < '0' || d > '9' {
			return 0, false
		}
		n = n*10 + int64(d-'0')
	}
	return n, true
}

func layoutHash(optional []Category) uint32 {
	h := fnv.New32a()
	for _, c := range optional {
		h.Write([]byte(c))
		h.Write([]byte{0})
	}
	return h.Sum32()
}

// base64URLBits holds, for each position in a 4-byte quantum, each byte's
// 6-bit value already shifted into place in the 24-bit group; bytes outside
// the URL-safe alphabet carry base64Bad, which no valid group has.
var base64URLBits = func() (t [4][256]uint32) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for pos := range t {
		for i := range t[pos] {
			t[pos][i] = base64Bad
		}
		for i := 0; i < len(alphabet); i++ {
			t[pos][alphabet[i]] = uint32(i) << (18 - 6*pos)
		}
	}
	return t
}()

const base64Bad = 1 << 31

// decodeBase64URL decodes padded URL-safe base64, the shape securecookie
// writes, straight from src into dst (which holds len(src)/4*3 bytes). It
// accepts only whole 4-byte quanta of alphabet bytes with '=' padding at the
// very end; for anything else ok is false and the caller must ask
// base64.URLEncoding, which skips newlines and names the error. Where ok is
// true the result equals base64.URLEncoding's (FuzzBase64 checks this).
func decodeBase64URL[T string | []byte](dst []byte, src T) (n int, ok bool) {
	if len(src) == 0 || len(src)%4 != 0 || len(dst) < len(src)/4*3 {
		return 0, false
	}
	t := &base64URLBits
	body := len(src)
	if src[len(src)-1] == '=' {
		body -= 4 // the padded last quantum is handled below
	}
	s, d := src[:body], dst
	// Two quanta at a time with one 8-byte store; the last 2 bytes stored are
	// scratch that the next store or the caller's n leaves out.
	for len(s) >= 8 && len(d) >= 8 {
		hi := t[0][s[0]] | t[1][s[1]] | t[2][s[2]] | t[3][s[3]]
		lo := t[0][s[4]] | t[1][s[5]] | t[2][s[6]] | t[3][s[7]]
		if (hi|lo)&base64Bad != 0 {
			return 0, false
		}
		binary.BigEndian.PutUint64(d, uint64(hi)<<40|uint64(lo)<<16)
		s, d, n = s[8:], d[6:], n+6
	}
	for len(s) >= 4 && len(d) >= 3 {
		x := t[0][s[0]] | t[1][s[1]] | t[2][s[2]] | t[3][s[3]]
		if x&base64Bad != 0 {
			return 0, false
		}
		d[0], d[1], d[2] = byte(x>>16), byte(x>>8), byte(x)
		s, d, n = s[4:], d[3:], n+3
	}
	if len(s) != 0 { // dst too short; the length check above rules it out
		return 0, false
	}
	if body == len(src) {
		return n, true
	}
	q := src[body:]
	x := t[0][q[0]] | t[1][q[1]]
	if q[2] == '=' { // "xx==": one byte; leftover bits are ignored, as encoding/base64 does
		if x&base64Bad != 0 {
			return 0, false
		}
		dst[n] = byte(x >> 16)
		return n + 1, true
	}
	if x |= t[2][q[2]]; x&base64Bad != 0 {
		return 0, false
	}
	dst[n], dst[n+1] = byte(x>>16), byte(x>>8)
	return n + 2, true
}
