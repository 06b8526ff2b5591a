package consentlog

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMigrationsAreContiguous(t *testing.T) {
	for i, m := range migrations {
		assert.Equal(t, i+1, m.version, "migration versions run 1, 2, 3… with no gaps")
		for _, d := range []Dialect{SQLite, PostgreSQL} {
			assert.NotEmpty(t, m.stmts(d, "consent_log"))
		}
	}
	assert.Equal(t, migrations[len(migrations)-1].version, SchemaVersion)
}

func TestLockKeyPerTable(t *testing.T) {
	assert.Equal(t, lockKey("consent_log"), lockKey("consent_log"))
	assert.NotEqual(t, lockKey("consent_log"), lockKey("consent_log2"))
}
