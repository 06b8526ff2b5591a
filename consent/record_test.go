package consent

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewRecord(t *testing.T) {
	cat := testCatalogue(t)
	at := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	ch, err := cat.Decide(Choices{}, []Category{Marketing}, at)
	require.NoError(t, err)
	rec := NewRecord(ch, MethodCustom, "/news/appeal")
	assert.Equal(t, Record{
		ConsentID: ch.ID,
		Time:      at,
		Revision:  3,
		Accepted:  []Category{Marketing},
		Refused:   []Category{Analytics},
		Method:    MethodCustom,
		Path:      "/news/appeal",
	}, rec)
	assert.Empty(t, rec.UserAgent, "the user agent is opt-in")
}

func TestSlogRecorder(t *testing.T) {
	cat := testCatalogue(t)
	ch, err := cat.Decide(Choices{}, []Category{Analytics}, time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC))
	require.NoError(t, err)

	tests := []struct {
		name      string
		userAgent string
	}{
		{"without user agent", ""},
		{"with user agent", "Mozilla/5.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			r := SlogRecorder{Logger: slog.New(slog.NewJSONHandler(&buf, nil))}
			rec := NewRecord(ch, MethodCustom, "/")
			rec.UserAgent = tt.userAgent
			require.NoError(t, r.RecordConsent(context.Background(), rec))

			var line map[string]any
			require.NoError(t, json.Unmarshal(buf.Bytes(), &line))
			assert.Equal(t, "consent decision", line["msg"])
			assert.Equal(t, ch.ID.String(), line["consent_id"])
			assert.Equal(t, "2026-05-04T10:00:00Z", line["decided_at"])
			assert.Equal(t, 1, bytes.Count(buf.Bytes(), []byte(`"time":`)), "one time key: JSON readers disagree on duplicates")
			assert.EqualValues(t, 3, line["revision"])
			assert.Equal(t, []any{"analytics"}, line["accepted"])
			assert.Equal(t, []any{"marketing"}, line["refused"])
			assert.Equal(t, "custom", line["method"])
			assert.Equal(t, "/", line["path"])
			ua, has := line["user_agent"]
			assert.Equal(t, tt.userAgent != "", has)
			if has {
				assert.Equal(t, tt.userAgent, ua)
			}
			keys := make([]string, 0, len(line))
			for k := range line {
				keys = append(keys, k)
			}
			want := []string{"time", "level", "msg", "consent_id", "decided_at", "revision", "accepted", "refused", "method", "path"}
			if has {
				want = append(want, "user_agent")
			}
			assert.ElementsMatch(t, want, keys, "nothing else, and never an IP address")
		})
	}
}

func TestSlogRecorderDefaultLogger(t *testing.T) {
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	defer slog.SetDefault(old)
	require.NoError(t, SlogRecorder{}.RecordConsent(context.Background(), Record{Method: MethodRejectAll}))
	assert.Contains(t, buf.String(), "method=reject-all")
}

func TestRecorderFunc(t *testing.T) {
	want := errors.New("database down")
	var got Record
	var r Recorder = RecorderFunc(func(_ context.Context, rec Record) error {
		got = rec
		return want
	})
	err := r.RecordConsent(context.Background(), Record{Path: "/cookies"})
	assert.ErrorIs(t, err, want)
	assert.Equal(t, "/cookies", got.Path)
}
