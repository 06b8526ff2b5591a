package consent

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
)

// ID identifies one visitor's consent decisions in the proof-of-consent log.
// It is random: nothing about the visitor goes into it.
type ID [16]byte

// NewID returns a random ID.
func NewID() ID {
	var id ID
	// crypto/rand.Read never returns an error on supported platforms (Go 1.24+ panics instead).
	_, _ = rand.Read(id[:])
	return id
}

// String returns the ID as 32 lower-case hex digits.
func (id ID) String() string { return hex.EncodeToString(id[:]) }

// IsZero reports whether id is the zero ID (no decision).
func (id ID) IsZero() bool { return id == ID{} }

// ParseID parses the form produced by [ID.String].
func ParseID(s string) (ID, error) {
	var id ID
	if len(s) != 2*len(id) {
		return ID{}, fmt.Errorf("consent: parse ID %q: want %d hex digits", s, 2*len(id))
	}
	if _, err := hex.Decode(id[:], []byte(s)); err != nil {
		return ID{}, fmt.Errorf("consent: parse ID %q: %w", s, err)
	}
	return id, nil
}

type basis uint8

const (
	undecided  basis = iota
	decided          // the visitor chose, on the banner or the cookies page
	gpcRefusal       // Sec-GPC: 1 with no decision: everything optional refused
)

// Choices is a visitor's consent state. The zero value is "undecided", which
// allows essential cookies only: fail closed.
type Choices struct {
	// ID groups a visitor's decisions in the proof-of-consent log; zero when undecided.
	ID ID
	// Revision is the policy revision the decision was made under.
	Revision uint32
	// DecidedAt is when the visitor decided, truncated to the second.
	DecidedAt time.Time

	accepted  uint32 // bit per optional category, in catalogue order
	basis     basis
	catalogue *Catalogue
}

// Decided reports whether the visitor has made a choice. A refusal derived from
// Global Privacy Control is not a decision: the visitor may still opt in.
func (ch Choices) Decided() bool { return ch.basis == decided }

// FromGPC reports whether these choices are the blanket refusal that a
// Sec-GPC: 1 request header stands for.
func (ch Choices) FromGPC() bool { return ch.basis == gpcRefusal }

// Allowed reports whether cookies and tags of category c may be used.
// Essential is always allowed; anything else only with explicit consent.
func (ch Choices) Allowed(c Category) bool {
	if c == Essential {
		return true
	}
	if ch.catalogue == nil {
		return false
	}
	bit, ok := ch.catalogue.bit[c]
	return ok && ch.accepted&(1<<bit) != 0
}

// Accepted lists the optional categories the visitor accepted, in catalogue order.
func (ch Choices) Accepted() []Category { return ch.filter(true) }

// Refused lists the optional categories the visitor has not accepted, in catalogue order.
func (ch Choices) Refused() []Category { return ch.filter(false) }

// AcceptedAny reports whether at least one optional category is accepted.
func (ch Choices) AcceptedAny() bool { return ch.accepted != 0 }

func (ch Choices) filter(want bool) []Category {
	if ch.catalogue == nil {
		return nil
	}
	var out []Category
	for _, c := range ch.catalogue.optional {
		if ch.Allowed(c) == want {
			out = append(out, c)
		}
	}
	return out
}

// Decide records a visitor's choice: every category in accepted is allowed,
// every other optional category refused. The decision keeps previous's ID when
// previous was a decision, so one visitor's history stays together in the log.
// An unknown category is an error; Essential is always allowed and may be listed.
func (c *Catalogue) Decide(previous Choices, accepted []Category, at time.Time) (Choices, error) {
	ch := Choices{
		ID:        previous.ID,
		Revision:  c.revision,
		DecidedAt: at.UTC().Truncate(time.Second),
		basis:     decided,
		catalogue: c,
	}
	if !previous.Decided() || ch.ID.IsZero() {
		ch.ID = NewID()
	}
	for _, a := range accepted {
		if a == Essential {
			continue
		}
		bit, ok := c.bit[a]
		if !ok {
			return Choices{}, fmt.Errorf("consent: unknown category %q", a)
		}
		ch.accepted |= 1 << bit
	}
	return ch, nil
}

// GPCRefusal returns the choices a Sec-GPC: 1 request stands for when the
// visitor has not decided: every optional category refused. GPC is never
// read as consent (REQUIREMENTS G3).
func (c *Catalogue) GPCRefusal() Choices {
	return Choices{Revision: c.revision, basis: gpcRefusal, catalogue: c}
}

// allMask has a bit set for every optional category.
func (c *Catalogue) allMask() uint32 { return uint32(1)<<len(c.optional) - 1 }
