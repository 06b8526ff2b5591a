package consent_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/consentgate/consentgate/consent"
)

// A site describes its cookies once; the catalogue answers, for any cookie
// name, which entry covers it.
func ExampleNewCatalogue() {
	cat, err := consent.NewCatalogue(consent.DefaultPolicy())
	if err != nil {
		log.Fatal(err) // the error names the offending entry
	}
	for _, name := range []string{"_ga", "_ga_ABC123", "_fbp", "cookie_consent", "JSESSIONID"} {
		ck, ok := cat.Lookup(name)
		if !ok {
			fmt.Printf("%-14s not in the catalogue\n", name)
			continue
		}
		fmt.Printf("%-14s %-9s %-8s %s / %s\n", name, ck.Category, ck.Name, ck.Expiry.Text.EN, ck.Expiry.Text.CY)
	}
	fmt.Println("asks about:", cat.Optional())
	// Output:
	// _ga            analytics _ga      2 years / 2 flynedd
	// _ga_ABC123     analytics _ga_*    2 years / 2 flynedd
	// _fbp           marketing _fbp     90 days / 90 diwrnod
	// cookie_consent essential cookie_consent 1 year / 1 flwyddyn
	// JSESSIONID     not in the catalogue
	// asks about: [analytics marketing]
}

// Sites extend the default policy with their own cookies. A new purpose is a
// new revision: consent given before it reads as undecided.
func ExampleDefaultPolicy() {
	p := consent.DefaultPolicy()
	prefs, _ := consent.BuiltInCategory(consent.Preferences)
	p.Categories = append(p.Categories, prefs)
	p.Cookies = append(p.Cookies, consent.Cookie{
		Name:     "text_size",
		Category: consent.Preferences,
		Provider: consent.Provider{Name: "North Wales Police", Label: consent.Text{EN: "This website", CY: "Y wefan hon"}},
		Purpose:  consent.Text{EN: "Remembers the text size you chose.", CY: "Yn cofio maint y testun a ddewisoch."},
		Expiry:   consent.Expiry{Duration: 365 * 24 * time.Hour, Text: consent.Text{EN: "1 year", CY: "1 flwyddyn"}},
	})
	p.Revision++
	cat, err := consent.NewCatalogue(p)
	if err != nil {
		log.Fatal(err)
	}
	ck, _ := cat.Lookup("text_size")
	fmt.Println(cat.Revision(), ck.Category, ck.Provider.In(consent.Welsh))
	// Output:
	// 2 preferences Y wefan hon
}

// The banner's POST handler turns a choice into a signed cookie; every later
// request reads it back.
func ExampleCodec() {
	cat, err := consent.NewCatalogue(consent.DefaultPolicy())
	if err != nil {
		log.Fatal(err)
	}
	key := make([]byte, 32) // in production: 32+ random bytes from the site's secret store
	if _, err := rand.Read(key); err != nil {
		log.Fatal(err)
	}
	codec, err := consent.NewCodec(cat, consent.CodecOptions{Keys: []consent.Key{{Hash: key}}})
	if err != nil {
		log.Fatal(err)
	}

	// The visitor accepts analytics and nothing else.
	choices, err := cat.Decide(consent.Choices{}, []consent.Category{consent.Analytics}, time.Now())
	if err != nil {
		log.Fatal(err)
	}
	ck, err := codec.Cookie(choices)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ck.Name, ck.Path, ck.MaxAge, ck.HttpOnly, ck.Secure, ck.SameSite == http.SameSiteLaxMode)

	// The next request carries it back.
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(ck)
	got, err := codec.Read(r)
	fmt.Println(err, got.Decided(), got.Accepted(), got.Refused())

	// A tampered cookie is no consent at all, never an error page.
	tampered, err := codec.Decode(ck.Value[:len(ck.Value)-8] + "AAAAAAA=")
	fmt.Println(err, tampered.Decided(), tampered.Allowed(consent.Analytics))
	// Output:
	// cookie_consent / 31536000 true true true
	// <nil> true [analytics] [marketing]
	// consent: consent cookie signature invalid false false
}

// Handlers ask the request's context what the visitor allowed. Outside the
// middleware nothing is stored, which reads as "essential only".
func ExampleAllowed() {
	cat, err := consent.NewCatalogue(consent.DefaultPolicy())
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	fmt.Println(consent.Allowed(ctx, consent.Essential), consent.Allowed(ctx, consent.Analytics))

	choices, err := cat.Decide(consent.Choices{}, []consent.Category{consent.Analytics}, time.Now())
	if err != nil {
		log.Fatal(err)
	}
	ctx = consent.WithChoices(ctx, choices)
	fmt.Println(consent.Allowed(ctx, consent.Analytics), consent.Allowed(ctx, consent.Marketing))

	gpc := consent.WithChoices(context.Background(), cat.GPCRefusal())
	fmt.Println(consent.FromContext(gpc).FromGPC(), consent.Allowed(gpc, consent.Analytics))
	// Output:
	// true false
	// true false
	// true false
}
