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

// bannerInputs are the per-request parts of the banner.
type bannerInputs struct {
	lang  consent.Lang
	shown string // the confirmation to show, or "" for the question
	token string
	ret   string // the page the banner is on, as a request URI
}

func (b *Banner) inputs(r *http.Request) bannerInputs {
	in := bannerInputs{lang: b.lang(r), token: b.token(r), ret: r.URL.RequestURI()}
	if f := flash(r); f != "" {
		in.shown = b.confirmationFor(f, b.choices(r))
	}
	return in
}

// confirmationFor picks the confirmation for a pending flash from the
// decision the visitor actually holds: the flash cookie is not signed, so it
// only says that a confirmation is due. "saved" (a choice per category) stays
// "saved"; otherwise everything optional allowed reads as accepted, nothing
// as rejected, and a mix as saved. Without a decision there is nothing to
// confirm, and the question is shown.
func (b *Banner) confirmationFor(flashValue string, ch consent.Choices) string {
	switch {
	case !ch.Decided():
		return ""
	case flashValue == flashSaved || len(b.cat.Optional()) == 0:
		return flashSaved
	case !ch.AcceptedAny():
		return flashRejected
	}
	for _, c := range b.cat.Optional() { // no allocation, unlike ch.Refused()
		if !ch.Allowed(c) {
			return flashSaved
		}
	}
	return flashAccepted
}

func (b *Banner) renderBanner(w io.Writer, r *http.Request) error {
	in := b.inputs(r)
	return b.bannerCache[cacheKey(in.lang, in.shown)].write(w, in)
}

// executeBanner renders the banner template for in. The cache is built from
// it, and tests check the cache against it.
func (b *Banner) executeBanner(w io.Writer, in bannerInputs, settingsURL string) error {
	s := b.strings[in.lang]
	v := bannerView{
		Lang:        in.lang,
		S:           s,
		Action:      b.settingsURL(in.lang),
		Token:       in.token,
		Return:      in.ret,
		SettingsURL: settingsURL,
		Flash:       in.shown,
		Confirmations: []confirmation{
			{Kind: flashAccepted, Text: s["Accepted"], Shown: in.shown == flashAccepted},
			{Kind: flashRejected, Text: s["Rejected"], Shown: in.shown == flashRejected},
			{Kind: flashSaved, Text: s["Saved"], Shown: in.shown == flashSaved},
		},
	}
	if b.quickExit.Enabled && b.quickExit.BeforeBanner {
		v.QuickExit = b.quickExitHTML(in.lang)
	}
	return templates.ExecuteTemplate(w, "banner", v)
}

// The banner is the same for every visitor but for the CSRF token and the
// return URL, and an undecided visitor gets it on every page, so New renders
// it once per language and state with these placeholders in those places,
// and each request only fills them in. They are letters and digits, which
// html/template leaves alone in every context they appear in.
const (
	slotToken   = "cg0slot0a0"
	slotReturn  = "cg0slot0b0"
	slotReturnQ = "cg0slot0c0"
)

var slotNames = []string{slotToken, slotReturn, slotReturnQ}

// renderedBanner is the banner split at its placeholders: parts[i] is
// followed by the value of slots[i].
type renderedBanner struct {
	parts []string
	slots []int // index into slotNames
}

func cacheKey(lang consent.Lang, shown string) int {
	k := 0
	if lang == consent.Welsh {
		k = 4
	}
	switch shown {
	case flashAccepted:
		k++
	case flashRejected:
		k += 2
	case flashSaved:
		k += 3
	}
	return k
}

// buildBannerCache renders every language and state with placeholders.
func (b *Banner) buildBannerCache() error {
	for _, lang := range []consent.Lang{consent.English, consent.Welsh} {
		for _, shown := range []string{"", flashAccepted, flashRejected, flashSaved} {
			var sb strings.Builder
			in := bannerInputs{lang: lang, shown: shown, token: slotToken, ret: slotReturn}
			if err := b.executeBanner(&sb, in, b.settingsURL(lang)+"?return="+slotReturnQ); err != nil {
				return err
			}
			b.bannerCache[cacheKey(lang, shown)] = splitSlots(sb.String())
		}
	}
	return nil
}

func splitSlots(s string) renderedBanner {
	var rb renderedBanner
	for {
		at, which := -1, -1
		for i, name := range slotNames {
			if j := strings.Index(s, name); j >= 0 && (at < 0 || j < at) {
				at, which = j, i
			}
		}
		if at < 0 {
			rb.parts = append(rb.parts, s)
			return rb
		}
		rb.parts = append(rb.parts, s[:at])
		rb.slots = append(rb.slots, which)
		s = s[at+len(slotNames[which]):]
	}
}

