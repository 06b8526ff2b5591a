package middleware

import (
	"sync"
	"time"
)

// maxRateKeys bounds the rate limiter's memory: names come from handlers and,
// through them, possibly from visitors.
const maxRateKeys = 4096

// rateLog decides whether a log line about one key (a cookie name, a problem)
// may be written now: at most once per interval per key.
type rateLog struct {
	interval time.Duration
	mu       sync.Mutex
	last     map[string]time.Time
}

func newRateLog(interval time.Duration) *rateLog {
	return &rateLog{interval: interval, last: make(map[string]time.Time)}
}

// allow reports whether a line about key may be logged at now, and if so
// notes that it was.
func (l *rateLog) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t, ok := l.last[key]; ok && now.Sub(t) < l.interval {
		return false
	}
	if len(l.last) >= maxRateKeys {
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
	l.last[key] = now
	return true
}
