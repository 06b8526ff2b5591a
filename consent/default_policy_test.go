package consent

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultPolicyValidates(t *testing.T) {
	p := DefaultPolicy()
	assert.Equal(t, uint32(1), p.Revision)
	cat, err := NewCatalogue(p)
	require.NoError(t, err)
	assert.Equal(t, []Category{Analytics, Marketing}, cat.Optional(),
		"preferences is left out: no default cookie belongs to it")
	for _, info := range cat.Categories() {
		assert.True(t, info.Title.complete() && info.Description.complete(), info.ID)
		assert.NotEqual(t, info.Title.EN, info.Title.CY)
		assert.NotEqual(t, info.Description.EN, info.Description.CY)
	}
}

func TestDefaultPolicyEntries(t *testing.T) {
	cat, err := NewCatalogue(DefaultPolicy())
	require.NoError(t, err)
	const (
		session = -1 // want a session cookie
		unknown = 0
	)
	tests := []struct {
		name       string
		entry      string // the catalogue entry the name resolves to
		category   Category
		lifetime   time.Duration
		thirdParty bool
	}{
		// Essential, first party.
		{"session", "session", Essential, session, false},
		{"csrftoken", "csrftoken", Essential, 52 * 7 * 24 * time.Hour, false},
		{"XSRF-TOKEN", "XSRF-TOKEN", Essential, session, false},
		{"cookie_consent", "cookie_consent", Essential, DefaultMaxAge, false},
		{"cookie_consent_csrf", "cookie_consent_csrf", Essential, session, false},
		{"cookie_consent_flash", "cookie_consent_flash", Essential, 5 * time.Minute, false},
		// Essential, the recruitment portal on tal.net.
		{"wcn_session", "wcn_session", Essential, session, true},
		{"Crsf-token", "Crsf-token", Essential, session, true},
		{"idservice_session", "idservice_session", Essential, session, true},
		// Google Analytics.
		{"_ga", "_ga", Analytics, 2 * 365 * 24 * time.Hour, false},
		{"_ga_ABC123XYZ", "_ga_*", Analytics, 2 * 365 * 24 * time.Hour, false},
		{"_gid", "_gid", Analytics, 24 * time.Hour, false},
		{"_gat", "_gat", Analytics, time.Minute, false},
		{"_gat_UA-12345-1", "_gat_*", Analytics, time.Minute, false},
		{"_dc_gtm_UA-12345-1", "_dc_gtm_*", Analytics, time.Minute, false},
		{"__utma", "__utma", Analytics, 2 * 365 * 24 * time.Hour, false},
		{"__utmb", "__utmb", Analytics, 30 * time.Minute, false},
		{"__utmc", "__utmc", Analytics, session, false},
		{"__utmt", "__utmt", Analytics, 10 * time.Minute, false},
		{"__utmv", "__utmv", Analytics, 2 * 365 * 24 * time.Hour, false},
		{"__utmz", "__utmz", Analytics, 180 * 24 * time.Hour, false},
		// Google Ads, Floodlight, Doubleclick.
		{"_gcl_au", "_gcl_au", Marketing, 90 * 24 * time.Hour, false},
		{"_gcl_aw", "_gcl_aw", Marketing, 90 * 24 * time.Hour, false},
		{"_gcl_dc", "_gcl_dc", Marketing, 90 * 24 * time.Hour, false},
		{"_gac_UA-12345-1", "_gac_*", Marketing, 90 * 24 * time.Hour, false},
		{"IDE", "IDE", Marketing, 390 * 24 * time.Hour, true},
		{"test_cookie", "test_cookie", Marketing, 15 * time.Minute, true},
		{"DSID", "DSID", Marketing, 14 * 24 * time.Hour, true},
		// Meta Pixel.
		{"_fbp", "_fbp", Marketing, 90 * 24 * time.Hour, false},
		{"_fbc", "_fbc", Marketing, 90 * 24 * time.Hour, false},
		{"fr", "fr", Marketing, 90 * 24 * time.Hour, true},
		// YouTube embeds.
		{"VISITOR_INFO1_LIVE", "VISITOR_INFO1_LIVE", Marketing, 180 * 24 * time.Hour, true},
		{"YSC", "YSC", Marketing, session, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ck, ok := cat.Lookup(tt.name)
			require.True(t, ok)
			assert.Equal(t, tt.entry, ck.Name)
			assert.Equal(t, tt.category, ck.Category)
			assert.Equal(t, tt.thirdParty, ck.Provider.ThirdParty)
			if tt.lifetime == session {
				assert.True(t, ck.Expiry.Session)
				assert.Zero(t, ck.Expiry.Duration)
			} else {
				assert.False(t, ck.Expiry.Session)
				assert.Equal(t, tt.lifetime, ck.Expiry.Duration)
			}
			if ck.Category == Essential {
				assert.False(t, ck.Provider.Advertising)
			}
			// Both languages really written, not one copied into the other.
			assert.NotEqual(t, ck.Purpose.EN, ck.Purpose.CY)
			assert.NotEqual(t, ck.Expiry.Text.EN, ck.Expiry.Text.CY)
			assert.True(t, strings.HasSuffix(ck.Purpose.EN, ".") && strings.HasSuffix(ck.Purpose.CY, "."), "purposes are sentences")
			if ck.Provider.ThirdParty {
				assert.NotEmpty(t, ck.Provider.Domain, "a third party's domain is shown to visitors")
			}
		})
	}
	assert.Len(t, cat.Cookies(), len(tests), "every default entry is covered above")

	for _, name := range []string{"_gaX", "_fbq", "JSESSIONID", "PHPSESSID", "ASP.NET_SessionId"} {
		_, ok := cat.Lookup(name)
		assert.False(t, ok, "%s is not in the default catalogue", name)
	}
}

