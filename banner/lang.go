package banner

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/consentgate/consentgate/consent"
)

// DefaultLanguage picks Welsh or English for r: a "/cy" path prefix, then a
// "lang" query parameter ("cy" or "en"), then whichever of the two the
// Accept-Language header ranks higher, then English.
func DefaultLanguage(r *http.Request) consent.Lang {
	p := r.URL.Path
	if p == "/cy" || strings.HasPrefix(p, "/cy/") {
		return consent.Welsh
	}
	switch strings.ToLower(r.URL.Query().Get("lang")) {
	case "cy":
		return consent.Welsh
	case "en":
		return consent.English
	}
	return fromAcceptLanguage(r.Header.Get("Accept-Language"))
}

// fromAcceptLanguage returns Welsh when the header ranks cy (or cy-GB…)
// above English, by q value and then by order.
func fromAcceptLanguage(h string) consent.Lang {
	bestQ, best := -1.0, consent.English
	for _, part := range strings.Split(h, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		var lang consent.Lang
		switch primary {
		case "cy":
			lang = consent.Welsh
		case "en":
			lang = consent.English
		default:
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 || f > 1 {
				continue
			}
			q = f
		}
		if q > bestQ && q > 0 {
			bestQ, best = q, lang
		}
	}
	return best
}
