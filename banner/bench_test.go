package banner

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Each benchmark has a baseline in the same run: the cheapest way to do the
// same job, so the figure that matters is the gap between them.

// BannerNeeded runs for every HTML response the Gate serves; its baseline is
// reading the consent cookie, which it cannot avoid.
func BenchmarkBannerNeeded(b *testing.B) {
	f := newFixture(b, nil)
	decided := httptest.NewRequest(http.MethodGet, "/news", nil)
	decided.AddCookie(f.decided(b))
	undecided := httptest.NewRequest(http.MethodGet, "/news", nil)
	undecided.Header.Set("Cookie", "session=abc; _ga=GA1.1.1")
	b.Run("baseline-codec-read-decided", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			_, _ = f.codec.Read(decided)
		}
	})
	b.Run("decided", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if f.b.BannerNeeded(decided) {
				b.Fatal("banner needed")
			}
		}
	})
	b.Run("undecided", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if !f.b.BannerNeeded(undecided) {
				b.Fatal("banner not needed")
			}
		}
	})
}

// RenderBanner runs for every page an undecided visitor sees; its baseline
// is copying an already-rendered banner of the same size.
func BenchmarkRenderBanner(b *testing.B) {
	f := newFixture(b, nil)
	r := httptest.NewRequest(http.MethodGet, "/news/article?id=42", nil)
	var sb strings.Builder
	if err := f.b.RenderBanner(&sb, r); err != nil {
		b.Fatal(err)
	}
	rendered := sb.String()
	b.Run("baseline-copy", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(rendered)))
		for i := 0; i < b.N; i++ {
			_, _ = io.WriteString(io.Discard, rendered)
		}
	})
	b.Run("render", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(rendered)))
		for i := 0; i < b.N; i++ {
			if err := f.b.RenderBanner(io.Discard, r); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// Head runs for every page.
func BenchmarkHead(b *testing.B) {
	f := newFixture(b, nil)
	r := httptest.NewRequest(http.MethodGet, "/news", nil)
	r.AddCookie(f.decided(b))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = f.b.Head(r)
	}
}

// QuickExit runs on every page of a site that shows the control; its
// baseline is executing the template, as every call did before New
// rendered it once per language.
func BenchmarkQuickExit(b *testing.B) {
	f := newFixture(b, func(o *Options) { o.QuickExit.Enabled = true })
	r := httptest.NewRequest(http.MethodGet, "/news", nil)
	r.AddCookie(f.decided(b))
	b.Run("baseline-template", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var sb strings.Builder
			if err := f.b.executeQuickExit(&sb, f.b.lang(r)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if f.b.QuickExit(r) == "" {
				b.Fatal("no quick exit")
			}
		}
	})
}
