package consentlog

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"time"
)

// migration is one step of the schema's history. Steps are only ever
// appended, and each must leave rows written by older code valid, so
// instances on different releases can share a table during a rolling deploy.
type migration struct {
	version int
	stmts   func(d Dialect, table string) []string
}

var migrations = []migration{
	{version: 1, stmts: Dialect.schemaV1},
}

// SchemaVersion is the schema version this release of the package creates
// and writes to; [New] brings an older table up to it. The version is kept
// in the table named after the log table plus "_schema_version".
const SchemaVersion = 1

// migrate brings the schema up to date inside one transaction that holds a
// database-wide lock for this table, so two instances starting together
// cannot both create the table: the second waits, then finds it done.
func (r *Recorder) migrate(ctx context.Context) error {
	ctx, cancel := r.bound(ctx)
	defer cancel()
	wait := 5 * time.Millisecond
	for {
		err := r.migrateOnce(ctx)
		if err == nil || r.dialect != SQLite || !sqliteBusy(err) {
			return err
		}
		// SQLite answers "busy" at once, ignoring busy_timeout, when a new
		// connection's journal_mode(WAL) meets another connection switching a
		// fresh file to WAL, so two instances starting together on a new
		// database would otherwise fail. Try again until the deadline.
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(2*wait, 200*time.Millisecond)
	}
}

// sqliteBusy reports whether err is SQLite's SQLITE_BUSY (code 5, with or
// without an extended code), as modernc.org/sqlite or mattn/go-sqlite3 word it.
func sqliteBusy(err error) bool {
	var coded interface{ Code() int }
	if errors.As(err, &coded) {
		return coded.Code()&0xff == 5
	}
	return strings.Contains(err.Error(), "database is locked")
}

// migrateOnce is one attempt at migrate.
func (r *Recorder) migrateOnce(ctx context.Context) (err error) {
	conn, err := r.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("consentlog: migrate %s: %w", r.table, err)
	}
	defer conn.Close()
	if err := r.beginLocked(ctx, conn); err != nil {
		return fmt.Errorf("consentlog: migrate %s: lock: %w", r.table, err)
	}
	done := false
	defer func() {
		if !done {
			abandon(conn)
		}
	}()

	d := r.dialect
	vt := quote(r.table + versionSuffix)
	if _, err := conn.ExecContext(ctx, d.versionTable(r.table)); err != nil {
		return fmt.Errorf("consentlog: migrate %s: %w", r.table, err)
	}
	var current int
	if err := conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM `+vt).Scan(&current); err != nil {
		return fmt.Errorf("consentlog: migrate %s: read version: %w", r.table, err)
	}
	for _, m := range migrations {
		if m.version <= current {
			continue
		}
		for _, stmt := range m.stmts(d, r.table) {
			if _, err := conn.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("consentlog: migrate %s to version %d: %w", r.table, m.version, err)
			}
		}
		ins := d.rebind(`INSERT INTO ` + vt + ` (version, applied_at) VALUES (?, ?)`)
		if _, err := conn.ExecContext(ctx, ins, m.version, d.timeArg(r.now())); err != nil {
			return fmt.Errorf("consentlog: migrate %s to version %d: %w", r.table, m.version, err)
		}
	}
	// A version newer than ours means a newer release migrated first; its
	// steps are additive, so this instance keeps writing what it knows.
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("consentlog: migrate %s: commit: %w", r.table, err)
	}
	done = true
	return nil
}

// beginLocked opens a transaction on conn that excludes other migrators.
// The transaction is driven with plain BEGIN/COMMIT statements on one
// connection because database/sql cannot ask SQLite for BEGIN IMMEDIATE.
func (r *Recorder) beginLocked(ctx context.Context, conn *sql.Conn) error {
	if r.dialect == PostgreSQL {
		if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
			return err
		}
		// Released at COMMIT or ROLLBACK, or when the session dies.
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", lockKey(r.table)); err != nil {
			abandon(conn)
			return err
		}
		return nil
	}
	if err := checkBusyTimeout(ctx, conn); err != nil {
		return err
	}
	// SQLite: BEGIN IMMEDIATE takes the write lock up front, so the version
	// check and the migration see one consistent schema.
	_, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE")
	return err
}

// checkBusyTimeout refuses a SQLite connection without a busy timeout.
// Without one SQLite turns away every writer that arrives while another is
// writing, so concurrent decisions would fail at random; polling from Go
// instead starves unlucky writers (tried: some waited over 20 s).
func checkBusyTimeout(ctx context.Context, conn *sql.Conn) error {
	var ms int64
	if err := conn.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&ms); err != nil {
		return err
	}
	if ms <= 0 {
		return errors.New("SQLite connection has no busy timeout: add _pragma=busy_timeout(5000) to the modernc.org/sqlite DSN (or _busy_timeout=5000 for mattn/go-sqlite3)")
	}
	return nil
}

// lockKey derives the advisory-lock key from the table name, so recorders of
// different tables do not wait for each other.
func lockKey(table string) int64 {
	h := fnv.New64a()
	h.Write([]byte("consentgate/consentlog:" + table))
	return int64(h.Sum64())
}

// abandon rolls back whatever transaction conn has open. If that fails the
// connection is discarded, so an open transaction is never handed back to
// the pool for an unrelated query to inherit.
func abandon(conn *sql.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	}
}
