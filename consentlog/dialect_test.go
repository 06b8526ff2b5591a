package consentlog

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRebind(t *testing.T) {
	tests := []struct {
		name, in, sqlite, postgres string
	}{
		{"none", "SELECT 1", "SELECT 1", "SELECT 1"},
		{"numbered in order", "INSERT INTO t (a, b, c) VALUES (?, ?, ?)", "INSERT INTO t (a, b, c) VALUES (?, ?, ?)", "INSERT INTO t (a, b, c) VALUES ($1, $2, $3)"},
		{"past nine", "?,?,?,?,?,?,?,?,?,?,?", "?,?,?,?,?,?,?,?,?,?,?", "$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11"},
		{"string literal kept", "SELECT '?' || ?", "SELECT '?' || ?", "SELECT '?' || $1"},
		{"escaped quote in literal", "SELECT 'it''s ?' , ?", "SELECT 'it''s ?' , ?", "SELECT 'it''s ?' , $1"},
		{"quoted identifier kept", `SELECT "a?b" FROM t WHERE x = ?`, `SELECT "a?b" FROM t WHERE x = ?`, `SELECT "a?b" FROM t WHERE x = $1`},
		{"comment kept", "SELECT ? -- why?\n, ?", "SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2"},
		{"unterminated literal", "SELECT ?, 'oops?", "SELECT ?, 'oops?", "SELECT $1, 'oops?"},
		{"unterminated comment", "SELECT ? -- end?", "SELECT ? -- end?", "SELECT $1 -- end?"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.sqlite, SQLite.rebind(tc.in))
			assert.Equal(t, tc.postgres, PostgreSQL.rebind(tc.in))
		})
	}
}

func TestDialectString(t *testing.T) {
	assert.Equal(t, "sqlite", SQLite.String())
	assert.Equal(t, "postgresql", PostgreSQL.String())
	assert.Equal(t, "Dialect(0)", Dialect(0).String())
	assert.False(t, Dialect(0).valid())
}

func TestSQLiteTimesSortAsText(t *testing.T) {
	// Pruning compares stored text with the cutoff, so the text order must be
	// the time order, whatever zone and precision the input had.
	a := SQLite.timeArg(time.Date(2026, 1, 2, 3, 4, 5, 999_999_999, time.FixedZone("x", 5*3600)))
	b := SQLite.timeArg(time.Date(2026, 1, 1, 23, 4, 6, 0, time.UTC))
	c := SQLite.timeArg(time.Date(2026, 1, 1, 23, 4, 6, 1000, time.UTC))
	assert.Equal(t, "2026-01-01T22:04:05.999999Z", a)
	assert.Less(t, a.(string), b.(string))
	assert.Less(t, b.(string), c.(string))

	back, err := scanTime(a)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 1, 1, 22, 4, 5, 999_999_000, time.UTC), back)
}

func TestScanTime(t *testing.T) {
	want := time.Date(2026, 5, 4, 3, 2, 1, 0, time.UTC)
	for _, v := range []any{want.In(time.FixedZone("BST", 3600)), "2026-05-04T03:02:01.000000Z", []byte("2026-05-04T04:02:01+01:00")} {
		got, err := scanTime(v)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	for _, v := range []any{"yesterday", 12345, nil} {
		_, err := scanTime(v)
		assert.Error(t, err, "%v", v)
	}
}

func TestPostgresTimeArgIsUTCMicroseconds(t *testing.T) {
	got := PostgreSQL.timeArg(time.Date(2026, 1, 2, 3, 4, 5, 123_456_789, time.FixedZone("x", 3600)))
	assert.Equal(t, time.Date(2026, 1, 2, 2, 4, 5, 123_456_000, time.UTC), got)
}
