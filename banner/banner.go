package banner

import (
	"crypto/rand"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/consentgate/consentgate/consent"
)

// Cookie names the banner sets besides the consent cookie. The default
// policy lists both as essential, first-party cookies.
const (
	// CSRFCookieName holds the nonce the banner's CSRF tokens are bound to.
	CSRFCookieName = "cookie_consent_csrf"
	// FlashCookieName marks a decision made without JavaScript, so the next
	// page shows the confirmation. Its value is "accepted", "rejected" or "saved".
	FlashCookieName = "cookie_consent_flash"
)

// flashMaxAge is how long a confirmation waits to be shown.
const flashMaxAge = 300

// Banner renders the cookie banner and the cookie settings page and handles
// the decisions posted from them. It is safe for concurrent use.
//
// *Banner satisfies the middleware's BannerRenderer interface (BannerNeeded
// and RenderBanner), so the Gate can inject the banner after <body>.
type Banner struct {
	codec          *consent.Codec
	cat            *consent.Catalogue
	recorder       consent.Recorder
	recordTimeout  time.Duration
	recordUA       bool
	settingsPath   string // English settings page, e.g. "/cookies"
	welshPath      string // "/cy" + settingsPath
	assetPath      string
	language       func(*http.Request) consent.Lang
	quickExit      QuickExitOptions
	csrfKey        []byte
	csrfMACs       sync.Pool       // of hash.Hash keyed with csrfKey; see mac
	trusted        map[string]bool // scheme://host of trusted origins
	insecure       bool
	cookieDomain   string
	cleanupPaths   []string
	log            *slog.Logger
	now            func() time.Time
	strings        map[consent.Lang]map[string]string // message name → text, {service} filled in
	assets         *assetSet
	bannerCache    [8]renderedBanner // by cacheKey
	quickExitCache [2]template.HTML  // by langIndex; empty when the control is off
	headUndecided  template.HTML
	headCache      sync.Map // accepted-category mask → template.HTML
}

// New checks opts and returns a Banner.
func New(opts Options) (*Banner, error) {
	if opts.Codec == nil {
		return nil, errors.New("banner: New: Options.Codec is required")
	}
	b := &Banner{
		codec:         opts.Codec,
		cat:           opts.Codec.Catalogue(),
		recorder:      opts.Recorder,
		recordTimeout: opts.RecordTimeout,
		recordUA:      opts.RecordUserAgent,
		settingsPath:  opts.SettingsPath,
		assetPath:     opts.AssetPath,
		language:      opts.Language,
		quickExit:     opts.QuickExit,
		insecure:      opts.Insecure,
		cookieDomain:  opts.CookieDomain,
		log:           opts.Logger,
		now:           opts.Now,
		trusted:       make(map[string]bool),
	}
	if b.log == nil {
		b.log = slog.Default()
	}
	if b.recorder == nil {
		b.recorder = consent.SlogRecorder{}
	}
	if b.recordTimeout <= 0 {
		b.recordTimeout = 2 * time.Second
	}
	if b.settingsPath == "" {
		b.settingsPath = "/cookies"
	}
	if !cleanPath(b.settingsPath) || b.settingsPath == "/" {
		return nil, fmt.Errorf("banner: New: SettingsPath %q must be a clean absolute path such as /cookies", b.settingsPath)
	}
	b.welshPath = "/cy" + b.settingsPath
	if b.assetPath == "" {
		b.assetPath = b.settingsPath + "/assets/"
	}
	if !cleanPath(strings.TrimSuffix(b.assetPath, "/")) || !strings.HasSuffix(b.assetPath, "/") {
		return nil, fmt.Errorf("banner: New: AssetPath %q must be a clean absolute path ending in /", b.assetPath)
	}
	if b.language == nil {
		b.language = DefaultLanguage
	}
	if b.now == nil {
		b.now = time.Now
	}
	switch opts.Preset {
	case "", PresetGOVUK, PresetPolice:
	default:
		return nil, fmt.Errorf("banner: New: unknown Preset %q", opts.Preset)
	}
	if err := b.setUpQuickExit(opts); err != nil {
		return nil, err
	}
	switch {
	case len(opts.CSRFKey) == 0:
		b.csrfKey = make([]byte, 32)
		_, _ = rand.Read(b.csrfKey)
		b.log.Warn("banner: no CSRFKey set; using a random key, so banner forms only work on this instance")
	case len(opts.CSRFKey) < 32:
		return nil, fmt.Errorf("banner: New: CSRFKey is %d bytes, need at least 32", len(opts.CSRFKey))
	default:
		b.csrfKey = append([]byte(nil), opts.CSRFKey...)
	}
	for _, p := range opts.CleanupPaths {
		if !cleanPath(p) {
			return nil, fmt.Errorf("banner: New: CleanupPaths: %q must be a clean absolute path", p)
		}
		b.cleanupPaths = append(b.cleanupPaths, p)
	}
	for _, o := range opts.TrustedOrigins {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
			return nil, fmt.Errorf("banner: New: TrustedOrigins: %q is not an origin like https://www.example.police.uk", o)
		}
		b.trusted[strings.ToLower(u.Scheme+"://"+u.Host)] = true
	}
	b.strings = b.resolveMessages(opts)
	var err error
	if b.assets, err = newAssetSet(b.assetPath); err != nil {
		return nil, err
	}
	b.headUndecided = b.buildHead("", "")
	if err := b.buildQuickExitCache(); err != nil {
		return nil, fmt.Errorf("banner: New: render quick exit: %w", err)
	}
	if err := b.buildBannerCache(); err != nil {
		return nil, fmt.Errorf("banner: New: render banner: %w", err)
	}
	return b, nil
}

