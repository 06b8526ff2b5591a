package consentlog

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Dialect selects the SQL a [Recorder] speaks: placeholder style, column
// types and how schema migrations are serialised between instances.
type Dialect int

// The supported databases. The zero Dialect is invalid, so forgetting to set
// [Options.Dialect] is an error rather than a silent guess.
const (
	// SQLite: placeholders are ?, times are stored as fixed-width UTC text so
	// they sort and compare as strings. Tested with modernc.org/sqlite
	// (driver name "sqlite").
	SQLite Dialect = iota + 1
	// PostgreSQL: placeholders are $1, $2…, times are TIMESTAMPTZ and
	// migrations take a transaction-scoped advisory lock. Tested with
	// github.com/jackc/pgx/v5/stdlib (driver name "pgx").
	PostgreSQL
)

// String returns the dialect's name.
func (d Dialect) String() string {
	switch d {
	case SQLite:
		return "sqlite"
	case PostgreSQL:
		return "postgresql"
	}
	return "Dialect(" + strconv.Itoa(int(d)) + ")"
}

func (d Dialect) valid() bool { return d == SQLite || d == PostgreSQL }

// rebind turns the ? placeholders the queries are written with into the
// dialect's own. A ? inside a quoted string, quoted identifier or -- comment
// is left alone. It understands only what this package's own queries use:
// no /* */ comments, no $$ strings.
func (d Dialect) rebind(query string) string {
	if d != PostgreSQL || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			// Copy the quoted run; a doubled quote is an escaped quote and
			// simply re-enters the run on the next iteration.
			j := strings.IndexByte(query[i+1:], c)
			if j < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+j+2])
			i += j + 1
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			j := strings.IndexByte(query[i:], '\n')
			if j < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+j+1])
			i += j
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// timeLayout is the SQLite storage form: fixed width, UTC, microseconds (the
// precision PostgreSQL keeps), so text comparison is time comparison.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// timeArg converts t into the value bound for a time column.
func (d Dialect) timeArg(t time.Time) any {
	t = t.UTC().Truncate(time.Microsecond)
	if d == SQLite {
		return t.Format(timeLayout)
	}
	return t
}

// scanTime reads a time column whatever form the driver hands back.
func scanTime(v any) (time.Time, error) {
	switch v := v.(type) {
	case time.Time:
		return v.UTC(), nil
	case string:
		return parseStoredTime(v)
	case []byte:
		return parseStoredTime(string(v))
	}
	return time.Time{}, fmt.Errorf("consentlog: unexpected time value of type %T", v)
}

func parseStoredTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("consentlog: stored time %q: %w", s, err)
	}
	return t.UTC(), nil
}

// schemaV1 returns the statements that create the log table and its indexes.
func (d Dialect) schemaV1(table string) []string {
	t := quote(table)
	var create string
	if d == PostgreSQL {
		create = `CREATE TABLE ` + t + ` (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	consent_id TEXT NOT NULL CHECK (length(consent_id) = 32),
	decided_at TIMESTAMPTZ NOT NULL,
	revision BIGINT NOT NULL CHECK (revision >= 0),
	accepted TEXT NOT NULL,
	refused TEXT NOT NULL,
	method TEXT NOT NULL,
	path TEXT NOT NULL,
	user_agent TEXT
)`
	} else {
		create = `CREATE TABLE ` + t + ` (
	id INTEGER PRIMARY KEY,
	consent_id TEXT NOT NULL CHECK (length(consent_id) = 32),
	decided_at TEXT NOT NULL,
	revision INTEGER NOT NULL CHECK (revision >= 0),
	accepted TEXT NOT NULL,
	refused TEXT NOT NULL,
	method TEXT NOT NULL,
	path TEXT NOT NULL,
	user_agent TEXT
)`
	}
	return []string{
		create,
		// Subject access requests look up one ID; pruning scans by time.
		`CREATE INDEX ` + quote(table+"_consent_id_idx") + ` ON ` + t + ` (consent_id, decided_at)`,
		`CREATE INDEX ` + quote(table+"_decided_at_idx") + ` ON ` + t + ` (decided_at)`,
	}
}

// versionTable returns the statement that creates the schema-version table.
func (d Dialect) versionTable(table string) string {
	at := "TEXT"
	if d == PostgreSQL {
		at = "TIMESTAMPTZ"
	}
	return `CREATE TABLE IF NOT EXISTS ` + quote(table+versionSuffix) + ` (
	version INTEGER PRIMARY KEY,
	applied_at ` + at + ` NOT NULL
)`
}
