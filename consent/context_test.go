package consent

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestContextHelpers(t *testing.T) {
	cat := testCatalogue(t)
	analytics, err := cat.Decide(Choices{}, []Category{Analytics}, time.Now())
	require.NoError(t, err)

	type otherKey struct{}
	tests := []struct {
		name      string
		ctx       context.Context
		want      Choices
		analytics bool
	}{
		{"nothing stored", context.Background(), Choices{}, false},
		{"another value stored", context.WithValue(context.Background(), otherKey{}, analytics), Choices{}, false},
		{"decision stored", WithChoices(context.Background(), analytics), analytics, true},
		{"GPC stored", WithChoices(context.Background(), cat.GPCRefusal()), cat.GPCRefusal(), false},
		{"inner value wins", WithChoices(WithChoices(context.Background(), analytics), Choices{}), Choices{}, false},
		{"survives derived contexts", context.WithValue(WithChoices(context.Background(), analytics), otherKey{}, 1), analytics, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, FromContext(tt.ctx))
			assert.True(t, Allowed(tt.ctx, Essential), "essential is always allowed")
			assert.Equal(t, tt.analytics, Allowed(tt.ctx, Analytics))
			assert.False(t, Allowed(tt.ctx, Marketing))
		})
	}
}

// TestWithChoicesKeepsTheParent: the choices sit on top of the request's
// context, which must still answer for its own values, deadline and
// cancellation.
func TestWithChoicesKeepsTheParent(t *testing.T) {
	type otherKey struct{}
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), otherKey{}, "kept"))
	ctx := WithChoices(parent, Choices{Revision: 3})
	assert.Equal(t, "kept", ctx.Value(otherKey{}))
	assert.Nil(t, ctx.Value("absent"))
	assert.Equal(t, uint32(3), FromContext(ctx).Revision)
	cancel()
	<-ctx.Done()
	assert.ErrorIs(t, ctx.Err(), context.Canceled)
}
