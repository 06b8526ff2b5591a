package banner

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/consentgate/consentgate/consent"
)

// Handler serves the cookie settings page (GET and HEAD) and takes decisions
// (POST) at SettingsPath and its Welsh twin "/cy"+SettingsPath, and serves
// the stylesheet and script under AssetPath. Other paths get 404. Mount it
// with [Banner.Mount], or route [Banner.Patterns] to it.
func (b *Banner) Handler() http.Handler { return http.HandlerFunc(b.serveHTTP) }

// Patterns returns the paths to route to [Banner.Handler], in
// [http.ServeMux] syntax: the two settings pages and the asset prefix.
func (b *Banner) Patterns() []string {
	return []string{b.settingsPath, b.welshPath, b.assetPath}
}

// Mount registers [Banner.Handler] on mux for every path in [Banner.Patterns].
func (b *Banner) Mount(mux *http.ServeMux) {
	h := b.Handler()
	for _, p := range b.Patterns() {
		mux.Handle(p, h)
	}
}

func (b *Banner) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if (r.Method == http.MethodGet || r.Method == http.MethodHead) && b.assets.serve(w, r) {
		return
	}
	if !b.isSettingsPath(r.URL.Path) {
		http.NotFound(w, r)
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		b.serveSettings(w, r)
	case http.MethodPost:
		b.servePost(w, r)
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
	}
}

// pageLang is the language of the settings routes: Welsh on the Welsh path,
// otherwise whatever the site's Language callback says (a Welsh host, say).
func (b *Banner) pageLang(r *http.Request) consent.Lang {
	if r.URL.Path == b.welshPath {
		return consent.Welsh
	}
	return b.lang(r)
}

func (b *Banner) serveSettings(w http.ResponseWriter, r *http.Request) {
	content, err := b.SettingsContent(w, r)
	if err != nil {
		b.logError(r, "render settings page", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	lang := b.pageLang(r)
	b.writePage(w, r, http.StatusOK, lang, b.strings[lang]["PageTitle"], content)
}

type pageView struct {
	Lang      consent.Lang
	S         map[string]string
	Title     string
	Head      template.HTML
	QuickExit template.HTML
	OtherURL  string
	OtherLang consent.Lang
	Content   template.HTML
}

// writePage wraps content in the default layout.
func (b *Banner) writePage(w http.ResponseWriter, r *http.Request, status int, lang consent.Lang, title string, content template.HTML) {
	v := pageView{
		Lang:      lang,
		S:         b.strings[lang],
		Title:     title + " – " + b.strings[lang][serviceKey],
		Head:      b.Head(r),
		Content:   content,
		OtherLang: consent.Welsh,
		OtherURL:  b.welshPath,
	}
	if lang == consent.Welsh {
		v.OtherLang, v.OtherURL = consent.English, b.settingsPath
	}
	if q := r.URL.Query(); q.Get("return") != "" {
		v.OtherURL += "?return=" + url.QueryEscape(safeReturn(q.Get("return"), r))
	}
	if b.quickExit.Enabled {
		v.QuickExit = b.quickExitHTML(lang)
	}
	var sb strings.Builder
	if err := templates.ExecuteTemplate(&sb, "page", v); err != nil {
		b.logError(r, "render page", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write([]byte(sb.String()))
	}
}

type errorView struct {
	S       map[string]string
	Title   string
	Message string
	Return  string
}

// writeError shows a visitor-facing error page in lang.
func (b *Banner) writeError(w http.ResponseWriter, r *http.Request, status int, lang consent.Lang, message, ret string) {
	s := b.strings[lang]
	var sb strings.Builder
	if err := templates.ExecuteTemplate(&sb, "error", errorView{S: s, Title: s["ErrorTitle"], Message: message, Return: ret}); err != nil {
		b.logError(r, "render error page", err)
		http.Error(w, http.StatusText(status), status)
		return
	}
	b.writePage(w, r, status, lang, s["ErrorTitle"], template.HTML(sb.String())) // #nosec: rendered by html/template
}
