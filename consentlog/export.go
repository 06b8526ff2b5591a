package consentlog

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/consentgate/consentgate/consent"
)

// History returns every stored decision for id, oldest first. An ID with no
// stored decisions (never seen, or pruned) gives an empty slice and no error.
func (r *Recorder) History(ctx context.Context, id consent.ID) ([]consent.Record, error) {
	ctx, cancel := r.bound(ctx)
	defer cancel()
	rows, err := r.db.QueryContext(ctx, r.historySQL, id.String())
	if err != nil {
		return nil, fmt.Errorf("consentlog: history of %s: %w", id, err)
	}
	defer rows.Close()
	out := []consent.Record{}
	for rows.Next() {
		var (
			at                              any
			rev                             int64
			accepted, refused, method, path string
			ua                              sql.NullString
		)
		if err := rows.Scan(&at, &rev, &accepted, &refused, &method, &path, &ua); err != nil {
			return nil, fmt.Errorf("consentlog: history of %s: %w", id, err)
		}
		t, err := scanTime(at)
		if err != nil {
			return nil, fmt.Errorf("consentlog: history of %s: %w", id, err)
		}
		out = append(out, consent.Record{
			ConsentID: id,
			Time:      t,
			Revision:  uint32(rev),
			Accepted:  splitCategories(accepted),
			Refused:   splitCategories(refused),
			Method:    consent.Method(method),
			Path:      path,
			UserAgent: ua.String,
		})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("consentlog: history of %s: %w", id, err)
	}
	return out, nil
}

// Export writes id's history to w as an indented JSON document, for a
// subject access request. See [WriteExport] for the format. Nothing is
// written if reading the history fails.
func (r *Recorder) Export(ctx context.Context, id consent.ID, w io.Writer) error {
	recs, err := r.History(ctx, id)
	if err != nil {
		return err
	}
	return WriteExport(w, id, r.now(), recs)
}

// ExportDocument is the JSON document [Recorder.Export] writes.
type ExportDocument struct {
	// ConsentID is the ID asked for, as 32 hex digits.
	ConsentID string `json:"consent_id"`
	// ExportedAt is when the export was made, UTC.
	ExportedAt time.Time `json:"exported_at"`
	// Decisions lists what was stored, oldest first; [] when nothing was.
	Decisions []ExportedDecision `json:"decisions"`
}

// ExportedDecision is one stored decision in an [ExportDocument].
type ExportedDecision struct {
	// Time is when the visitor decided, UTC.
	Time time.Time `json:"time"`
	// PolicyRevision is the cookie policy revision the visitor saw.
	PolicyRevision uint32 `json:"policy_revision"`
	// Accepted lists the optional categories consented to.
	Accepted []consent.Category `json:"accepted"`
	// Refused lists the optional categories refused.
	Refused []consent.Category `json:"refused"`
	// Method is how the decision was made, e.g. "accept-all".
	Method consent.Method `json:"method"`
	// Path is the page the decision was made from.
	Path string `json:"path"`
	// UserAgent is present only when the site records user agents.
	UserAgent string `json:"user_agent,omitempty"`
}

// WriteExport writes recs as the [ExportDocument] for id, made at at.
func WriteExport(w io.Writer, id consent.ID, at time.Time, recs []consent.Record) error {
	doc := ExportDocument{
		ConsentID:  id.String(),
		ExportedAt: at.UTC(),
		Decisions:  make([]ExportedDecision, 0, len(recs)),
	}
	for _, rec := range recs {
		doc.Decisions = append(doc.Decisions, ExportedDecision{
			Time:           rec.Time.UTC(),
			PolicyRevision: rec.Revision,
			Accepted:       nonNil(rec.Accepted),
			Refused:        nonNil(rec.Refused),
			Method:         rec.Method,
			Path:           rec.Path,
			UserAgent:      rec.UserAgent,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("consentlog: export %s: %w", id, err)
	}
	return nil
}

func nonNil(cs []consent.Category) []consent.Category {
	if cs == nil {
		return []consent.Category{}
	}
	return cs
}
