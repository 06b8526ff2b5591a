//go:build !purego

package htmlgate

import "testing"

// forEachKernel runs f with each kernel the processor supports.
func forEachKernel(t *testing.T, f func(t *testing.T)) {
	had := useAVX2
	defer func() { useAVX2 = had }()
	useAVX2 = false
	t.Run("SSE2", f)
	if !had {
		t.Log("no AVX2 on this machine: only SSE2 tested")
		return
	}
	useAVX2 = true
	t.Run("AVX2", f)
}
