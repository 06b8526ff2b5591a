package middleware

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// xhtmlPage is an XHTML 1.0 page as such pages are written: every script
// carries type="text/javascript". Gating its tracker the HTML way inserts a
// second type attribute, which XML forbids: Chromium then shows a parse
// error instead of the page ("Attribute type redefined").
const xhtmlPage = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>News</title>
<script type="text/javascript" src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>
</head><body><p>Hello</p></body></html>`

// TestXHTMLPassesUngatedWithALog: the rewriter reads HTML, and what it
// writes is not always well-formed XML (a second type attribute on a
// typed script, an undeclared data-cg-xlink prefix), which breaks the
// whole XHTML page. So XHTML goes out byte for byte, and where the Gate
// would have gated an HTML page it logs that one passed ungated, once per
// interval, with the path to look at.
func TestXHTMLPassesUngatedWithALog(t *testing.T) {
	const msg = "XHTML passed through ungated"
	tests := []struct {
		name    string
		method  string
		ct      string
		consent bool // everything accepted
		wantLog bool
	}{
		{name: "undecided visitor", ct: "application/xhtml+xml", wantLog: true},
		{name: "any case, with a charset", ct: "Application/XHTML+XML; charset=utf-8", wantLog: true},
		{name: "last type counts", ct: "text/html, application/xhtml+xml", wantLog: true},
		{name: "everything accepted: nothing to gate", ct: "application/xhtml+xml", consent: true},
		{name: "HEAD: no body", method: http.MethodHead, ct: "application/xhtml+xml"},
		{name: "other XML is no page to log", ct: "application/xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := hostileGate(t, nil)
			srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.ct)
				io.WriteString(w, xhtmlPage)
			}))
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			cookie := ""
			if tt.consent {
				cookie = "cookie_consent=" + tg.consentValue(t, tg.codec.Catalogue().Optional()...)
			}
			for range 3 {
				resp, body := get(t, method, srv.URL+"/news?q=secret", cookie, nil)
				assert.Equal(t, tt.ct, resp.Header.Get("Content-Type"))
				if method == http.MethodGet {
					assert.Equal(t, xhtmlPage, body, "XHTML goes out as the handler wrote it")
				}
			}
			logs := tg.logs.String()
			if !tt.wantLog {
				assert.NotContains(t, logs, msg)
				return
			}
			assert.Equal(t, 1, strings.Count(logs, msg), logs)
			assert.Contains(t, logs, "level=ERROR")
			assert.Contains(t, logs, "path=/news")
			assert.NotContains(t, logs, "secret", "no query string in logs")
		})
	}
}
