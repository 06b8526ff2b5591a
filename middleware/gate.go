package middleware

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/consentgate/consentgate/consent"
	"github.com/consentgate/consentgate/internal/htmlgate"
)

// BannerRenderer renders the consent banner the Gate injects after <body>.
type BannerRenderer interface {
	// BannerNeeded reports whether the page answering r should carry the banner: the visitor is
	// undecided (not GPC), or a confirmation is pending (cookie_consent_flash present), and r is
	// not for the cookie settings page itself. Called at most once per HTML response; cheap.
	BannerNeeded(r *http.Request) bool
	// RenderBanner writes the banner fragment (or the confirmation) for r.
	RenderBanner(w io.Writer, r *http.Request) error
}

// UnknownCookieMode says what the Gate does with a Set-Cookie whose name is
// not in the catalogue.
type UnknownCookieMode int

const (
	// DropUnknown drops cookies the catalogue does not know, and logs them.
	// An uncatalogued cookie cannot be shown on the cookies page, so the
	// visitor cannot have consented to it: fail closed.
	DropUnknown UnknownCookieMode = iota
	// AllowUnknown lets uncatalogued cookies through as if they were essential.
	// Only for sites that set many short-lived first-party cookies of their own
	// and review them some other way.
	AllowUnknown
	// ReportUnknown lets uncatalogued cookies through but logs each one the
	// Gate would have dropped. Use it while building the catalogue for an
	// existing site, then switch to DropUnknown.
	ReportUnknown
)

// String returns the mode's name: "drop", "allow" or "report-only".
func (m UnknownCookieMode) String() string {
	switch m {
	case DropUnknown:
		return "drop"
	case AllowUnknown:
		return "allow"
	case ReportUnknown:
		return "report-only"
	}
	return fmt.Sprintf("UnknownCookieMode(%d)", int(m))
}

// Defaults and limits for [Options].
const (
	// DefaultMaxExpirations is how many clean-up Set-Cookie headers one
	// response carries at most unless [Options.MaxExpirations] says otherwise.
	// Each is about 90 bytes; proxies in front of a site commonly reject
	// response headers beyond 4–8 KiB in total.
	DefaultMaxExpirations = 24
	// MaxMaxExpirations is the largest [Options.MaxExpirations] New accepts.
	MaxMaxExpirations = 64
	// DefaultLogInterval is how often the Gate logs about one cookie name at most.
	DefaultLogInterval = 10 * time.Minute
)

// Options configures a [Gate]. Only Codec is required.
type Options struct {
	// Codec reads the signed consent cookie; its catalogue decides which
	// cookies and tags each category covers. Required.
	Codec *consent.Codec
	// Banner, when set, renders the consent banner that the Gate injects after
	// <body> on HTML pages whose visitor needs it. Default nil: no banner.
	Banner BannerRenderer
	// UnknownCookies says what happens to a Set-Cookie whose name the
	// catalogue does not list. Default DropUnknown. The consent cookie and
	// the banner's cookie_consent_csrf and cookie_consent_flash always pass.
	UnknownCookies UnknownCookieMode
	// CookieDomain is the site's registrable domain, such as "leics.police.uk".
	// Trackers such as Google Analytics set their cookies there rather than on
	// the host, so clean-up expires refused cookies both host-only and for this
	// domain. It must not be a public suffix ("police.uk", "gov.uk"). Default
	// empty: clean-up expires host-only cookies only.
	CookieDomain string
	// CleanupPaths are paths, besides "/", that refused cookies may have been
	// set for; clean-up expires them on each. Each starts with '/'. Default none.
	CleanupPaths []string
	// MaxExpirations bounds the clean-up Set-Cookie headers in one response.
	// Default DefaultMaxExpirations (0 means the default); at most
	// MaxMaxExpirations. Cookies left over are expired on later responses.
	MaxExpirations int
	// Signatures are the tracker snippets recognised in HTML, beside explicit
	// data-consent attributes. Default nil: DefaultSignatures(). A non-nil
	// empty slice turns signature matching off.
	Signatures []Signature
	// Logger receives the Gate's warnings (dropped cookies, bodies it could not
	// gate). Default nil: slog.Default().
	Logger *slog.Logger
	// LogInterval is the shortest time between two log lines about the same
	// cookie name or problem, so a busy site's logs are not flooded. Default
	// DefaultLogInterval (0 means the default).
	LogInterval time.Duration
}

