//go:build !amd64 || purego

package htmlgate

// useMarks reports whether ltMarks has a vector kernel. Here it has none:
// skipPlain calls bytes.IndexByte, which is faster than marking in plain Go.
var useMarks = false

// markBlocks is markBlocksGo; see the amd64 kernel's documentation.
func markBlocks(data []byte, c byte, bm []uint64) { markBlocksGo(data, c, bm) }
