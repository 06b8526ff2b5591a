package consent

import (
	"testing"
	"time"

	"github.com/gorilla/securecookie"
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

func TestCodecRoundTripAndInterop(t *testing.T) {
	cat, err := NewCatalogue(testPolicy())
	require.NoError(t, err)
	key := Key{Hash: securecookie.GenerateRandomKey(32)}
	codec, err := NewCodec(cat, CodecOptions{Keys: []Key{key}})
	require.NoError(t, err)
	ch, err := cat.Decide(Choices{}, []Category{Analytics}, time.Now())
	require.NoError(t, err)
	v, err := codec.Encode(ch)
	require.NoError(t, err)
	got, err := codec.Decode(v)
	require.NoError(t, err)
	require.True(t, got.Decided())
	require.True(t, got.Allowed(Analytics))
	require.False(t, got.Allowed(Marketing))
	require.Equal(t, ch.ID, got.ID)
	require.Equal(t, ch.DecidedAt, got.DecidedAt)

	// The wire format is securecookie's: a plain securecookie with the same key reads it.
	var raw []byte
	sc := securecookie.New(key.Hash, nil).SetSerializer(securecookie.NopEncoder{})
	require.NoError(t, sc.Decode(codec.Name(), v, &raw))
	require.Equal(t, byte(packedFormat), raw[0])
}