// write fills in the placeholders, escaping as html/template would have.
func (rb renderedBanner) write(w io.Writer, in bannerInputs) error {
	sw, ok := w.(io.StringWriter)
	if !ok {
		sw = stringWriter{w}
	}
	for i, part := range rb.parts {
		if _, err := sw.WriteString(part); err != nil {
			return err
		}
		if i == len(rb.slots) {
			break
		}
		var v string
		switch slotNames[rb.slots[i]] {
		case slotToken:
			v = in.token // base64url and '.': nothing to escape
		case slotReturn:
			v = attrEscaper.Replace(in.ret)
		case slotReturnQ:
			v = attrEscaper.Replace(url.QueryEscape(in.ret))
		}
		if _, err := sw.WriteString(v); err != nil {
			return err
		}
	}
	return nil
}

// attrEscaper escapes a quoted attribute value exactly as html/template does
// (it also escapes '+'), so the cache and the template agree byte for byte.
var attrEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

type stringWriter struct{ io.Writer }

func (s stringWriter) WriteString(v string) (int, error) { return s.Write([]byte(v)) }

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

// quickExitHTML is the control for lang, rendered at New: it depends on
// nothing but the language and the options, and a site may put it on every
// page.
func (b *Banner) quickExitHTML(lang consent.Lang) template.HTML {
	return b.quickExitCache[langIndex(lang)]
}

// langIndex numbers the two languages for per-language caches.
func langIndex(lang consent.Lang) int {
	if lang == consent.Welsh {
		return 1
	}
	return 0
}

// buildQuickExitCache renders the control in each language. It runs before
// the banner cache, which includes the control when it comes first.
func (b *Banner) buildQuickExitCache() error {
	if !b.quickExit.Enabled {
		return nil
	}
	for _, lang := range []consent.Lang{consent.English, consent.Welsh} {
		var sb strings.Builder
		if err := b.executeQuickExit(&sb, lang); err != nil {
			return err
		}
		b.quickExitCache[langIndex(lang)] = template.HTML(sb.String()) // #nosec: rendered by html/template
	}
	return nil
}

// executeQuickExit renders the quick-exit template for lang. The cache is
// built from it, and tests check the cache against it.
func (b *Banner) executeQuickExit(w io.Writer, lang consent.Lang) error {
	s := b.strings[lang]
	v := quickExitView{Lang: lang, URL: b.quickExit.URL, Key: b.quickExit.Key, Label: s["QuickExit"]}
	switch b.quickExit.Key {
	case ExitEscape:
		v.Hint = s["QuickExitHintEscape"]
	case ExitShiftThree:
		v.Hint = s["QuickExitHintShift"]
	}
	return templates.ExecuteTemplate(w, "quickexit", v)
}

// Head returns the stylesheet link and the script tag for a page's <head>.
// Put it before any analytics or advertising tag: the script sets Google
// Consent Mode's defaults to "denied" before any tag can run. It carries the
// visitor's current choices, so it varies per request; the few distinct
// results are cached.
func (b *Banner) Head(r *http.Request) template.HTML {
	ch := b.choices(r)
	if !ch.Decided() {
		return b.headUndecided
	}
	opt := b.cat.Optional()
	var mask uint64
	for i, c := range opt {
		if ch.Allowed(c) {
			mask |= 1 << i
		}
	}
	// Cache only while the combinations are few, so visitors posting every
	// combination cannot grow memory without bound.
	cacheable := len(opt) <= maxCachedHeadCategories
	if cacheable {
		if h, ok := b.headCache.Load(mask); ok {
			return h.(template.HTML)
		}
	}
	h := b.buildHead(joinCategories(ch.Accepted()), b.clearPatterns(ch.Refused()))
	if cacheable {
		b.headCache.Store(mask, h)
	}
	return h
}

// maxCachedHeadCategories bounds the Head cache at 2^8 entries.
const maxCachedHeadCategories = 8

func (b *Banner) buildHead(accepted, clear string) template.HTML {
	var sb strings.Builder
	sb.WriteString(`<link rel="stylesheet" href="`)
	sb.WriteString(attrEscaper.Replace(b.assets.cssURL))
	sb.WriteString(`"><script src="`)
	sb.WriteString(attrEscaper.Replace(b.assets.jsURL))
	sb.WriteString(`"`)
	if accepted != "" {
		sb.WriteString(` data-cg-accepted="`)
		sb.WriteString(attrEscaper.Replace(accepted))
		sb.WriteString(`"`)
	}
	if clear != "" {
		sb.WriteString(` data-cg-clear="`)
		sb.WriteString(attrEscaper.Replace(clear))
		sb.WriteString(`"`)
	}
	sb.WriteString(`></script>`)
	return template.HTML(sb.String()) // #nosec: every value escaped above
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
