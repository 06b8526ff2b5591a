package banner

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/consentgate/consentgate/consent"
	"github.com/stretchr/testify/assert"
)

func TestDefaultLanguage(t *testing.T) {
	for _, tc := range []struct {
		target, accept string
		want           consent.Lang
	}{
		{"/", "", consent.English},
		{"/cy", "", consent.Welsh},
		{"/cy/newyddion", "en", consent.Welsh},
		{"/cymru", "", consent.English},
		{"/news?lang=cy", "", consent.Welsh},
		{"/news?lang=CY", "", consent.Welsh},
		{"/news?lang=en", "cy", consent.English},
		{"/news?lang=fr", "cy", consent.Welsh},
		{"/", "cy-GB,en;q=0.8", consent.Welsh},
		{"/", "en-GB,cy;q=0.9", consent.English},
		{"/", "fr, cy;q=0.5, en;q=0.4", consent.Welsh},
		{"/", "cy;q=0, en;q=0.1", consent.English},
		{"/", "cy;q=bogus", consent.English},
		{"/", ";;,,=", consent.English},
	} {
		r := httptest.NewRequest(http.MethodGet, tc.target, nil)
		if tc.accept != "" {
			r.Header.Set("Accept-Language", tc.accept)
		}
		assert.Equal(t, tc.want, DefaultLanguage(r), "%s %q", tc.target, tc.accept)
	}
}

func TestLanguageCallback(t *testing.T) {
	f := newFixture(t, func(o *Options) {
		o.Language = func(r *http.Request) consent.Lang {
			if r.Host == "heddlu.example" {
				return consent.Welsh
			}
			return consent.English
		}
	})
	r := httptest.NewRequest(http.MethodGet, "http://heddlu.example/", nil)
	assert.Contains(t, f.renderBanner(t, r), `lang="cy"`)
	r = httptest.NewRequest(http.MethodGet, "http://heddlu.example/cookies", nil)
	assert.Contains(t, f.serve(r).Body.String(), `<html lang="cy">`, "the callback decides on the English path too")
	r = httptest.NewRequest(http.MethodGet, "http://example.com/cy/cookies", nil)
	assert.Contains(t, f.serve(r).Body.String(), `<html lang="cy">`, "the Welsh path is always Welsh")
}