func TestDefaultPolicyIsAFreshCopy(t *testing.T) {
	a := DefaultPolicy()
	a.Revision = 9
	a.Categories[0].Title.EN = "changed"
	a.Cookies[0].Name = "changed"
	a.Cookies[0].Provider.Label.CY = "changed"
	a.Cookies = append(a.Cookies[:1], a.Cookies[2:]...) // shifts the shared backing array, if any

	b := DefaultPolicy()
	assert.Equal(t, uint32(1), b.Revision)
	assert.Equal(t, "Strictly necessary cookies", b.Categories[0].Title.EN)
	assert.Equal(t, "session", b.Cookies[0].Name)
	assert.Equal(t, "Y wefan hon", b.Cookies[0].Provider.Label.CY)
	assert.Equal(t, "csrftoken", b.Cookies[1].Name)
	_, err := NewCatalogue(b)
	require.NoError(t, err)
}

func TestDefaultPolicyExtends(t *testing.T) {
	p := DefaultPolicy()
	prefs, ok := BuiltInCategory(Preferences)
	require.True(t, ok)
	p.Categories = append(p.Categories, prefs)
	p.Cookies = append(p.Cookies, Cookie{
		Name: "text_size", Category: Preferences,
		Provider: Provider{Name: "This website", Label: Text{EN: "This website", CY: "Y wefan hon"}},
		Purpose:  Text{EN: "Remembers the text size you chose.", CY: "Yn cofio maint y testun a ddewisoch."},
		Expiry:   Expiry{Duration: 365 * 24 * time.Hour, Text: Text{EN: "1 year", CY: "1 flwyddyn"}},
	}, Cookie{
		Name: "PHPSESSID", Category: Essential, Provider: Provider{Name: "Our site"},
		Purpose: Text{EN: "Session.", CY: "Sesiwn."},
		Expiry:  Expiry{Session: true, Text: Text{EN: "Session", CY: "Sesiwn"}},
	})
	p.Revision = 2
	cat, err := NewCatalogue(p)
	require.NoError(t, err)
	assert.Equal(t, []Category{Analytics, Marketing, Preferences}, cat.Optional())
	ck, ok := cat.Lookup("text_size")
	require.True(t, ok)
	assert.Equal(t, Preferences, ck.Category)
}

func TestBuiltInCategory(t *testing.T) {
	for _, id := range []Category{Essential, Preferences, Analytics, Marketing} {
		info, ok := BuiltInCategory(id)
		require.True(t, ok, id)
		assert.Equal(t, id, info.ID)
		assert.True(t, info.Title.complete(), id)
		assert.True(t, info.Description.complete(), id)
	}
	ess, _ := BuiltInCategory(Essential)
	assert.Equal(t, "Cwcis hollol angenrheidiol", ess.Title.CY)
	_, ok := BuiltInCategory("functional")
	assert.False(t, ok)
}
