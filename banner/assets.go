package banner

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
)

// The stylesheet and script are written compactly, without a build step,
// because together they must stay under 3 KB gzip (PERFORMANCE.md §5);
// their explanations live here instead of in comments the visitor downloads.
//
// banner.css and settings.css: every colour is a --cg-* custom property a site can override
// with its force colours (keep 4.5:1 text contrast). The banner is in normal
// flow, never sticky or fixed (WCAG 2.4.11), has no fixed heights (1.4.12
// text spacing), and its buttons stack at narrow widths (1.4.10 reflow at
// 320 px). Focus follows the GOV.UK pattern: yellow background and a dark
// underline, with a transparent outline that forced-colours mode turns into
// a visible one. Buttons are at least 44 px tall (2.5.8). The message
// container loses its outline on purpose, as in GOV.UK Frontend: it is only
// focused so screen readers announce it.
//
// banner.js, loaded in <head> before any tag and not deferred:
//   - pushes Google Consent Mode v2 "default" (all denied) at once, then
//     "update" for the categories in data-cg-accepted (basic mode, REQUIREMENTS
//     H2); gtag.js reads Arguments objects, so it pushes those, not arrays;
//   - deletes the cookies listed in data-cg-clear (names, or prefixes ending
//     in '*') that are visible on this page, for every prefix of the path and
//     every parent domain: the server only sees, and so only expires, the
//     cookies sent to the settings route;
//   - submits the banner with fetch (Accept: application/json), swaps in the
//     confirmation, gives it role="alert" and tabindex="-1" and focuses it,
//     sends gtag "update" and fbq('consent', 'grant'|'revoke'), and activates
//     neutralised tags whose every data-cg-category is accepted: a script is
//     recreated (same attributes but type and data-cg-*, type from
//     data-cg-type, async=false to keep document order unless it was async)
//     so the browser runs it; other elements get back every attribute the
//     rewriter renamed to data-cg-NAME (all but data-cg-category and
//     data-cg-type), whatever NAME is, so a new rename in internal/htmlgate
//     needs no change here. src and href come back last, so a preload link
//     has its imagesrcset, and an iframe its srcdoc, before it fetches;
//     xlink:href comes back in the XLink namespace, where SVG reads it; a
//     name the DOM refuses (an author's odd data-cg- attribute) is dropped
//     rather than stopping the elements after it. A
//     <meta http-equiv=refresh> stays off even once its category is
//     accepted: sending the visitor to another page the moment they click
//     Accept would be a surprise, and the next page load honours it anyway.
//     While the activated scripts run (until the last external one in the
//     chain has loaded), document.write and writeln are replaced: on a
//     loaded document the browser's own would replace the whole page (or,
//     from an external script, be ignored), which older vendor tags such as
//     Floodlight's iframe tag rely on. The replacement parses the markup with
//     createContextualFragment, whose scripts run when inserted, and puts it
//     after the script being activated, each write after the one before;
//     the originals come back when the chain ends. A script with its own
//     async attribute runs after that, when the browser ignores its writes.
//     When the chain ends it dispatches a ptupdate event: Partytown runs
//     text/partytown scripts (which the rewriter gates like JavaScript) in
//     a worker, and takes up ones added after it started only when told;
//     Any answer but our JSON falls back to an ordinary form post;
//   - focuses the cookies page's success notification;
//   - adds the quick-exit shortcut (Escape, or Shift three times within 5 s
//     of each other, any other key resetting the count) and leaves with
//     location.replace, so Back does not return to the page.
//
// settings.css styles the cookies page only, so it is not in every page's
// budget: [Banner.SettingsContent] links it at the top of its content (a
// stylesheet link is allowed in <body>).
//
//go:embed assets/banner.css assets/banner.js assets/settings.css
var assetFS embed.FS

// asset is one embedded file, ready to serve.
type asset struct {
	body        []byte
	gz          []byte // gzip -9 of body, served when the browser accepts gzip
	contentType string
}

// assetSet maps content-hashed URLs to the embedded stylesheet and script.
// The hash is in the name, so a response can be cached for a year and marked
// immutable: a new release has new names.
type assetSet struct {
	byPath                     map[string]*asset
	cssURL, jsURL, settingsURL string
}

func newAssetSet(prefix string) (*assetSet, error) {
	s := &assetSet{byPath: make(map[string]*asset)}
	for _, f := range []struct {
		file, ext, ctype string
		url              *string
	}{
		{"assets/banner.css", "css", "text/css; charset=utf-8", &s.cssURL},
		{"assets/banner.js", "js", "text/javascript; charset=utf-8", &s.jsURL},
		{"assets/settings.css", "css", "text/css; charset=utf-8", &s.settingsURL},
	} {
		body, err := assetFS.ReadFile(f.file)
		if err != nil {
			return nil, err
		}
		gz, err := gzipBytes(body)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(body)
		base := strings.TrimSuffix(strings.TrimPrefix(f.file, "assets/"), "."+f.ext)
		path := prefix + base + "." + hex.EncodeToString(sum[:6]) + "." + f.ext
		s.byPath[path] = &asset{body: body, gz: gz, contentType: f.ctype}
		*f.url = path
	}
	return s, nil
}

func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// serve answers a request for an asset; it reports false when path is not one.
func (s *assetSet) serve(w http.ResponseWriter, r *http.Request) bool {
	a, ok := s.byPath[r.URL.Path]
	if !ok {
		return false
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Add("Vary", "Accept-Encoding")
	body := a.body
	if acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = a.gz
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method == http.MethodHead {
		return true
	}
	_, _ = w.Write(body)
	return true
}

// acceptsGzip is a plain reading of Accept-Encoding: gzip listed without q=0.
func acceptsGzip(r *http.Request) bool {
	for _, line := range r.Header.Values("Accept-Encoding") {
		for _, part := range strings.Split(line, ",") {
			name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			if strings.EqualFold(strings.TrimSpace(name), "gzip") {
				q := strings.ReplaceAll(params, " ", "")
				return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
			}
		}
	}
	return false
}
