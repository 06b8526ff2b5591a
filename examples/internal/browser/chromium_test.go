package browser

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// recordingTB notes whether a test would have been skipped or failed,
// without stopping the real test.
type recordingTB struct {
	testing.TB
	skipped, failed string
}

func (r *recordingTB) Helper()                        {}
func (r *recordingTB) Skipf(format string, a ...any)  { r.skipped = fmt.Sprintf(format, a...) }
func (r *recordingTB) Fatalf(format string, a ...any) { r.failed = fmt.Sprintf(format, a...) }

func TestMissingChromiumSkipsLocallyButFailsInCI(t *testing.T) {
	tests := []struct {
		ci       string
		wantFail bool
	}{
		{ci: "true", wantFail: true},
		{ci: "", wantFail: false},
		{ci: "false", wantFail: false},
	}
	for _, tt := range tests {
		t.Run("CI="+tt.ci, func(t *testing.T) {
			t.Setenv("CI", tt.ci)
			t.Setenv("CONSENTGATE_CHROMIUM", "/nonexistent/chromium")
			tb := &recordingTB{TB: t}
			Chromium(tb)
			if tt.wantFail {
				assert.Contains(t, tb.failed, "/nonexistent/chromium")
				assert.Empty(t, tb.skipped)
			} else {
				assert.Contains(t, tb.skipped, "/nonexistent/chromium")
				assert.Empty(t, tb.failed)
			}
		})
	}
}

func TestHostResolverRulesKeepEverythingElseOffline(t *testing.T) {
	got := hostResolverRules(map[string]string{
		"*.fls.doubleclick.net":   "127.0.0.1:1",
		"www.westshire.police.uk": "127.0.0.1:2",
		"connect.facebook.net":    "127.0.0.1:1",
	})
	assert.Equal(t, "EXCLUDE 127.0.0.1, EXCLUDE localhost, "+
		"MAP connect.facebook.net 127.0.0.1:1, MAP www.westshire.police.uk 127.0.0.1:2, "+
		"MAP *.fls.doubleclick.net 127.0.0.1:1, MAP * ~NOTFOUND", got)
}
