package site

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/mail"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/consentgate/consentgate/consent"
)

// The site's own essential cookies. Both are in consent.DefaultPolicy (as
// framework defaults), so the Gate lets them through for every visitor.
const (
	sessionCookie = "session"
	csrfCookie    = "csrftoken"
)

// Limits on what the report form accepts.
const (
	maxWhat  = 5000
	maxWhere = 200
	maxEmail = 254
)

// reportForm is the state of the "Report a crime" form.
type reportForm struct {
	What, Where, Email string
	CSRFToken          string
	Errors             []fieldError
	// Reference is set once the report is accepted.
	Reference string
}

type fieldError struct{ Field, Message string }

// ErrorFor returns the message for field, or "".
func (f *reportForm) ErrorFor(field string) string {
	for _, e := range f.Errors {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

func (s *Site) reportForm(w http.ResponseWriter, r *http.Request) {
	f := &reportForm{CSRFToken: s.csrfToken(w, r)}
	s.renderReport(w, r, http.StatusOK, f)
}

// reportSubmit checks the CSRF token (double submit: the form field must
// equal the csrftoken cookie), validates the form, keeps the reference in
// the visitor's session and redirects, so reloading the confirmation does
// not send the report twice.
func (s *Site) reportSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read.", http.StatusBadRequest)
		return
	}
	c, err := r.Cookie(csrfCookie)
	token := r.PostForm.Get(csrfCookie)
	if err != nil || token == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(token)) != 1 {
		s.log.WarnContext(r.Context(), "report form: CSRF check failed")
		http.Error(w, "The form has expired. Go back, reload the page and try again.", http.StatusForbidden)
		return
	}
	lang := langOf(r)
	f := &reportForm{
		What:      strings.TrimSpace(r.PostForm.Get("what")),
		Where:     strings.TrimSpace(r.PostForm.Get("where")),
		Email:     strings.TrimSpace(r.PostForm.Get("email")),
		CSRFToken: token,
	}
	f.validate(lang)
	if len(f.Errors) > 0 {
		s.renderReport(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	ref := newReference(time.Now())
	s.sessions.put(s.session(w, r), ref)
	s.log.InfoContext(r.Context(), "crime report received", slog.String("reference", ref))
	http.Redirect(w, r, localPath(lang, "/report/done"), http.StatusSeeOther)
}

func (s *Site) reportDone(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(sessionCookie)
	ref, ok := "", false
	if err == nil {
		ref, ok = s.sessions.get(c.Value)
	}
	if !ok {
		http.Redirect(w, r, localPath(langOf(r), "/report"), http.StatusSeeOther)
		return
	}
	s.renderReport(w, r, http.StatusOK, &reportForm{Reference: ref})
}

func (s *Site) renderReport(w http.ResponseWriter, r *http.Request, status int, f *reportForm) {
	w.Header().Set("Cache-Control", "no-store")
	pg := s.newPage(r, "")
	pg.Title = pg.W.Report
	if len(f.Errors) > 0 {
		// GOV.UK pattern: prefix the title so screen reader users hear the problem first.
		prefix := "Error: "
		if pg.Welsh {
			prefix = "Gwall: "
		}
		pg.Title = prefix + pg.Title
	}
	pg.Report = f
	s.render(w, r, "report", status, pg)
}

func (f *reportForm) validate(lang consent.Lang) {
	add := func(field, en, cy string) {
		msg := en
		if lang == consent.Welsh {
			msg = cy
		}
		f.Errors = append(f.Errors, fieldError{field, msg})
	}
	switch {
	case f.What == "":
		add("what", "Enter what happened", "Rhowch beth ddigwyddodd")
	case utf8.RuneCountInString(f.What) > maxWhat:
		add("what", fmt.Sprintf("What happened must be %d characters or fewer", maxWhat),
			fmt.Sprintf("Rhaid i beth ddigwyddodd fod yn %d nod neu lai", maxWhat))
	}
	switch {
	case f.Where == "":
		add("where", "Enter where it happened", "Rhowch ble ddigwyddodd hyn")
	case utf8.RuneCountInString(f.Where) > maxWhere:
		add("where", fmt.Sprintf("Where it happened must be %d characters or fewer", maxWhere),
			fmt.Sprintf("Rhaid i ble ddigwyddodd hyn fod yn %d nod neu lai", maxWhere))
	}
	if a, err := mail.ParseAddress(f.Email); f.Email == "" || len(f.Email) > maxEmail || err != nil || a.Address != f.Email {
		add("email", "Enter an email address in the correct format, like name@example.com",
			"Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@enghraifft.com")
	}
}

// csrfToken returns the visitor's CSRF token, issuing the csrftoken cookie
// the first time.
func (s *Site) csrfToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) == 64 {
		if _, err := hex.DecodeString(c.Value); err == nil {
			return c.Value
		}
	}
	tok := randomHex(32)
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: tok, Path: "/", MaxAge: 365 * 24 * 60 * 60,
		HttpOnly: true, Secure: !s.insecure, SameSite: http.SameSiteLaxMode})
	return tok
}

// session returns the visitor's session ID, starting a session when needed.
func (s *Site) session(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(sessionCookie); err == nil && s.sessions.has(c.Value) {
		return c.Value
	}
	id := randomHex(32)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/",
		HttpOnly: true, Secure: !s.insecure, SameSite: http.SameSiteLaxMode})
	return id
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newReference makes a crime reference like WS-20261125-4F2A9C.
func newReference(now time.Time) string {
	return "WS-" + now.UTC().Format("20060102") + "-" + strings.ToUpper(randomHex(3))
}

// sessionStore keeps each session's last report reference in memory for an
// hour. It is bounded, so a flood of sessions cannot exhaust memory; a real
// site keeps sessions in its database.
type sessionStore struct {
	mu sync.Mutex
	m  map[string]sessionEntry
}

type sessionEntry struct {
	reference string
	expires   time.Time
}

const (
	sessionTTL  = time.Hour
	maxSessions = 10000
)

func newSessionStore() *sessionStore { return &sessionStore{m: make(map[string]sessionEntry)} }

func (st *sessionStore) put(id, ref string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	now := time.Now()
	if len(st.m) >= maxSessions {
		for k, e := range st.m {
			if now.After(e.expires) {
				delete(st.m, k)
			}
		}
		if len(st.m) >= maxSessions {
			for k := range st.m { // still full: drop an arbitrary one
				delete(st.m, k)
				break
			}
		}
	}
	st.m[id] = sessionEntry{reference: ref, expires: now.Add(sessionTTL)}
}

func (st *sessionStore) get(id string) (string, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	e, ok := st.m[id]
	if !ok || time.Now().After(e.expires) {
		return "", false
	}
	return e.reference, true
}

func (st *sessionStore) has(id string) bool {
	_, ok := st.get(id)
	return ok
}
