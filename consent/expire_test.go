package consent_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/consentgate/consentgate/consent"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func expirePolicy() consent.Policy {
	t := consent.Text{EN: "x", CY: "y"}
	info := func(id consent.Category) consent.CategoryInfo {
		return consent.CategoryInfo{ID: id, Title: t, Description: t}
	}
	ck := func(name string, cat consent.Category) consent.Cookie {
		return consent.Cookie{Name: name, Category: cat, Provider: consent.Provider{Name: "P"}, Purpose: t, Expiry: consent.Expiry{Text: t}}
	}
	return consent.Policy{
		Revision:   1,
		Categories: []consent.CategoryInfo{info(consent.Essential), info(consent.Analytics), info(consent.Marketing)},
		Cookies: []consent.Cookie{
			ck("cookie_consent", consent.Essential),
			ck("session", consent.Essential),
			ck("_ga", consent.Analytics),
			ck("_gid", consent.Analytics),
			ck("_ga_*", consent.Analytics),
			ck("_fbp", consent.Marketing),
			ck("__Host-track", consent.Marketing),
		},
	}
}

func TestAppendExpirations(t *testing.T) {
	cat, err := consent.NewCatalogue(expirePolicy())
	require.NoError(t, err)
	analyticsOnly, err := cat.Decide(consent.Choices{}, []consent.Category{consent.Analytics}, time.Now())
	require.NoError(t, err)
	all, err := cat.Decide(consent.Choices{}, []consent.Category{consent.Analytics, consent.Marketing}, time.Now())
	require.NoError(t, err)

	const epoch = "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
	tests := []struct {
		name    string
		cookies []string
		ch      consent.Choices
		domain  string
		paths   []string
		max     int
		want    []string
	}{
		{name: "no cookies", want: nil, max: 10},
		{name: "essential and unknown untouched", cookies: []string{"session=1; cookie_consent=abc; mystery=2"}, max: 10},
		{name: "undecided expires trackers host-only", cookies: []string{"_ga=GA1.1; session=1"}, max: 10,
			want: []string{"_ga=; Path=/" + epoch}},
		{name: "domain variant", cookies: []string{"_ga=GA1.1"}, domain: "leics.police.uk", max: 10,
			want: []string{"_ga=; Path=/" + epoch, "_ga=; Path=/; Domain=leics.police.uk" + epoch}},
		{name: "paths", cookies: []string{"_fbp=fb.1"}, paths: []string{"/news"}, domain: "example.org", max: 10,
			want: []string{"_fbp=; Path=/" + epoch, "_fbp=; Path=/news" + epoch,
				"_fbp=; Path=/; Domain=example.org" + epoch, "_fbp=; Path=/news; Domain=example.org" + epoch}},
		{name: "pattern names", cookies: []string{"_ga_ABC123=GS1"}, max: 10,
			want: []string{"_ga_ABC123=; Path=/" + epoch}},
		{name: "accepted category kept", cookies: []string{"_ga=1; _fbp=2"}, ch: analyticsOnly, max: 10,
			want: []string{"_fbp=; Path=/" + epoch}},
		{name: "everything accepted", cookies: []string{"_ga=1; _fbp=2"}, ch: all, max: 10},
		{name: "GPC refusal expires", cookies: []string{"_gid=1"}, ch: cat.GPCRefusal(), max: 10,
			want: []string{"_gid=; Path=/" + epoch}},
		{name: "duplicates once", cookies: []string{"_ga=1; _ga=2", "_ga=3"}, max: 10,
			want: []string{"_ga=; Path=/" + epoch}},
		{name: "bound is per whole cookie", cookies: []string{"_ga=1; _gid=2; _fbp=3"}, domain: "example.org", max: 5,
			want: []string{"_ga=; Path=/" + epoch, "_ga=; Path=/; Domain=example.org" + epoch,
				"_gid=; Path=/" + epoch, "_gid=; Path=/; Domain=example.org" + epoch}},
		{name: "zero bound", cookies: []string{"_ga=1"}, max: 0},
		{name: "odd spacing and empty parts", cookies: []string{" ;;  _gid =x ;=;_ga"}, max: 10,
			want: []string{"_gid=; Path=/" + epoch, "_ga=; Path=/" + epoch}},
		{name: "hostile pattern suffix not echoed", cookies: []string{"_ga_a\"b=1; _ga_x,y=2; _ga_ok=3"}, max: 10,
			want: []string{"_ga_ok=; Path=/" + epoch}},
		{name: "prefixed name needs Secure", cookies: []string{"__Host-track=1"}, max: 10,
			want: []string{"__Host-track=; Path=/" + epoch + "; Secure"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for _, c := range tt.cookies {
				h.Add("Cookie", c)
			}
			got := cat.AppendExpirations(nil, h, tt.ch, tt.domain, tt.paths, tt.max)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestAppendExpirationsKeepsDst(t *testing.T) {
	cat, err := consent.NewCatalogue(expirePolicy())
	require.NoError(t, err)
	h := http.Header{"Cookie": {"_ga=1; _gid=2"}}
	dst := []string{"other=1"}
	got := cat.AppendExpirations(dst, h, consent.Choices{}, "", nil, 2)
	// The bound counts what dst already holds.
	require.Len(t, got, 2)
	assert.Equal(t, "other=1", got[0])
	assert.Contains(t, got[1], "_ga=;")
}

func TestAppendExpirationsNoAllocs(t *testing.T) {
	cat, err := consent.NewCatalogue(expirePolicy())
	require.NoError(t, err)
	all, err := cat.Decide(consent.Choices{}, []consent.Category{consent.Analytics, consent.Marketing}, time.Now())
	require.NoError(t, err)
	h := http.Header{"Cookie": {"session=1; _ga=GA1.2.3; cookie_consent=abc; _fbp=fb.1"}}
	var dst []string
	allocs := testing.AllocsPerRun(100, func() {
		dst = cat.AppendExpirations(dst[:0], h, all, "example.org", nil, 10)
	})
	// Not under -race's sync.Pool caveat: nothing here is pooled.
	assert.Zero(t, allocs)
	assert.Empty(t, dst)
}
