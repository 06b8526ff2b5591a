package consentlogtest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentgate/consentgate/consent"
	"github.com/consentgate/consentgate/consentlog"
)

func TestPruneDefaultRetention(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
		r := newRecorder(t, be, be.open(t), consentlog.Options{Now: func() time.Time { return now }})
		ctx := context.Background()
		year := consentlog.DefaultRetention
		ages := []struct {
			age  time.Duration
			kept bool
		}{
			{400 * 24 * time.Hour, false},
			{year + time.Second, false},
			{year + time.Microsecond, false},
			{year, true}, // exactly at the limit: still within retention
			{year - time.Hour, true},
			{0, true},
			{-time.Hour, true}, // a skewed clock on another instance
		}
		ids := make([]consent.ID, len(ages))
		for i, a := range ages {
			ids[i] = consent.NewID()
			rec := consent.Record{ConsentID: ids[i], Time: now.Add(-a.age), Method: consent.MethodRejectAll, Refused: []consent.Category{consent.Analytics}, Path: "/"}
			require.NoError(t, r.RecordConsent(ctx, rec))
		}

		n, err := r.Prune(ctx)
		require.NoError(t, err)
		assert.Equal(t, int64(3), n)
		for i, a := range ages {
			hist, err := r.History(ctx, ids[i])
			require.NoError(t, err)
			assert.Equal(t, a.kept, len(hist) == 1, "age %v", a.age)
		}
		n, err = r.Prune(ctx)
		require.NoError(t, err)
		assert.Zero(t, n, "pruning twice deletes nothing more")
	})
}

func TestPruneCustomRetentionAndClock(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		r := newRecorder(t, be, be.open(t), consentlog.Options{Retention: time.Hour, Now: clock})
		ctx := context.Background()
		_, rec := decide(t, testCatalogue(t), consent.Choices{}, now.Add(-30*time.Minute), "/", consent.Analytics)
		require.NoError(t, r.RecordConsent(ctx, rec))
		n, err := r.Prune(ctx)
		require.NoError(t, err)
		assert.Zero(t, n)

		now = now.Add(31 * time.Minute) // the decision is now 61 minutes old
		n, err = r.Prune(ctx)
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
	})
}

// TestPruneLargeBacklog deletes more rows than one batch holds, from two
// instances at once.
func TestPruneLargeBacklog(t *testing.T) {
	eachBackend(t, func(t *testing.T, be backend) {
		db := be.open(t)
		r := newRecorder(t, be, db, consentlog.Options{})
		const old = 2*5000 + 7
		var bulk string
		if be.dialect == consentlog.SQLite {
			bulk = fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < %d)
INSERT INTO "%s" (consent_id, decided_at, revision, accepted, refused, method, path)
SELECT printf('%%032x', i), '2020-01-01T00:00:00.000000Z', 1, '', 'analytics', 'reject-all', '/' FROM n`, old, r.Table())
		} else {
			bulk = fmt.Sprintf(`INSERT INTO "%s" (consent_id, decided_at, revision, accepted, refused, method, path)
SELECT lpad(to_hex(i), 32, '0'), timestamptz '2020-01-01 00:00:00+00', 1, '', 'analytics', 'reject-all', '/' FROM generate_series(1, %d) AS i`, r.Table(), old)
		}
		_, err := db.Exec(bulk)
		require.NoError(t, err)
		for range 5 {
			_, rec := decide(t, testCatalogue(t), consent.Choices{}, time.Now(), "/", consent.Analytics)
			require.NoError(t, r.RecordConsent(context.Background(), rec))
		}

		// A cancelled context stops pruning before it starts.
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err = r.Prune(ctx)
		require.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, old+5, countRows(t, db, r.Table()))

		// Two instances pruning at once share the work and delete each
		// old row exactly once.
		other := newRecorder(t, be, be.open(t), consentlog.Options{Table: r.Table()})
		var wg sync.WaitGroup
		counts := make([]int64, 2)
		errs := make([]error, 2)
		for i, p := range []*consentlog.Recorder{r, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				counts[i], errs[i] = p.Prune(context.Background())
			}()
		}
		wg.Wait()
		require.NoError(t, errs[0])
		require.NoError(t, errs[1])
		assert.Equal(t, int64(old), counts[0]+counts[1])
		assert.Equal(t, 5, countRows(t, db, r.Table()))
	})
}
