// Package site is the Westshire Police example website: a realistic force
// site (home and news, "Report a crime", an appeal with a YouTube video, the
// privacy notice and the cookies page, in English and Welsh) that carries the
// vendors' real tag snippets and is kept lawful by consentgate.
//
// It lives in its own package, not in main, so the end-to-end tests can build
// exactly the handler `go run ./examples/forcesite` serves.
package site

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"

	"github.com/consentgate/consentgate/banner"
	"github.com/consentgate/consentgate/consent"
	"github.com/consentgate/consentgate/middleware"
)

// Config configures the site.
type Config struct {
	// Codec signs and reads the consent cookie; its catalogue is the site's
	// cookie policy. Required.
	Codec *consent.Codec
	// Recorder stores proof of each consent decision. Required: a force must
	// be able to show a visitor agreed (UK GDPR Article 7(1)).
	Recorder consent.Recorder
	// CSRFKey signs the banner's and the report form's CSRF tokens: 32 random
	// bytes shared by every instance. Required.
	CSRFKey []byte
	// CookieDomain is the registrable domain trackers set their cookies on
	// ("westshire.police.uk"), so withdrawing consent deletes them there as
	// well as on the host. Empty on localhost.
	CookieDomain string
	// Insecure drops the Secure attribute from the site's own cookies, for
	// plain-HTTP development on a loopback address only.
	Insecure bool
	// DisableGate serves the site without the consent Gate, for load tests
	// that measure what the Gate costs. Never in production: every tag and
	// cookie then reaches every visitor.
	DisableGate bool
	// Logger receives the site's and the Gate's logs. Default slog.Default().
	Logger *slog.Logger
}

// Site is the example force website.
type Site struct {
	ui       *banner.Banner
	sessions *sessionStore
	insecure bool
	domain   string
	log      *slog.Logger
	handler  http.Handler
}

// New builds the site and its consent machinery.
func New(cfg Config) (*Site, error) {
	if cfg.Codec == nil || cfg.Recorder == nil {
		return nil, errors.New("site: Config.Codec and Config.Recorder are required")
	}
	if len(cfg.CSRFKey) < 32 {
		return nil, errors.New("site: Config.CSRFKey needs at least 32 bytes")
	}
	s := &Site{
		sessions: newSessionStore(),
		insecure: cfg.Insecure,
		domain:   cfg.CookieDomain,
		log:      cfg.Logger,
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	ui, err := banner.New(banner.Options{
		Codec:        cfg.Codec,
		Recorder:     cfg.Recorder,
		Preset:       banner.PresetPolice,
		ServiceName:  consent.Text{EN: "Westshire Police", CY: "Heddlu Westshire"},
		Language:     langOf,
		QuickExit:    banner.QuickExitOptions{Enabled: true},
		CSRFKey:      cfg.CSRFKey,
		Insecure:     cfg.Insecure,
		CookieDomain: cfg.CookieDomain,
	})
	if err != nil {
		return nil, fmt.Errorf("site: %w", err)
	}
	s.ui = ui

	mux := http.NewServeMux()
	s.routes(mux)
	s.handler = mux
	if !cfg.DisableGate {
		gate, err := middleware.New(middleware.Options{
			Codec:        cfg.Codec,
			Banner:       ui,
			CookieDomain: cfg.CookieDomain,
			Logger:       s.log,
		})
		if err != nil {
			return nil, fmt.Errorf("site: %w", err)
		}
		s.handler = gate.Handler(mux)
	}
	return s, nil
}

// ServeHTTP serves the site.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Site) routes(mux *http.ServeMux) {
	for _, prefix := range []string{"", welshPrefix} {
		mux.Handle("GET "+prefix+"/{$}", s.measured(s.home))
		mux.Handle("GET "+prefix+"/news", s.measured(s.newsList))
		mux.Handle("GET "+prefix+"/news/{slug}", s.measured(s.article))
		mux.Handle("GET "+prefix+"/privacy", s.measured(s.privacy))
		mux.HandleFunc("GET "+prefix+"/report", s.reportForm)
		mux.HandleFunc("POST "+prefix+"/report", s.reportSubmit)
		mux.HandleFunc("GET "+prefix+"/report/done", s.reportDone)
		// The cookies page sits in the site's own layout; the banner takes
		// the decisions posted to it.
		mux.HandleFunc("GET "+prefix+"/cookies", s.cookies)
		mux.Handle("POST "+prefix+"/cookies", s.ui.Handler())
		// Any other method goes to the banner too, which answers 405 with
		// an Allow header rather than the site's 404 page.
		mux.Handle(prefix+"/cookies", s.ui.Handler())
	}
	mux.Handle("GET /cy", http.RedirectHandler("/cy/", http.StatusMovedPermanently))
	mux.Handle("/cookies/assets/", s.ui.Handler())
	static, _ := fs.Sub(staticFS, "static") // cannot fail: "static" is a valid, embedded path
	mux.Handle("GET /static/", noListing(http.StripPrefix("/static/", cacheFor(http.FileServerFS(static))), s.notFound))
	mux.HandleFunc("/", s.notFound)
}

// cookies renders the banner package's settings form and cookie tables in
// the site's layout.
func (s *Site) cookies(w http.ResponseWriter, r *http.Request) {
	content, err := s.ui.SettingsContent(w, r)
	if err != nil {
		s.log.ErrorContext(r.Context(), "render cookie settings", slog.Any("err", err))
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	pg := s.newPage(r, "")
	pg.Title = pg.W.Cookies
	pg.Settings = content
	s.render(w, r, "cookies", http.StatusOK, pg)
}

// noListing answers a request for a folder with the site's 404 page instead
// of the file server's list of files: the list is no use to a visitor and
// says more about the site than it needs to.
func noListing(h http.Handler, notFound http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			notFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// cacheFor lets browsers keep the static files for a day: their names do not
// change with their content, so a day is the balance between speed and
// seeing a new stylesheet.
func cacheFor(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		h.ServeHTTP(w, r)
	})
}
