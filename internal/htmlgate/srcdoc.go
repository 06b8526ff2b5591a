package htmlgate

import "bytes"

// An iframe's srcdoc is a whole document: the browser decodes the attribute
// value, then parses the result as HTML, decoding the attribute values in
// it once more. Matching URL fragments in the value as written misses
// doubly encoded URLs, inline scripts and the tags that reach a tracker by
// host alone, so the rewriter instead runs the decoded document through a
// rewriter of its own and gates the iframe if that one would change
// anything.

// maxSrcdocDepth bounds srcdoc documents nested in srcdoc documents; a
// deeper one needs every signature category.
const maxSrcdocDepth = 4

// srcdocNeeds returns the categories the document in a srcdoc attribute
// value needs, as the rewriter would gate it for this visitor.
func (w *Rewriter) srcdocNeeds(val []byte) uint64 {
	if w.depth >= maxSrcdocDepth {
		return w.sigs.sigMask
	}
	if w.inner == nil {
		w.inner = new(Rewriter) // once per pooled rewriter that meets a srcdoc
	}
	in := w.inner
	doc := appendDecoded(in.src[:0], val)
	in.src = doc
	out := &w.srcOut
	*out = sameAs{want: doc}
	in.Reset(out, w.choices, w.sigs, nil)
	in.src, in.depth = doc, w.depth+1
	_, _ = in.Write(doc)
	_ = in.Close()
	if !out.differs && out.n == len(doc) {
		return 0
	}
	// The categories of what it gated, by name: categories a data-consent
	// attribute named may sit at other bits in the two rewriters.
	need := in.seen & (1<<len(w.sigs.cats) - 1)
	for bit := len(w.sigs.cats); bit < 64; bit++ {
		if in.seen&(1<<bit) != 0 {
			need |= 1 << w.categoryBit([]byte(in.categoryName(bit)))
		}
	}
	if need&^w.allowed == 0 {
		// Changed without naming what it needs (a cap, unsure foreign
		// content): fail closed.
		need |= w.sigs.sigMask
	}
	return need
}

// sameAs is a writer that only checks that what is written is want.
type sameAs struct {
	want    []byte
	n       int
	differs bool
}

func (s *sameAs) Write(p []byte) (int, error) {
	if !s.differs && (s.n+len(p) > len(s.want) || !bytes.Equal(p, s.want[s.n:s.n+len(p)])) {
		s.differs = true
	}
	s.n += len(p)
	return len(p), nil
}
