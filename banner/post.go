package banner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/consentgate/consentgate/consent"
)

// maxFormBytes bounds a posted form; ours is well under 1 KB.
const maxFormBytes = 16 << 10

// maxExpirations bounds the Set-Cookie headers a decision adds to delete
// refused cookies.
const maxExpirations = 64

// decision is a validated form.
type decision struct {
	hide       bool               // "Hide cookie message"
	all        string             // banner: "yes" or "no"; "" from the settings page
	accepted   []consent.Category // settings page: categories answered yes
	fromBanner bool
}

// errForm explains why a form was refused with 400. Its text is for logs
// and for the JSON answer; visitors see the localised BadForm message.
type errForm struct{ reason string }

func (e *errForm) Error() string { return "banner: bad form: " + e.reason }

func badForm(format string, args ...any) error { return &errForm{fmt.Sprintf(format, args...)} }

// parseDecision reads the banner or settings form. Fields other than
// cookies[…] are ignored (a site may add its own); a cookies[…] field that
// names no optional category, a value other than yes or no, a field given
// twice or a mix of the banner's and the settings page's fields is an error,
// and nothing is stored.
func parseDecision(form url.Values, cat *consent.Catalogue) (decision, error) {
	var d decision
	var perCategory int
	for key, vals := range form {
		name, ok := strings.CutPrefix(key, "cookies[")
		if !ok {
			continue
		}
		name, ok = strings.CutSuffix(name, "]")
		if !ok {
			return d, badForm("field %q is not cookies[name]", key)
		}
		if len(vals) != 1 {
			return d, badForm("field %q given %d times", key, len(vals))
		}
		v := vals[0]
		switch name {
		case "hide":
			if v != "yes" {
				return d, badForm("cookies[hide] must be yes, not %q", v)
			}
			d.hide = true
		case "additional":
			if v != "yes" && v != "no" {
				return d, badForm("cookies[additional] must be yes or no, not %q", v)
			}
			d.all, d.fromBanner = v, true
		default:
			c := consent.Category(name)
			if !isOptional(cat, c) {
				return d, badForm("unknown cookie category %q", name)
			}
			switch v {
			case "yes":
				d.accepted = append(d.accepted, c)
			case "no":
			default:
				return d, badForm("cookies[%s] must be yes or no, not %q", name, v)
			}
			perCategory++
		}
	}
	switch {
	case d.hide && (d.all != "" || perCategory > 0):
		return d, badForm("cookies[hide] cannot be combined with a choice")
	case d.all != "" && perCategory > 0:
		return d, badForm("cookies[additional] cannot be combined with per-category answers")
	case !d.hide && d.all == "" && perCategory == 0:
		return d, badForm("no choice in the form")
	}
	if d.all == "yes" {
		d.accepted = append([]consent.Category(nil), cat.Optional()...)
	}
	return d, nil
}

func isOptional(cat *consent.Catalogue, c consent.Category) bool {
	for _, o := range cat.Optional() {
		if o == c {
			return true
		}
	}
	return false
}

// result is the JSON answer to the banner script.
type result struct {
	Status   string   `json:"status"`             // accepted, rejected, saved, hidden or error
	Accepted []string `json:"accepted,omitempty"` // categories now allowed
	Message  string   `json:"message,omitempty"`  // for the visitor, on error
	Reason   string   `json:"reason,omitempty"`   // for developers, on a 400
}

