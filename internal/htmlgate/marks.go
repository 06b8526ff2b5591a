package htmlgate

import "bytes"

// maxMarked bounds how much of the data of one process call ltMarks marks.
// Write hands process at most markedWrite bytes of a write at a time, and
// the carry buffer adds at most one held construct, so the marks cover
// nearly all data; past them skipPlain calls bytes.IndexByte, as it does
// without a kernel. The marks are an eighth of the bytes they cover, kept
// with the Rewriter.
const (
	maxMarked   = 128 << 10
	markedWrite = 64 << 10
)

// ltMarks helps skipPlain find the next '<'. Skipping the text between tags
// is the commonest step of the hot loop, and a call into bytes.IndexByte for
// each run of text costs more than most runs: where a vector kernel exists
// (markBlocks; see useMarks), one pass over the data marks every '<' in a
// bitmap, and skipPlain then skips each run with a shift and a count of
// trailing zeros.
type ltMarks struct {
	// Bit b of words[q] is set when data[64q+b] == '<', for the data of the
	// current process call. The slice is kept across documents.
	words []uint64
}

// reset forgets the marks. process calls it for each new data slice, since
// the marks describe the slice they were made from.
func (m *ltMarks) reset() { m.words = m.words[:0] }

// of returns the marks of data, making them on the first call after reset.
// They may cover only a prefix of data, or nothing without a kernel.
func (m *ltMarks) of(data []byte) []uint64 {
	if len(m.words) == 0 && useMarks {
		m.mark(data[:min(len(data), maxMarked)])
	}
	return m.words
}

// mark marks data. Bits past its end are zero.
func (m *ltMarks) mark(data []byte) {
	n := (len(data) + 63) >> 6
	if cap(m.words) < n {
		m.words = make([]uint64, n)
	}
	m.words = m.words[:n]
	whole := len(data) &^ 63
	markBlocks(data[:whole], '<', m.words)
	if whole < len(data) {
		// The kernel reads whole blocks: pad the rest with zero bytes.
		var pad [64]byte
		copy(pad[:], data[whole:])
		markBlocks(pad[:], '<', m.words[n-1:])
	}
}

// indexLT returns the index of the first '<' in data at or after k, or -1:
// skipPlain's way past text the marks do not cover.
func indexLT(data []byte, k int) int {
	if k < len(data) {
		if data[k] == '<' { // tags often follow each other directly
			return k
		}
		if j := bytes.IndexByte(data[k:], '<'); j >= 0 {
			return k + j
		}
	}
	return -1
}

// markBlocksGo is markBlocks in plain Go: for each whole 64-byte block k of
// data, bit b of bm[k] is set when data[64k+b] == c, and clear otherwise.
// It is the reference the kernels are tested against; it is slower than
// calling bytes.IndexByte per run of text, so it is not used for rewriting.
func markBlocksGo(data []byte, c byte, bm []uint64) {
	for k := range len(data) / 64 {
		var x uint64
		for b, d := range data[k*64 : k*64+64] {
			if d == c {
				x |= 1 << b
			}
		}
		bm[k] = x
	}
}
