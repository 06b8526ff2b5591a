package consent

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// entry returns a valid cookie entry for tests to spoil.
func entry(name string, cat Category) Cookie {
	t := Text{EN: "x", CY: "y"}
	return Cookie{Name: name, Category: cat, Provider: Provider{Name: "P"}, Purpose: t, Expiry: Expiry{Text: t}}
}

func TestNewCatalogueRejectsBadPolicies(t *testing.T) {
	tests := []struct {
		name    string
		spoil   func(p *Policy)
		entry   string // must appear in the error, naming the offender
		problem string
	}{
		{"duplicate exact name", func(p *Policy) {
			p.Cookies = append(p.Cookies, entry("_ga", Analytics))
		}, `cookie "_ga"`, "listed twice"},
		{"duplicate pattern", func(p *Policy) {
			p.Cookies = append(p.Cookies, entry("_ga_*", Analytics))
		}, `cookie "_ga_*"`, "listed twice"},
		{"pattern shadows an exact entry of another category", func(p *Policy) {
			p.Cookies = append(p.Cookies, entry("_g*", Marketing))
		}, `cookie "_g*"`, `also matches "_ga", which is analytics`},
		{"pattern shadows a pattern of another category", func(p *Policy) {
			p.Cookies = append(p.Cookies, entry("_ga_X*", Marketing))
		}, `cookie "_ga_*"`, `also matches "_ga_X*"`},
		{"pattern equal to an exact name of another category", func(p *Policy) {
			p.Cookies = append(p.Cookies, entry("_ga*", Marketing))
		}, `cookie "_ga*"`, "also matches"},
		{"missing English purpose", func(p *Policy) {
			p.Cookies[0].Purpose.EN = ""
		}, `cookie "_ga"`, "purpose needs English and Welsh"},
		{"missing Welsh purpose", func(p *Policy) {
			p.Cookies[1].Purpose.CY = ""
		}, `cookie "_ga_*"`, "purpose needs English and Welsh"},
		{"white-space purpose", func(p *Policy) {
			p.Cookies[0].Purpose.CY = " \t\n"
		}, `cookie "_ga"`, "purpose"},
		{"missing expiry", func(p *Policy) {
			p.Cookies[0].Expiry = Expiry{}
		}, `cookie "_ga"`, "expiry needs English and Welsh"},
		{"missing Welsh expiry", func(p *Policy) {
			p.Cookies[0].Expiry.Text.CY = ""
		}, `cookie "_ga"`, "expiry needs English and Welsh"},
		{"negative expiry", func(p *Policy) {
			p.Cookies[0].Expiry.Duration = -1
		}, `cookie "_ga"`, "negative"},
		{"session cookie with a duration", func(p *Policy) {
			p.Cookies[0].Expiry.Session = true
			p.Cookies[0].Expiry.Duration = 1
		}, `cookie "_ga"`, "both a session cookie and a duration"},
		{"unknown category", func(p *Policy) {
			p.Cookies = append(p.Cookies, entry("theme", Preferences))
		}, `cookie "theme"`, `unknown category "preferences"`},
		{"missing category", func(p *Policy) {
			p.Cookies = append(p.Cookies, entry("theme", ""))
		}, `cookie "theme"`, "category missing"},
		{"missing provider", func(p *Policy) {
			p.Cookies[0].Provider.Name = " "
		}, `cookie "_ga"`, "provider missing"},
		{"half-translated provider label", func(p *Policy) {
			p.Cookies[0].Provider.Label = Text{EN: "This website"}
		}, `cookie "_ga"`, "provider label"},
		{"essential cookie from a third-party advertiser", func(p *Policy) {
			ck := entry("IDE", Essential)
			ck.Provider = Provider{Name: "Doubleclick", ThirdParty: true, Advertising: true}
			p.Cookies = append(p.Cookies, ck)
		}, `cookie "IDE"`, "advertiser's cookie cannot be essential"},
		{"essential cookie from a first-party advertiser's tag", func(p *Policy) {
			// The Meta Pixel sets _fbp on the site's own domain: still advertising.
			ck := entry("_fbp", Essential)
			ck.Provider = Provider{Name: "Meta", Advertising: true}
			p.Cookies = append(p.Cookies, ck)
		}, `cookie "_fbp"`, "advertiser's cookie cannot be essential"},
		{"empty cookie name", func(p *Policy) {
			p.Cookies = append(p.Cookies, entry("", Analytics))
		}, `cookie ""`, "valid cookie name"},
		{"bare star", func(p *Policy) {
			p.Cookies = append(p.Cookies, entry("*", Analytics))
		}, `cookie "*"`, "valid cookie name"},
		{"star inside a name", func(p *Policy) {
			p.Cookies = append(p.Cookies, entry("_g*a*", Analytics))
		}, `cookie "_g*a*"`, "valid cookie name"},
		{"separator in a name", func(p *Policy) {
			p.Cookies = append(p.Cookies, entry("a;b", Analytics))
		}, `cookie "a;b"`, "valid cookie name"},
		{"space in a name", func(p *Policy) {
			p.Cookies = append(p.Cookies, entry("a b", Analytics))
		}, `cookie "a b"`, "valid cookie name"},
		{"non-ASCII name", func(p *Policy) {
			p.Cookies = append(p.Cookies, entry("cwci_ŵ", Analytics))
		}, `cookie "cwci_ŵ"`, "valid cookie name"},
		{"no essential category", func(p *Policy) {
			p.Categories = p.Categories[1:]
		}, `category "essential"`, "missing"},
		{"category listed twice", func(p *Policy) {
			p.Categories = append(p.Categories, p.Categories[1])
		}, `category "analytics"`, "listed twice"},
		{"category ID with capitals", func(p *Policy) {
			p.Categories[2].ID = "Marketing"
		}, `category "Marketing"`, "lower-case"},
		{"empty category ID", func(p *Policy) {
			p.Categories[2].ID = ""
		}, `category ""`, "lower-case"},
		{"category title without Welsh", func(p *Policy) {
			p.Categories[1].Title.CY = ""
		}, `category "analytics"`, "title needs English and Welsh"},
		{"category description without English", func(p *Policy) {
			p.Categories[2].Description.EN = ""
		}, `category "marketing"`, "description needs English and Welsh"},
		{"too many optional categories", func(p *Policy) {
			for i := 0; i < maxOptionalCategories; i++ {
				p.Categories = append(p.Categories, CategoryInfo{ID: Category(fmt.Sprintf("extra-%d", i)), Title: p.Categories[0].Title, Description: p.Categories[0].Description})
			}
		}, `category "extra-30"`, "more than 32 optional categories"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPolicy()
			tt.spoil(&p)
			cat, err := NewCatalogue(p)
			require.Error(t, err)
			assert.Nil(t, cat)
			var ce *CatalogueError
			require.True(t, errors.As(err, &ce), "error %T is not a *CatalogueError", err)
			assert.Equal(t, tt.entry, ce.Entry)
			assert.Contains(t, ce.Problem, tt.problem)
			assert.Contains(t, err.Error(), tt.entry, "the message names the entry")
		})
	}
}

