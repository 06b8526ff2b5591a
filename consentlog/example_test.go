package consentlog_test

import (
	"context"
	"database/sql"
	"log/slog"
	"os"
	"time"

	"github.com/consentgate/consentgate/consent"
	"github.com/consentgate/consentgate/consentlog"
)

// A site opens its database with the driver it chose, creates the recorder
// once at start-up, hands it to the banner as its consent.Recorder and
// prunes old decisions daily. This example does not run: the library
// imports no driver, so add one to your main package, e.g.
//
//	import _ "modernc.org/sqlite"             // sql.Open("sqlite", …), Dialect SQLite
//	import _ "github.com/jackc/pgx/v5/stdlib" // sql.Open("pgx", …), Dialect PostgreSQL
func Example() {
	db, err := sql.Open("pgx", os.Getenv("DATABASE_URL"))
	if err != nil {
		slog.Error("open consent log", "err", err)
		os.Exit(1)
	}
	ctx := context.Background()
	log, err := consentlog.New(ctx, db, consentlog.Options{
		Dialect:   consentlog.PostgreSQL,
		Table:     "consent_log",
		Retention: consent.DefaultMaxAge, // as long as the cookie lasts
	})
	if err != nil {
		slog.Error("create consent log", "err", err)
		os.Exit(1)
	}
	var _ consent.Recorder = log // what the banner needs

	go func() {
		for range time.Tick(24 * time.Hour) {
			n, err := log.Prune(ctx)
			slog.Info("pruned consent log", "deleted", n, "err", err)
		}
	}()
}

// Answering a subject access request: the visitor's consent ID is in their
// consent cookie, which [consent.Codec.Read] decodes.
func ExampleRecorder_Export() {
	var log *consentlog.Recorder // from consentlog.New
	var choices consent.Choices  // from the visitor's cookie
	if err := log.Export(context.Background(), choices.ID, os.Stdout); err != nil {
		slog.Error("export consent history", "err", err)
	}
}

// The export format, shown without a database.
func ExampleWriteExport() {
	id, _ := consent.ParseID("00112233445566778899aabbccddeeff")
	_ = consentlog.WriteExport(os.Stdout, id, time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC), []consent.Record{{
		ConsentID: id,
		Time:      time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC),
		Revision:  3,
		Accepted:  []consent.Category{consent.Analytics},
		Refused:   []consent.Category{consent.Marketing},
		Method:    consent.MethodCustom,
		Path:      "/cookies",
	}})
	// Output:
	// {
	//   "consent_id": "00112233445566778899aabbccddeeff",
	//   "exported_at": "2026-04-01T09:00:00Z",
	//   "decisions": [
	//     {
	//       "time": "2026-03-01T09:30:00Z",
	//       "policy_revision": 3,
	//       "accepted": [
	//         "analytics"
	//       ],
	//       "refused": [
	//         "marketing"
	//       ],
	//       "method": "custom",
	//       "path": "/cookies"
	//     }
	//   ]
	// }
}
