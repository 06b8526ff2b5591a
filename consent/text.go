package consent

import "strings"

// Lang is a language the library speaks to visitors in.
type Lang string

// The languages every visitor-facing string is provided in.
const (
	// English is the default language.
	English Lang = "en"
	// Welsh (Cymraeg) is required by the Welsh Language Standards for the Welsh forces.
	Welsh Lang = "cy"
)

// Text is a string in English and Welsh. Welsh Language Standards require every
// visitor-facing string in both, so the catalogue rejects a Text missing either.
type Text struct {
	EN string
	CY string
}

// In returns the text in lang, falling back to English for any other language.
func (t Text) In(lang Lang) string {
	if lang == Welsh {
		return t.CY
	}
	return t.EN
}

// complete reports whether both languages hold more than white space.
func (t Text) complete() bool {
	return strings.TrimSpace(t.EN) != "" && strings.TrimSpace(t.CY) != ""
}
