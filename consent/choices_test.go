package consent

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testCatalogue(t testing.TB) *Catalogue {
	t.Helper()
	cat, err := NewCatalogue(testPolicy())
	require.NoError(t, err)
	return cat
}

func TestDecide(t *testing.T) {
	cat := testCatalogue(t)
	at := time.Date(2026, 3, 1, 13, 4, 5, 999_000_000, time.FixedZone("BST", 3600))
	tests := []struct {
		name     string
		accepted []Category
		allowed  []Category
		refused  []Category
	}{
		{"nothing", nil, nil, []Category{Analytics, Marketing}},
		{"analytics", []Category{Analytics}, []Category{Analytics}, []Category{Marketing}},
		{"all, in another order", []Category{Marketing, Analytics}, []Category{Analytics, Marketing}, nil},
		{"duplicates", []Category{Marketing, Marketing}, []Category{Marketing}, []Category{Analytics}},
		{"essential listed", []Category{Essential}, nil, []Category{Analytics, Marketing}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch, err := cat.Decide(Choices{}, tt.accepted, at)
			require.NoError(t, err)
			assert.True(t, ch.Decided())
			assert.False(t, ch.FromGPC())
			assert.False(t, ch.ID.IsZero())
			assert.Equal(t, uint32(3), ch.Revision)
			assert.Equal(t, time.Date(2026, 3, 1, 12, 4, 5, 0, time.UTC), ch.DecidedAt, "UTC, whole seconds")
			assert.Equal(t, tt.allowed, ch.Accepted())
			assert.Equal(t, tt.refused, ch.Refused())
			assert.Equal(t, len(tt.allowed) > 0, ch.AcceptedAny())
			assert.True(t, ch.Allowed(Essential))
			for _, c := range tt.allowed {
				assert.True(t, ch.Allowed(c), c)
			}
			for _, c := range tt.refused {
				assert.False(t, ch.Allowed(c), c)
			}
			assert.False(t, ch.Allowed(Preferences), "a category the policy lacks is never allowed")
			assert.False(t, ch.Allowed(""))
		})
	}
}

func TestDecideRejectsUnknownCategories(t *testing.T) {
	cat := testCatalogue(t)
	for _, c := range []Category{Preferences, "", "ANALYTICS", "analytics ", "analytics marketing"} {
		ch, err := cat.Decide(Choices{}, []Category{Analytics, c}, time.Now())
		require.Error(t, err, "%q", c)
		assert.Contains(t, err.Error(), "unknown category")
		assert.False(t, ch.Decided(), "no partial decision")
	}
}

func TestDecideKeepsTheConsentID(t *testing.T) {
	cat := testCatalogue(t)
	first, err := cat.Decide(Choices{}, []Category{Analytics}, time.Now())
	require.NoError(t, err)
	second, err := cat.Decide(first, nil, time.Now())
	require.NoError(t, err)
	assert.Equal(t, first.ID, second.ID, "one visitor's decisions share an ID")

	fresh, err := cat.Decide(cat.GPCRefusal(), nil, time.Now())
	require.NoError(t, err)
	assert.False(t, fresh.ID.IsZero())

	other, err := cat.Decide(Choices{}, nil, time.Now())
	require.NoError(t, err)
	assert.NotEqual(t, first.ID, other.ID, "an undecided visitor gets a new random ID")
}

func TestGPCRefusal(t *testing.T) {
	cat := testCatalogue(t)
	ch := cat.GPCRefusal()
	assert.True(t, ch.FromGPC())
	assert.False(t, ch.Decided(), "GPC is not a decision: the visitor may still opt in")
	assert.True(t, ch.ID.IsZero())
	assert.True(t, ch.Allowed(Essential))
	assert.False(t, ch.Allowed(Analytics))
	assert.False(t, ch.Allowed(Marketing))
	assert.Empty(t, ch.Accepted())
	assert.Equal(t, []Category{Analytics, Marketing}, ch.Refused())
	assert.False(t, ch.AcceptedAny())
}