// Gate is the consent middleware. It is safe for concurrent use; build one with
// [New] at start-up and wrap the site's handler with [Gate.Handler].
type Gate struct {
	codec          *consent.Codec
	cat            *consent.Catalogue
	banner         BannerRenderer
	unknown        UnknownCookieMode
	domain         string
	paths          []string
	maxExpirations int
	logger         *slog.Logger
	logs           *rateLog // about cookie names
	problems       *rateLog // about problems with responses: a fixed set of kinds, so a flood of names cannot crowd them out
	rewriters      rewriterSource
	sigs           *htmlgate.Signatures // also matched against Link headers
	tagCats        []consent.Category   // categories a tag can need: the catalogue's optional ones and the signatures'
}

// New checks opts and returns a Gate. The error names the option at fault, so
// a misconfigured site fails at start-up rather than serving trackers.
func New(opts Options) (*Gate, error) {
	if opts.Codec == nil {
		return nil, errors.New("middleware: New: Options.Codec is required")
	}
	g := &Gate{
		codec:          opts.Codec,
		cat:            opts.Codec.Catalogue(),
		banner:         opts.Banner,
		unknown:        opts.UnknownCookies,
		maxExpirations: opts.MaxExpirations,
		logger:         opts.Logger,
	}
	if g.cat == nil {
		return nil, errors.New("middleware: New: Options.Codec has no catalogue")
	}
	switch g.unknown {
	case DropUnknown, AllowUnknown, ReportUnknown:
	default:
		return nil, fmt.Errorf("middleware: New: Options.UnknownCookies: unknown mode %d", int(g.unknown))
	}
	domain, err := checkCookieDomain(opts.CookieDomain)
	if err != nil {
		return nil, fmt.Errorf("middleware: New: Options.CookieDomain: %w", err)
	}
	g.domain = domain
	for _, p := range opts.CleanupPaths {
		if !validCookiePath(p) {
			return nil, fmt.Errorf("middleware: New: Options.CleanupPaths: %q is not a cookie path (want '/' then printable characters, no ';')", p)
		}
		if p != "/" {
			g.paths = append(g.paths, p)
		}
	}
	switch {
	case g.maxExpirations == 0:
		g.maxExpirations = DefaultMaxExpirations
	case g.maxExpirations < 0 || g.maxExpirations > MaxMaxExpirations:
		return nil, fmt.Errorf("middleware: New: Options.MaxExpirations %d is outside 1–%d", g.maxExpirations, MaxMaxExpirations)
	}
	interval := opts.LogInterval
	switch {
	case interval == 0:
		interval = DefaultLogInterval
	case interval < 0:
		return nil, fmt.Errorf("middleware: New: Options.LogInterval %v is negative", interval)
	}
	if g.logger == nil {
		g.logger = slog.Default()
	}
	g.logs = newRateLog(interval)
	g.problems = newRateLog(interval)
	rewriters, err := newHTMLRewriters(opts.Signatures)
	if err != nil {
		return nil, fmt.Errorf("middleware: New: Options.Signatures: %w", err)
	}
	g.rewriters = rewriters
	g.sigs = rewriters.sigs
	g.tagCats = append(g.tagCats, g.cat.Optional()...)
	for _, c := range rewriters.sigs.Categories() {
		if c != consent.Essential && !slices.Contains(g.tagCats, c) {
			g.tagCats = append(g.tagCats, c)
		}
	}
	return g, nil
}

// Handler wraps next with the Gate. Its shape fits wherever
// func(http.Handler) http.Handler middleware is expected (chi's Use,
// gorilla/mux's Use, alice).
func (g *Gate) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.serve(w, r, next)
	})
}

// validCookiePath accepts what RFC 6265 allows in a Path attribute.
func validCookiePath(p string) bool {
	if p == "" || p[0] != '/' {
		return false
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; c < 0x20 || c >= 0x7f || c == ';' {
			return false
		}
	}
	return true
}

// checkCookieDomain normalises d and rejects what browsers would refuse or
// what would reach other organisations' sites.
func checkCookieDomain(d string) (string, error) {
	d = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(d), "."))
	if d == "" {
		return "", nil
	}
	return d, checkRegistrable(d)
}
