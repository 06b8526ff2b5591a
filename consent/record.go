package consent

import (
	"context"
	"log/slog"
	"time"
)

// Method says how a visitor reached a decision.
type Method string

// The ways a decision is made.
const (
	MethodAcceptAll Method = "accept-all" // "Accept additional cookies"
	MethodRejectAll Method = "reject-all" // "Reject additional cookies", with nothing given before
	MethodCustom    Method = "custom"     // a mix chosen on the cookies page
	MethodWithdraw  Method = "withdraw"   // a category accepted before is now refused
)

// MethodOf classifies the change from previous to next.
func MethodOf(previous, next Choices) Method {
	if previous.Decided() && previous.accepted&^next.accepted != 0 {
		return MethodWithdraw
	}
	switch {
	case next.catalogue != nil && next.accepted == next.catalogue.allMask() && next.accepted != 0:
		return MethodAcceptAll
	case next.accepted == 0:
		return MethodRejectAll
	}
	return MethodCustom
}

// Record is the proof of one consent decision (UK GDPR Art. 7(1)). It holds
// no IP address; the user agent only when the site opts in.
type Record struct {
	// ConsentID is the random ID shared by one visitor's decisions.
	ConsentID ID
	// Time is when the decision was made, in UTC.
	Time time.Time
	// Revision is the policy revision the decision was made under.
	Revision uint32
	// Accepted lists the optional categories allowed, in catalogue order.
	Accepted []Category
	// Refused lists the optional categories not allowed, in catalogue order.
	Refused []Category
	// Method says how the visitor decided.
	Method Method
	// Path is the page the decision was made from (no query string).
	Path string
	// UserAgent is empty unless the site chose to record it.
	UserAgent string
}

// NewRecord describes a decision for the log.
func NewRecord(next Choices, method Method, path string) Record {
	return Record{
		ConsentID: next.ID,
		Time:      next.DecidedAt.UTC(),
		Revision:  next.Revision,
		Accepted:  next.Accepted(),
		Refused:   next.Refused(),
		Method:    method,
		Path:      path,
	}
}

// Recorder stores proof of consent. The banner's POST handler calls it once
// per decision, before the consent cookie is written; if it fails, an
// acceptance is not stored (fail closed) while a refusal still is.
// Implementations must be safe for concurrent use and honour ctx's deadline.
type Recorder interface {
	RecordConsent(ctx context.Context, rec Record) error
}

// RecorderFunc adapts a function to [Recorder].
type RecorderFunc func(ctx context.Context, rec Record) error

// RecordConsent calls f.
func (f RecorderFunc) RecordConsent(ctx context.Context, rec Record) error { return f(ctx, rec) }

// SlogRecorder writes each decision as one structured log line. It suits a
// single instance whose logs are retained; use a database recorder when a
// force runs several instances or must answer subject access requests.
type SlogRecorder struct {
	// Logger receives the records; nil means slog.Default().
	Logger *slog.Logger
}

// RecordConsent logs rec at Info level as attributes consent_id, decided_at,
// revision, accepted, refused, method, path and, when set, user_agent. It
// never fails.
func (s SlogRecorder) RecordConsent(ctx context.Context, rec Record) error {
	l := s.Logger
	if l == nil {
		l = slog.Default()
	}
	attrs := []any{
		slog.String("consent_id", rec.ConsentID.String()),
		// Not "time": slog's handlers already write that key for the log line.
		slog.Time("decided_at", rec.Time),
		slog.Uint64("revision", uint64(rec.Revision)),
		slog.Any("accepted", categoryStrings(rec.Accepted)),
		slog.Any("refused", categoryStrings(rec.Refused)),
		slog.String("method", string(rec.Method)),
		slog.String("path", rec.Path),
	}
	if rec.UserAgent != "" {
		attrs = append(attrs, slog.String("user_agent", rec.UserAgent))
	}
	l.InfoContext(ctx, "consent decision", attrs...)
	return nil
}

func categoryStrings(cs []Category) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}
