package consent

import "context"

type contextKey struct{}

// choicesContext carries a request's choices. It holds them by value, so
// putting them in a context costs one allocation where context.WithValue
// would need a second to box the struct; the middleware does it for every
// decided visitor's request.
type choicesContext struct {
	context.Context
	ch Choices
}

// Value returns a pointer to the choices for this package's key; the key is
// unexported, so no one else can reach them through it.
func (c *choicesContext) Value(key any) any {
	if key == (contextKey{}) {
		return &c.ch
	}
	return c.Context.Value(key)
}

// String names the context as the context package's own types do, for
// debugging output.
func (c *choicesContext) String() string { return "consent.WithChoices" }

// WithChoices returns a copy of ctx carrying ch. The middleware calls it for
// every request whose choices are not the zero value; tests and handlers
// that run outside the middleware may too.
func WithChoices(ctx context.Context, ch Choices) context.Context {
	return &choicesContext{Context: ctx, ch: ch}
}

// FromContext returns the choices carried by ctx, or the zero Choices
// (undecided: essential only) when there are none.
func FromContext(ctx context.Context) Choices {
	if p, ok := ctx.Value(contextKey{}).(*Choices); ok {
		return *p
	}
	return Choices{}
}

// Allowed reports whether category c may be used for the request ctx belongs to.
// Essential is always allowed.
func Allowed(ctx context.Context, c Category) bool {
	return FromContext(ctx).Allowed(c)
}
