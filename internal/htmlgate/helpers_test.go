package htmlgate

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/consentgate/consentgate/consent"
)

// choices returns a visitor's choices under the default policy with the
// given categories accepted (none: the visitor has not decided).
func choices(t testing.TB, accepted ...consent.Category) consent.Choices {
	t.Helper()
	cat, err := consent.NewCatalogue(consent.DefaultPolicy())
	require.NoError(t, err)
	if accepted == nil {
		return consent.Choices{}
	}
	ch, err := cat.Decide(consent.Choices{}, accepted, time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	return ch
}

func all(t testing.TB) consent.Choices {
	cat, err := consent.NewCatalogue(consent.DefaultPolicy())
	require.NoError(t, err)
	return choices(t, cat.Optional()...)
}

// rewrite runs in through a fresh Rewriter, written in pieces cut at splits.
func rewrite(t testing.TB, ch consent.Choices, banner, in string, splits ...int) string {
	t.Helper()
	var out bytes.Buffer
	var w Rewriter
	w.Reset(&out, ch, nil, []byte(banner))
	prev := 0
	for _, s := range splits {
		s = min(max(s, prev), len(in))
		_, err := w.Write([]byte(in[prev:s]))
		require.NoError(t, err)
		prev = s
	}
	_, err := w.Write([]byte(in[prev:]))
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return out.String()
}

var testTime = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

type stringsBuilder = bytes.Buffer

// writePieces appends between one and most pieces, chosen by rng, to sb: the
// random values the agreement tests compare readings on.
func writePieces(sb *strings.Builder, rng *rand.Rand, pieces []string, most int) {
	for k := rng.IntN(most); k >= 0; k-- {
		sb.WriteString(pieces[rng.IntN(len(pieces))])
	}
}
