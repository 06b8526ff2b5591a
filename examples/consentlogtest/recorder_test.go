package consentlogtest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentgate/consentgate/consent"
	"github.com/consentgate/consentgate/consentlog"
)

// testCatalogue is a four-category policy like a force site's.
func testCatalogue(tb testing.TB) *consent.Catalogue {
	tb.Helper()
	t := consent.Text{EN: "x", CY: "x"}
	cat, err := consent.NewCatalogue(consent.Policy{
		Revision: 7,
		Categories: []consent.CategoryInfo{
			{ID: consent.Essential, Title: t, Description: t},
			{ID: consent.Preferences, Title: t, Description: t},
			{ID: consent.Analytics, Title: t, Description: t},
			{ID: consent.Marketing, Title: t, Description: t},
		},
	})
	require.NoError(tb, err)
	return cat
}

// decide makes a real decision record, as the banner's POST handler does.
func decide(tb testing.TB, cat *consent.Catalogue, prev consent.Choices, at time.Time, path string, accepted ...consent.Category) (consent.Choices, consent.Record) {
	tb.Helper()
	next, err := cat.Decide(prev, accepted, at)
	require.NoError(tb, err)
	return next, consent.NewRecord(next, consent.MethodOf(prev, next), path)
}

func TestRecordAndExportHistory(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		db := be.open(t)
		now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		r := newRecorder(t, be, db, consentlog.Options{Now: func() time.Time { return now }})
		cat := testCatalogue(t)
		ctx := context.Background()

		// One visitor accepts everything, later withdraws analytics.
		first, rec1 := decide(t, cat, consent.Choices{}, now.Add(-48*time.Hour), "/news/appeal", consent.Preferences, consent.Analytics, consent.Marketing)
		rec1.UserAgent = "Mozilla/5.0 (not stored: the site did not opt in)"
		require.NoError(t, r.RecordConsent(ctx, rec1))
		second, rec2 := decide(t, cat, first, now.Add(-time.Hour), "/cookies", consent.Preferences)
		require.Equal(t, first.ID, second.ID, "a visitor's decisions share one ID")
		require.NoError(t, r.RecordConsent(ctx, rec2))
		// Someone else's decision must not appear in the first visitor's export.
		_, other := decide(t, cat, consent.Choices{}, now, "/")
		require.NoError(t, r.RecordConsent(ctx, other))

		hist, err := r.History(ctx, first.ID)
		require.NoError(t, err)
		require.Len(t, hist, 2)
		assert.Equal(t, consent.MethodAcceptAll, hist[0].Method)
		assert.Equal(t, []consent.Category{consent.Preferences, consent.Analytics, consent.Marketing}, hist[0].Accepted)
		assert.Equal(t, []consent.Category{}, hist[0].Refused)
		assert.Equal(t, consent.MethodWithdraw, hist[1].Method)
		assert.Equal(t, []consent.Category{consent.Preferences}, hist[1].Accepted)
		assert.Equal(t, []consent.Category{consent.Analytics, consent.Marketing}, hist[1].Refused)
		assert.Equal(t, "/cookies", hist[1].Path)
		assert.Equal(t, uint32(7), hist[1].Revision)
		assert.True(t, hist[0].Time.Equal(rec1.Time), "stored %v, recorded %v", hist[0].Time, rec1.Time)
		assert.Equal(t, time.UTC, hist[0].Time.Location())
		assert.Empty(t, hist[0].UserAgent, "user agent stored without the site opting in")

		var buf bytes.Buffer
		require.NoError(t, r.Export(ctx, first.ID, &buf))
		var doc consentlog.ExportDocument
		require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
		assert.Equal(t, first.ID.String(), doc.ConsentID)
		assert.True(t, doc.ExportedAt.Equal(now))
		require.Len(t, doc.Decisions, 2)
		assert.Equal(t, consent.MethodWithdraw, doc.Decisions[1].Method)
		assert.Equal(t, []consent.Category{consent.Analytics, consent.Marketing}, doc.Decisions[1].Refused)
		assert.NotContains(t, buf.String(), "user_agent")
		assert.NotContains(t, buf.String(), other.ConsentID.String())

		// An ID never seen exports an empty list, not null and not an error.
		buf.Reset()
		require.NoError(t, r.Export(ctx, consent.NewID(), &buf))
		assert.Contains(t, buf.String(), `"decisions": []`)
	})
}

