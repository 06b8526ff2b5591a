package htmlgate

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/consentgate/consentgate/consent"
	"github.com/consentgate/consentgate/internal/htmlgate/htmlgatetest"
)

// TestMarkBlocksMatchesGo checks the platform's kernel against the plain Go
// reference on every length up to a few blocks, and that it writes only the
// words of whole blocks.
func TestMarkBlocksMatchesGo(t *testing.T) {
	forEachKernel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		const alphabet = "<<\"ab \n>\x00\xff\x80<"
		for n := 0; n <= 700; n++ {
			data := make([]byte, n)
			for i := range data {
				data[i] = alphabet[rng.IntN(len(alphabet))]
			}
			const sentinel = 0x5a5a5a5a5a5a5a5a
			got := make([]uint64, n/64+2)
			want := make([]uint64, n/64+2)
			for i := range got {
				got[i], want[i] = sentinel, sentinel
			}
			markBlocks(data, '<', got[:n/64])
			markBlocksGo(data, '<', want[:n/64])
			require.Equal(t, want, got, "length %d", n)
			for b := 0; b < n/64*64; b++ {
				require.Equal(t, data[b] == '<', got[b/64]>>(b%64)&1 == 1, "length %d byte %d", n, b)
			}
		}
	})
}

// TestMarksDoNotChangeOutput runs documents through the rewriter with and
// without the marks, written whole, in 4 KiB pieces and in random pieces, and
// requires the same output. The documents include ones longer than the marks
// cover in one step and text runs that cross 64-byte words.
func TestMarksDoNotChangeOutput(t *testing.T) {
	if !useMarks {
		t.Skip("no kernel on this platform: the rewriter never marks")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	docs := [][]byte{
		htmlgatetest.Page(100_000),
		htmlgatetest.Page(300_000), // past markedWrite and maxMarked in one write
		append(append([]byte("<body><script>"), bytes.Repeat([]byte("x = a < b;\n"), 20_000)...), "</script><p>after</p><img src=\"https://www.facebook.com/tr?id=1\">"...),
		[]byte(strings.Repeat("text without tags ", 10_000) + `<iframe src="https://www.youtube.com/embed/x"></iframe>`),
	}
	for _, tt := range rewriteCases {
		docs = append(docs, []byte(tt.in))
	}
	for range 300 {
		docs = append(docs, randomDoc(rng))
	}
	for _, ch := range []consent.Choices{{}, all(t)} {
		for _, doc := range docs {
			for _, size := range []int{len(doc) + 1, 4 << 10, 0} {
				useMarks = true
				with := rewriteSized(t, ch, doc, size, rng)
				useMarks = false
				without := rewriteSized(t, ch, doc, size, rng)
				useMarks = true
				if !bytes.Equal(with, without) {
					t.Fatalf("output differs with marks (pieces of %d) for %.200q…", size, doc)
				}
			}
		}
	}
}

// rewriteSized rewrites doc written in pieces of size bytes (0: random sizes
// from rng) and returns the output.
func rewriteSized(t *testing.T, ch consent.Choices, doc []byte, size int, rng *rand.Rand) []byte {
	t.Helper()
	var out bytes.Buffer
	var w Rewriter
	w.Reset(&out, ch, nil, []byte("<div>banner</div>"))
	for p := doc; len(p) > 0; {
		n := size
		if n == 0 {
			n = 1 + rng.IntN(300)
		}
		n = min(n, len(p))
		_, err := w.Write(p[:n])
		require.NoError(t, err)
		p = p[n:]
	}
	require.NoError(t, w.Close())
	return out.Bytes()
}

// randomDoc strings together markup that exercises the text skip: runs of
// text of every length, tags back to back, stray '<' and quotes, comments,
// scripts with '<' in them, and tags that need consent.
func randomDoc(rng *rand.Rand) []byte {
	pieces := []string{
		"<p>", "</p>", "<a href=\"/x\">", "</a>", "<li class=\"a b\">", "<br>", "<td>",
		"<img src=\"/i.png\" alt=\"<\">", "<img src=\"https://www.google-analytics.com/collect\">",
		"<script>gtag('config', 'G-1');</script>", "<script>if (a < b && c > d) {}</script>",
		"<!-- <script> -->", "<iframe src=\"https://www.youtube.com/embed/1\"></iframe>",
		"<noscript><img src=\"https://www.facebook.com/tr?id=1\"></noscript>", "<body class=\"x\">",
		" < ", "a<b", "\"", "'", "<", "\n", "<!doctype html>", "<style>a<b{}</style>", "</>", "<?x>",
	}
	var b []byte
	for range 1 + rng.IntN(200) {
		if rng.IntN(3) == 0 {
			n := rng.IntN(150)
			for range n {
				b = append(b, "abcdefgh  .,\n"[rng.IntN(13)])
			}
			continue
		}
		b = append(b, pieces[rng.IntN(len(pieces))]...)
	}
	return b
}

// FuzzMarksDoNotChangeOutput is TestMarksDoNotChangeOutput on inputs the fuzzer
// finds, written whole and in three pieces.
func FuzzMarksDoNotChangeOutput(f *testing.F) {
	for _, tt := range rewriteCases {
		f.Add([]byte(tt.in))
	}
	f.Add(htmlgatetest.Page(20_000))
	f.Fuzz(func(t *testing.T, doc []byte) {
		if !useMarks {
			t.Skip("no kernel on this platform")
		}
		defer func() { useMarks = true }()
		for _, splits := range [][]int{nil, {len(doc) / 3, 2 * len(doc) / 3}} {
			useMarks = true
			with := rewrite(t, consent.Choices{}, "<div>banner</div>", string(doc), splits...)
			useMarks = false
			without := rewrite(t, consent.Choices{}, "<div>banner</div>", string(doc), splits...)
			if with != without {
				t.Fatalf("output differs with marks (splits %v)\ninput: %q\nwith:    %q\nwithout: %q", splits, doc, with, without)
			}
		}
	})
}
