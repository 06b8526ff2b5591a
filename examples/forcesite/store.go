package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // SQLite driver "sqlite", pure Go

	"github.com/consentgate/consentgate/consentlog"
)

// defaultDBPath is a file in the user's cache directory, so repeated runs
// keep their proof of consent without writing into the repository.
func defaultDBPath() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "consentgate", "forcesite-consent.db")
}

// openRecorder opens the proof-of-consent log: PostgreSQL when dsn is set,
// else SQLite at path. The returned func closes the database.
func openRecorder(ctx context.Context, log *slog.Logger, path, dsn string) (*consentlog.Recorder, func(), error) {
	var (
		db      *sql.DB
		err     error
		dialect consentlog.Dialect
	)
	if dsn != "" {
		dialect = consentlog.PostgreSQL
		db, err = sql.Open("pgx", dsn)
		log.Info("proof of consent: PostgreSQL")
	} else {
		dialect = consentlog.SQLite
		if path != ":memory:" {
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				return nil, nil, err
			}
		}
		// WAL lets readers and the writer work at once; busy_timeout makes a
		// second writer wait instead of failing.
		db, err = sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)")
		if path == ":memory:" {
			db.SetMaxOpenConns(1) // every connection would get its own empty in-memory database
		}
		log.Info("proof of consent: SQLite", "path", path)
	}
	if err != nil {
		return nil, nil, err
	}
	rec, err := consentlog.New(ctx, db, consentlog.Options{Dialect: dialect})
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("proof-of-consent log: %w", err)
	}
	return rec, func() { db.Close() }, nil
}