func (b *Banner) setUpQuickExit(opts Options) error {
	q := &b.quickExit
	if q.URL == "" {
		q.URL = "https://www.bbc.co.uk/weather"
	}
	if u, err := url.Parse(q.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("banner: New: QuickExit.URL %q must be an absolute http(s) URL", q.URL)
	}
	if q.Key == "" {
		q.Key = ExitShiftThree
		if opts.Preset == PresetPolice {
			q.Key = ExitEscape
		}
	}
	switch q.Key {
	case ExitShiftThree, ExitEscape, ExitNone:
	default:
		return fmt.Errorf("banner: New: unknown QuickExit.Key %q", q.Key)
	}
	return nil
}

// resolveMessages lays the preset and the site's overrides over the GOV.UK
// strings and fills in the service name, once, so rendering only looks up.
func (b *Banner) resolveMessages(opts Options) map[consent.Lang]map[string]string {
	m := govukMessages
	onlyAnalytics := len(b.cat.Optional()) == 1 && b.cat.Optional()[0] == consent.Analytics
	switch {
	case opts.Preset == PresetPolice:
		m = merge(m, policeOverrides)
		if onlyAnalytics { // SOH's text stays; the buttons say what they do
			m = merge(m, Messages{Accept: analyticsOnly.Accept, Reject: analyticsOnly.Reject})
		}
	case onlyAnalytics:
		m = merge(m, analyticsOnly)
	}
	m = merge(m, opts.Messages)
	service := opts.ServiceName
	if service.EN == "" {
		service.EN = "this site"
	}
	if service.CY == "" {
		service.CY = "y wefan hon"
	}
	out := map[consent.Lang]map[string]string{consent.English: {}, consent.Welsh: {}}
	for lang, dst := range out {
		dst[serviceKey] = service.In(lang)
	}
	v := reflect.ValueOf(m)
	for i := 0; i < v.NumField(); i++ {
		name := v.Type().Field(i).Name
		t := v.Field(i).Interface().(consent.Text)
		for lang, dst := range out {
			dst[name] = strings.ReplaceAll(t.In(lang), "{service}", service.In(lang))
		}
	}
	return out
}

// serviceKey holds the service name among the resolved messages; it is not
// a Messages field name, so it cannot clash with one.
const serviceKey = "service name"

// cleanPath reports whether p is an absolute path with nothing odd in it.
func cleanPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "?#\\%") || strings.Contains(p, "/../") || strings.HasSuffix(p, "/..") {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] <= ' ' || p[i] == 0x7f {
			return false
		}
	}
	return true
}

// lang returns the language for r.
func (b *Banner) lang(r *http.Request) consent.Lang {
	if b.language(r) == consent.Welsh {
		return consent.Welsh
	}
	return consent.English
}

// settingsURL is the settings page in lang.
func (b *Banner) settingsURL(lang consent.Lang) string {
	if lang == consent.Welsh {
		return b.welshPath
	}
	return b.settingsPath
}

// isSettingsPath reports whether p is the settings page in either language.
func (b *Banner) isSettingsPath(p string) bool {
	return p == b.settingsPath || p == b.welshPath
}

// choices returns the visitor's consent state: what the Gate put in the
// context, or, when the Gate is not in front of this handler, what the
// consent cookie and Sec-GPC say.
func (b *Banner) choices(r *http.Request) consent.Choices {
	ch := consent.FromContext(r.Context())
	if ch.Decided() || ch.FromGPC() {
		return ch
	}
	if got, err := b.codec.Read(r); err == nil && got.Decided() {
		return got
	}
	if gpc := r.Header["Sec-Gpc"]; len(gpc) > 0 && gpc[0] == "1" { // canonical key: no allocation
		return b.cat.GPCRefusal()
	}
	return ch
}

// flash returns the pending confirmation, or "" when there is none.
func flash(r *http.Request) string {
	v, _ := consent.FindCookie(r.Header, FlashCookieName)
	switch v {
	case flashAccepted, flashRejected, flashSaved:
		return v
	}
	return ""
}

const (
	flashAccepted = "accepted"
	flashRejected = "rejected"
	flashSaved    = "saved"
)

// BannerNeeded reports whether the page answering r should carry the banner:
// the visitor has not decided (and sent no Global Privacy Control signal), or
// a confirmation is waiting to be shown; never on the settings page itself,
// and never when the policy has no optional category to ask about.
func (b *Banner) BannerNeeded(r *http.Request) bool {
	if b.isSettingsPath(r.URL.Path) {
		return false
	}
	if flash(r) != "" {
		return true
	}
	if len(b.cat.Optional()) == 0 {
		return false // essential cookies only: there is nothing to ask
	}
	ch := b.choices(r)
	return !ch.Decided() && !ch.FromGPC()
}

// RenderBanner writes the banner fragment for r: the question, with the
// confirmations hidden, or the pending confirmation. It writes nothing when
// [Banner.BannerNeeded] is false, so a site may call it from its own layout.
func (b *Banner) RenderBanner(w io.Writer, r *http.Request) error {
	if !b.BannerNeeded(r) {
		return nil
	}
	return b.renderBanner(w, r)
}

// Fragment returns the banner fragment as HTML for a site's own template,
// or "" when [Banner.BannerNeeded] is false.
func (b *Banner) Fragment(r *http.Request) (template.HTML, error) {
	var sb strings.Builder
	if err := b.RenderBanner(&sb, r); err != nil {
		return "", err
	}
	return template.HTML(sb.String()), nil // #nosec: rendered by html/template
}
