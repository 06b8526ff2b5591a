package middleware

import (
	"context"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consentgate/consentgate/consent"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	linkGtag  = "<https://www.googletagmanager.com/gtag/js?id=G-1>; rel=preload; as=script"
	linkPixel = "<https://www.facebook.com/tr?id=1&ev=PageView>; rel=preload; as=image"
	linkStyle = "</style.css>; rel=preload; as=style"
)

// getWithHints fetches url and returns the 103 Early Hints headers the client
// saw before the final response.
func getWithHints(t *testing.T, url, cookie string) ([]textproto.MIMEHeader, *http.Response) {
	t.Helper()
	var mu sync.Mutex
	var hints []textproto.MIMEHeader
	trace := &httptrace.ClientTrace{Got1xxResponse: func(code int, h textproto.MIMEHeader) error {
		mu.Lock()
		defer mu.Unlock()
		if code == http.StatusEarlyHints {
			hints = append(hints, h)
		}
		return nil
	}}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), http.MethodGet, url, nil)
	require.NoError(t, err)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	mu.Lock()
	defer mu.Unlock()
	return hints, resp
}

// TestLinkHeadersCarryNoTrackers: a preload of a tracker in a Link header
// makes the browser fetch it before any HTML is parsed, in a 103 as in the
// final response, so the Gate drops each refused link where it filters
// Set-Cookie, and keeps the rest of a line.
func TestLinkHeadersCarryNoTrackers(t *testing.T) {
	tg := newTestGate(t, nil)
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Add("Link", linkGtag)
		h.Add("Link", linkStyle+", "+linkPixel)
		h["link"] = []string{"<https://connect.facebook.net/en_US/fbevents.js>; rel=modulepreload"} // non-canonical key
		w.WriteHeader(http.StatusEarlyHints)
		h.Add("Link", `</logo.png>; rel=preload; as=image; imagesrcset="https://www.facebook.com/tr?id=1 1x, /logo2.png 2x"`)
		h.Add("Link", "</a,b.js>; rel=preload; as=script, <//www.google-analytics.com>; rel=preconnect")
		h.Set("Content-Type", "text/plain")
		w.Write([]byte("ok"))
	}))
	everything := "cookie_consent=" + tg.consentValue(t, tg.codec.Catalogue().Optional()...)
	analytics := "cookie_consent=" + tg.consentValue(t, consent.Analytics)
	tests := []struct {
		name      string
		cookie    string
		wantHints []string
		wantFinal []string
	}{
		{name: "undecided", wantHints: []string{linkStyle}, wantFinal: []string{linkStyle, "</a,b.js>; rel=preload; as=script"}},
		{name: "analytics accepted", cookie: analytics,
			wantHints: []string{linkGtag, linkStyle},
			wantFinal: []string{linkGtag, linkStyle, "</a,b.js>; rel=preload; as=script, <//www.google-analytics.com>; rel=preconnect"}},
		{name: "everything accepted", cookie: everything,
			wantHints: []string{linkGtag, linkStyle + ", " + linkPixel, "<https://connect.facebook.net/en_US/fbevents.js>; rel=modulepreload"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hints, resp := getWithHints(t, srv.URL, tt.cookie)
			require.Len(t, hints, 1)
			assert.Equal(t, tt.wantHints, hints[0]["Link"])
			want := tt.wantFinal
			if want == nil {
				want = append(tt.wantHints, // nothing dropped: every line as sent
					`</logo.png>; rel=preload; as=image; imagesrcset="https://www.facebook.com/tr?id=1 1x, /logo2.png 2x"`,
					"</a,b.js>; rel=preload; as=script, <//www.google-analytics.com>; rel=preconnect")
			}
			assert.Equal(t, want, resp.Header.Values("Link"))
			// Another visitor gets other links: no shared cache may keep it.
			assert.Equal(t, "private", resp.Header.Get("Cache-Control"))
			assert.Equal(t, "Cookie, Sec-GPC", resp.Header.Get("Vary"))
		})
	}
}

// TestLinkHeaderWithoutTrackersStaysCacheable: a first-party Link does not
// make a response depend on consent.
func TestLinkHeaderWithoutTrackersStaysCacheable(t *testing.T) {
	tg := newTestGate(t, nil)
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", linkStyle)
		w.Header().Set("Content-Type", "text/css")
		w.Write([]byte("p{}"))
	}))
	resp, _ := get(t, http.MethodGet, srv.URL, "", nil)
	assert.Equal(t, []string{linkStyle}, resp.Header.Values("Link"))
	assert.Empty(t, resp.Header.Get("Cache-Control"))
	assert.Empty(t, resp.Header.Get("Vary"))
}

