package consent

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeWall is a wall clock the test moves by hand.
type fakeWall struct{ unix atomic.Int64 }

func (f *fakeWall) now() time.Time { return time.Unix(f.unix.Load(), 0) }

func TestSecondsClockFollowsTheWall(t *testing.T) {
	wall := &fakeWall{}
	wall.unix.Store(1_000)
	c := &secondsClock{wall: wall.now, period: 5 * time.Millisecond}

	assert.Equal(t, int64(1_000), c.now(), "the first read reads the wall clock")
	wall.unix.Store(2_000)
	require.Eventually(t, func() bool { return c.now() == 2_000 }, 2*time.Second, time.Millisecond,
		"a refresh picks the new second up while reads keep coming")
}

func TestSecondsClockLapsesWhenIdle(t *testing.T) {
	wall := &fakeWall{}
	wall.unix.Store(1_000)
	c := &secondsClock{wall: wall.now, period: 5 * time.Millisecond}
	c.now()
	// With no reads the timer stops after a refresh or two.
	require.Eventually(t, func() bool { return !c.running.Load() }, 2*time.Second, time.Millisecond)

	// Idle for a long time: the first read must not hand out the old second.
	wall.unix.Store(9_000)
	assert.Equal(t, int64(9_000), c.now())
	assert.True(t, c.running.Load(), "reading re-arms the refresh")
}

func TestSecondsClockConcurrentReads(t *testing.T) {
	wall := &fakeWall{}
	wall.unix.Store(5_000)
	c := &secondsClock{wall: wall.now, period: time.Millisecond}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 2_000 {
				if got := c.now(); got < 5_000 {
					t.Errorf("read %d before the wall's first second", got)
					return
				}
			}
		}()
	}
	wall.unix.Store(6_000)
	wg.Wait()
}
