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
