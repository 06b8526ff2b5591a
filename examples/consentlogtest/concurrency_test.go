package consentlogtest

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentgate/consentgate/consent"
	"github.com/consentgate/consentgate/consentlog"
)

// noLossTimeout is generous: these tests are about losing no decision, and
// on a loaded machine SQLite's busy handler can keep one writer waiting
// several seconds behind the others (its retries are polls, not a queue).
const noLossTimeout = time.Minute

const (
	visitors          = 24 // goroutines per instance, one visitor each
	decisionsPerVisit = 20
)

// hammer has visitors decide repeatedly through r at once, and returns each
// visitor's ID and the first error. It makes no assertions, so it can run on
// any goroutine.
func hammer(cat *consent.Catalogue, r *consentlog.Recorder) ([]consent.ID, error) {
	ids := make([]consent.ID, visitors)
	errs := make(chan error, visitors*decisionsPerVisit)
	var wg sync.WaitGroup
	base := time.Now().Add(-time.Hour)
	options := [][]consent.Category{{consent.Analytics}, {}, {consent.Preferences, consent.Analytics, consent.Marketing}}
	for v := range visitors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var prev consent.Choices
			for i := range decisionsPerVisit {
				next, err := cat.Decide(prev, options[i%len(options)], base.Add(time.Duration(i)*time.Second))
				if err != nil {
					errs <- err
					return
				}
				ids[v] = next.ID
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				errs <- r.RecordConsent(ctx, consent.NewRecord(next, consent.MethodOf(prev, next), "/"))
				cancel()
				prev = next
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return ids, err
		}
	}
	return ids, nil
}

// checkHistories asserts every visitor's decisions are all there, in order.
func checkHistories(t *testing.T, r *consentlog.Recorder, ids []consent.ID) {
	t.Helper()
	for _, id := range ids {
		hist, err := r.History(context.Background(), id)
		require.NoError(t, err)
		require.Len(t, hist, decisionsPerVisit, "visitor %s lost decisions", id)
		for i := 1; i < len(hist); i++ {
			assert.True(t, hist[i].Time.After(hist[i-1].Time), "history out of order")
		}
		assert.Equal(t, consent.MethodCustom, hist[0].Method)
		assert.Equal(t, consent.MethodWithdraw, hist[1].Method)
		assert.Equal(t, consent.MethodAcceptAll, hist[2].Method)
	}
}

func TestConcurrentDecisionsLoseNothing(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		db := be.open(t)
		r := newRecorder(t, be, db, consentlog.Options{Timeout: noLossTimeout})
		ids, err := hammer(testCatalogue(t), r)
		require.NoError(t, err)
		assert.Equal(t, visitors*decisionsPerVisit, countRows(t, db, r.Table()))
		checkHistories(t, r, ids)
	})
}

// TestTwoInstancesShareOneLog runs two site instances, each with its own
// pool, starting together on an empty database and then writing at once.
func TestTwoInstancesShareOneLog(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		table := freshTable(t, be)
		dbs := []*sql.DB{be.open(t), be.open(t)}
		recs := make([]*consentlog.Recorder, 2)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range dbs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				recs[i], errs[i] = consentlog.New(context.Background(), dbs[i], consentlog.Options{Dialect: be.dialect, Table: table, Timeout: noLossTimeout})
			}()
		}
		wg.Wait()
		require.NoError(t, errs[0])
		require.NoError(t, errs[1])

		cat := testCatalogue(t)
		idsByInstance := make([][]consent.ID, 2)
		for i := range recs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				idsByInstance[i], errs[i] = hammer(cat, recs[i])
			}()
		}
		wg.Wait()
		require.NoError(t, errs[0])
		require.NoError(t, errs[1])
		assert.Equal(t, 2*visitors*decisionsPerVisit, countRows(t, dbs[0], table))
		// Either instance can answer for a visitor the other one served.
		checkHistories(t, recs[1], idsByInstance[0])
		checkHistories(t, recs[0], idsByInstance[1])
	})
}

// TestSQLiteWithoutBusyTimeoutRefused: without a busy timeout SQLite turns
// away any writer that meets another, so concurrent decisions would fail at
// random. New says so at start-up instead.
func TestSQLiteWithoutBusyTimeoutRefused(t *testing.T) {
	db := openDB(t, "sqlite", "file:"+filepath.Join(t.TempDir(), "consent.db")+"?_pragma=journal_mode(WAL)")
	_, err := consentlog.New(context.Background(), db, consentlog.Options{Dialect: consentlog.SQLite})
	require.ErrorContains(t, err, "busy_timeout(5000)")
}

// TestInstancesStartTogetherOnNewSQLiteFile: SQLite refuses a new connection
// at once, whatever its busy_timeout, while another connection switches a
// fresh file to WAL. Several instances starting on a new database must all
// come up regardless.
func TestInstancesStartTogetherOnNewSQLiteFile(t *testing.T) {
	const rounds, instances = 15, 3
	for round := range rounds {
		dsn := sqliteDSN(filepath.Join(t.TempDir(), fmt.Sprintf("consent-%d.db", round)))
		errs := make([]error, instances)
		var wg sync.WaitGroup
		for i := range instances {
			db := openDB(t, "sqlite", dsn)
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = consentlog.New(context.Background(), db, consentlog.Options{Dialect: consentlog.SQLite})
			}()
		}
		wg.Wait()
		for i, err := range errs {
			require.NoError(t, err, "round %d, instance %d", round, i)
		}
	}
}
