package site

import (
	"net/http"
	"strings"

	"github.com/consentgate/consentgate/consent"
)

// welshPrefix is where the Welsh site lives: every English page /x has its
// Welsh counterpart at /cy/x, so the language toggle is a prefix swap.
const welshPrefix = "/cy"

// langOf returns the page language from the path.
func langOf(r *http.Request) consent.Lang {
	if r.URL.Path == welshPrefix || strings.HasPrefix(r.URL.Path, welshPrefix+"/") {
		return consent.Welsh
	}
	return consent.English
}

// pagePath strips the Welsh prefix: "/cy/report" → "/report", "/cy" → "/".
func pagePath(r *http.Request) string {
	if langOf(r) == consent.English {
		return r.URL.Path
	}
	p := strings.TrimPrefix(r.URL.Path, welshPrefix)
	if p == "" {
		return "/"
	}
	return p
}

// localPath turns a page path into the path for lang: ("/report", cy) → "/cy/report".
func localPath(lang consent.Lang, p string) string {
	if lang != consent.Welsh {
		return p
	}
	if p == "/" {
		return welshPrefix + "/"
	}
	return welshPrefix + p
}

// other returns the language the toggle offers.
func other(lang consent.Lang) consent.Lang {
	if lang == consent.Welsh {
		return consent.English
	}
	return consent.Welsh
}
