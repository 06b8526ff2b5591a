package consentlog

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

var (
	dollarN       = regexp.MustCompile(`\$[0-9]+`)
	questionDigit = regexp.MustCompile(`\?[0-9]`)
)

// FuzzRebind: PostgreSQL numbering only ever replaces ? with $n, so undoing
// it gives the query back, and SQLite queries pass through untouched.
func FuzzRebind(f *testing.F) {
	for _, s := range []string{"SELECT ?", "'?' ? \"?\" -- ?\n ?", "'", "--", "??", "'it''s' ?"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		// A $ in the input, or a digit after a ?, would make the mapping
		// back ambiguous; neither occurs in this package's queries.
		if strings.Contains(q, "$") || questionDigit.MatchString(q) {
			t.Skip()
		}
		if got := SQLite.rebind(q); got != q {
			t.Fatalf("SQLite changed %q to %q", q, got)
		}
		pg := PostgreSQL.rebind(q)
		if back := dollarN.ReplaceAllString(pg, "?"); back != q {
			t.Fatalf("rebind(%q) = %q, which does not map back", q, pg)
		}
	})
}

// FuzzCleanText: whatever a visitor sends as a path or user agent, what is
// stored is valid UTF-8, free of control characters and within its limit.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"/news?q=1", "a\x00b", "\xff\xfe", "é", "/cy/ynglŷn"} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 0 || max > 4096 {
			t.Skip()
		}
		got := cleanText(s, max)
		if !utf8.ValidString(got) || len(got) > max {
			t.Fatalf("cleanText(%q, %d) = %q", s, max, got)
		}
		for _, r := range got {
			if r < 0x20 || r == 0x7f {
				t.Fatalf("cleanText(%q) kept control %U", s, r)
			}
		}
		p := cleanPath(s)
		if strings.ContainsAny(p, "?#") {
			t.Fatalf("cleanPath(%q) = %q keeps a query or fragment", s, p)
		}
	})
}
