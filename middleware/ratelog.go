package middleware

import (
	"strings"
	"sync"
	"time"
)

// maxRateKeys bounds the rate limiter's memory: names come from handlers and,
// through them, possibly from visitors.
const maxRateKeys = 4096

// maxRateName bounds the part of a name kept as a key.
const maxRateName = 128

// rateLog decides whether a log line about one key (a cookie name, a problem)
// may be written now: at most once per interval per key.
type rateLog struct {
	interval time.Duration
	mu       sync.Mutex
	last     map[rateKey]time.Time
	swept    time.Time // last time a full map was swept for old keys
}

// rateKey names what a log line is about. A struct rather than a joined
// string, so checking it allocates nothing.
type rateKey struct {
	kind string // "dropped", "would drop", "encoding", ...
	name string // the cookie name or other detail
}

func newRateLog(interval time.Duration) *rateLog {
	return &rateLog{interval: interval, last: make(map[rateKey]time.Time)}
}

// allow reports whether a line about key may be logged at now, and if so
// notes that it was.
func (l *rateLog) allow(key rateKey, now time.Time) bool {
	if len(key.name) > maxRateName {
		key.name = key.name[:maxRateName]
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if t, ok := l.last[key]; ok && now.Sub(t) < l.interval {
		return false
	}
	if len(l.last) >= maxRateKeys {
		// Sweeping is O(keys): at most once per interval, so a flood of
		// names cannot make every request pay for it under the lock.
		if now.Sub(l.swept) < l.interval {
			return false
		}
		l.swept = now
		for k, t := range l.last {
			if now.Sub(t) >= l.interval {
				delete(l.last, k)
			}
		}
		if len(l.last) >= maxRateKeys {
			// Still full of recent keys: a flood of distinct names. Log
			// nothing more until some age out rather than grow without bound.
			return false
		}
	}
	// Keep a copy: the name may point into a large header value.
	key.name = strings.Clone(key.name)
	l.last[key] = now
	return true
}
