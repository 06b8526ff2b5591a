package banner

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/consentgate/consentgate/consent"
)

// Preset chooses the wording the banner starts from. Every string can still be
// overridden with [Options.Messages].
type Preset string

const (
	// PresetGOVUK is the GOV.UK Design System wording ("We use some essential
	// cookies to make this service work…"). It is the default.
	PresetGOVUK Preset = "govuk"
	// PresetPolice is the wording police.uk (Single Online Home) force sites use
	// ("We use some essential cookies to make our website work…"), with the
	// first-layer Reject button the ICO expects (REQUIREMENTS F2).
	PresetPolice Preset = "police"
)

// ExitKey is the keyboard shortcut for the quick-exit control.
type ExitKey string

const (
	// ExitShiftThree leaves when Shift is pressed three times, each within 5
	// seconds of the last, as GOV.UK's "Exit this page" does. Escape is avoided
	// because it also stops the page loading (REQUIREMENTS F4).
	ExitShiftThree ExitKey = "shift3"
	// ExitEscape leaves when Escape is pressed, as police.uk sites do (F3).
	ExitEscape ExitKey = "escape"
	// ExitNone gives the control no shortcut: it is a plain link.
	ExitNone ExitKey = "none"
)

// QuickExitOptions configures the "Leave this site" control.
type QuickExitOptions struct {
	// Enabled turns the control on. Default false: [Banner.QuickExit] renders nothing.
	Enabled bool
	// URL is where the control goes. Default https://www.bbc.co.uk/weather, as GOV.UK uses.
	URL string
	// Key is the keyboard shortcut. Default [ExitEscape] with [PresetPolice],
	// [ExitShiftThree] otherwise.
	Key ExitKey
	// BeforeBanner puts the control at the start of the banner fragment, so it
	// comes before the banner in tab order (police.uk order, REQUIREMENTS F5).
	// Default false: the GOV.UK order, banner first (C1). See the package doc.
	BeforeBanner bool
}

// Options configures a [Banner]. Only Codec is required.
type Options struct {
	// Codec reads and writes the signed consent cookie; its catalogue lists the
	// categories and cookies shown to visitors. Required.
	Codec *consent.Codec
	// Recorder stores proof of each decision. Default [consent.SlogRecorder]
	// with slog.Default().
	Recorder consent.Recorder
	// RecordTimeout bounds each call to Recorder. Default 2 seconds.
	RecordTimeout time.Duration
	// RecordUserAgent adds the visitor's User-Agent to each record. Default
	// false: the record holds nothing that identifies the visitor's device.
	RecordUserAgent bool
	// Preset is the wording to start from. Default [PresetGOVUK].
	Preset Preset
	// ServiceName is the site's name in "Cookies on …". Default "this site" / "y wefan hon".
	ServiceName consent.Text
	// Messages overrides the preset's strings; empty fields keep the preset.
	Messages Messages
	// SettingsPath is the cookie settings page and the POST target. Default
	// "/cookies". The Welsh page is the same path under "/cy".
	SettingsPath string
	// AssetPath is the prefix the stylesheet and script are served under.
	// Default SettingsPath + "/assets/".
	AssetPath string
	// Language picks the language for a request. Default [DefaultLanguage]:
	// a "/cy/" path prefix or ?lang=, then Accept-Language, then English.
	Language func(*http.Request) consent.Lang
	// QuickExit configures the "Leave this site" control.
	QuickExit QuickExitOptions
	// CSRFKey signs the banner's CSRF tokens: at least 32 random bytes, the
	// same on every instance. Default: a random key made by New, which only
	// suits a single instance (New logs a warning).
	CSRFKey []byte
	// TrustedOrigins lists other origins ("https://www.example.police.uk") whose
	// pages may post to the settings route, for a site served under several
	// host names. Default none: same origin only.
	TrustedOrigins []string
	// Insecure drops the Secure attribute from the banner's own cookies, for
	// development over http://localhost. Default false. Set the codec's
	// Insecure too.
	Insecure bool
	// CookieDomain is the domain trackers set their cookies on (Google
	// Analytics uses the registrable domain, e.g. "example.police.uk"). When a
	// visitor refuses a category, its cookies are expired both host-only and
	// on this domain. Default empty: host-only.
	CookieDomain string
	// CleanupPaths are paths besides "/" that refused cookies may have been
	// set for; a decision expires them on each too, as the Gate's option of
	// the same name does. Each must start with '/'. Default none.
	CleanupPaths []string
	// Logger receives refused requests (Warn) and recording failures (Error).
	// Default slog.Default().
	Logger *slog.Logger
	// Now is the clock; nil means time.Now. For tests.
	Now func() time.Time
}

