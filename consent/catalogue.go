package consent

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Cookie describes one cookie (or family of cookies) a site or its tags may set.
type Cookie struct {
	// Name is the exact cookie name, or a prefix pattern ending in '*'
	// ("_ga_*" matches "_ga_ABC123").
	Name string
	// Category is the purpose the cookie serves; it must be one of the policy's categories.
	Category Category
	// Provider is who sets the cookie.
	Provider Provider
	// Purpose says, in plain words, what the cookie does.
	Purpose Text
	// Expiry is how long the cookie lasts.
	Expiry Expiry
}

// Pattern reports whether the entry matches a family of names by prefix.
func (c Cookie) Pattern() bool { return strings.HasSuffix(c.Name, "*") }

// prefix returns the name without its trailing '*'.
func (c Cookie) prefix() string { return strings.TrimSuffix(c.Name, "*") }

// Provider says who sets a cookie.
type Provider struct {
	// Name is shown on the cookies page, e.g. "Google Analytics" or the force's name.
	Name string
	// Label, when set, replaces Name on the cookies page with words that need
	// translating, such as "This website" / "Y wefan hon". Optional: a brand
	// name reads the same in both languages. When set it needs both.
	Label Text
	// ThirdParty is true when the cookie is set on another organisation's domain.
	ThirdParty bool
	// Advertising is true when the provider is an advertising business. Such a
	// provider's cookies can never be essential, even when they are set on the
	// site's own domain (the Meta Pixel's _fbp is first party).
	Advertising bool
	// Domain is where the cookie is set, when that helps visitors ("doubleclick.net").
	Domain string
}

// In returns the provider's name as shown to visitors in lang.
func (p Provider) In(lang Lang) string {
	if p.Label.complete() {
		return p.Label.In(lang)
	}
	return p.Name
}

// Expiry says how long a cookie lasts.
type Expiry struct {
	// Duration is the lifetime when the cookie is persistent; zero with Session false means unknown.
	Duration time.Duration
	// Session is true for cookies deleted when the browser closes.
	Session bool
	// Text is what the cookies page shows, e.g. "2 years".
	Text Text
}

// Policy is a site's cookie catalogue as written: the categories it asks about
// and the cookies it knows. [NewCatalogue] validates it.
type Policy struct {
	// Revision identifies this version of the policy. Bump it whenever the site
	// starts using cookies for a new purpose: consent given under an older
	// revision reads as undecided, so visitors are asked again (REQUIREMENTS A12).
	Revision uint32
	// Categories lists the categories in the order visitors see them. It must
	// include [Essential].
	Categories []CategoryInfo
	// Cookies lists every cookie the site or its tags set.
	Cookies []Cookie
}

// maxOptionalCategories bounds the categories a consent cookie can record.
const maxOptionalCategories = 32

// Catalogue is a validated, indexed [Policy]. It is safe for concurrent use
// and never changes after [NewCatalogue] returns it.
type Catalogue struct {
	revision   uint32
	categories []CategoryInfo
	cookies    []Cookie
	// bit maps each optional category to its bit in a consent cookie; essential has none.
	bit      map[Category]uint
	optional []Category
	exact    map[string]int // name → index in cookies
	prefixes []int          // indexes of pattern entries, longest prefix first
	// slots is exact as an open-addressing table: Lookup runs for every
	// Set-Cookie header and names are short, so hashing their first and
	// last eight bytes and comparing one or two candidates beats a
	// map[string] access. The name sits in the slot so the compare does
	// not reach into cookies; an empty name marks a free slot (catalogue
	// names are never empty). len(slots) is a power of two at least twice
	// the names.
	slots []exactSlot
}

// exactSlot is one entry of Catalogue.slots.
type exactSlot struct {
	name string
	i    int
}

