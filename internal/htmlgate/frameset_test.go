package htmlgate

import "testing"

// framesetCases are documents with a <frameset>. Where the browser honours
// it (the "in frameset" insertion mode), it ignores every start tag but
// frame, frameset and noframes, so a <style> or <script> there does not make
// what follows raw text; where it ignores the frameset (after body content),
// they do. The rewriter cannot tell which, so after a frameset it keeps both
// readings alike, as it does where it is unsure of foreign content.
var framesetCases = []rewriteCase{
	{"a frame is gated like an iframe",
		`<frameset><frame src="https://www.youtube.com/embed/x"><FRAME SRC=//www.facebook.com/tr></frameset>`,
		`<frameset><frame data-cg-category="marketing" data-cg-src="https://www.youtube.com/embed/x"><FRAME data-cg-category="marketing" data-cg-SRC=//www.facebook.com/tr></frameset>`},
	{"style in a frameset is ignored: the frame in it loads",
		`<frameset><style><frame src="https://www.youtube.com/embed/x"></style></frameset>`,
		`<frameset><style></style></frameset>`},
	{"script in a frameset is ignored too",
		`<frameset cols="50%,50%"><script><frame src="https://www.youtube.com/embed/x"></script><frame src="/menu.html"></frameset>`,
		`<frameset cols="50%,50%"><script type="text/plain" data-cg-category="analytics marketing"></script><frame src="/menu.html"></frameset>`},
	{"textarea, title and iframe in a frameset",
		`<frameset><textarea><frame src="//www.facebook.com/tr"></textarea><title><frame src="//www.facebook.com/tr"></title><iframe><frame src="//www.facebook.com/tr"></iframe>`,
		`<frameset><textarea></textarea><title></title><iframe></iframe>`},
	{"a frameset the browser ignores: style raw text hides no pixel",
		`<p>x</p><frameset><style><!--</style><img src="https://www.facebook.com/tr?id=1">-->`,
		`<p>x</p><frameset><style></style><img data-cg-category="marketing" data-cg-src="https://www.facebook.com/tr?id=1">-->`},
	{"raw text without markup passes after a frameset",
		`<frameset><style>frame{border:0}</style><noframes>Your browser has no frames.</noframes></frameset>`,
		`<frameset><style>frame{border:0}</style><noframes>Your browser has no frames.</noframes></frameset>`},
}

// TestFrameset checks each frameset case for an undecided visitor, however
// the input is cut into writes, and that it passes byte for byte once
// everything is accepted.
func TestFrameset(t *testing.T) {
	runGatedCases(t, framesetCases)
}
