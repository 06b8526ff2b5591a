package bannertest

import (
	"context"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/consentgate/consentgate/banner"
	"github.com/consentgate/consentgate/consent"
	"github.com/consentgate/consentgate/middleware"
)

// page is a site page that includes Head and the banner as a site would,
// with tags in the neutralised form the Gate writes.
var page = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} – Westshire Police</title>
{{.Head}}
</head>
<body>
{{.Banner}}<header><a class="skip" href="#main">{{.Skip}}</a>
{{.QuickExit}}<p>Westshire Police</p></header>
<main id="main">
<h1>{{.Title}}</h1>
<p>{{.Text}}</p>
<p><a href="{{.Cookies}}">{{.CookiesLink}}</a></p>
<script type="text/plain" data-cg-category="analytics">window.analyticsRan = (window.analyticsRan || 0) + 1;</script>
<script type="text/plain" data-cg-category="analytics marketing" data-cg-type="text/javascript">window.bothRan = true;</script>
<script type="text/plain" data-cg-category="marketing">window.marketingRan = true;</script>
<img data-cg-src="/pixel.gif" data-cg-category="analytics" alt="" id="pixel" width="1" height="1">
</main>
</body>
</html>`))

type pageView struct {
	Lang, Title, Text, Skip, Cookies, CookiesLink string
	Head, Banner, QuickExit                       template.HTML
}

// site is the test server and what it saw.
type site struct {
	srv    *httptest.Server
	banner *banner.Banner
	codec  *consent.Codec

	mu     sync.Mutex
	pixels int
	hits   map[string]int // requests for the /tags page's resources
	recs   []consent.Record
}

// hitCount reports how often path was requested.
func (s *site) hitCount(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func (s *site) records() []consent.Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]consent.Record(nil), s.recs...)
}

func (s *site) pixelHits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pixels
}

// newSite starts the test server. mod adjusts the banner's options.
func newSite(t *testing.T, mod func(*banner.Options)) *site {
	t.Helper()
	cat, err := consent.NewCatalogue(consent.DefaultPolicy())
	require.NoError(t, err)
	codec, err := consent.NewCodec(cat, consent.CodecOptions{Keys: []consent.Key{{Hash: []byte("bannertest signing key, 32+ bytes long")}}})
	require.NoError(t, err)
	s := &site{codec: codec, hits: make(map[string]int)}
	opts := banner.Options{
		Codec:       codec,
		ServiceName: consent.Text{EN: "Westshire Police", CY: "Heddlu Westshire"},
		CSRFKey:     []byte("bannertest CSRF key, also 32+ bytes"),
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		Recorder: consent.RecorderFunc(func(_ context.Context, rec consent.Record) error {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.recs = append(s.recs, rec)
			return nil
		}),
	}
	if mod != nil {
		mod(&opts)
	}
	s.banner, err = banner.New(opts)
	require.NoError(t, err)

	mux := http.NewServeMux()
	s.banner.Mount(mux)
	mux.HandleFunc("/pixel.gif", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.pixels++
		s.mu.Unlock()
		w.Header().Set("Content-Type", "image/gif")
		_, _ = w.Write(gif)
	})
	mux.HandleFunc("/safe", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, `<!DOCTYPE html><html lang="en"><head><title>Weather</title></head><body><main><h1>Weather</h1></main></body></html>`)
	})
	for path, body := range joinResources(tagResources, writeResources) {
		ctype, content := body[0], body[1]
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			s.mu.Lock()
			s.hits[r.URL.Path]++
			s.mu.Unlock()
			if r.URL.Path == "/tag.js" {
				time.Sleep(100 * time.Millisecond) // slower than the inline script after it
			}
			w.Header().Set("Content-Type", ctype)
			_, _ = io.WriteString(w, content)
		})
	}
	mux.HandleFunc("/tags", s.serveTags)
	mux.HandleFunc("/write", s.serveWrite)
	gate, err := middleware.New(middleware.Options{Codec: codec, Banner: s.banner, Logger: opts.Logger})
	require.NoError(t, err)
	mux.Handle("/gated/", gate.Handler(http.HandlerFunc(s.serveGated)))
	mux.HandleFunc("/", s.servePage)
	s.srv = httptest.NewTLSServer(mux)
	t.Cleanup(s.srv.Close)
	return s
}

func (s *site) servePage(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/favicon.ico" {
		http.NotFound(w, r)
		return
	}
	fragment, err := s.banner.Fragment(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	v := pageView{
		Lang: "en", Title: "Report a crime", Text: "Tell us about a crime that is not an emergency.",
		Skip: "Skip to main content", Cookies: "/cookies", CookiesLink: "Cookies",
		Head: s.banner.Head(r), Banner: fragment, QuickExit: s.banner.QuickExit(r),
	}
	if banner.DefaultLanguage(r) == consent.Welsh {
		v.Lang, v.Title, v.Text = "cy", "Riportio trosedd", "Dywedwch wrthym am drosedd nad yw’n argyfwng."
		v.Skip, v.Cookies, v.CookiesLink = "Neidio i’r prif gynnwys", "/cy/cookies", "Cwcis"
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	var sb strings.Builder
	if err := page.Execute(&sb, v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	_, _ = io.WriteString(w, sb.String())
}

// gif is a 1×1 transparent GIF.
var gif = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

// tagResources are what the /tags page's neutralised elements load once
// activated: content type and body.
var tagResources = map[string][2]string{
	"/tag.js":     {"text/javascript", `window.order = (window.order || []).concat("external");`},
	"/frame":      {"text/html; charset=utf-8", `<!DOCTYPE html><html lang="en"><head><title>Video</title></head><body><p>Video</p></body></html>`},
	"/style.css":  {"text/css", `#styled { color: rgb(1, 2, 3); }`},
	"/srcset.gif": {"image/gif", string(gif)},
	"/object.gif": {"image/gif", string(gif)},
	"/video.mp4":  {"video/mp4", ""},
	// A preload link whose imagesrcset is chosen over its href.
	"/preload.gif":     {"image/gif", string(gif)},
	"/preload-set.gif": {"image/gif", string(gif)},
	"/svg.gif":         {"image/gif", string(gif)},
	// An element with attributes the DOM will not take back comes first:
	// it must not stop the rest.
	"/odd.gif": {"image/gif", string(gif)},
}