func TestUserAgentOnlyWhenOptedIn(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		db := be.open(t)
		r := newRecorder(t, be, db, consentlog.Options{RecordUserAgent: true})
		_, rec := decide(t, testCatalogue(t), consent.Choices{}, time.Now(), "/", consent.Analytics)
		rec.UserAgent = "Mozilla/5.0 (X11; Linux x86_64)\x00\r\nX-Injected: 1" + strings.Repeat("é", 600)
		require.NoError(t, r.RecordConsent(context.Background(), rec))
		hist, err := r.History(context.Background(), rec.ConsentID)
		require.NoError(t, err)
		require.Len(t, hist, 1)
		ua := hist[0].UserAgent
		assert.True(t, strings.HasPrefix(ua, "Mozilla/5.0 (X11; Linux x86_64)X-Injected: 1é"), ua)
		assert.LessOrEqual(t, len(ua), 512)
		assert.NotContains(t, ua, "\x00")
		assert.NotContains(t, ua, "\n")

		// Without a user agent the column stays NULL, not "".
		_, rec2 := decide(t, testCatalogue(t), consent.Choices{}, time.Now(), "/")
		require.NoError(t, r.RecordConsent(context.Background(), rec2))
		var nulls int
		require.NoError(t, db.QueryRow(`SELECT COUNT(*) FROM "`+r.Table()+`" WHERE user_agent IS NULL`).Scan(&nulls))
		assert.Equal(t, 1, nulls)
	})
}

func TestHostileRecords(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		db := be.open(t)
		r := newRecorder(t, be, db, consentlog.Options{})
		ctx := context.Background()
		_, good := decide(t, testCatalogue(t), consent.Choices{}, time.Now(), "/")

		stored := []struct {
			name, path, want string
		}{
			{"query and fragment dropped", "/search?q=my+name&email=a@b.c#top", "/search"},
			{"sql in path stored verbatim", `/'); DROP TABLE consent_log; --`, `/'); DROP TABLE consent_log; --`},
			{"invalid utf-8 replaced", "/caf\xe9", "/caf\uFFFD"},
			{"nul and controls removed", "/a\x00b\r\nc", "/abc"},
			{"long path cut", "/" + strings.Repeat("p", 5000), "/" + strings.Repeat("p", 1023)},
			{"welsh kept", "/cy/cwcis", "/cy/cwcis"},
		}
		for _, tc := range stored {
			t.Run(tc.name, func(t *testing.T) {
				rec := good
				rec.ConsentID = consent.NewID()
				rec.Path = tc.path
				require.NoError(t, r.RecordConsent(ctx, rec))
				hist, err := r.History(ctx, rec.ConsentID)
				require.NoError(t, err)
				require.Len(t, hist, 1)
				assert.Equal(t, tc.want, hist[0].Path)
			})
		}

		rejected := []struct {
			name string
			edit func(*consent.Record)
		}{
			{"zero id", func(r *consent.Record) { r.ConsentID = consent.ID{} }},
			{"category with space", func(r *consent.Record) { r.Accepted = []consent.Category{"analytics marketing"} }},
			{"category with quote", func(r *consent.Record) { r.Refused = []consent.Category{`x'`} }},
			{"empty category", func(r *consent.Record) { r.Accepted = []consent.Category{""} }},
			{"accepted and refused", func(r *consent.Record) {
				r.Accepted = []consent.Category{consent.Analytics}
				r.Refused = []consent.Category{consent.Analytics}
			}},
			{"empty method", func(r *consent.Record) { r.Method = "" }},
			{"method with sql", func(r *consent.Record) { r.Method = "x'); --" }},
		}
		for _, tc := range rejected {
			t.Run(tc.name, func(t *testing.T) {
				rec := good
				tc.edit(&rec)
				err := r.RecordConsent(ctx, rec)
				require.ErrorIs(t, err, consentlog.ErrInvalidRecord)
			})
		}
		assert.Equal(t, len(stored), countRows(t, db, r.Table()), "a rejected record was written")
	})
}

func TestRecordWithoutTimeUsesClock(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		now := time.Date(2026, 6, 30, 23, 59, 59, 123456000, time.FixedZone("BST", 3600))
		r := newRecorder(t, be, be.open(t), consentlog.Options{Now: func() time.Time { return now }})
		rec := consent.Record{ConsentID: consent.NewID(), Method: consent.MethodRejectAll, Refused: []consent.Category{consent.Analytics}}
		require.NoError(t, r.RecordConsent(context.Background(), rec))
		hist, err := r.History(context.Background(), rec.ConsentID)
		require.NoError(t, err)
		require.Len(t, hist, 1)
		assert.True(t, hist[0].Time.Equal(now), "got %v", hist[0].Time)
		assert.Equal(t, []consent.Category{}, hist[0].Accepted)
	})
}