func TestZeroChoices(t *testing.T) {
	var ch Choices
	assert.False(t, ch.Decided())
	assert.False(t, ch.FromGPC())
	assert.True(t, ch.Allowed(Essential))
	for _, c := range []Category{Preferences, Analytics, Marketing, "custom"} {
		assert.False(t, ch.Allowed(c), c)
	}
	assert.Nil(t, ch.Accepted())
	assert.Nil(t, ch.Refused())
}

func TestMethodOf(t *testing.T) {
	cat := testCatalogue(t)
	decide := func(accepted ...Category) Choices {
		ch, err := cat.Decide(Choices{}, accepted, time.Now())
		require.NoError(t, err)
		return ch
	}
	none, analytics, marketing, all := decide(), decide(Analytics), decide(Marketing), decide(Analytics, Marketing)
	tests := []struct {
		name       string
		prev, next Choices
		want       Method
	}{
		{"first visit, accept all", Choices{}, all, MethodAcceptAll},
		{"first visit, reject all", Choices{}, none, MethodRejectAll},
		{"first visit, some", Choices{}, analytics, MethodCustom},
		{"GPC, then accept all", cat.GPCRefusal(), all, MethodAcceptAll},
		{"GPC, then reject all", cat.GPCRefusal(), none, MethodRejectAll},
		{"rejected, then reject again", none, none, MethodRejectAll},
		{"rejected, then some", none, marketing, MethodCustom},
		{"some, then all", analytics, all, MethodAcceptAll},
		{"all, then all", all, all, MethodAcceptAll},
		{"all, then none", all, none, MethodWithdraw},
		{"all, then some", all, analytics, MethodWithdraw},
		{"one, swapped for the other", analytics, marketing, MethodWithdraw},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, MethodOf(tt.prev, tt.next))
		})
	}
}

func TestMethodOfWithNoOptionalCategories(t *testing.T) {
	p := testPolicy()
	p.Categories = p.Categories[:1]
	p.Cookies = nil
	cat, err := NewCatalogue(p)
	require.NoError(t, err)
	ch, err := cat.Decide(Choices{}, nil, time.Now())
	require.NoError(t, err)
	assert.Equal(t, MethodRejectAll, MethodOf(Choices{}, ch), "nothing to accept is not an acceptance")
}

func TestMaxOptionalCategories(t *testing.T) {
	p := testPolicy()
	p.Categories = p.Categories[:1]
	p.Cookies = nil
	var all []Category
	for i := 0; i < maxOptionalCategories; i++ {
		id := Category("c" + strings.Repeat("x", i))
		all = append(all, id)
		p.Categories = append(p.Categories, CategoryInfo{ID: id, Title: Text{EN: "t", CY: "t"}, Description: Text{EN: "d", CY: "d"}})
	}
	cat, err := NewCatalogue(p)
	require.NoError(t, err)
	ch, err := cat.Decide(Choices{}, all, time.Now())
	require.NoError(t, err)
	assert.Equal(t, all, ch.Accepted())
	assert.Empty(t, ch.Refused())
	assert.Equal(t, MethodAcceptAll, MethodOf(Choices{}, ch))
	assert.True(t, ch.Allowed(all[31]))
}

func TestID(t *testing.T) {
	id := NewID()
	assert.False(t, id.IsZero())
	assert.Len(t, id.String(), 32)
	got, err := ParseID(id.String())
	require.NoError(t, err)
	assert.Equal(t, id, got)
	assert.NotEqual(t, id, NewID())

	for _, bad := range []string{"", "00", strings.Repeat("g", 32), strings.Repeat("0", 31), strings.Repeat("0", 33), " " + strings.Repeat("0", 31)} {
		_, err := ParseID(bad)
		assert.Error(t, err, "%q", bad)
	}
	zero, err := ParseID(strings.Repeat("0", 32))
	require.NoError(t, err)
	assert.True(t, zero.IsZero())
}