// tags is a page with every kind of element the Gate neutralises, in the
// form the contracts give.
const tags = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Tags – Westshire Police</title>
{{HEAD}}
<link rel="stylesheet" data-cg-href="/style.css" data-cg-category="analytics">
<link rel="preload" as="image" data-cg-href="/preload.gif" data-cg-imagesrcset="/preload-set.gif 1x, /preload-set.gif 2x" data-cg-category="analytics">
<base data-cg-href="/" data-cg-category="analytics">
<meta http-equiv="refresh" data-cg-content="0; url=/safe" data-cg-category="analytics">
</head>
<body>
{{BANNER}}<main id="main">
<h1 id="styled">Tags</h1>
<img data-cg-="" data-cg-1x="odd" data-cg-src="/odd.gif" data-cg-category="analytics" alt="" width="1" height="1">
<script type="text/plain" data-cg-category="analytics" src="/tag.js"></script>
<script type="text/plain" data-cg-category="analytics">window.order = (window.order || []).concat("inline");</script>
<script type="text/plain" data-cg-category="analytics" data-cg-type="module">window.moduleRan = true;</script>
<script>addEventListener("ptupdate", function () { window.ptUpdates = (window.ptUpdates || 0) + 1; });</script>
<script type="text/plain" data-cg-category="analytics" data-cg-type="text/partytown">window.partytownInPage = true;</script>
<script type="text/plain" data-cg-category="marketing analytics">window.bothRan = true;</script>
<script type="text/plain" data-cg-category="preferences">window.preferencesRan = true;</script>
<iframe data-cg-src="/frame" data-cg-category="marketing" title="Video"></iframe>
<img data-cg-srcset="/srcset.gif 1x" data-cg-category="analytics" alt="" id="srcset" width="1" height="1">
<object data-cg-data="/object.gif" data-cg-category="analytics" type="image/gif" width="1" height="1" aria-label="Counter"></object>
<video id="video" muted><source data-cg-src="/video.mp4" data-cg-category="analytics" type="video/mp4"></video>
<iframe id="srcdoc" data-cg-srcdoc="&lt;p id=&quot;inside&quot;&gt;Embedded &amp;amp; ready&lt;/p&gt;" data-cg-src="/frame-fallback" data-cg-category="analytics" title="Embedded"></iframe>
<svg width="1" height="1" aria-hidden="true"><image id="svg-image" data-cg-xlink:href="/svg.gif" data-cg-category="analytics" width="1" height="1"/></svg>
<p><a id="ping" href="#main" data-cg-ping="/ping" data-cg-category="analytics">Top</a></p>
</main>
</body>
</html>`

func (s *site) serveTags(w http.ResponseWriter, r *http.Request) {
	fragment, err := s.banner.Fragment(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	body := strings.Replace(tags, "{{HEAD}}", string(s.banner.Head(r)), 1)
	body = strings.Replace(body, "{{BANNER}}", string(fragment), 1)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = io.WriteString(w, body)
}

// gated is a page as a site writes it, with no banner and plain tags: the
// real Gate in front of it injects the banner and neutralises the tags.
const gated = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Gated – Westshire Police</title>
{{HEAD}}
<link rel="preload" as="image" href="/preload.gif" imagesrcset="/preload-set.gif 1x, /preload-set.gif 2x" data-consent="analytics">
</head>
<body>
<header><a class="skip" href="#main">Skip to main content</a></header>
<main id="main">
<h1>Gated</h1>
<script data-consent="analytics">window.gatedRan = (window.gatedRan || 0) + 1;</script>
<script type="module" data-consent="analytics marketing">window.gatedModuleRan = true;</script>
<img src="/pixel.gif" data-consent="marketing" alt="" id="gated-pixel" width="1" height="1">
<iframe id="gated-srcdoc" srcdoc="&lt;!DOCTYPE html&gt;&lt;html lang=&quot;en&quot;&gt;&lt;title&gt;Embed&lt;/title&gt;&lt;main&gt;&lt;p id=&quot;inside&quot;&gt;Gated embed&lt;/p&gt;&lt;/main&gt;" data-consent="analytics" title="Gated embed"></iframe>
</main>
</body>
</html>`

func (s *site) serveGated(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = io.WriteString(w, strings.Replace(gated, "{{HEAD}}", string(s.banner.Head(r)), 1))
}
