package banner

import (
	"embed"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/consentgate/consentgate/consent"
)

//go:embed templates/*.html
var templateFS embed.FS

var templates = template.Must(template.New("").Funcs(template.FuncMap{"link": linkify}).ParseFS(templateFS, "templates/*.html"))

// linkify escapes msg and turns its first [bracketed] part into a link to
// href. Messages come from the site, so nothing in them is trusted as HTML.
func linkify(msg, href string) template.HTML {
	open := strings.IndexByte(msg, '[')
	end := strings.IndexByte(msg, ']')
	if open < 0 || end < open {
		return template.HTML(template.HTMLEscapeString(msg)) // #nosec: escaped
	}
	var sb strings.Builder
	sb.WriteString(template.HTMLEscapeString(msg[:open]))
	sb.WriteString(`<a class="cg-link" href="`)
	sb.WriteString(template.HTMLEscapeString(href))
	sb.WriteString(`">`)
	sb.WriteString(template.HTMLEscapeString(msg[open+1 : end]))
	sb.WriteString(`</a>`)
	sb.WriteString(template.HTMLEscapeString(msg[end+1:]))
	return template.HTML(sb.String()) // #nosec: every part escaped above
}

// confirmation is one of the banner's hidden-until-decided messages.
type confirmation struct {
	Kind  string
	Text  string
	Shown bool
}

type bannerView struct {
	Lang          consent.Lang
	S             map[string]string
	Action        string
	Token         string
	Return        string
	SettingsURL   string
	Flash         string
	Confirmations []confirmation
	QuickExit     template.HTML
}

func (b *Banner) renderBanner(w io.Writer, r *http.Request) error {
	lang := b.lang(r)
	s := b.strings[lang]
	shown := ""
	if f := flash(r); f != "" && b.choices(r).Decided() {
		shown = f
	}
	ret := r.URL.RequestURI()
	v := bannerView{
		Lang:        lang,
		S:           s,
		Action:      b.settingsURL(lang),
		Token:       b.token(r),
		Return:      ret,
		SettingsURL: b.settingsURL(lang) + "?return=" + url.QueryEscape(ret),
		Flash:       shown,
		Confirmations: []confirmation{
			{Kind: flashAccepted, Text: s["Accepted"], Shown: shown == flashAccepted},
			{Kind: flashRejected, Text: s["Rejected"], Shown: shown == flashRejected},
			{Kind: flashSaved, Text: s["Saved"], Shown: shown == flashSaved},
		},
	}
	if b.quickExit.Enabled && b.quickExit.BeforeBanner {
		v.QuickExit = b.quickExitHTML(lang)
	}
	return templates.ExecuteTemplate(w, "banner", v)
}

type quickExitView struct {
	Lang  consent.Lang
	URL   string
	Key   ExitKey
	Label string
	Hint  string
}

// QuickExit returns the "Leave this site" control for r's language, or ""
// when the control is off or the banner on this page already starts with it
// ([QuickExitOptions.BeforeBanner]). It is a plain link, so it works without
// JavaScript and whatever the visitor's consent; the script adds the
// keyboard shortcut.
func (b *Banner) QuickExit(r *http.Request) template.HTML {
	if !b.quickExit.Enabled || (b.quickExit.BeforeBanner && b.BannerNeeded(r)) {
		return ""
	}
	return b.quickExitHTML(b.lang(r))
}

func (b *Banner) quickExitHTML(lang consent.Lang) template.HTML {
	s := b.strings[lang]
	v := quickExitView{Lang: lang, URL: b.quickExit.URL, Key: b.quickExit.Key, Label: s["QuickExit"]}
	switch b.quickExit.Key {
	case ExitEscape:
		v.Hint = s["QuickExitHintEscape"]
	case ExitShiftThree:
		v.Hint = s["QuickExitHintShift"]
	}
	var sb strings.Builder
	if err := templates.ExecuteTemplate(&sb, "quickexit", v); err != nil {
		return ""
	}
	return template.HTML(sb.String()) // #nosec: rendered by html/template
}

type headView struct {
	CSS, JS  string
	Accepted string
	Clear    string
}

// Head returns the stylesheet link and the script tag for a page's <head>.
// Put it before any analytics or advertising tag: the script sets Google
// Consent Mode's defaults to "denied" before any tag can run. It carries the
// visitor's current choices, so it varies per request.
func (b *Banner) Head(r *http.Request) template.HTML {
	ch := b.choices(r)
	v := headView{CSS: b.assets.cssURL, JS: b.assets.jsURL}
	if ch.Decided() {
		v.Accepted = joinCategories(ch.Accepted())
		v.Clear = b.clearPatterns(ch.Refused())
	}
	var sb strings.Builder
	if err := templates.ExecuteTemplate(&sb, "head", v); err != nil {
		return ""
	}
	return template.HTML(sb.String()) // #nosec: rendered by html/template
}

// clearPatterns lists the cookie names (patterns end in '*') of refused
// categories, for the script to delete on paths the server never sees.
func (b *Banner) clearPatterns(refused []consent.Category) string {
	var names []string
	for _, c := range refused {
		for _, ck := range b.cat.CookiesIn(c) {
			names = append(names, ck.Name)
		}
	}
	return strings.Join(names, " ")
}

func joinCategories(cs []consent.Category) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = string(c)
	}
	return strings.Join(parts, " ")
}

// lowerFirst lower-cases a title's first letter for use mid-sentence.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
