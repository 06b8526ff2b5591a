package consentlog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/consentgate/consentgate/consent"
)

// Defaults for [Options].
const (
	// DefaultTable is the log table's name.
	DefaultTable = "consent_log"
	// DefaultRetention keeps proof for 12 months: as long as the consent
	// cookie it proves lasts by default ([consent.DefaultMaxAge]).
	DefaultRetention = consent.DefaultMaxAge
	// DefaultTimeout bounds each database operation.
	DefaultTimeout = 5 * time.Second
)

// Limits on stored text, so a hostile request cannot bloat the log.
const (
	maxPath      = 1024
	maxUserAgent = 512
	maxMethod    = 32
)

// ErrInvalidRecord means a [consent.Record] cannot be proof of anything: no
// consent ID, an unknown-looking category or method, or a category both
// accepted and refused. Nothing is written.
var ErrInvalidRecord = errors.New("consentlog: invalid record")

// Options configure a [Recorder].
type Options struct {
	// Dialect is the database behind the *sql.DB. Required.
	Dialect Dialect
	// Table names the log table; the schema-version table is Table plus
	// "_schema_version". Lower-case letters, digits and '_', at most 40
	// bytes. Default [DefaultTable].
	Table string
	// Retention is how long a decision is kept before [Recorder.Prune]
	// deletes it. Keep it at least the consent cookie's MaxAge, so proof
	// outlives the consent it proves. Default [DefaultRetention].
	Retention time.Duration
	// RecordUserAgent stores [consent.Record.UserAgent]. Off by default: a
	// user agent helps identify a person, and the log never needs it to
	// prove consent. The banner fills the field only when its own
	// RecordUserAgent option is on, so a site that wants it sets both.
	// IP addresses are never stored.
	RecordUserAgent bool
	// Now is the clock for pruning, for export timestamps and for records
	// that carry no time. Default time.Now.
	Now func() time.Time
	// Timeout bounds every database operation the Recorder makes, on top of
	// any deadline the caller's context has, so a locked table or a silent
	// server can never hang a request. Default [DefaultTimeout].
	Timeout time.Duration
}

// Recorder stores proof of consent in a SQL database through database/sql.
// It implements [consent.Recorder] and is safe for concurrent use; several
// Recorders in several processes may share one database and table.
type Recorder struct {
	db        *sql.DB
	dialect   Dialect
	table     string
	retention time.Duration
	recordUA  bool
	now       func() time.Time
	timeout   time.Duration

	insertSQL  string
	historySQL string
	pruneSQL   string
}

var _ consent.Recorder = (*Recorder)(nil)