func (b *Banner) servePost(w http.ResponseWriter, r *http.Request) {
	lang := b.pageLang(r)
	s := b.strings[lang]
	wantJSON := acceptsJSON(r)
	w.Header().Set("Cache-Control", "no-store")
	back := "/" // where the error page's link leads, once the form is read
	fail := func(status int, msg string, err error) {
		b.logWarn(r, "decision refused", err)
		if wantJSON {
			res := result{Status: "error", Message: msg}
			var fe *errForm
			if errors.As(err, &fe) {
				res.Reason = fe.reason
			}
			writeJSON(w, status, res)
			return
		}
		b.writeError(w, r, status, lang, msg, back)
	}

	sameOrigin, err := b.checkOrigin(r)
	if err != nil {
		fail(http.StatusForbidden, s["Forbidden"], err)
		return
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/x-www-form-urlencoded" {
		fail(http.StatusBadRequest, s["BadForm"], badForm("content type %q is not a URL-encoded form", ct))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		fail(http.StatusBadRequest, s["BadForm"], badForm("%v", err))
		return
	}
	form := r.PostForm
	back = safeReturn(form.Get("return"), r)
	nonce, err := b.checkToken(r, form.Get("csrf_token"), sameOrigin)
	if err != nil {
		// A browser that says nothing of where a form came from needs the
		// CSRF cookie before its token counts: issue one, so that going back
		// and trying again works.
		if _, had := nonceOf(r); !had {
			http.SetCookie(w, b.csrfCookie(newNonce()))
		}
		fail(http.StatusForbidden, s["Forbidden"], err)
		return
	}
	d, err := parseDecision(form, b.cat)
	if err != nil {
		fail(http.StatusBadRequest, s["BadForm"], err)
		return
	}
	if _, had := nonceOf(r); !had {
		http.SetCookie(w, b.csrfCookie(nonce))
	}
	ret := back

	if d.hide {
		http.SetCookie(w, b.flashCookie("", -1))
		if wantJSON {
			writeJSON(w, http.StatusOK, result{Status: "hidden"})
			return
		}
		http.Redirect(w, r, ret, http.StatusSeeOther)
		return
	}

	prev := b.choices(r)
	if !prev.Decided() {
		prev = consent.Choices{} // a GPC refusal is not a decision to keep the ID of
	}
	next, err := b.cat.Decide(prev, d.accepted, b.now())
	if err != nil { // parseDecision only lets optional categories through
		fail(http.StatusBadRequest, s["BadForm"], badForm("%v", err))
		return
	}
	page := r.URL.Path
	if d.fromBanner {
		page, _, _ = strings.Cut(ret, "?")
	}
	rec := consent.NewRecord(next, consent.MethodOf(prev, next), page)
	if b.recordUA {
		rec.UserAgent = truncate(r.UserAgent(), 512)
	}
	if err := b.record(r.Context(), rec); err != nil {
		b.logError(r, "record consent", err)
		// Without proof, nothing newly allowed may be stored; a refusal or a
		// withdrawal is stored anyway, because keeping the old cookie would
		// keep allowing what the visitor just refused.
		if grantsMore(prev, next, b.cat) {
			if safe, ok := b.withdrawalPart(prev, next); ok {
				if err := b.store(w, r, safe); err != nil {
					b.logError(r, "encode consent cookie", err)
				}
			}
			fail(http.StatusServiceUnavailable, s["TechnicalProblem"], err)
			return
		}
	}
	if err := b.store(w, r, next); err != nil {
		b.logError(r, "encode consent cookie", err)
		fail(http.StatusInternalServerError, s["TechnicalProblem"], err)
		return
	}

	status := flashSaved
	switch d.all {
	case "yes":
		status = flashAccepted
	case "no":
		status = flashRejected
	}
	switch {
	case wantJSON:
		writeJSON(w, http.StatusOK, result{Status: status, Accepted: categoryStrings(next.Accepted())})
	case d.fromBanner:
		http.SetCookie(w, b.flashCookie(status, flashMaxAge))
		http.Redirect(w, r, ret, http.StatusSeeOther)
	default:
		http.Redirect(w, r, b.settingsURL(lang)+"?saved=1&return="+url.QueryEscape(ret), http.StatusSeeOther)
	}
}

// record calls the recorder with a deadline. A recorder that panics counts
// as one that failed: the visitor gets the technical-problem message, not a
// dropped connection.
func (b *Banner) record(ctx context.Context, rec consent.Record) (err error) {
	ctx, cancel := context.WithTimeout(ctx, b.recordTimeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("banner: recorder panicked: %v", p)
		}
	}()
	return b.recorder.RecordConsent(ctx, rec)
}

// store sets the consent cookie for ch and expires the cookies of the
// categories ch refuses that the request carried.
func (b *Banner) store(w http.ResponseWriter, r *http.Request, ch consent.Choices) error {
	ck, err := b.codec.Cookie(ch)
	if err != nil {
		return err
	}
	http.SetCookie(w, ck)
	for _, v := range b.cat.AppendExpirations(nil, r.Header, ch, b.cookieDomain, b.cleanupPaths, maxExpirations) {
		w.Header().Add("Set-Cookie", v)
	}
	return nil
}

// withdrawalPart returns the part of the change from prev to next that only
// takes consent away: what both allow. It reports false when there is no
// earlier decision or nothing is taken away, so there is nothing to store.
func (b *Banner) withdrawalPart(prev, next consent.Choices) (consent.Choices, bool) {
	if !prev.Decided() {
		return consent.Choices{}, false
	}
	var keep []consent.Category
	withdrew := false
	for _, c := range b.cat.Optional() {
		switch {
		case prev.Allowed(c) && next.Allowed(c):
			keep = append(keep, c)
		case prev.Allowed(c):
			withdrew = true
		}
	}
	if !withdrew {
		return consent.Choices{}, false
	}
	ch, err := b.cat.Decide(prev, keep, b.now())
	return ch, err == nil
}

// grantsMore reports whether next allows a category that prev did not.
func grantsMore(prev, next consent.Choices, cat *consent.Catalogue) bool {
	for _, c := range cat.Optional() {
		if next.Allowed(c) && !prev.Allowed(c) {
			return true
		}
	}
	return false
}

func (b *Banner) flashCookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name:     FlashCookieName,
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   !b.insecure,
		SameSite: http.SameSiteLaxMode,
	}
}

// acceptsJSON reports whether the banner script made the request: it asks
// for JSON explicitly.
func acceptsJSON(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, _ := strings.Cut(part, ";")
		if strings.TrimSpace(mt) == "application/json" {
			return true
		}
	}
	return false
}

func writeJSON(w http.ResponseWriter, status int, v result) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func categoryStrings(cs []consent.Category) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

func (b *Banner) logError(r *http.Request, what string, err error) {
	b.log.ErrorContext(r.Context(), "banner: "+what, slog.String("path", r.URL.Path), slog.Any("error", err))
}

func (b *Banner) logWarn(r *http.Request, what string, err error) {
	b.log.WarnContext(r.Context(), "banner: "+what, slog.String("path", r.URL.Path), slog.Any("error", err))
}
