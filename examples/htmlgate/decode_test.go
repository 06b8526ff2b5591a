package htmlgate

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/consentgate/consentgate/internal/htmlgate"
)

// parsedAttr returns the value golang.org/x/net/html's tokenizer gives an
// attribute written as v between double quotes.
func parsedAttr(t *testing.T, v string) string {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(`<a x="` + v + `">`))
	require.Equal(t, html.StartTagToken, z.Next())
	tok := z.Token()
	require.Len(t, tok.Attr, 1)
	return tok.Attr[0].Val
}

// legacyRefs are the named references the HTML standard also decodes
// without their ';' (its "legacy" list), each followed by a byte that lets it
// decode in an attribute.
const legacyRefs = "AElig AMP Aacute Acirc Agrave Aring Atilde Auml COPY Ccedil ETH Eacute Ecirc Egrave Euml GT " +
	"Iacute Icirc Igrave Iuml LT Ntilde Oacute Ocirc Ograve Oslash Otilde Ouml QUOT REG THORN Uacute Ucirc Ugrave " +
	"Uuml Yacute aacute acirc acute aelig agrave amp aring atilde auml brvbar ccedil cedil cent copy curren deg " +
	"divide eacute ecirc egrave eth euml frac12 frac14 frac34 gt iacute icirc iexcl igrave iquest iuml laquo lt " +
	"macr micro middot nbsp not ntilde oacute ocirc ograve ordf ordm oslash otilde ouml para plusmn pound quot " +
	"raquo reg sect shy sup1 sup2 sup3 szlig thorn times uacute ucirc ugrave uml uuml yacute yen yuml"

// TestDecodeAttributeAgreesWithParser checks the rewriter's decoding of
// attribute values against the x/net/html tokenizer, which implements the
// HTML standard's rules: references with and without ';', the legacy names a
// browser decodes without it (unless a letter, digit or '=' follows), the
// longest-match cases, and random mixes of them.
func TestDecodeAttributeAgreesWithParser(t *testing.T) {
	cases := []string{
		"https://www.google&shy-analytics.com/analytics.js", "&shy", "&shy;", "&shyx", "&shy=", "&shy9", "&SHY-",
		"&copy-", "&copyx", "&copyx;", "&copy=x", "&notit", "&notit;", "&not;it", "&notin;", "&notin", "&not-in",
		"&amp", "&AMP.", "&ampx", "&Amp-", "&amp=", "&lt/", "&GT", "&QUOT-", "&quot", "&nbsp.", "&sup1.", "&frac12",
		"&frac1", "&apos-", "&apos;", "&period-", "&period;", "&hellip-", "&NotEqualTilde;", "&nosuch;", "&nosuch",
		"&#173-", "&#xAD;", "&#xad", "&#0;", "&#x80;", "&#128", "&#xD800;", "&#1114112;", "&#x", "&#;", "&#x;",
		"?a=1&b=2&utm_source=x&id", "&", "&;", "&&", "&-", "&=", "&ZeroWidthSpace;", "&ZeroWidthSpace",
		"&period&period;", "&shy&shy", "&ampamp", "&amp;amp", "&copy&#46;", "&eacute&eacutex&eacute;",
	}
	for _, name := range strings.Fields(legacyRefs) {
		cases = append(cases, "&"+name+"-", "&"+name, "&"+name+"x", "&"+name+"=", "&"+name+";")
	}
	for _, v := range cases {
		require.Equal(t, parsedAttr(t, v), htmlgate.DecodeAttribute(v), "%q", v)
	}
	pieces := []string{"&", "amp", "shy", "not", "in", "copy", "x", "9", ";", "=", "-", ".", "#", "#x", "ad",
		"173", "AMP", "period", "sup", "1", "frac", "12"}
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n < 20000; n++ {
		var sb strings.Builder
		for k := rng.IntN(10); k >= 0; k-- {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		}
		v := sb.String()
		require.Equal(t, parsedAttr(t, v), htmlgate.DecodeAttribute(v), "%q", v)
	}
}
