package site

import "embed"

// staticFS holds the stylesheet and the crest, served under /static/.
//
//go:embed static
var staticFS embed.FS
