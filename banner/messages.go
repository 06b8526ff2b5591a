package banner

import (
	"reflect"

	"github.com/consentgate/consentgate/consent"
)

// govukMessages is the GOV.UK Design System wording. Welsh follows the
// published GOV.UK One Login, HMRC and SOH translations where they exist
// (REQUIREMENTS, Notes); the rest is ours and should be approved by the
// force's Welsh translation unit.
var govukMessages = Messages{
	BannerLabel:   consent.Text{EN: "Cookies on {service}", CY: "Cwcis ar {service}"},
	BannerHeading: consent.Text{EN: "Cookies on {service}", CY: "Cwcis ar {service}"},
	BannerText: consent.Text{
		EN: "We use some essential cookies to make this service work.",
		CY: "Rydym yn defnyddio rhai cwcis hanfodol i wneud i’r gwasanaeth hwn weithio.",
	},
	BannerMore: consent.Text{
		EN: "We’d like to set additional cookies so we can remember your settings, understand how people use the service and make improvements.",
		CY: "Hoffem osod cwcis ychwanegol er mwyn i ni allu cofio eich gosodiadau, deall sut mae pobl yn defnyddio’r gwasanaeth a gwneud gwelliannau.",
	},
	Accept:      consent.Text{EN: "Accept additional cookies", CY: "Derbyn cwcis ychwanegol"},
	Reject:      consent.Text{EN: "Reject additional cookies", CY: "Gwrthod cwcis ychwanegol"},
	ViewCookies: consent.Text{EN: "View cookies", CY: "Gweld cwcis"},
	Accepted: consent.Text{
		EN: "You’ve accepted additional cookies. You can [change your cookie settings] at any time.",
		CY: "Rydych wedi derbyn cwcis ychwanegol. Gallwch [newid eich gosodiadau cwcis] unrhyw bryd.",
	},
	Rejected: consent.Text{
		EN: "You’ve rejected additional cookies. You can [change your cookie settings] at any time.",
		CY: "Rydych wedi gwrthod cwcis ychwanegol. Gallwch [newid eich gosodiadau cwcis] unrhyw bryd.",
	},
	Saved: consent.Text{
		EN: "You’ve set your cookie preferences. You can [change your cookie settings] at any time.",
		CY: "Rydych chi wedi gosod eich dewisiadau cwci. Gallwch [newid eich gosodiadau cwcis] unrhyw bryd.",
	},
	Hide: consent.Text{EN: "Hide cookie message", CY: "Cuddio’r neges yma"},
	TechnicalProblem: consent.Text{
		EN: "Sorry, there was a technical problem. Please try again.",
		CY: "Mae’n ddrwg gennym, roedd problem dechnegol. Rhowch gynnig arall arni.",
	},
	PageTitle:       consent.Text{EN: "Cookies", CY: "Cwcis"},
	SettingsHeading: consent.Text{EN: "Change your cookie settings", CY: "Newid eich gosodiadau cwcis"},
	SettingsIntro: consent.Text{
		EN: "Cookies are small files saved on your phone, tablet or computer when you visit a website. We use essential cookies to make {service} work, and additional cookies only if you say yes.",
		CY: "Ffeiliau bach yw cwcis sy’n cael eu cadw ar eich ffôn, llechen neu gyfrifiadur pan fyddwch yn ymweld â gwefan. Rydym yn defnyddio cwcis hanfodol i wneud i {service} weithio, a chwcis ychwanegol dim ond os byddwch yn dweud ie.",
	},
	Legend:       consent.Text{EN: "Do you want to accept {category}?", CY: "Ydych chi eisiau derbyn {category}?"},
	Yes:          consent.Text{EN: "Yes", CY: "Ydw"},
	No:           consent.Text{EN: "No", CY: "Nac ydw"},
	Save:         consent.Text{EN: "Save cookie settings", CY: "Cadw gosodiadau cwcis"},
	SuccessTitle: consent.Text{EN: "Success", CY: "Llwyddiant"},
	SuccessText: consent.Text{
		EN: "You’ve set your cookie preferences. [Go back to the page you were looking at].",
		CY: "Rydych chi wedi gosod eich dewisiadau cwci. [Ewch yn ôl i’r dudalen yr oeddech yn edrych arni].",
	},
	GPCNotice: consent.Text{
		EN: "Your browser sent a Global Privacy Control signal, so we have turned additional cookies off. You can still turn them on here.",
		CY: "Anfonodd eich porwr signal Global Privacy Control, felly rydym wedi diffodd cwcis ychwanegol. Gallwch eu troi ymlaen yma o hyd.",
	},
	// The caption names the category mid-sentence, so any title reads
	// right: "List of cookies that measure website use".
	CookiesTableCaption: consent.Text{EN: "List of {category}", CY: "Rhestr o’r {category}"},
	ColName:             consent.Text{EN: "Name", CY: "Enw"},
	ColPurpose:          consent.Text{EN: "Purpose", CY: "Diben"},
	ColExpiry:           consent.Text{EN: "Expires", CY: "Yn dod i ben"},
	ColProvider:         consent.Text{EN: "Set by", CY: "Wedi’i osod gan"},
	ThirdParty:          consent.Text{EN: "(third party)", CY: "(trydydd parti)"},
	NoCookies:           consent.Text{EN: "We do not set any of these cookies at the moment.", CY: "Nid ydym yn gosod unrhyw un o’r cwcis hyn ar hyn o bryd."},
	BadForm: consent.Text{
		EN: "Your cookie settings were not saved because the form was not recognised. Go back, reload the page and try again.",
		CY: "Ni chafodd eich gosodiadau cwcis eu cadw oherwydd nad oedd y ffurflen yn cael ei hadnabod. Ewch yn ôl, ail-lwythwch y dudalen a rhowch gynnig arall arni.",
	},
	Forbidden: consent.Text{
		EN: "Your cookie settings were not saved because the form had expired or did not come from this site. Go back, reload the page and try again.",
		CY: "Ni chafodd eich gosodiadau cwcis eu cadw oherwydd bod y ffurflen wedi dod i ben neu nad oedd wedi dod o’r wefan hon. Ewch yn ôl, ail-lwythwch y dudalen a rhowch gynnig arall arni.",
	},
	ErrorTitle: consent.Text{EN: "Your cookie settings were not saved", CY: "Ni chafodd eich gosodiadau cwcis eu cadw"},
	GoBack:     consent.Text{EN: "Go back to the page you were looking at", CY: "Ewch yn ôl i’r dudalen yr oeddech yn edrych arni"},
	QuickExit:  consent.Text{EN: "Leave this site", CY: "Allanfa Gyflym"},
	QuickExitHintEscape: consent.Text{
		EN: "Quickly exit this site by pressing the Escape key",
		CY: "Gallwch adael y wefan hon yn gyflym drwy wasgu’r fysell Escape",
	},
	QuickExitHintShift: consent.Text{
		EN: "Quickly exit this site by pressing the Shift key 3 times",
		CY: "Gallwch adael y wefan hon yn gyflym drwy wasgu’r fysell Shift 3 gwaith",
	},
	OtherLanguage: consent.Text{EN: "Cymraeg", CY: "English"},
}