// Messages holds every visitor-facing string in English and Welsh. In a
// message, "{service}" stands for [Options.ServiceName] and "{category}" for
// a category's title in lower case; text in [square brackets] becomes the
// link the message is about. Strings are plain text: they are escaped.
type Messages struct {
	// BannerLabel is the banner region's accessible name: "Cookies on {service}".
	BannerLabel consent.Text
	// BannerHeading is the banner's h2: "Cookies on {service}".
	BannerHeading consent.Text
	// BannerText is the first paragraph of the question.
	BannerText consent.Text
	// BannerMore is the second paragraph of the question.
	BannerMore consent.Text
	// Accept is the accept button: "Accept additional cookies".
	Accept consent.Text
	// Reject is the reject button: "Reject additional cookies".
	Reject consent.Text
	// ViewCookies is the link to the settings page: "View cookies".
	ViewCookies consent.Text
	// Accepted confirms an acceptance; [bracketed] text links to the settings page.
	Accepted consent.Text
	// Rejected confirms a rejection; [bracketed] text links to the settings page.
	Rejected consent.Text
	// Saved confirms a mixed choice; [bracketed] text links to the settings page.
	Saved consent.Text
	// Hide is the button that hides the confirmation: "Hide cookie message".
	Hide consent.Text
	// TechnicalProblem is shown when proof of consent could not be recorded.
	TechnicalProblem consent.Text
	// PageTitle is the settings page's <title>: "Cookies".
	PageTitle consent.Text
	// SettingsHeading heads the form: "Change your cookie settings".
	SettingsHeading consent.Text
	// SettingsIntro is the settings page's first paragraph.
	SettingsIntro consent.Text
	// Legend asks about one category: "Do you want to accept {category}?".
	Legend consent.Text
	// Yes and No label the radios.
	Yes, No consent.Text
	// Save is the settings form's button: "Save cookie settings".
	Save consent.Text
	// SuccessTitle heads the success notification: "Success".
	SuccessTitle consent.Text
	// SuccessText is the notification; [bracketed] text links back to where the visitor was.
	SuccessText consent.Text
	// GPCNotice tells a visitor their browser's Global Privacy Control signal was honoured.
	GPCNotice consent.Text
	// AlwaysOn, when set, follows the essential category's description to
	// say its cookies cannot be switched off. It is empty by default because
	// the built-in essential description ([consent.BuiltInCategory]) already
	// says so; a site whose own description does not should set it.
	AlwaysOn consent.Text
	// CookiesTableCaption captions a category's table: "List of {category}",
	// where {category} is the category's title with its first letter in
	// lower case, as in Legend.
	CookiesTableCaption consent.Text
	// ColName, ColPurpose, ColExpiry and ColProvider head the table's columns.
	ColName, ColPurpose, ColExpiry, ColProvider consent.Text
	// ThirdParty follows a third-party provider's name: "(third party)".
	ThirdParty consent.Text
	// NoCookies says a category has no cookies listed.
	NoCookies consent.Text
	// BadForm is the 400 page's text when the form did not make sense.
	BadForm consent.Text
	// Forbidden is the 403 page's text when the CSRF or origin check failed.
	Forbidden consent.Text
	// ErrorTitle is the <title> and heading of those error pages.
	ErrorTitle consent.Text
	// GoBack is the error pages' link back to where the visitor was.
	GoBack consent.Text
	// QuickExit is the quick-exit link: "Leave this site".
	QuickExit consent.Text
	// QuickExitHintEscape explains the Escape shortcut.
	QuickExitHintEscape consent.Text
	// QuickExitHintShift explains the Shift-three-times shortcut.
	QuickExitHintShift consent.Text
	// OtherLanguage is the settings page's link to the other language: "Cymraeg" on the English page.
	OtherLanguage consent.Text
}
