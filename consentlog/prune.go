package consentlog

import (
	"context"
	"fmt"
)

// pruneBatch is how many rows one DELETE removes.
const pruneBatch = 5000

// Prune deletes every decision older than the retention period and returns
// how many it deleted. Run it on a timer (daily is plenty); with several
// instances any one of them may run it, and concurrent runs are harmless.
// It deletes in batches, each bounded by the Recorder's Timeout, and stops
// early with ctx's error, reporting what it had already deleted.
func (r *Recorder) Prune(ctx context.Context) (int64, error) {
	cutoff := r.dialect.timeArg(r.now().Add(-r.retention))
	var total int64
	for {
		n, err := r.pruneBatch(ctx, cutoff)
		total += n
		if err != nil {
			return total, fmt.Errorf("consentlog: prune %s: %w", r.table, err)
		}
		// Stop on an empty batch rather than a short one: with another
		// instance pruning too, a short batch does not mean none are left.
		if n == 0 {
			return total, nil
		}
		if err := ctx.Err(); err != nil {
			return total, fmt.Errorf("consentlog: prune %s: %w", r.table, err)
		}
	}
}

func (r *Recorder) pruneBatch(ctx context.Context, cutoff any) (int64, error) {
	ctx, cancel := r.bound(ctx)
	defer cancel()
	res, err := r.db.ExecContext(ctx, r.pruneSQL, cutoff)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
