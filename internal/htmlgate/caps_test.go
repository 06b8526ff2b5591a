package htmlgate

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentgate/consentgate/consent"
)

func TestBanner(t *testing.T) {
	const b = `<div class="cg">B</div>`
	tests := []struct{ name, in, want string }{
		{"after body", `<html><head></head><BODY class="a>b"><a href="#main">Skip</a>`, `<html><head></head><BODY class="a>b">` + b + `<a href="#main">Skip</a>`},
		{"only the first body", `<body><body>`, `<body>` + b + `<body>`},
		{"no body, nothing injected", `<p>fragment</p>`, `<p>fragment</p>`},
		{"not a body inside a comment or raw text", `<!-- <body> --><title><body></title><script>"<body>"</script><body>`, `<!-- <body> --><title><body></title><script>"<body>"</script><body>` + b},
		{"not <bodyx>", `<bodyx><body >`, `<bodyx><body >` + b},
		{"body cut at the end of input", `<body`, `<body`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, rewrite(t, consent.Choices{}, b, tt.in))
			assert.Equal(t, tt.want, rewrite(t, all(t), b, tt.in))
		})
	}
}

// TestBannerAfterGatedBody checks that the banner still follows a <body>
// whose background attribute was neutralised.
func TestBannerAfterGatedBody(t *testing.T) {
	const b = `<div class="cg">B</div>`
	in := `<body background="//www.facebook.com/tr"><p>x</p>`
	assert.Equal(t, `<body data-cg-category="marketing" data-cg-background="//www.facebook.com/tr">`+b+`<p>x</p>`,
		rewrite(t, consent.Choices{}, b, in))
	assert.Equal(t, `<body background="//www.facebook.com/tr">`+b+`<p>x</p>`, rewrite(t, all(t), b, in))
}

func TestCutAtEndOfInput(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"cut script tag fails closed", `<script src="/a.js"`, `<script type="text/plain" data-cg-category="analytics marketing" src="/a.js"`},
		{"cut tracker img", `<img src="https://www.facebook.com/tr?id=1`, `<img data-cg-category="marketing" data-cg-src="https://www.facebook.com/tr?id=1`},
		{"cut first-party img", `<img src="/a.png`, `<img src="/a.png`},
		{"inline script without end", `<script>fbq('init')`, `<script type="text/plain" data-cg-category="marketing">fbq('init')`},
		{"noscript without end", `<noscript><img src="//facebook.com/tr">`, ``},
		{"comment without end", `<!-- <script>fbq(1)</script>`, `<!-- <script>fbq(1)</script>`},
		{"half a comment opener", `<!-`, `<!-`},
		{"half an end tag", `<script>x</scri`, `<script>x</scri`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, rewrite(t, consent.Choices{}, "", tt.in))
		})
	}
}

