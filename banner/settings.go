package banner

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/consentgate/consentgate/consent"
)

type cookieView struct {
	Name, Purpose, Expiry, Provider string
	ThirdParty                      bool
}

type categoryView struct {
	S                                   map[string]string
	ID                                  consent.Category
	Title, Description, Legend, Caption string
	Allowed                             bool
	Cookies                             []cookieView
}

type settingsView struct {
	Lang      consent.Lang
	S         map[string]string
	Action    string
	Token     string
	Return    string
	Saved     bool
	GPC       bool
	Optional  []categoryView
	Essential *categoryView
}

// SettingsContent returns the cookie settings page's content — heading, the
// Yes/No form per optional category, the success notification after a save,
// and the cookie tables — for a site to place inside its own layout, with
// [Banner.Head] in that layout's <head>. Serve the POST with [Banner.Handler].
//
// It takes w because it issues the essential cookie_consent_csrf cookie its
// form's token is bound to and marks the response uncacheable: call it
// before writing anything to w.
func (b *Banner) SettingsContent(w http.ResponseWriter, r *http.Request) (template.HTML, error) {
	nonce := b.ensureCSRFCookie(w, r)
	w.Header().Set("Cache-Control", "no-store")
	var sb strings.Builder
	sb.WriteString(`<link rel="stylesheet" href="` + attrEscaper.Replace(b.assets.settingsURL) + `">`)
	if err := templates.ExecuteTemplate(&sb, "settings", b.settingsView(r, nonce)); err != nil {
		return "", err
	}
	return template.HTML(sb.String()), nil // #nosec: rendered by html/template
}

// ensureCSRFCookie returns the visitor's CSRF nonce, issuing a new one in a
// cookie when r has none, so the page's token is bound to a cookie.
func (b *Banner) ensureCSRFCookie(w http.ResponseWriter, r *http.Request) string {
	if n, ok := nonceOf(r); ok {
		return n
	}
	n := newNonce()
	http.SetCookie(w, b.csrfCookie(n))
	return n
}

func (b *Banner) settingsView(r *http.Request, nonce string) settingsView {
	lang := b.pageLang(r)
	s := b.strings[lang]
	ch := b.choices(r)
	q := r.URL.Query()
	v := settingsView{
		Lang:   lang,
		S:      s,
		Action: b.settingsURL(lang),
		Token:  nonce + "." + b.mac(nonce),
		Return: b.returnFor(r, q.Get("return")),
		Saved:  q.Get("saved") == "1" && ch.Decided(),
		GPC:    ch.FromGPC(),
	}
	for _, info := range b.cat.Categories() {
		cv := b.categoryView(info, lang, s, ch)
		if info.ID == consent.Essential {
			v.Essential = &cv
			continue
		}
		v.Optional = append(v.Optional, cv)
	}
	return v
}

// returnFor picks where "Go back" leads: the return parameter, else the
// Referer when it is this site's and not the settings page, else "/".
func (b *Banner) returnFor(r *http.Request, param string) string {
	if param != "" {
		return safeReturn(param, r)
	}
	if ref := r.Referer(); ref != "" {
		u, err := url.Parse(ref)
		if err == nil && strings.EqualFold(u.Host, r.Host) && !b.isSettingsPath(u.Path) {
			return safeReturn(ref, r)
		}
	}
	return "/"
}

func (b *Banner) categoryView(info consent.CategoryInfo, lang consent.Lang, s map[string]string, ch consent.Choices) categoryView {
	title := info.Title.In(lang)
	cv := categoryView{
		S:           s,
		ID:          info.ID,
		Title:       title,
		Description: info.Description.In(lang),
		Legend:      strings.ReplaceAll(s["Legend"], "{category}", lowerFirst(title)),
		Caption:     strings.ReplaceAll(s["CookiesTableCaption"], "{category}", lowerFirst(title)),
		Allowed:     ch.Decided() && ch.Allowed(info.ID),
	}
	for _, ck := range b.cat.CookiesIn(info.ID) {
		cv.Cookies = append(cv.Cookies, cookieView{
			Name:       ck.Name,
			Purpose:    ck.Purpose.In(lang),
			Expiry:     ck.Expiry.Text.In(lang),
			Provider:   ck.Provider.In(lang),
			ThirdParty: ck.Provider.ThirdParty,
		})
	}
	return cv
}
