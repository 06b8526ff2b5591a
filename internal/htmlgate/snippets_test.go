package htmlgate

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentgate/consentgate/consent"
)

var update = flag.Bool("update", false, "rewrite testdata/gated/* from the current output")

type snippet struct{ name, html, gated string }

// snippets loads the vendors' published snippets from testdata and what each
// must become for a visitor who has not consented (testdata/gated).
func snippets(t *testing.T) []snippet {
	t.Helper()
	files, err := filepath.Glob("testdata/*.html")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	var out []snippet
	for _, f := range files {
		in, err := os.ReadFile(f)
		require.NoError(t, err)
		g, _ := os.ReadFile(filepath.Join("testdata", "gated", filepath.Base(f)))
		out = append(out, snippet{name: filepath.Base(f), html: string(in), gated: string(g)})
	}
	return out
}

func TestVendorSnippets(t *testing.T) {
	for _, s := range snippets(t) {
		t.Run(s.name, func(t *testing.T) {
			got := rewrite(t, consent.Choices{}, "", s.html)
			if *update {
				require.NoError(t, os.MkdirAll("testdata/gated", 0o755))
				require.NoError(t, os.WriteFile(filepath.Join("testdata", "gated", s.name), []byte(got), 0o644))
				return
			}
			assert.Equal(t, s.gated, got)
			assert.NotEqual(t, s.html, got, "the snippet must be neutralised without consent")
			assert.Equal(t, s.html, rewrite(t, all(t), "", s.html), "with consent the snippet passes byte for byte")
			// Every script left must be neutralised, and no pixel may keep a src.
			assert.NotContains(t, got, "<img src")
			assert.NotContains(t, got, "<noscript")
			for _, part := range strings.Split(got, "<script")[1:] {
				assert.True(t, strings.HasPrefix(part, ` type="text/plain" data-cg-category="`), "script left runnable: %q", part)
			}
		})
	}
}

// TestVendorSnippetsPartialConsent checks each snippet against a visitor who
// accepted one category: a tag is kept only when everything it needs is allowed.
func TestVendorSnippetsPartialConsent(t *testing.T) {
	analytics := choices(t, consent.Analytics)
	marketing := choices(t, consent.Marketing)
	tests := []struct {
		file                   string
		withAnalytics, withMkt bool // passes untouched with just that category
	}{
		{"ga4-gtag.html", true, false},
		{"universal-analytics.html", true, false},
		{"meta-pixel.html", false, true},
		{"gtm-head.html", false, false},
		{"gtm-body.html", false, false},
		{"floodlight.html", false, true},
		{"youtube-embed.html", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			in, err := os.ReadFile(filepath.Join("testdata", tt.file))
			require.NoError(t, err)
			assert.Equal(t, tt.withAnalytics, rewrite(t, analytics, "", string(in)) == string(in))
			assert.Equal(t, tt.withMkt, rewrite(t, marketing, "", string(in)) == string(in))
		})
	}
}