func TestCaps(t *testing.T) {
	pad := strings.Repeat("x", MaxTag)
	big := strings.Repeat("var a = 1;\n", MaxInline/10)
	tests := []struct{ name, in, want string }{
		{"huge script tag neutralised",
			`<script data-x="` + pad + `" src="/a.js"></script><p>`,
			`<script type="text/plain" data-cg-category="analytics marketing" data-x="` + pad + `" src="/a.js"></script><p>`},
		{"huge img tag dropped",
			`<img alt="` + pad + `" src="/a.png"><p>`,
			`<p>`},
		{"huge svg feImage tag dropped",
			`<svg><filter><feImage href="https://www.facebook.com/tr?id=1" data-x="` + pad + `"/></filter></svg><p>`,
			`<svg><filter></filter></svg><p>`},
		{"huge svg use tag dropped",
			`<svg><use xlink:href="/sprite.svg#a" data-x="` + pad + `"/></svg><p>`,
			`<svg></svg><p>`},
		{"huge use tag outside svg passes: it fetches nothing there",
			`<use data-x="` + pad + `"><p>`,
			`<use data-x="` + pad + `"><p>`},
		{"huge div tag passes",
			`<div title="` + pad + `"><script>fbq(1)</script>`,
			`<div title="` + pad + `"><script type="text/plain" data-cg-category="marketing">fbq(1)</script>`},
		{"huge iframe tag replaced by a bare gated one, content still raw text",
			`<iframe title="` + pad + `"><script>x</script></iframe><p>`,
			`<iframe data-cg-category="analytics marketing"><script>x</script></iframe><p>`},
		{"huge body tag still gets the banner",
			`<body class="` + pad + `"><p>`,
			`<body class="` + pad + `">BANNER<p>`},
		{"huge inline script fails closed",
			`<script>` + big + `</script><p>`,
			`<script type="text/plain" data-cg-category="analytics marketing">` + big + `</script><p>`},
		{"huge inline script with data-consent keeps its declaration",
			`<script data-consent="essential">` + big + `</script><p>`,
			`<script data-consent="essential">` + big + `</script><p>`},
		{"huge labelled script with a tracker early is still gated",
			`<script data-consent="essential">fbq(1);` + big + `</script><p>`,
			`<script type="text/plain" data-cg-category="marketing" data-consent="essential">fbq(1);` + big + `</script><p>`},
		{"huge noscript removed",
			`<noscript><p>` + big + `</p></noscript><p>`,
			`<p>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, rewrite(t, consent.Choices{}, "BANNER", tt.in))
			for _, s := range []int{1, 7, len(tt.in) / 3, len(tt.in) / 2, len(tt.in) - 9} {
				assert.Equal(t, tt.want, rewrite(t, consent.Choices{}, "BANNER", tt.in, s, s+MaxTag/2), "split at %d", s)
			}
			if !strings.Contains(tt.name, "banner") {
				assert.Equal(t, tt.in, rewrite(t, all(t), "", tt.in))
			}
		})
	}
}

type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("disk on fire")
	}
	f.n--
	return len(p), nil
}

func TestDestinationError(t *testing.T) {
	var w Rewriter
	w.Reset(&failWriter{n: 1}, consent.Choices{}, nil, nil)
	_, err := w.Write([]byte(`<p>one</p>`))
	require.NoError(t, err)
	_, err = w.Write([]byte(`<p>two</p>`))
	require.EqualError(t, err, "disk on fire")
	_, err = w.Write([]byte(`<p>three</p>`))
	require.EqualError(t, err, "disk on fire")
	require.EqualError(t, w.Flush(), "disk on fire")
	require.EqualError(t, w.Close(), "disk on fire")
}

func TestWriteString(t *testing.T) {
	in := `<body><script>fbq(1)</script>` + strings.Repeat("<p>x</p>", 3000)
	var out bytes.Buffer
	var w Rewriter
	w.Reset(&out, consent.Choices{}, nil, []byte("B"))
	for _, part := range []string{in[:10], in[10:25], in[25:]} {
		n, err := w.WriteString(part)
		require.NoError(t, err)
		require.Equal(t, len(part), n)
	}
	require.NoError(t, w.Close())
	assert.Equal(t, rewrite(t, consent.Choices{}, "B", in), out.String())
	_, err := w.WriteString("x")
	require.ErrorIs(t, err, ErrClosed)
}

func TestWriteAfterClose(t *testing.T) {
	var out bytes.Buffer
	var w Rewriter
	w.Reset(&out, consent.Choices{}, nil, nil)
	require.NoError(t, w.Close())
	_, err := w.Write([]byte("x"))
	require.ErrorIs(t, err, ErrClosed)
}

// TestFlushWritesDecidedBytes checks that everything but the unfinished
// construct has reached the destination after each Write.
func TestFlushWritesDecidedBytes(t *testing.T) {
	var out bytes.Buffer
	var w Rewriter
	w.Reset(&out, consent.Choices{}, nil, []byte("B"))
	_, _ = w.Write([]byte(`<body><p>Hello</p><img src="https://www.facebo`))
	require.NoError(t, w.Flush())
	assert.Equal(t, `<body>B<p>Hello</p>`, out.String())
	_, _ = w.Write([]byte(`ok.com/tr"><script>fbq(`))
	require.NoError(t, w.Flush())
	assert.Equal(t, `<body>B<p>Hello</p><img data-cg-category="marketing" data-cg-src="https://www.facebook.com/tr">`, out.String())
	_, _ = w.Write([]byte(`1)</script>tail`))
	require.NoError(t, w.Flush())
	assert.Equal(t, `<body>B<p>Hello</p><img data-cg-category="marketing" data-cg-src="https://www.facebook.com/tr"><script type="text/plain" data-cg-category="marketing">fbq(1)</script>tail`, out.String())
	require.NoError(t, w.Close())
}

func TestResetReuses(t *testing.T) {
	var w Rewriter
	var a, b bytes.Buffer
	w.Reset(&a, consent.Choices{}, nil, nil)
	_, _ = w.Write([]byte(`<script>fbq(`))
	// Abandoned half-way: Reset must forget everything.
	w.Reset(&b, all(t), nil, nil)
	_, _ = w.Write([]byte(`<p>x</p>`))
	require.NoError(t, w.Close())
	assert.Equal(t, `<p>x</p>`, b.String())
	assert.Empty(t, a.String())
}
