package consentlogtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers driver "pgx"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite" // registers driver "sqlite"

	"github.com/consentgate/consentgate/consentlog"
)

// backend is one real database the recorder is tested against.
type backend struct {
	name    string
	dialect consentlog.Dialect
	// open returns a new pool on the same database, as a second site
	// instance would have.
	open func(tb testing.TB) *sql.DB
	// dsn is the pool's data source name.
	dsn string
}

// sqliteDSN sets a long busy_timeout on purpose: the fault tests prove that
// the caller's deadline, not SQLite's patience, bounds a locked write.
func sqliteDSN(path string) string {
	return "file:" + path + "?_pragma=busy_timeout(30000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
}

func sqliteBackend(tb testing.TB) backend {
	tb.Helper()
	dsn := sqliteDSN(filepath.Join(tb.TempDir(), "consent.db"))
	return backend{name: "sqlite", dialect: consentlog.SQLite, dsn: dsn, open: func(tb testing.TB) *sql.DB {
		return openDB(tb, "sqlite", dsn)
	}}
}

// postgresBackend skips tb when no server is configured, unless CI=true.
func postgresBackend(tb testing.TB) backend {
	tb.Helper()
	dsn := os.Getenv("CONSENTGATE_POSTGRES_DSN")
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatal("CONSENTGATE_POSTGRES_DSN is not set and CI=true: run ./scripts/test, which starts PostgreSQL")
		}
		tb.Skip("PostgreSQL tests skipped: set CONSENTGATE_POSTGRES_DSN (./scripts/test does) to run them")
	}
	return backend{name: "postgres", dialect: consentlog.PostgreSQL, dsn: dsn, open: func(tb testing.TB) *sql.DB {
		return openDB(tb, "pgx", dsn)
	}}
}

func openDB(tb testing.TB, driver, dsn string) *sql.DB {
	tb.Helper()
	db, err := sql.Open(driver, dsn)
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = db.Close() })
	return db
}

// backends lists the databases every behaviour is checked against.
var backends = []struct {
	name string
	make func(testing.TB) backend
}{
	{"sqlite", sqliteBackend},
	{"postgres", postgresBackend},
}

// eachBackend runs f as a parallel subtest per database.
func eachBackend(t *testing.T, f func(t *testing.T, be backend)) {
	t.Helper()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			f(t, b.make(t))
		})
	}
}

// freshTable returns a table name no other test uses, and drops the tables
// afterwards, so tests run in parallel and re-run against one server.
func freshTable(tb testing.TB, be backend) string {
	tb.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	table := "cl_" + hex.EncodeToString(b[:])
	tb.Cleanup(func() {
		db, err := sql.Open(driverOf(be), be.dsn)
		if err != nil {
			return
		}
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, _ = db.ExecContext(ctx, `DROP TABLE IF EXISTS "`+table+`"`)
		_, _ = db.ExecContext(ctx, `DROP TABLE IF EXISTS "`+table+`_schema_version"`)
	})
	return table
}

func driverOf(be backend) string {
	if be.dialect == consentlog.PostgreSQL {
		return "pgx"
	}
	return "sqlite"
}

// newRecorder creates a recorder on a fresh table of be.
func newRecorder(tb testing.TB, be backend, db *sql.DB, opts consentlog.Options) *consentlog.Recorder {
	tb.Helper()
	opts.Dialect = be.dialect
	if opts.Table == "" {
		opts.Table = freshTable(tb, be)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r, err := consentlog.New(ctx, db, opts)
	require.NoError(tb, err)
	return r
}

// countRows counts the rows in table.
func countRows(tb testing.TB, db *sql.DB, table string) int {
	tb.Helper()
	var n int
	require.NoError(tb, db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM "`+table+`"`).Scan(&n))
	return n
}

// tWriter sends log lines to the test's log, so they show up beside the
// failure they explain and nowhere else.
type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
