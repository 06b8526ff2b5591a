package middleware

import (
	"io"
	"sync"

	"github.com/consentgate/consentgate/consent"
	"github.com/consentgate/consentgate/internal/htmlgate"
)

// Signature recognises a tracker's tags in HTML: script, frame and image URLs
// and inline script text that belong to one category. See [Options.Signatures].
type Signature = htmlgate.Signature

// DefaultSignatures returns the built-in tracker signatures (gtag.js, Google
// Tag Manager, Universal Analytics, Doubleclick/Floodlight, the Meta Pixel,
// YouTube embeds…). Each call returns a fresh copy that a site may edit
// before passing it as [Options.Signatures].
func DefaultSignatures() []Signature { return htmlgate.DefaultSignatures() }

// htmlRewriters pools htmlgate rewriters over one compiled signature set.
type htmlRewriters struct {
	sigs *htmlgate.Signatures
	pool sync.Pool
}

func newHTMLRewriters(sigs []Signature) (*htmlRewriters, error) {
	if sigs == nil {
		sigs = DefaultSignatures()
	}
	compiled, err := htmlgate.CompileSignatures(sigs)
	if err != nil {
		return nil, err
	}
	p := &htmlRewriters{sigs: compiled}
	p.pool.New = func() any { return new(htmlgate.Rewriter) }
	return p, nil
}

func (p *htmlRewriters) get(dst io.Writer, ch consent.Choices, banner []byte) bodyRewriter {
	w := p.pool.Get().(*htmlgate.Rewriter)
	w.Reset(dst, ch, p.sigs, banner)
	return w
}

func (p *htmlRewriters) put(b bodyRewriter) {
	w := b.(*htmlgate.Rewriter)
	// Drop references to the response and the banner before pooling.
	w.Reset(io.Discard, consent.Choices{}, p.sigs, nil)
	p.pool.Put(w)
}
