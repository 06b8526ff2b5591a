package htmlgate

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/consentgate/consentgate/consent"
)

// splitInputs are the documents the property tests cut up: every table case
// plus the vendor snippets.
func splitInputs(t *testing.T) []string {
	var ins []string
	for _, tt := range rewriteCases {
		ins = append(ins, tt.in)
	}
	for _, tt := range foreignCases {
		ins = append(ins, tt.in)
	}
	for _, s := range snippets(t) {
		ins = append(ins, s.html)
	}
	return ins
}

// TestSplitAnywhere checks that the output does not depend on where the
// input is cut into writes: at every single offset, and at several random
// offsets at once.
func TestSplitAnywhere(t *testing.T) {
	const banner = `<div id="cg-banner">banner</div>`
	rng := rand.New(rand.NewPCG(1, 2))
	for _, ch := range []consent.Choices{{}, choices(t, consent.Analytics), all(t)} {
		for _, in := range splitInputs(t) {
			in = "<body class=x>" + in
			want := rewrite(t, ch, banner, in)
			for s := 0; s <= len(in); s++ {
				require.Equal(t, want, rewrite(t, ch, banner, in, s), "split at %d of %q", s, in)
			}
			for n := 0; n < 50; n++ {
				k := 1 + rng.IntN(6)
				splits := make([]int, k)
				for j := range splits {
					splits[j] = rng.IntN(len(in) + 1)
				}
				sortInts(splits)
				require.Equal(t, want, rewrite(t, ch, banner, in, splits...), "splits %v of %q", splits, in)
			}
			// One byte at a time.
			every := make([]int, len(in))
			for j := range every {
				every[j] = j
			}
			require.Equal(t, want, rewrite(t, ch, banner, in, every...), "byte by byte: %q", in)
		}
	}
}

func sortInts(a []int) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}
