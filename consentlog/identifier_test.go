package consentlog

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValidateTable(t *testing.T) {
	good := []string{"consent_log", "_private", "log2", "order", strings.Repeat("a", maxTableLen)}
	for _, name := range good {
		assert.NoError(t, validateTable(name), name)
	}
	bad := []string{
		"",
		"2log",
		"Consent_Log",
		"consent-log",
		"consent log",
		`x"; DROP TABLE consent_log; --`,
		"public.consent_log",
		"log\x00",
		"lóg",
		"sqlite_master",
		"pg_class",
		strings.Repeat("a", maxTableLen+1),
	}
	for _, name := range bad {
		assert.Error(t, validateTable(name), "%q", name)
	}
}

func TestDerivedNamesFitPostgres(t *testing.T) {
	// PostgreSQL silently truncates identifiers past 63 bytes, which would
	// make two long table names share an index or version table.
	long := strings.Repeat("a", maxTableLen)
	for _, suffix := range []string{versionSuffix, "_consent_id_idx", "_decided_at_idx"} {
		assert.LessOrEqual(t, len(long+suffix), 63, suffix)
	}
}
