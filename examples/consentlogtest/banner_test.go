package consentlogtest

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentgate/consentgate/banner"
	"github.com/consentgate/consentgate/consent"
	"github.com/consentgate/consentgate/consentlog"
)

// site is a force site over real HTTP: the banner's routes, two ordinary
// pages, and a consent log in a real database.
type site struct {
	srv   *httptest.Server
	codec *consent.Codec
	log   *consentlog.Recorder
}

func newSite(t *testing.T, log *consentlog.Recorder) *site {
	t.Helper()
	cat, err := consent.NewCatalogue(consent.DefaultPolicy())
	require.NoError(t, err)
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	codec, err := consent.NewCodec(cat, consent.CodecOptions{Keys: []consent.Key{{Hash: key}}, Insecure: true})
	require.NoError(t, err)
	csrf := make([]byte, 32)
	_, _ = rand.Read(csrf)
	b, err := banner.New(banner.Options{
		Codec:         codec,
		Recorder:      log,
		RecordTimeout: 2 * time.Second, // the default: generous enough for a reconnect on a loaded machine
		CSRFKey:       csrf,
		Insecure:      true,
		Logger:        slog.New(slog.NewTextHandler(tWriter{t}, nil)),
	})
	require.NoError(t, err)
	mux := http.NewServeMux()
	b.Mount(mux)
	page := func(title string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = io.WriteString(w, "<!doctype html><title>"+title+"</title><h1>"+title+"</h1>")
		}
	}
	mux.Handle("GET /{$}", page("Home"))
	mux.Handle("GET /news/appeal", page("Appeal for witnesses"))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &site{srv: srv, codec: codec, log: log}
}

// visitor is a browser without JavaScript: a cookie jar that does not follow
// redirects, so each response can be inspected.
type visitor struct {
	t      *testing.T
	s      *site
	client *http.Client
}

func (s *site) visitor(t *testing.T) *visitor {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &visitor{t: t, s: s, client: &http.Client{
		Jar:           jar,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

var tokenRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func (v *visitor) get(path string) (int, string) {
	v.t.Helper()
	res, err := v.client.Get(v.s.srv.URL + path)
	require.NoError(v.t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(v.t, err)
	return res.StatusCode, string(body)
}

// decide answers the banner's question the way its no-JS form does.
func (v *visitor) decide(additional string, accept string) *http.Response {
	v.t.Helper()
	status, page := v.get("/cookies")
	require.Equal(v.t, http.StatusOK, status)
	m := tokenRE.FindStringSubmatch(page)
	require.NotNil(v.t, m, "settings page has no CSRF token")
	form := url.Values{"csrf_token": {m[1]}, "cookies[additional]": {additional}, "return": {"/news/appeal"}}
	req, err := http.NewRequest(http.MethodPost, v.s.srv.URL+"/cookies", strings.NewReader(form.Encode()))
	require.NoError(v.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", v.s.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	res, err := v.client.Do(req)
	require.NoError(v.t, err)
	v.t.Cleanup(func() { _ = res.Body.Close() })
	return res
}

// choices decodes the consent cookie in the jar; the zero Choices if none.
func (v *visitor) choices() consent.Choices {
	v.t.Helper()
	u, _ := url.Parse(v.s.srv.URL)
	for _, c := range v.client.Jar.Cookies(u) {
		if c.Name == consent.DefaultCookieName {
			ch, err := v.s.codec.Decode(c.Value)
			require.NoError(v.t, err)
			return ch
		}
	}
	return consent.Choices{}
}

func setCookieNamed(res *http.Response, name string) bool {
	for _, c := range res.Cookies() {
		if c.Name == name && c.MaxAge >= 0 {
			return true
		}
	}
	return false
}

// TestBannerFailsClosedWhenLogFails wires the banner's POST handler to the
// recorder and breaks the database under it: an acceptance without proof is
// refused, a refusal is still honoured, and the rest of the site serves on.
func TestBannerFailsClosedWhenLogFails(t *testing.T) {
	for _, b := range backends {
		for _, fault := range []string{"locked", "down"} {
			t.Run(b.name+"/"+fault, func(t *testing.T) {
				t.Parallel()
				be := b.make(t)
				db := be.open(t)
				var proxy *tcpProxy
				if fault == "down" && be.dialect == consentlog.PostgreSQL {
					// Through a proxy, so the server can vanish for this
					// test alone.
					proxy = newTCPProxy(t, hostOf(t, be.dsn))
					db = openDB(t, "pgx", proxy.proxiedDSN(t, be.dsn))
				}
				log := newRecorder(t, be, db, consentlog.Options{})
				s := newSite(t, log)
				var repair func()
				switch {
				case fault == "locked":
					repair = lockTable(t, be, log.Table())
				case proxy != nil:
					proxy.Stop() // PostgreSQL stopped
				default:
					require.NoError(t, db.Close()) // SQLite: the pool is gone
				}

				v := s.visitor(t)
				res := v.decide("yes", "")
				body, _ := io.ReadAll(res.Body)
				assert.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
				assert.Contains(t, string(body), "Sorry, there was a technical problem. Please try again.")
				assert.False(t, setCookieNamed(res, consent.DefaultCookieName), "consent granted without proof")
				assert.False(t, v.choices().Decided())

				// The banner's script asks for JSON and shows the same message.
				res = v.decide("yes", "application/json")
				body, _ = io.ReadAll(res.Body)
				assert.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
				assert.Contains(t, string(body), `"status":"error"`)
				assert.Contains(t, string(body), "Sorry, there was a technical problem. Please try again.")
				assert.False(t, v.choices().Decided())

				// Pages that need no database keep serving.
				for _, p := range []string{"/", "/news/appeal", "/cookies"} {
					status, _ := v.get(p)
					assert.Equal(t, http.StatusOK, status, p)
				}

				// A refusal needs no proof: it is stored in the cookie anyway.
				res = v.decide("no", "")
				assert.Equal(t, http.StatusSeeOther, res.StatusCode)
				ch := v.choices()
				require.True(t, ch.Decided(), "a refusal must be kept even when the log is down")
				assert.Empty(t, ch.Accepted())
				assert.False(t, ch.Allowed(consent.Analytics))

				if repair == nil {
					return
				}
				// Once the database is back, accepting works and is proven.
				repair()
				res = v.decide("yes", "")
				require.Equal(t, http.StatusSeeOther, res.StatusCode)
				ch = v.choices()
				require.True(t, ch.Allowed(consent.Analytics))
				hist, err := log.History(context.Background(), ch.ID)
				require.NoError(t, err)
				require.Len(t, hist, 1, "only the acceptance reached the log")
				assert.Equal(t, consent.MethodAcceptAll, hist[0].Method)
				assert.Equal(t, "/news/appeal", hist[0].Path)
			})
		}
	}
}
