package htmlgate

import (
	"bytes"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/consentgate/consentgate/consent"
	"github.com/consentgate/consentgate/internal/htmlgate"
)

// framesetOracle are documents whose <frameset> the browser honours, with a
// tracker frame that loads only because the browser ignores the raw-text
// start tag before it ("in frameset" insertion mode: any other start tag is
// ignored, so the tokenizer never switches to raw text).
var framesetOracle = []string{
	`<frameset><style><frame src="https://www.youtube.com/embed/x"></style></frameset>`,
	`<frameset cols="50%,50%"><script><frame src="//www.facebook.com/tr?id=1"></script><frame src="/menu.html"></frameset>`,
	`<frameset><textarea><frame src="//www.facebook.com/tr"></textarea></frameset>`,
	`<frameset><title><frame src="//www.facebook.com/tr"></title></frameset>`,
	`<frameset><iframe><frame src="//www.facebook.com/tr"></iframe></frameset>`,
	`<frameset><xmp><frame src="//www.facebook.com/tr"></xmp></frameset>`,
	`<frameset><noscript><frame src="//www.facebook.com/tr"></noscript></frameset>`,
	`<frameset><noembed><frame src="//www.facebook.com/tr"></noembed></frameset>`,
	`<frameset><plaintext><frame src="//www.facebook.com/tr"></frameset>`,
	`<frameset><frame src="/a.html"></frameset><style><frame src="//www.facebook.com/tr"></style>`,
}

// framesetIgnoredOracle are documents whose <frameset> the browser ignores
// (the body has content), so raw text stays raw text: the rewriter must not
// read it as markup either.
var framesetIgnoredOracle = []string{
	`<p>x</p><frameset><style><!--</style><img src="https://www.facebook.com/tr?id=1">-->`,
	`<p>x</p><frameset><script>"<!--"</script><iframe src="https://www.youtube.com/embed/x"></iframe>-->`,
}

// framesetFrames reads doc as a browser does in the "in frameset" insertion
// mode, which x/net/html's tokenizer does not follow by itself: only
// noframes is raw text. It returns the frames whose src is a tracker's.
func framesetFrames(doc []byte) []string {
	sigs := htmlgate.Default()
	z := html.NewTokenizer(bytes.NewReader(doc))
	var found []string
	for {
		switch z.Next() {
		case html.ErrorToken:
			return found
		case html.StartTagToken:
			tok := z.Token()
			if tok.DataAtom != atom.Noframes {
				z.NextIsNotRawText() // the tree builder ignores the tag
			}
			if tok.DataAtom != atom.Frame {
				continue
			}
			for _, a := range tok.Attr {
				if a.Key == "src" {
					if len(sigs.MatchURL(a.Val)) > 0 {
						found = append(found, "frame src="+a.Val)
					}
					break
				}
			}
		}
	}
}

// ignoredInFrameset reports whether x/net/html's tree builder puts doc in a
// frameset and leaves out every element but frameset and frame (and
// noframes, html, head): the raw-text start tags were ignored.
func ignoredInFrameset(t *testing.T, doc []byte) bool {
	root, err := html.Parse(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	frameset, other := false, false
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Frameset:
				frameset = true
			case atom.Html, atom.Head, atom.Frame, atom.Noframes:
			default:
				other = true
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return frameset && !other
}

// TestFramesetAgainstParser checks the frameset cases: x/net/html's tree
// builder must ignore their raw-text start tags (so the case is real), a
// reader that then reads on in the data state must find the tracker frame in
// the input, and none in the rewriter's output for an undecided visitor.
// Where the frameset is ignored, the parser is the oracle as it stands.
func TestFramesetAgainstParser(t *testing.T) {
	for _, in := range framesetOracle {
		if !ignoredInFrameset(t, []byte(in)) {
			t.Errorf("the tree builder keeps more than frames in %q: not a case", in)
		}
		if len(framesetFrames([]byte(in))) == 0 {
			t.Errorf("no tracker frame in %q: not a case", in)
		}
		out := rewrite(t, consent.Choices{}, []byte(in))
		if l := framesetFrames(out); len(l) > 0 {
			t.Errorf("leaked %q\ninput:  %q\noutput: %q", l, in, out)
		}
	}
	for _, in := range framesetIgnoredOracle {
		assertParserFindsNoTracker(t, in)
	}
}

// framesetSeeds adds the frameset cases to a fuzz corpus.
func framesetSeeds(f *testing.F) {
	for _, in := range append(framesetOracle, framesetIgnoredOracle...) {
		f.Add([]byte(in))
	}
}
