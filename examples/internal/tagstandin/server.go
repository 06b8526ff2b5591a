// Package tagstandin is a local TLS server that stands in for the tag
// vendors' hosts (Google Tag Manager, Google Analytics, Doubleclick and
// Floodlight, Meta, YouTube) in browser tests, so pages keep the exact
// snippets and URLs the vendors publish while nothing leaves the machine.
//
// Its scripts act like the real ones where consent is concerned: they set
// the first-party _ga, _gid, _ga_<ID>, _gcl_au and _fbp cookies through
// document.cookie on the highest domain that accepts them (as the vendors'
// "auto" cookie domain does) and send their hits to the real collection
// hosts. Every request the server receives is logged, so a test can assert
// that a visitor who has not consented caused none at all.
package tagstandin

import (
	"context"
	"embed"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Hosts are the vendor host names the server answers for. Map each to
// [Server.Addr] in the browser (see [Server.HostRules]).
var Hosts = []string{
	"www.googletagmanager.com",
	"www.google-analytics.com",
	"region1.google-analytics.com",
	"analytics.google.com",
	"stats.g.doubleclick.net",
	"ad.doubleclick.net",
	"*.fls.doubleclick.net",
	"googleads.g.doubleclick.net",
	"www.googleadservices.com",
	"connect.facebook.net",
	"www.facebook.com",
	"www.youtube.com",
	"www.youtube-nocookie.com",
	"i.ytimg.com",
}

//go:embed scripts/*.js
var scripts embed.FS

// Request is one request the stand-in received.
type Request struct {
	// Host is the vendor host the browser asked for, e.g. "connect.facebook.net".
	Host string
	// Path is the URL path, e.g. "/en_US/fbevents.js".
	Path string
	// Query is the raw query string.
	Query string
	// Referer is the page that caused the request, when the browser sent one.
	Referer string
	// Cookies are the names of the cookies the browser sent with it.
	Cookies []string
	// Time is when it arrived.
	Time time.Time
}

// URL is the request as "host/path?query", for readable test failures.
func (r Request) URL() string {
	u := r.Host + r.Path
	if r.Query != "" {
		u += "?" + r.Query
	}
	return u
}

// Server is a running stand-in.
type Server struct {
	srv *httptest.Server
	mu  sync.Mutex
	log []Request
}

// Start runs a stand-in on a random loopback port until the test ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{}
	s.srv = httptest.NewUnstartedServer(s)
	s.srv.Config.ErrorLog = nil
	s.srv.StartTLS()
	tb.Cleanup(s.srv.Close)
	return s
}

// Addr is the server's "127.0.0.1:port".
func (s *Server) Addr() string { return strings.TrimPrefix(s.srv.URL, "https://") }

// HostRules maps every vendor host to the server, in the form the browser
// harness's Config.HostRules takes. Add the site's own hosts to it.
func (s *Server) HostRules() map[string]string {
	m := make(map[string]string, len(Hosts))
	for _, h := range Hosts {
		m[h] = s.Addr()
	}
	return m
}

// Client returns an HTTP client that reaches the stand-in for any vendor
// URL, for tests that do not need a browser.
func (s *Server) Client() *http.Client {
	c := s.srv.Client()
	tr := c.Transport.(*http.Transport).Clone()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, s.Addr())
	}
	tr.TLSClientConfig.InsecureSkipVerify = true
	c.Transport = tr
	return c
}

// Requests returns a copy of the log.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log)
}

// RequestsTo returns the logged requests whose host is host (or ends with it
// when host starts with '.').
func (s *Server) RequestsTo(host string) []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Host == host || (strings.HasPrefix(host, ".") && strings.HasSuffix(r.Host, host)) {
			out = append(out, r)
		}
	}
	return out
}

// Reset empties the log, e.g. between steps of one browser session.
func (s *Server) Reset() {
	s.mu.Lock()
	s.log = nil
	s.mu.Unlock()
}

// ServeHTTP logs the request and answers it like the vendor would, in kind
// if not in content.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		host = r.Host
	}
	rec := Request{Host: host, Path: r.URL.Path, Query: r.URL.RawQuery, Referer: r.Referer(), Time: time.Now()}
	for _, c := range r.Cookies() {
		rec.Cookies = append(rec.Cookies, c.Name)
	}
	s.mu.Lock()
	s.log = append(s.log, rec)
	s.mu.Unlock()

	w.Header().Set("Cache-Control", "no-store")
	switch {
	case host == "www.googletagmanager.com" && r.URL.Path == "/gtag/js":
		serveScript(w, "gtag.js")
	case host == "www.googletagmanager.com" && r.URL.Path == "/gtm.js":
		serveScript(w, "gtm.js")
	case host == "www.googletagmanager.com" && r.URL.Path == "/ns.html":
		serveHTML(w, "Google Tag Manager")
	case host == "www.google-analytics.com" && r.URL.Path == "/analytics.js":
		serveScript(w, "analytics.js")
	case host == "connect.facebook.net" && strings.HasSuffix(r.URL.Path, "/fbevents.js"):
		serveScript(w, "fbevents.js")
	case strings.HasSuffix(host, "youtube.com") || strings.HasSuffix(host, "youtube-nocookie.com"):
		// The player page sets YouTube's own cookies, as the real one does
		// (youtube-nocookie.com too, once the visitor plays the video).
		for _, name := range []string{"YSC", "VISITOR_INFO1_LIVE"} {
			http.SetCookie(w, &http.Cookie{Name: name, Value: "standin", Path: "/", Secure: true,
				HttpOnly: true, SameSite: http.SameSiteNoneMode, MaxAge: 15552000})
		}
		serveHTML(w, "YouTube video player")
	case strings.HasSuffix(host, ".fls.doubleclick.net"):
		serveHTML(w, "Floodlight")
	default:
		// Collection endpoints: a 1×1 transparent GIF, what /tr, /collect and
		// /ddm/activity answer.
		w.Header().Set("Content-Type", "image/gif")
		_, _ = w.Write(pixel)
	}
}

// pixel is a 1×1 transparent GIF.
var pixel = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

func serveScript(w http.ResponseWriter, name string) {
	common, _ := scripts.ReadFile("scripts/common.js")
	body, err := scripts.ReadFile("scripts/" + name)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	_, _ = w.Write(common)
	_, _ = w.Write(body)
}

func serveHTML(w http.ResponseWriter, title string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte("<!doctype html><html lang=en><title>" + title + "</title><p>" + title + " (test stand-in)</p></html>"))
}
