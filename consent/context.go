package consent

import "context"

type contextKey struct{}

// WithChoices returns a copy of ctx carrying ch. The middleware calls it for
// every request; tests and handlers that run outside the middleware may too.
func WithChoices(ctx context.Context, ch Choices) context.Context {
	return context.WithValue(ctx, contextKey{}, ch)
}

// FromContext returns the choices carried by ctx, or the zero Choices
// (undecided: essential only) when there are none.
func FromContext(ctx context.Context) Choices {
	ch, _ := ctx.Value(contextKey{}).(Choices)
	return ch
}

// Allowed reports whether category c may be used for the request ctx belongs to.
// Essential is always allowed.
func Allowed(ctx context.Context, c Category) bool {
	return FromContext(ctx).Allowed(c)
}