func TestNewCatalogueAcceptsOverlapWithinACategory(t *testing.T) {
	p := testPolicy()
	// _ga* overlaps _ga and _ga_* but all three are analytics: harmless.
	p.Cookies = append(p.Cookies, entry("_ga*", Analytics), entry("__utm*", Analytics), entry("__utmz", Analytics))
	_, err := NewCatalogue(p)
	require.NoError(t, err)
}

func TestNewCatalogueCopiesThePolicy(t *testing.T) {
	p := testPolicy()
	cat, err := NewCatalogue(p)
	require.NoError(t, err)
	p.Cookies[0].Name = "changed"
	p.Cookies[0].Category = Marketing
	p.Categories[1].Title.EN = "changed"
	ck, ok := cat.Lookup("_ga")
	require.True(t, ok)
	assert.Equal(t, Analytics, ck.Category)
	assert.Equal(t, "x", cat.Categories()[1].Title.EN)
}

func TestLookup(t *testing.T) {
	p := testPolicy()
	specific := entry("_ga_SPECIAL", Analytics)
	specific.Purpose.EN = "specific"
	p.Cookies = append(p.Cookies, specific, entry("_g*", Analytics), entry("__utm*", Analytics), entry("fr", Marketing))
	cat, err := NewCatalogue(p)
	require.NoError(t, err)

	tests := []struct {
		name  string
		want  string // entry name; "" = not found
		found bool
	}{
		{"_ga", "_ga", true},                 // exact
		{"_ga_SPECIAL", "_ga_SPECIAL", true}, // exact beats the matching pattern _ga_*
		{"_ga_ABC123", "_ga_*", true},        // longest pattern wins over _g*
		{"_ga_", "_ga_*", true},              // a pattern's prefix alone matches it
		{"_gid", "_g*", true},
		{"_gat_UA-1", "_g*", true},
		{"__utma", "__utm*", true},
		{"fr", "fr", true},
		{"fr2", "", false}, // exact entries are not prefixes
		{"f", "", false},
		{"_G", "", false}, // names are case-sensitive
		{"_GA", "", false},
		{"", "", false},
		{"session", "", false},
		{"x_ga", "", false}, // patterns anchor at the start
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ck, ok := cat.Lookup(tt.name)
			require.Equal(t, tt.found, ok)
			if !tt.found {
				assert.Nil(t, ck)
				return
			}
			assert.Equal(t, tt.want, ck.Name)
		})
	}
}

