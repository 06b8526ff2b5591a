package middleware

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestDroppedCookieLoggedOncePerInterval(t *testing.T) {
	tg := newTestGate(t, nil)
	srv := tg.serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", "mystery=1")
		w.Header().Add("Set-Cookie", "other=1")
	}))
	for i := 0; i < 5; i++ {
		get(t, http.MethodGet, srv.URL, "", nil)
	}
	logs := tg.logs.String()
	assert.Equal(t, 1, strings.Count(logs, "cookie=mystery"), logs)
	assert.Equal(t, 1, strings.Count(logs, "cookie=other"), logs)
}

func TestRateLog(t *testing.T) {
	l := newRateLog(time.Minute)
	t0 := time.Now()
	assert.True(t, l.allow(rateKey{"dropped", "a"}, t0))
	assert.False(t, l.allow(rateKey{"dropped", "a"}, t0.Add(30*time.Second)))
	assert.True(t, l.allow(rateKey{"would drop", "a"}, t0), "another kind is another key")
	assert.True(t, l.allow(rateKey{"dropped", "a"}, t0.Add(time.Minute)))

	// A flood of distinct names is bounded, and old keys make room again.
	for i := 0; i < 2*maxRateKeys; i++ {
		l.allow(rateKey{"dropped", "n" + strconv.Itoa(i)}, t0)
	}
	assert.LessOrEqual(t, len(l.last), maxRateKeys)
	assert.False(t, l.allow(rateKey{"dropped", "fresh"}, t0.Add(time.Second)))
	assert.True(t, l.allow(rateKey{"dropped", "fresh"}, t0.Add(2*time.Minute)))
	assert.True(t, l.allow(rateKey{"dropped", strings.Repeat("x", 10000)}, t0.Add(2*time.Minute)))
	assert.False(t, l.allow(rateKey{"dropped", strings.Repeat("x", 20000)}, t0.Add(2*time.Minute)), "long names are keyed by their start")
}
