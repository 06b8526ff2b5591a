package consentlogtest

import (
	"bytes"
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentgate/consentgate/consent"
	"github.com/consentgate/consentgate/consentlog"
)

// promptly is how long past its deadline a call may take to give up. It is
// generous for -race on a loaded machine yet far below the 30 s SQLite busy
// timeout and the infinite wait a held PostgreSQL lock would cause.
const promptly = 3 * time.Second

// lockTable makes the log table unusable by other sessions until the
// returned function is called: BEGIN EXCLUSIVE in SQLite, LOCK TABLE … IN
// ACCESS EXCLUSIVE MODE in PostgreSQL.
func lockTable(t *testing.T, be backend, table string) (release func()) {
	t.Helper()
	ctx := context.Background()
	conn, err := be.open(t).Conn(ctx)
	require.NoError(t, err)
	if be.dialect == consentlog.SQLite {
		_, err = conn.ExecContext(ctx, "BEGIN EXCLUSIVE")
		require.NoError(t, err)
	} else {
		_, err = conn.ExecContext(ctx, "BEGIN")
		require.NoError(t, err)
		_, err = conn.ExecContext(ctx, `LOCK TABLE "`+table+`" IN ACCESS EXCLUSIVE MODE`)
		require.NoError(t, err)
	}
	return func() {
		_, err := conn.ExecContext(ctx, "ROLLBACK")
		require.NoError(t, err)
		require.NoError(t, conn.Close())
	}
}

// within runs f and reports how long it took.
func within(f func()) time.Duration {
	start := time.Now()
	f()
	return time.Since(start)
}

func TestLockedTableFailsWithinDeadline(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		db := be.open(t)
		// Long enough to reconnect after the lock on a loaded CI machine.
		const timeout = 1500 * time.Millisecond
		r := newRecorder(t, be, db, consentlog.Options{Timeout: timeout})
		cat := testCatalogue(t)
		_, rec := decide(t, cat, consent.Choices{}, time.Now(), "/", consent.Analytics)
		release := lockTable(t, be, r.Table())

		// The caller's deadline wins when it is the earlier one…
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		var err error
		took := within(func() { err = r.RecordConsent(ctx, rec) })
		require.Error(t, err)
		assert.ErrorIs(t, err, context.DeadlineExceeded, "the lock, not something else, stopped it")
		assert.Less(t, took, 200*time.Millisecond+promptly)

		// …and the Recorder's Timeout bounds a caller with no deadline at all.
		took = within(func() { err = r.RecordConsent(context.Background(), rec) })
		require.Error(t, err)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, took, timeout+promptly)

		// Reads and pruning are bounded the same way.
		var buf bytes.Buffer
		took = within(func() { err = r.Export(context.Background(), rec.ConsentID, &buf) })
		if be.dialect == consentlog.PostgreSQL {
			require.Error(t, err, "ACCESS EXCLUSIVE blocks readers too")
		}
		assert.Less(t, took, timeout+promptly)
		took = within(func() { _, err = r.Prune(context.Background()) })
		require.Error(t, err)
		assert.Less(t, took, timeout+promptly)

		release()
		// Once the lock is gone the same recorder works again and the failed
		// attempts left nothing behind.
		require.NoError(t, r.RecordConsent(context.Background(), rec))
		assert.Equal(t, 1, countRows(t, db, r.Table()))
	})
}

func TestMigrationUnderLockFailsWithinTimeout(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		first := newRecorder(t, be, be.open(t), consentlog.Options{})
		release := lockTable(t, be, first.Table()+"_schema_version")
		defer release()
		var err error
		took := within(func() {
			_, err = consentlog.New(context.Background(), be.open(t), consentlog.Options{
				Dialect: be.dialect, Table: first.Table(), Timeout: 300 * time.Millisecond,
			})
		})
		require.Error(t, err)
		assert.Less(t, took, 300*time.Millisecond+promptly)
	})
}

func TestClosedPoolFails(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		db := be.open(t)
		r := newRecorder(t, be, db, consentlog.Options{})
		_, rec := decide(t, testCatalogue(t), consent.Choices{}, time.Now(), "/", consent.Analytics)
		require.NoError(t, db.Close())
		assert.ErrorContains(t, r.RecordConsent(context.Background(), rec), "closed")
		_, err := r.Prune(context.Background())
		assert.Error(t, err)
		_, err = r.History(context.Background(), rec.ConsentID)
		assert.Error(t, err)
	})
}

// proxiedPostgres gives a recorder whose every connection to PostgreSQL runs
// through a proxy the test controls.
func proxiedPostgres(t *testing.T, timeout time.Duration) (*tcpProxy, *consentlog.Recorder) {
	t.Helper()
	be := postgresBackend(t)
	proxy := newTCPProxy(t, hostOf(t, be.dsn))
	db := openDB(t, "pgx", proxy.proxiedDSN(t, be.dsn))
	r := newRecorder(t, be, db, consentlog.Options{Timeout: timeout})
	// Warm the pool so the fault hits an established connection.
	_, rec := decide(t, testCatalogue(t), consent.Choices{}, time.Now(), "/")
	require.NoError(t, r.RecordConsent(context.Background(), rec))
	return proxy, r
}

func TestPostgresServerGone(t *testing.T) {
	t.Parallel()
	proxy, r := proxiedPostgres(t, 500*time.Millisecond)
	proxy.Stop()
	_, rec := decide(t, testCatalogue(t), consent.Choices{}, time.Now(), "/", consent.Analytics)
	for i := range 3 { // the dead pooled connection, then fresh dials that are refused
		var err error
		took := within(func() { err = r.RecordConsent(context.Background(), rec) })
		require.Error(t, err, "attempt %d", i)
		assert.Less(t, took, 500*time.Millisecond+promptly, "attempt %d", i)
	}
}

func TestPostgresServerSilent(t *testing.T) {
	t.Parallel()
	proxy, r := proxiedPostgres(t, 5*time.Second)
	proxy.Freeze()
	_, rec := decide(t, testCatalogue(t), consent.Choices{}, time.Now(), "/", consent.Analytics)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	var err error
	took := within(func() { err = r.RecordConsent(ctx, rec) })
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, took, 300*time.Millisecond+promptly)
}

func TestNewAgainstDownServer(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		var db *sql.DB
		if be.dialect == consentlog.PostgreSQL {
			// Nothing listens on a port we just closed.
			proxy := newTCPProxy(t, hostOf(t, be.dsn))
			dsn := proxy.proxiedDSN(t, be.dsn)
			proxy.Stop()
			db = openDB(t, "pgx", dsn)
		} else {
			db = be.open(t)
			require.NoError(t, db.Close())
		}
		var err error
		took := within(func() {
			_, err = consentlog.New(context.Background(), db, consentlog.Options{Dialect: be.dialect, Table: "never_made", Timeout: 500 * time.Millisecond})
		})
		require.Error(t, err)
		assert.Less(t, took, 500*time.Millisecond+promptly)
	})
}