// NewCatalogue checks p and returns its catalogue. The error names the first
// offending entry, so a site can fail at start-up rather than serve a policy
// it cannot honour.
func NewCatalogue(p Policy) (*Catalogue, error) {
	c := &Catalogue{
		revision:   p.Revision,
		categories: append([]CategoryInfo(nil), p.Categories...),
		cookies:    append([]Cookie(nil), p.Cookies...),
		bit:        make(map[Category]uint),
		exact:      make(map[string]int),
	}
	if err := c.indexCategories(); err != nil {
		return nil, err
	}
	if err := c.indexCookies(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Catalogue) indexCategories() error {
	seen := make(map[Category]bool)
	for _, info := range c.categories {
		switch {
		case !validCategoryID(info.ID):
			return &CatalogueError{Entry: "category " + quote(string(info.ID)), Problem: "ID must be 1–32 lower-case letters, digits or '-'"}
		case seen[info.ID]:
			return &CatalogueError{Entry: "category " + quote(string(info.ID)), Problem: "listed twice"}
		case !info.Title.complete():
			return &CatalogueError{Entry: "category " + quote(string(info.ID)), Problem: "title needs English and Welsh text"}
		case !info.Description.complete():
			return &CatalogueError{Entry: "category " + quote(string(info.ID)), Problem: "description needs English and Welsh text"}
		}
		seen[info.ID] = true
		if info.ID != Essential {
			if len(c.optional) == maxOptionalCategories {
				return &CatalogueError{Entry: "category " + quote(string(info.ID)), Problem: fmt.Sprintf("more than %d optional categories", maxOptionalCategories)}
			}
			c.bit[info.ID] = uint(len(c.optional))
			c.optional = append(c.optional, info.ID)
		}
	}
	if !seen[Essential] {
		return &CatalogueError{Entry: "category " + quote(string(Essential)), Problem: "missing: every policy has essential cookies"}
	}
	return nil
}

func (c *Catalogue) indexCookies() error {
	for i, ck := range c.cookies {
		if err := c.checkCookie(ck); err != nil {
			return err
		}
		if ck.Pattern() {
			c.prefixes = append(c.prefixes, i)
			continue
		}
		if _, dup := c.exact[ck.Name]; dup {
			return &CatalogueError{Entry: "cookie " + quote(ck.Name), Problem: "listed twice"}
		}
		c.exact[ck.Name] = i
	}
	c.indexSlots()
	// Longest prefix first, so Lookup can stop at the first match.
	sort.SliceStable(c.prefixes, func(a, b int) bool {
		return len(c.cookies[c.prefixes[a]].Name) > len(c.cookies[c.prefixes[b]].Name)
	})
	return c.checkShadowing()
}

// indexSlots fills slots from exact.
func (c *Catalogue) indexSlots() {
	size := 8
	for size < 2*len(c.exact) {
		size <<= 1
	}
	c.slots = make([]exactSlot, size)
	mask := uint64(size - 1)
	for name, i := range c.exact {
		s := nameHash(name) & mask
		for c.slots[s].name != "" {
			s = (s + 1) & mask
		}
		c.slots[s] = exactSlot{name: name, i: i}
	}
}

// nameHash mixes a name's length with its first, middle and last bytes:
// four loads and a multiply, cheaper than hashing every byte. Names that
// share all four share a hash and are told apart by the string compare
// after it; the table stays correct whatever collides.
func nameHash(name string) uint64 {
	n := len(name)
	if n == 0 {
		return 0
	}
	h := uint64(n) | uint64(name[0])<<8 | uint64(name[n/2])<<16 | uint64(name[n-1])<<24
	h *= 0x9e3779b97f4a7c15
	return h ^ h>>29
}

func (c *Catalogue) checkCookie(ck Cookie) error {
	entry := "cookie " + quote(ck.Name)
	prefix := ck.prefix()
	switch {
	case prefix == "" || !validCookieName(prefix) || strings.Contains(prefix, "*"):
		return &CatalogueError{Entry: entry, Problem: "name must be a valid cookie name, optionally ending in '*'"}
	case ck.Category == "":
		return &CatalogueError{Entry: entry, Problem: "category missing"}
	case ck.Category != Essential && !c.hasCategory(ck.Category):
		return &CatalogueError{Entry: entry, Problem: "unknown category " + quote(string(ck.Category))}
	case strings.TrimSpace(ck.Provider.Name) == "":
		return &CatalogueError{Entry: entry, Problem: "provider missing"}
	case ck.Provider.Label != (Text{}) && !ck.Provider.Label.complete():
		return &CatalogueError{Entry: entry, Problem: "provider label needs English and Welsh text"}
	case !ck.Purpose.complete():
		return &CatalogueError{Entry: entry, Problem: "purpose needs English and Welsh text"}
	case !ck.Expiry.Text.complete():
		return &CatalogueError{Entry: entry, Problem: "expiry needs English and Welsh text"}
	case ck.Expiry.Duration < 0:
		return &CatalogueError{Entry: entry, Problem: "expiry duration is negative"}
	case ck.Expiry.Session && ck.Expiry.Duration != 0:
		return &CatalogueError{Entry: entry, Problem: "expiry is both a session cookie and a duration"}
	case ck.Category == Essential && ck.Provider.Advertising:
		// First-party placement does not make an advertiser's cookie necessary:
		// _fbp is set on the site's own domain but serves Meta's advertising.
		return &CatalogueError{Entry: entry, Problem: "an advertiser's cookie cannot be essential"}
	}
	return nil
}

// checkShadowing rejects a pattern that would also match an entry of another
// category: which rule wins would then depend on lookup order, not on the policy.
func (c *Catalogue) checkShadowing() error {
	for _, pi := range c.prefixes {
		p := c.cookies[pi]
		for j, other := range c.cookies {
			if j == pi || other.Category == p.Category {
				continue
			}
			if strings.HasPrefix(other.prefix(), p.prefix()) {
				return &CatalogueError{Entry: "cookie " + quote(p.Name),
					Problem: fmt.Sprintf("pattern also matches %q, which is %s", other.Name, other.Category)}
			}
		}
	}
	for i, a := range c.prefixes {
		for _, b := range c.prefixes[i+1:] {
			if c.cookies[a].prefix() == c.cookies[b].prefix() {
				return &CatalogueError{Entry: "cookie " + quote(c.cookies[b].Name), Problem: "listed twice"}
			}
		}
	}
	return nil
}

func (c *Catalogue) hasCategory(id Category) bool {
	_, ok := c.bit[id]
	return ok
}

// Revision returns the policy revision consent is recorded against.
func (c *Catalogue) Revision() uint32 { return c.revision }

// Categories returns every category, essential included, in display order.
// The slice is shared: do not modify it.
func (c *Catalogue) Categories() []CategoryInfo { return c.categories }

// Optional returns the categories a visitor can refuse, in display order.
// The slice is shared: do not modify it.
func (c *Catalogue) Optional() []Category { return c.optional }

// Category returns the description of id.
func (c *Catalogue) Category(id Category) (CategoryInfo, bool) {
	for _, info := range c.categories {
		if info.ID == id {
			return info, true
		}
	}
	return CategoryInfo{}, false
}

// Cookies returns every entry in policy order. The slice is shared: do not modify it.
func (c *Catalogue) Cookies() []Cookie { return c.cookies }

// CookiesIn returns the entries of one category, in policy order.
func (c *Catalogue) CookiesIn(id Category) []Cookie {
	var out []Cookie
	for _, ck := range c.cookies {
		if ck.Category == id {
			out = append(out, ck)
		}
	}
	return out
}

// Lookup finds the entry for a cookie name: an exact entry first, then the
// longest matching pattern. It runs for every Set-Cookie header, so it does
// not allocate.
func (c *Catalogue) Lookup(name string) (*Cookie, bool) {
	if mask := uint64(len(c.slots) - 1); len(c.slots) > 0 {
		for s := nameHash(name) & mask; ; s = (s + 1) & mask {
			slot := &c.slots[s]
			if slot.name == "" {
				break
			}
			if slot.name == name {
				return &c.cookies[slot.i], true
			}
		}
	}
	for _, i := range c.prefixes {
		if strings.HasPrefix(name, c.cookies[i].Name[:len(c.cookies[i].Name)-1]) {
			return &c.cookies[i], true
		}
	}
	return nil, false
}

// CatalogueError reports a policy entry that cannot be used.
type CatalogueError struct {
	// Entry names the offending category or cookie, e.g. `cookie "_ga"`.
	Entry string
	// Problem says what is wrong with it.
	Problem string
}

// Error returns the problem with the entry's name in front.
func (e *CatalogueError) Error() string {
	return "consent: catalogue: " + e.Entry + ": " + e.Problem
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

// validCookieName follows RFC 6265's token rule for cookie names.
func validCookieName(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?={}`, c) >= 0 {
			return false
		}
	}
	return name != ""
}
