package site

import "github.com/consentgate/consentgate/consent"

// words are the layout's own strings: the force's name, navigation, footer.
// Page content lives in the templates and in news.go.
type words struct {
	Force, ForceShort, SkipLink, MainNav, Home, Report, News, Privacy, Cookies,
	Contact, Emergency, EmergencyText, Footer, ToggleLabel, Fictional string
}

var layoutWords = map[consent.Lang]words{
	consent.English: {
		Force:         "Westshire Police",
		ForceShort:    "Westshire Police home page",
		SkipLink:      "Skip to main content",
		MainNav:       "Main",
		Home:          "Home",
		Report:        "Report a crime",
		News:          "News and appeals",
		Privacy:       "Privacy notice",
		Cookies:       "Cookies",
		Contact:       "Contact us",
		Emergency:     "In an emergency, call 999.",
		EmergencyText: "If you are deaf or hard of hearing, text 999 after registering with emergencySMS. For non-emergencies, call 101 or report online.",
		Footer:        "Support links",
		ToggleLabel:   "Cymraeg",
		Fictional:     "Westshire Police is a fictional force: this is the example site of consentgate.",
	},
	consent.Welsh: {
		Force:         "Heddlu Westshire",
		ForceShort:    "Hafan Heddlu Westshire",
		SkipLink:      "Neidio i’r prif gynnwys",
		MainNav:       "Prif",
		Home:          "Hafan",
		Report:        "Rhoi gwybod am drosedd",
		News:          "Newyddion ac apeliadau",
		Privacy:       "Hysbysiad preifatrwydd",
		Cookies:       "Cwcis",
		Contact:       "Cysylltu â ni",
		Emergency:     "Mewn argyfwng, ffoniwch 999.",
		EmergencyText: "Os ydych yn fyddar neu’n drwm eich clyw, anfonwch neges destun at 999 ar ôl cofrestru gydag emergencySMS. Pan nad yw’n argyfwng, ffoniwch 101 neu rhowch wybod ar-lein.",
		Footer:        "Dolenni cymorth",
		ToggleLabel:   "English",
		Fictional:     "Heddlu ffuglennol yw Heddlu Westshire: dyma wefan enghreifftiol consentgate.",
	},
}
