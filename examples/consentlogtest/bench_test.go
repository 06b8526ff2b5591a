package consentlogtest

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/consentgate/consentgate/consent"
	"github.com/consentgate/consentgate/consentlog"
)

// BenchmarkRecordConsent measures decisions stored per second on this
// machine. Each database has a baseline: the same INSERT issued straight
// through database/sql with ready-made arguments, which is the most the
// database allows, and the same with a deadline context; the difference is
// what the Recorder adds (validation, cleaning). "serial" is one visitor after another;
// "parallel" is GOMAXPROCS visitors at once, as on a busy site.
//
//	go test -run '^$' -bench RecordConsent -benchmem ./consentlogtest
func BenchmarkRecordConsent(b *testing.B) {
	dir := b.TempDir()
	sqliteFull := "file:" + filepath.Join(dir, "full.db") + "?_pragma=busy_timeout(30000)&_pragma=journal_mode(WAL)"
	sqliteNormal := sqliteDSN(filepath.Join(dir, "normal.db"))
	targets := []struct {
		name string
		be   func(testing.TB) backend
	}{
		// WAL with synchronous=FULL (SQLite's default): every commit is fsynced.
		{"sqlite-wal-full", func(tb testing.TB) backend {
			return backend{name: "sqlite", dialect: consentlog.SQLite, dsn: sqliteFull, open: func(tb testing.TB) *sql.DB { return openDB(tb, "sqlite", sqliteFull) }}
		}},
		// WAL with synchronous=NORMAL: durable across crashes of the process, not of the OS.
		{"sqlite-wal-normal", func(tb testing.TB) backend {
			return backend{name: "sqlite", dialect: consentlog.SQLite, dsn: sqliteNormal, open: func(tb testing.TB) *sql.DB { return openDB(tb, "sqlite", sqliteNormal) }}
		}},
		{"postgres", postgresBackend},
	}
	for _, tg := range targets {
		b.Run(tg.name, func(b *testing.B) {
			be := tg.be(b)
			db := be.open(b)
			r := newRecorder(b, be, db, consentlog.Options{})
			cat := testCatalogue(b)
			next, err := cat.Decide(consent.Choices{}, []consent.Category{consent.Analytics}, time.Now())
			require.NoError(b, err)
			rec := consent.NewRecord(next, consent.MethodCustom, "/news/appeal")
			raw := rawInsert(be.dialect, r.Table())
			args := []any{rec.ConsentID.String(), time.Now().UTC().Format("2006-01-02T15:04:05.000000Z"), int64(rec.Revision), "analytics", "preferences marketing", "custom", "/news/appeal", nil}
			if be.dialect == consentlog.PostgreSQL {
				args[1] = time.Now().UTC()
			}
			ctx := context.Background()
			cases := []struct {
				name string
				op   func() error
			}{
				{"baseline-raw-insert", func() error { _, err := db.ExecContext(ctx, raw, args...); return err }},
				// The Recorder always passes a context with a deadline, and
				// drivers pay for watching it (modernc.org/sqlite starts a
				// goroutine and a progress handler per statement): this
				// baseline isolates that cost from the Recorder's own.
				{"baseline-raw-insert-deadline", func() error {
					c, cancel := context.WithTimeout(ctx, 5*time.Second)
					defer cancel()
					_, err := db.ExecContext(c, raw, args...)
					return err
				}},
				{"recorder", func() error { return r.RecordConsent(ctx, rec) }},
			}
			for _, c := range cases {
				b.Run(c.name+"/serial", func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						if err := c.op(); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "decisions/s")
				})
				b.Run(c.name+"/parallel", func(b *testing.B) {
					b.ReportAllocs()
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							if err := c.op(); err != nil {
								b.Error(err)
								return
							}
						}
					})
					b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "decisions/s")
				})
			}
		})
	}
}

func rawInsert(d consentlog.Dialect, table string) string {
	q := `INSERT INTO "` + table + `" (consent_id, decided_at, revision, accepted, refused, method, path, user_agent) VALUES `
	if d == consentlog.PostgreSQL {
		return q + `($1, $2, $3, $4, $5, $6, $7, $8)`
	}
	return q + `(?, ?, ?, ?, ?, ?, ?, ?)`
}
