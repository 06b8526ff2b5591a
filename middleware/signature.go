package middleware

import "github.com/consentgate/consentgate/consent"

// Signature describes a tracker snippet the HTML rewriter recognises: script
// or frame URLs and inline code that belong to one category.
type Signature = struct {
	Name     string
	Category consent.Category
	URLs     []string
	Inline   []string
}
