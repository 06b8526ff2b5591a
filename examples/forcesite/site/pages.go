package site

import (
	"bytes"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/consentgate/consentgate/consent"
)

//go:embed templates/*.html
var templateFS embed.FS

// pageTemplates holds one template set per page: the layout, the vendor
// tags and that page's "content".
var pageTemplates = map[string]*template.Template{}

func init() {
	for _, name := range []string{"home", "news", "article", "report", "privacy", "cookies", "notfound"} {
		pageTemplates[name] = template.Must(template.ParseFS(templateFS,
			"templates/layout.html", "templates/vendor_tags.html", "templates/home.html", "templates/"+name+".html"))
	}
}

// page is what every template sees.
type page struct {
	Lang  consent.Lang
	Welsh bool
	W     words
	// Title is the page's own title; the layout adds the force's name.
	Title string
	// Path is the page's language-neutral path ("/report"); Section groups
	// pages for the navigation ("news" for /news and its articles).
	Path, Section string
	HomePath      string
	TogglePath    string
	OtherLang     consent.Lang
	// ConsentHead and QuickExit come from the banner package.
	ConsentHead template.HTML
	QuickExit   template.HTML

	Articles []article
	Article  article
	Report   *reportForm
	Settings template.HTML
}

// Local returns p in the page's language.
func (pg *page) Local(p string) string { return localPath(pg.Lang, p) }

// Date formats t in the page's language.
func (pg *page) Date(t time.Time) string { return formatDate(pg.Lang, t) }

// newPage fills in what every page needs for r.
func (s *Site) newPage(r *http.Request, title string) *page {
	lang := langOf(r)
	p := pagePath(r)
	pg := &page{
		Lang:       lang,
		Welsh:      lang == consent.Welsh,
		W:          layoutWords[lang],
		Title:      title,
		Path:       p,
		HomePath:   localPath(lang, "/"),
		TogglePath: localPath(other(lang), p),
		OtherLang:  other(lang),
		Articles:   articles,
	}
	if strings.HasPrefix(p, "/news") {
		pg.Section = "news"
	}
	if s.ui != nil {
		pg.ConsentHead = s.ui.Head(r)
		pg.QuickExit = s.ui.QuickExit(r)
	}
	return pg
}

// render executes the page into a buffer first, so a template error becomes a
// clean 500 instead of half a page.
func (s *Site) render(w http.ResponseWriter, r *http.Request, name string, status int, pg *page) {
	var buf bytes.Buffer
	if err := pageTemplates[name].ExecuteTemplate(&buf, "layout", pg); err != nil {
		s.log.ErrorContext(r.Context(), "render page", slog.String("page", name), slog.Any("err", err))
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", string(pg.Lang))
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

func (s *Site) home(w http.ResponseWriter, r *http.Request) {
	if p := pagePath(r); p != "/" {
		s.notFound(w, r)
		return
	}
	pg := s.newPage(r, "")
	pg.Title = pg.W.Home
	s.render(w, r, "home", http.StatusOK, pg)
}

func (s *Site) newsList(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "")
	pg.Title = pg.W.News
	s.render(w, r, "news", http.StatusOK, pg)
}

func (s *Site) article(w http.ResponseWriter, r *http.Request) {
	a, ok := findArticle(r.PathValue("slug"))
	if !ok {
		s.notFound(w, r)
		return
	}
	pg := s.newPage(r, a.Title.In(langOf(r)))
	pg.Article = a
	s.render(w, r, "article", http.StatusOK, pg)
}

func (s *Site) privacy(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "")
	pg.Title = pg.W.Privacy
	s.render(w, r, "privacy", http.StatusOK, pg)
}

func (s *Site) notFound(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "")
	if pg.Welsh {
		pg.Title = "Heb ddod o hyd i’r dudalen"
	} else {
		pg.Title = "Page not found"
	}
	s.render(w, r, "notfound", http.StatusNotFound, pg)
}
