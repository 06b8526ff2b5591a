package middleware

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestContentTypeClass: each value list is classified as the more cautious
// of Chromium's reading and the Fetch standard's (see contenttype.go).
func TestContentTypeClass(t *testing.T) {
	tests := []struct {
		vals []string
		want mediaClass
	}{
		{[]string{"text/html"}, mediaHTML},
		{[]string{"TEXT/HTML; charset=UTF-8"}, mediaHTML},
		{[]string{" text/html ;charset=utf-8"}, mediaHTML},
		{[]string{"text/html; charset"}, mediaHTML}, // malformed parameter: still HTML to a browser
		{[]string{"text/html;;"}, mediaHTML},
		{[]string{"application/xhtml+xml"}, mediaXHTML},
		{[]string{"Application/XHTML+XML; charset=utf-8"}, mediaXHTML},
		{[]string{"text/html", "application/xhtml+xml"}, mediaXHTML},
		{[]string{"application/xhtml+xml", "text/html"}, mediaHTML},
		{[]string{"application/xml"}, mediaOther},
		{[]string{"text/plain"}, mediaOther},
		{[]string{"text/htmlx"}, mediaOther},
		{[]string{"application/json; profile=html"}, mediaOther},

		// The last member either reading can parse counts.
		{[]string{"text/plain", "text/html"}, mediaHTML},
		{[]string{"text/html", "text/plain"}, mediaOther},
		{[]string{"text/plain, text/html"}, mediaHTML},
		{[]string{"application/json;,text/html"}, mediaHTML},
		{[]string{"text/html, foo"}, mediaHTML},                    // no '/': neither parses it
		{[]string{"text/plain", "text/html garbage"}, mediaHTML},   // Chromium stops at the space
		{[]string{"text/plain", "text/html(comment)"}, mediaHTML},  // and at '('
		{[]string{"text/plain", "text/html\ngarbage"}, mediaHTML},  // net/http sends LF as a space
		{[]string{`text/plain; a="x, text/html"`}, mediaOther},     // a quoted comma splits nothing
		{[]string{`text/plain; a="x\", text/html"`}, mediaOther},   // nor an escaped quote ends the string
		{[]string{`text/plain; a="x`, `y", text/html`}, mediaHTML}, // Fetch: lines joined, the quote ends on the next
		{[]string{`text/html; a="x`, `text/plain"`}, mediaHTML},    // Fetch: lines joined, text/plain is quoted
		{[]string{"text/html", "*/*"}, mediaHTML},                  // */* skipped
		{[]string{"text/plain", " */* "}, mediaOther},              // whitespace around it too
		{[]string{"text/html", "te xt/plain"}, mediaHTML},          // neither parses "te"
		{[]string{"text/plain", "text/ html"}, mediaOther},         // Chromium reads "text/", Fetch skips it
		{[]string{"/html"}, mediaSniff},                            // Chromium reads "/html"; Fetch nothing, so it sniffs
		{[]string{"text/plain", "/html"}, mediaOther},

		// A type that says nothing: browsers sniff.
		{nil, mediaSniff},
		{[]string{}, mediaSniff},
		{[]string{""}, mediaSniff},
		{[]string{" ", ""}, mediaSniff},
		{[]string{"*/*"}, mediaSniff},
		{[]string{"*/*; q=1"}, mediaSniff}, // Chromium skips only a bare */*
		{[]string{"html"}, mediaSniff},
		{[]string{"unknown/unknown"}, mediaSniff},
		{[]string{"Application/Unknown"}, mediaSniff},
		{[]string{"text/html", "unknown/unknown"}, mediaSniff},
		{[]string{"text/html", "unknown/unknown", "text/html"}, mediaHTML},
		{[]string{"text/plain", "unknown/unknown"}, mediaSniff},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, contentTypeClass(tt.vals), "%q", tt.vals)
	}
}

// TestContentTypeClassAllocatesNothing: it runs on every response.
func TestContentTypeClassAllocatesNothing(t *testing.T) {
	vals := []string{"text/html; charset=utf-8"}
	assert.Zero(t, testing.AllocsPerRun(100, func() { contentTypeClass(vals) }))
}

// FuzzContentTypeClass: whatever comes before, a last Content-Type line of
// text/html is HTML to Chromium, which reads each line on its own, so the
// Gate must find it HTML too; and no value makes it panic.
func FuzzContentTypeClass(f *testing.F) {
	f.Add("text/plain", `a="b`)
	f.Add("application/json;,", "*/*")
	f.Add(`text/plain; a="x\`, "unknown/unknown, html")
	f.Fuzz(func(t *testing.T, a, b string) {
		contentTypeClass([]string{a, b})
		if got := contentTypeClass([]string{a, b, "text/html"}); got != mediaHTML {
			t.Fatalf("%q, %q then text/html: class %d", a, b, got)
		}
	})
}

// FuzzPlainMediaType: the shortcut for a usual single Content-Type value
// must classify it exactly as the two full readings do.
func FuzzPlainMediaType(f *testing.F) {
	for _, v := range []string{"text/html", "text/html; charset=utf-8", "TEXT/HTML;x", "text/plain", "*/*", "*/*;q=1",
		"unknown/unknown", "application/xhtml+xml", "text/html garbage", "text /html", " text/html", "text/html ",
		"text/html(x)", "/html", "text/", "a/b/c", `text/html;a="x,y"`, "text/html\t;charset=x", "text/plain, text/html"} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		mt, ok := plainMediaType(v)
		if !ok {
			return
		}
		var chromium, fetch string
		lastMediaTypes(v, &chromium, &fetch)
		if got, want := classOf(mt), max(classOf(chromium), classOf(fetch)); got != want {
			t.Fatalf("%q: shortcut class %d, readings %d (chromium %q, fetch %q)", v, got, want, chromium, fetch)
		}
	})
}