func TestMigrationsIdempotentAndConcurrent(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		table := freshTable(t, be)
		const instances = 8
		var wg sync.WaitGroup
		errs := make([]error, instances)
		dbs := make([]*consentlogDB, instances)
		for i := range instances {
			dbs[i] = &consentlogDB{db: be.open(t)}
		}
		// Every instance starts at once against an empty database.
		for i := range instances {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				dbs[i].r, errs[i] = consentlog.New(ctx, dbs[i].db, consentlog.Options{Dialect: be.dialect, Table: table})
			}()
		}
		wg.Wait()
		for i, err := range errs {
			require.NoError(t, err, "instance %d", i)
		}
		// And once more, as a restart would.
		again := newRecorder(t, be, be.open(t), consentlog.Options{Table: table})

		db := dbs[0].db
		var versions, maxVersion int
		require.NoError(t, db.QueryRow(`SELECT COUNT(*), MAX(version) FROM "`+table+`_schema_version"`).Scan(&versions, &maxVersion))
		assert.Equal(t, 1, versions, "each migration is recorded once")
		assert.Equal(t, consentlog.SchemaVersion, maxVersion)

		_, rec := decide(t, testCatalogue(t), consent.Choices{}, time.Now(), "/")
		require.NoError(t, again.RecordConsent(context.Background(), rec))
		require.NoError(t, dbs[3].r.RecordConsent(context.Background(), rec))
		assert.Equal(t, 2, countRows(t, db, table))
	})
}

type consentlogDB struct {
	db *sql.DB
	r  *consentlog.Recorder
}

func TestNewRejectsBadOptions(t *testing.T) {
	be := sqliteBackend(t)
	db := be.open(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		opts consentlog.Options
	}{
		{"no dialect", consentlog.Options{}},
		{"unknown dialect", consentlog.Options{Dialect: 9}},
		{"injected table", consentlog.Options{Dialect: consentlog.SQLite, Table: `x"; DROP TABLE y; --`}},
		{"upper-case table", consentlog.Options{Dialect: consentlog.SQLite, Table: "ConsentLog"}},
		{"reserved prefix", consentlog.Options{Dialect: consentlog.SQLite, Table: "sqlite_log"}},
		{"negative retention", consentlog.Options{Dialect: consentlog.SQLite, Retention: -time.Hour}},
		{"negative timeout", consentlog.Options{Dialect: consentlog.SQLite, Timeout: -time.Second}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := consentlog.New(ctx, db, tc.opts)
			require.Error(t, err)
			assert.Nil(t, r)
		})
	}
	_, err := consentlog.New(ctx, nil, consentlog.Options{Dialect: consentlog.SQLite})
	require.Error(t, err)
	var n int
	require.NoError(t, db.QueryRow(`SELECT COUNT(*) FROM sqlite_master`).Scan(&n))
	assert.Zero(t, n, "a rejected configuration created tables")
}

// TestSchemaSurprises: a table of the same name that this package did not
// make is left alone, and a schema a newer release already migrated is used
// as it is.
func TestSchemaSurprises(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		db := be.open(t)
		ctx := context.Background()

		foreign := freshTable(t, be)
		_, err := db.Exec(`CREATE TABLE "` + foreign + `" (name TEXT)`)
		require.NoError(t, err)
		_, err = db.Exec(`INSERT INTO "` + foreign + `" (name) VALUES ('keep me')`)
		require.NoError(t, err)
		_, err = consentlog.New(ctx, db, consentlog.Options{Dialect: be.dialect, Table: foreign})
		require.Error(t, err)
		assert.Equal(t, 1, countRows(t, db, foreign))
		// The failed migration rolled back whole, version table included.
		var versions int
		assert.Error(t, db.QueryRow(`SELECT COUNT(*) FROM "`+foreign+`_schema_version"`).Scan(&versions))

		r := newRecorder(t, be, db, consentlog.Options{})
		_, err = db.Exec(`INSERT INTO "` + r.Table() + `_schema_version" (version, applied_at) VALUES (99, CURRENT_TIMESTAMP)`)
		require.NoError(t, err)
		again, err := consentlog.New(ctx, be.open(t), consentlog.Options{Dialect: be.dialect, Table: r.Table()})
		require.NoError(t, err)
		_, rec := decide(t, testCatalogue(t), consent.Choices{}, time.Now(), "/")
		require.NoError(t, again.RecordConsent(ctx, rec))
	})
}