// policeOverrides is the Single Online Home wording police.uk force sites
// use (REQUIREMENTS F1), on top of the GOV.UK strings. SOH's captures name
// no buttons, so the GOV.UK buttons stay: Reject must be on the first layer.
var policeOverrides = Messages{
	BannerText: consent.Text{
		EN: "We use some essential cookies to make our website work. We’d like to set additional cookies so we can remember your preferences and understand how you use our site.",
		CY: "Rydym yn defnyddio rhai cwcis hanfodol i wneud i’n gwefan weithio. Hoffem osod cwcis ychwanegol fel y gallwn gofio eich dewisiadau a deall sut rydych yn defnyddio ein gwefan.",
	},
	BannerMore: consent.Text{
		EN: "You can manage your preferences and cookie settings at any time on our cookies page.",
		CY: "Gallwch reoli eich dewisiadau a gosodiadau cwcis unrhyw bryd ar ein tudalen cwcis.",
	},
	ViewCookies: consent.Text{EN: "Customise cookies", CY: "Addasu cwcis"},
	Accepted: consent.Text{
		EN: "You’ve accepted additional cookies. Your cookie preferences have been saved. You can update your cookie settings at any time on the [cookies page].",
		CY: "Rydych wedi derbyn cwcis ychwanegol. Mae eich dewisiadau cwcis wedi’u cadw. Gallwch ddiweddaru eich gosodiadau cwcis unrhyw bryd ar y [dudalen cwcis].",
	},
	Rejected: consent.Text{
		EN: "You’ve rejected additional cookies. Your cookie preferences have been saved. You can update your cookie settings at any time on the [cookies page].",
		CY: "Rydych wedi gwrthod cwcis ychwanegol. Mae eich dewisiadau cwcis wedi’u cadw. Gallwch ddiweddaru eich gosodiadau cwcis unrhyw bryd ar y [dudalen cwcis].",
	},
	Saved: consent.Text{
		EN: "Your cookie preferences have been saved. You can update your cookie settings at any time on the [cookies page].",
		CY: "Mae eich dewisiadau cwcis wedi’u cadw. Gallwch ddiweddaru eich gosodiadau cwcis unrhyw bryd ar y [dudalen cwcis].",
	},
}

// analyticsOnly is the GOV.UK wording for a service whose only optional
// cookies are analytics cookies (REQUIREMENTS C3), used when the catalogue
// asks about analytics alone. Welsh follows GOV.UK One Login.
var analyticsOnly = Messages{
	BannerMore: consent.Text{
		EN: "We’d also like to use analytics cookies so we can understand how you use the service and make improvements.",
		CY: "Hoffem hefyd ddefnyddio cwcis dadansoddi er mwyn i ni allu deall sut rydych yn defnyddio’r gwasanaeth a gwneud gwelliannau.",
	},
	Accept: consent.Text{EN: "Accept analytics cookies", CY: "Derbyn cwcis dadansoddi"},
	Reject: consent.Text{EN: "Reject analytics cookies", CY: "Gwrthod cwcis dadansoddi"},
	Accepted: consent.Text{
		EN: "You’ve accepted analytics cookies. You can [change your cookie settings] at any time.",
		CY: "Rydych wedi derbyn cwcis dadansoddi. Gallwch [newid eich gosodiadau cwcis] unrhyw bryd.",
	},
	Rejected: consent.Text{
		EN: "You’ve rejected analytics cookies. You can [change your cookie settings] at any time.",
		CY: "Rydych wedi gwrthod cwcis dadansoddi. Gallwch [newid eich gosodiadau cwcis] unrhyw bryd.",
	},
}

// merge returns base with every non-empty language of every field of over
// laid on top, so a site can override just the Welsh of one string.
func merge(base, over Messages) Messages {
	bv := reflect.ValueOf(&base).Elem()
	ov := reflect.ValueOf(over)
	for i := 0; i < bv.NumField(); i++ {
		o := ov.Field(i).Interface().(consent.Text)
		b := bv.Field(i).Addr().Interface().(*consent.Text)
		if o.EN != "" {
			b.EN = o.EN
		}
		if o.CY != "" {
			b.CY = o.CY
		}
	}
	return base
}
