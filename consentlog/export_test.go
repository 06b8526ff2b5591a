package consentlog

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentgate/consentgate/consent"
)

func TestWriteExportFormat(t *testing.T) {
	id, err := consent.ParseID("00112233445566778899aabbccddeeff")
	require.NoError(t, err)
	at := time.Date(2026, 4, 1, 10, 0, 0, 0, time.FixedZone("BST", 3600))
	recs := []consent.Record{
		{
			ConsentID: id, Time: time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC), Revision: 3,
			Accepted: []consent.Category{consent.Analytics}, Refused: []consent.Category{consent.Marketing},
			Method: consent.MethodCustom, Path: "/cookies",
		},
		{
			ConsentID: id, Time: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC), Revision: 3,
			Refused: []consent.Category{consent.Analytics, consent.Marketing},
			Method:  consent.MethodWithdraw, Path: "/cy/cwcis", UserAgent: "Mozilla/5.0 <x>",
		},
	}
	var buf bytes.Buffer
	require.NoError(t, WriteExport(&buf, id, at, recs))
	want := `{
  "consent_id": "00112233445566778899aabbccddeeff",
  "exported_at": "2026-04-01T09:00:00Z",
  "decisions": [
    {
      "time": "2026-03-01T09:30:00Z",
      "policy_revision": 3,
      "accepted": [
        "analytics"
      ],
      "refused": [
        "marketing"
      ],
      "method": "custom",
      "path": "/cookies"
    },
    {
      "time": "2026-03-02T09:30:00Z",
      "policy_revision": 3,
      "accepted": [],
      "refused": [
        "analytics",
        "marketing"
      ],
      "method": "withdraw",
      "path": "/cy/cwcis",
      "user_agent": "Mozilla/5.0 \u003cx\u003e"
    }
  ]
}
`
	assert.Equal(t, want, buf.String())
}

func TestWriteExportEmpty(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteExport(&buf, consent.ID{1}, time.Unix(0, 0), nil))
	assert.Contains(t, buf.String(), `"decisions": []`)
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteExportReportsWriteErrors(t *testing.T) {
	err := WriteExport(failingWriter{}, consent.ID{1}, time.Unix(0, 0), nil)
	assert.ErrorContains(t, err, "disk full")
}
