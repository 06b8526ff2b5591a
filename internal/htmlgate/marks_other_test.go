//go:build !amd64 || purego

package htmlgate

import "testing"

// forEachKernel runs f once: markBlocks is markBlocksGo here.
func forEachKernel(t *testing.T, f func(t *testing.T)) { f(t) }