func TestCatalogueAccessors(t *testing.T) {
	p := testPolicy()
	p.Cookies = append(p.Cookies, entry("fr", Marketing), entry("session", Essential))
	cat, err := NewCatalogue(p)
	require.NoError(t, err)

	assert.Equal(t, uint32(3), cat.Revision())
	assert.Equal(t, []Category{Analytics, Marketing}, cat.Optional())
	require.Len(t, cat.Categories(), 3)
	assert.Equal(t, Essential, cat.Categories()[0].ID)
	assert.Len(t, cat.Cookies(), 4)

	info, ok := cat.Category(Marketing)
	require.True(t, ok)
	assert.Equal(t, Marketing, info.ID)
	_, ok = cat.Category(Preferences)
	assert.False(t, ok)

	names := func(cs []Cookie) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Name)
		}
		return out
	}
	assert.Equal(t, []string{"_ga", "_ga_*"}, names(cat.CookiesIn(Analytics)))
	assert.Equal(t, []string{"fr"}, names(cat.CookiesIn(Marketing)))
	assert.Equal(t, []string{"session"}, names(cat.CookiesIn(Essential)))
	assert.Empty(t, cat.CookiesIn(Preferences))
}

func TestCookiePattern(t *testing.T) {
	assert.True(t, Cookie{Name: "_ga_*"}.Pattern())
	assert.False(t, Cookie{Name: "_ga"}.Pattern())
}

func TestProviderIn(t *testing.T) {
	plain := Provider{Name: "Google Analytics"}
	assert.Equal(t, "Google Analytics", plain.In(English))
	assert.Equal(t, "Google Analytics", plain.In(Welsh))
	local := Provider{Name: "This website", Label: Text{EN: "This website", CY: "Y wefan hon"}}
	assert.Equal(t, "This website", local.In(English))
	assert.Equal(t, "Y wefan hon", local.In(Welsh))
	assert.Equal(t, "This website", local.In("fr"), "other languages fall back to English")
}

func TestTextIn(t *testing.T) {
	tx := Text{EN: "Cookies", CY: "Cwcis"}
	assert.Equal(t, "Cookies", tx.In(English))
	assert.Equal(t, "Cwcis", tx.In(Welsh))
	assert.Equal(t, "Cookies", tx.In(""))
	assert.Equal(t, "Cookies", tx.In("CY"), "language tags are matched exactly; callers normalise")
}