// TestLinkOddSyntax: RFC 8288 allows commas inside <…> and quoted
// parameters; whatever the syntax, a link naming a refused tracker goes
// and the others stay.
func TestLinkOddSyntax(t *testing.T) {
	tg := newTestGate(t, nil)
	tests := []struct {
		name string
		in   []string
		want []string // nil: the header is removed
	}{
		{name: "one tracker", in: []string{linkGtag}},
		{name: "tracker among others", in: []string{linkStyle + "," + linkGtag + " ,  </x.js>; rel=preload"},
			want: []string{linkStyle + ", </x.js>; rel=preload"}},
		{name: "comma in URL", in: []string{"</a,b.css>; rel=preload, " + linkPixel}, want: []string{"</a,b.css>; rel=preload"}},
		{name: "comma and bracket in quoted parameter", in: []string{`</a.css>; title="x, <y>, \"z,", ` + linkPixel},
			want: []string{`</a.css>; title="x, <y>, \"z,"`}},
		{name: "tracker in a quoted parameter", in: []string{`</a.png>; rel=preload; imagesrcset="https://www.facebook.com/tr 1x", </b.css>`},
			want: []string{"</b.css>"}},
		{name: "unbalanced bracket swallows the rest", in: []string{"</a.css; rel=preload, " + linkGtag}},
		{name: "unbalanced quote swallows the rest", in: []string{`</a.css>; title="x, ` + linkGtag}},
		{name: "empty links between commas", in: []string{",, " + linkStyle + " ,," + linkGtag + ","}, want: []string{linkStyle}},
		{name: "upper case and percent-encoded host", in: []string{"<HTTPS://WWW.GOOGLETAGMANAGER.COM/gtag/js>; rel=preload", "<https://www.google%2Danalytics.com/analytics.js>; rel=preload"}},
		{name: "protocol-relative", in: []string{"<//connect.facebook.net/x.js>; rel=preload; as=script"}},
		// The browser resolves these before fetching: the pixel is hit.
		{name: "default port", in: []string{"<https://www.facebook.com:443/tr?id=1>; rel=preload; as=image",
			"<https://www.googletagmanager.com:0443/gtm.js?id=GTM-1>; rel=preload; as=script", "<https://connect.facebook.net:/x.js>; rel=preload"}},
		{name: "dot segments", in: []string{"<https://www.facebook.com/x/../tr?id=1>; rel=preload; as=image",
			"<https://www.googletagmanager.com/./gtm.js>; rel=preload; as=script"}},
		{name: "default port and dot segments among other links", in: []string{linkStyle + ", <https://www.face%62ook.com:443/./tr?id=1>; rel=preload; as=image"},
			want: []string{linkStyle}},
		{name: "another port on a tracker path kept", in: []string{"<https://www.facebook.com:8443/tr?id=1>; rel=preload; as=image"},
			want: []string{"<https://www.facebook.com:8443/tr?id=1>; rel=preload; as=image"}},
		{name: "look-alike host kept", in: []string{"<https://notdoubleclick.network/x.js>; rel=preload"},
			want: []string{"<https://notdoubleclick.network/x.js>; rel=preload"}},
		{name: "no brackets at all", in: []string{"https://www.googletagmanager.com/gtag/js"}},
		{name: "empty value kept", in: []string{""}, want: []string{""}},
		{name: "several lines, one emptied", in: []string{linkGtag, linkStyle}, want: []string{linkStyle}},
		// A preconnect names only a host; the tag signatures name paths on it.
		{name: "preconnect to a tracker host", in: []string{"<https://www.googletagmanager.com>; rel=preconnect"}},
		{name: "dns-prefetch to a tracker host", in: []string{"<//www.facebook.com>; REL=DNS-Prefetch"}},
		{name: "preconnect among other links", in: []string{linkStyle + ", <https://www.youtube.com>; rel=preconnect; crossorigin"},
			want: []string{linkStyle}},
		{name: "preload of a first-party path on a tracker host kept", in: []string{"<https://www.facebook.com/images/logo.png>; rel=preload; as=image"},
			want: []string{"<https://www.facebook.com/images/logo.png>; rel=preload; as=image"}},
		{name: "preconnect to a first-party host kept", in: []string{"<https://cdn.westshire.police.uk>; rel=preconnect"},
			want: []string{"<https://cdn.westshire.police.uk>; rel=preconnect"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{"Link": append([]string(nil), tt.in...)}
			dep := tg.filterLinks(h, consent.Choices{})
			assert.Equal(t, tt.want, h["Link"])
			_, present := h["Link"]
			assert.Equal(t, tt.want != nil, present)
			assert.Equal(t, !assert.ObjectsAreEqual(tt.in, tt.want), dep, "a dropped link makes the response depend on consent")
		})
	}
}

// FuzzLinkFilter: no Link value panics the filter, no kept line names a
// tracker the visitor refused, and a visitor who accepted everything gets
// every line as sent.
func FuzzLinkFilter(f *testing.F) {
	for _, s := range []string{linkGtag, linkStyle + ", " + linkPixel, `</a,b>; t="<,\"", <//doubleclick.net>`,
		"<", `"`, "<>,<>", `\`, "</x>; imagesrcset=\"//www.facebook.com/tr 1x\""} {
		f.Add(s, uint8(0))
	}
	tg := newTestGate(f, nil)
	cat := tg.codec.Catalogue()
	choices := map[uint8]consent.Choices{0: {}, 1: cat.GPCRefusal()}
	for bits, cats := range map[uint8][]consent.Category{2: {consent.Analytics}, 3: {consent.Marketing}, 4: cat.Optional()} {
		ch, err := cat.Decide(consent.Choices{}, cats, time.Now())
		require.NoError(f, err)
		choices[bits] = ch
	}
	f.Fuzz(func(t *testing.T, value string, which uint8) {
		ch := choices[which%5]
		in := strings.Split(value, "\n")
		h := http.Header{"Link": append([]string(nil), in...)}
		tg.filterLinks(h, ch)
		for _, line := range h["Link"] {
			cats := tg.sigs.MatchURL(line)
			if strings.Contains(strings.ToLower(line), "preconnect") || strings.Contains(strings.ToLower(line), "dns-prefetch") {
				cats = append(cats, tg.sigs.MatchHost(line)...)
			}
			for _, c := range cats {
				if !ch.Allowed(c) {
					t.Fatalf("kept %q, which names a refused %s tracker (from %q)", line, c, value)
				}
			}
		}
		if which%5 == 4 {
			if _, present := h["Link"]; !present || !assert.ObjectsAreEqual(in, h["Link"]) {
				t.Fatalf("everything accepted, yet %q became %q", in, h["Link"])
			}
		}
	})
}
