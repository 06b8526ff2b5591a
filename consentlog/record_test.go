package consentlog

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentgate/consentgate/consent"
)

func TestCleanText(t *testing.T) {
	tests := []struct {
		name, in string
		max      int
		want     string
	}{
		{"plain", "/news", 100, "/news"},
		{"invalid utf-8", "a\xffb", 100, "a\uFFFDb"},
		{"controls", "a\x00b\tc\r\nd\x7fe", 100, "abcde"},
		{"cut on rune boundary", "aé", 2, "a"},
		{"cut exactly", "abcdef", 3, "abc"},
		{"welsh", "/cy/ynglŷn-â", 100, "/cy/ynglŷn-â"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := cleanText(tc.in, tc.max)
			assert.Equal(t, tc.want, got)
			assert.LessOrEqual(t, len(got), tc.max)
		})
	}
	assert.Equal(t, "/search", cleanPath("/search?q=name#x"))
	assert.Equal(t, "/", cleanPath("/#?"))
}

func TestRowArgsDropsUserAgentUnlessOptedIn(t *testing.T) {
	rec := consent.Record{ConsentID: consent.NewID(), Method: consent.MethodRejectAll, UserAgent: "Mozilla/5.0", Time: time.Unix(0, 0)}
	off := &Recorder{dialect: SQLite, now: time.Now}
	args, err := off.rowArgs(rec)
	require.NoError(t, err)
	assert.Nil(t, args[7])

	on := &Recorder{dialect: SQLite, now: time.Now, recordUA: true}
	args, err = on.rowArgs(rec)
	require.NoError(t, err)
	assert.Equal(t, "Mozilla/5.0", args[7])

	rec.UserAgent = strings.Repeat("x", 10_000)
	args, err = on.rowArgs(rec)
	require.NoError(t, err)
	assert.Len(t, args[7], maxUserAgent)
}

func TestCategoriesRoundTrip(t *testing.T) {
	cs := []consent.Category{consent.Preferences, "my-own-2"}
	s, err := joinCategories(cs)
	require.NoError(t, err)
	assert.Equal(t, "preferences my-own-2", s)
	assert.Equal(t, cs, splitCategories(s))
	assert.Equal(t, []consent.Category{}, splitCategories(""))

	for _, bad := range []consent.Category{"", "a b", "A", "x,y", consent.Category(strings.Repeat("a", 33))} {
		_, err := joinCategories([]consent.Category{bad})
		assert.ErrorIs(t, err, ErrInvalidRecord, "%q", bad)
	}
}
