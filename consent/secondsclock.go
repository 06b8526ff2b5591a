package consent

import (
	"sync/atomic"
	"time"
)

// secondsClock tells the current Unix second for the price of an atomic
// load. Decode checks every consent cookie's age against the clock, and
// time.Now costs about 50 ns on the virtual machines forces host on, a tenth
// of the whole Decode, for an age that only counts in seconds.
//
// A timer refreshes the second while reads keep coming and lets itself lapse
// after a second without any, so an idle process carries no timer; the first
// read after that reads the wall clock itself and re-arms the timer. A
// reading is at most about a second old.
type secondsClock struct {
	unix    atomic.Int64
	read    atomic.Bool // read since the last refresh
	running atomic.Bool // a refresh is scheduled
	wall    func() time.Time
	period  time.Duration
}

// wallSeconds serves every Codec built without CodecOptions.Now.
var wallSeconds = &secondsClock{wall: time.Now, period: time.Second}

// now returns the current Unix second, give or take the refresh period.
func (c *secondsClock) now() int64 {
	if c.running.Load() {
		// Checked before stored: a store on every request would bounce
		// the cache line between cores.
		if !c.read.Load() {
			c.read.Store(true)
		}
		return c.unix.Load()
	}
	t := c.wall().Unix()
	c.unix.Store(t) // before running is set, so no reader sees a stale second
	c.read.Store(true)
	if c.running.CompareAndSwap(false, true) {
		time.AfterFunc(c.period, c.refresh)
	}
	return t
}

// refresh runs on the timer: it updates the second, and schedules the next
// refresh only if someone read the clock since the last one.
func (c *secondsClock) refresh() {
	c.unix.Store(c.wall().Unix())
	if c.read.Swap(false) {
		time.AfterFunc(c.period, c.refresh)
		return
	}
	c.running.Store(false)
}
