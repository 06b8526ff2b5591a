//go:build !purego

package htmlgate

// useMarks reports whether ltMarks has a vector kernel. It is a variable so
// that tests can compare the rewriter's output with and without it.
var useMarks = true

// markBlocks sets bit b of bm[k] when data[64k+b] == c and clears it
// otherwise, for each whole 64-byte block k of data; bm must hold
// len(data)/64 words. It uses AVX2 where the processor and the operating
// system support it (useAVX2), SSE2, which every amd64 processor has,
// otherwise. It is in marks_amd64.s.
//
//go:noescape
func markBlocks(data []byte, c byte, bm []uint64)

func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)

func xgetbv0() uint32

// useAVX2 is read by markBlocks. Using AVX2 needs the processor's CPUID bit
// and the operating system's saving of the YMM registers: the OSXSAVE and AVX
// bits of CPUID leaf 1, and bits 1 and 2 of XCR0.
var useAVX2 = func() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const osxsave, avx = 1 << 27, 1 << 28
	if ecx1&osxsave == 0 || ecx1&avx == 0 || xgetbv0()&6 != 6 {
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	const avx2 = 1 << 5
	return ebx7&avx2 != 0
}()