// New returns a Recorder writing to db, creating or upgrading its schema
// first. It is safe to call from several instances at once: migrations are
// serialised by the database. db stays the caller's to close.
func New(ctx context.Context, db *sql.DB, opts Options) (*Recorder, error) {
	if db == nil {
		return nil, errors.New("consentlog: New: nil *sql.DB")
	}
	if !opts.Dialect.valid() {
		return nil, fmt.Errorf("consentlog: New: Options.Dialect %v: want SQLite or PostgreSQL", opts.Dialect)
	}
	r := &Recorder{
		db:        db,
		dialect:   opts.Dialect,
		table:     opts.Table,
		retention: opts.Retention,
		recordUA:  opts.RecordUserAgent,
		now:       opts.Now,
		timeout:   opts.Timeout,
	}
	if r.table == "" {
		r.table = DefaultTable
	}
	if err := validateTable(r.table); err != nil {
		return nil, err
	}
	switch {
	case r.retention == 0:
		r.retention = DefaultRetention
	case r.retention < 0:
		return nil, fmt.Errorf("consentlog: New: negative Retention %v", r.retention)
	}
	switch {
	case r.timeout == 0:
		r.timeout = DefaultTimeout
	case r.timeout < 0:
		return nil, fmt.Errorf("consentlog: New: negative Timeout %v", r.timeout)
	}
	if r.now == nil {
		r.now = time.Now
	}
	t := quote(r.table)
	d := r.dialect
	r.insertSQL = d.rebind(`INSERT INTO ` + t +
		` (consent_id, decided_at, revision, accepted, refused, method, path, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	r.historySQL = d.rebind(`SELECT decided_at, revision, accepted, refused, method, path, user_agent FROM ` + t +
		` WHERE consent_id = ? ORDER BY decided_at, id`)
	// Deleting in batches keeps each statement short, so pruning a large
	// backlog never holds the write lock long enough to stall decisions.
	r.pruneSQL = d.rebind(`DELETE FROM ` + t + ` WHERE id IN (SELECT id FROM ` + t +
		` WHERE decided_at < ? LIMIT ` + fmt.Sprint(pruneBatch) + `)`)
	if err := r.migrate(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

// Table returns the log table's name.
func (r *Recorder) Table() string { return r.table }

// bound limits ctx to the Recorder's Timeout; an earlier deadline in ctx wins.
func (r *Recorder) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, r.timeout)
}

// RecordConsent stores rec as one row. It returns an error, and stores
// nothing, if rec is invalid ([ErrInvalidRecord]), the database fails, or ctx
// or the Recorder's Timeout expires first. The banner treats an error as "do
// not grant consent", so a failing log fails closed.
func (r *Recorder) RecordConsent(ctx context.Context, rec consent.Record) error {
	args, err := r.rowArgs(rec)
	if err != nil {
		return err
	}
	ctx, cancel := r.bound(ctx)
	defer cancel()
	if _, err := r.db.ExecContext(ctx, r.insertSQL, args...); err != nil {
		return fmt.Errorf("consentlog: record consent %s: %w", rec.ConsentID, err)
	}
	return nil
}

// rowArgs validates rec and returns the INSERT's arguments.
func (r *Recorder) rowArgs(rec consent.Record) ([]any, error) {
	if rec.ConsentID.IsZero() {
		return nil, fmt.Errorf("%w: no consent ID", ErrInvalidRecord)
	}
	accepted, err := joinCategories(rec.Accepted)
	if err != nil {
		return nil, err
	}
	refused, err := joinCategories(rec.Refused)
	if err != nil {
		return nil, err
	}
	for _, a := range rec.Accepted {
		for _, f := range rec.Refused {
			if a == f {
				return nil, fmt.Errorf("%w: category %q both accepted and refused", ErrInvalidRecord, a)
			}
		}
	}
	if !validName(string(rec.Method), maxMethod) {
		return nil, fmt.Errorf("%w: method %q", ErrInvalidRecord, rec.Method)
	}
	at := rec.Time
	if at.IsZero() {
		at = r.now()
	}
	var ua any // NULL unless the site opted in and there is one
	if r.recordUA && rec.UserAgent != "" {
		ua = cleanText(rec.UserAgent, maxUserAgent)
	}
	return []any{
		rec.ConsentID.String(),
		r.dialect.timeArg(at),
		int64(rec.Revision),
		accepted,
		refused,
		string(rec.Method),
		cleanPath(rec.Path),
		ua,
	}, nil
}

// joinCategories stores a category list as space-separated IDs, after
// checking each has the form consent category IDs have, so the separator
// cannot occur inside one.
func joinCategories(cs []consent.Category) (string, error) {
	var b strings.Builder
	for i, c := range cs {
		if !validName(string(c), 32) {
			return "", fmt.Errorf("%w: category %q", ErrInvalidRecord, c)
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(string(c))
	}
	return b.String(), nil
}

func splitCategories(s string) []consent.Category {
	out := []consent.Category{} // [] rather than null in exports
	for _, f := range strings.Fields(s) {
		out = append(out, consent.Category(f))
	}
	return out
}

// validName reports whether s is 1..max bytes of lower-case letters, digits and '-'.
func validName(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// cleanPath drops any query or fragment (they can carry personal data, and
// the record's contract is the bare path) and makes the rest storable.
func cleanPath(p string) string {
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	return cleanText(p, maxPath)
}

// cleanText makes s safe for a TEXT column in both databases: valid UTF-8
// (PostgreSQL rejects anything else), no NUL or other control characters,
// and at most max bytes, cut on a rune boundary.
func cleanText(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return s
}
