package htmlgate

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentgate/consentgate/consent"
)

// hostileCases are vendor snippets and tracker tags written the odd ways real
// pages (and templating mistakes) write them, each checked against the markup
// a visitor without consent must get. Each case is one a browser would still
// load or run if the rewriter read it differently from the HTML standard's
// tokenizer or the URL standard's parser: upper case, entity, percent and
// backslash spellings of the host, whitespace and slashes where attributes
// start, raw text and script data states that hide or end markup early, and
// hosts a browser maps from non-ASCII spellings.
var hostileCases = []rewriteCase{
	{"ga4 gtag.js in upper case with an upper-case host",
		"<SCRIPT ASYNC SRC=\"HTTPS://WWW.GOOGLETAGMANAGER.COM/gtag/js?id=G-XXXX\"></SCRIPT><SCRIPT>window.dataLayer = window.dataLayer || [];function gtag(){dataLayer.push(arguments);}gtag('js', new Date());gtag('config', 'G-XXXX');</SCRIPT>",
		"<SCRIPT type=\"text/plain\" data-cg-category=\"analytics\" ASYNC SRC=\"HTTPS://WWW.GOOGLETAGMANAGER.COM/gtag/js?id=G-XXXX\"></SCRIPT><SCRIPT type=\"text/plain\" data-cg-category=\"analytics\">window.dataLayer = window.dataLayer || [];function gtag(){dataLayer.push(arguments);}gtag('js', new Date());gtag('config', 'G-XXXX');</SCRIPT>"},
	{"analytics.js loader with JSON-escaped slashes",
		"<script>(function(i,s,o,g,r,a,m){i['GoogleAnalyticsObject']=r;i[r]=i[r]||function(){(i[r].q=i[r].q||[]).push(arguments)},i[r].l=1*new Date();a=s.createElement(o),m=s.getElementsByTagName(o)[0];a.async=1;a.src=g;m.parentNode.insertBefore(a,m)})(window,document,'script','https:\\/\\/www.google-analytics.com\\/analytics.js','ga');ga('create','UA-1-1','auto');ga('send','pageview');</script>",
		"<script type=\"text/plain\" data-cg-category=\"analytics\">(function(i,s,o,g,r,a,m){i['GoogleAnalyticsObject']=r;i[r]=i[r]||function(){(i[r].q=i[r].q||[]).push(arguments)},i[r].l=1*new Date();a=s.createElement(o),m=s.getElementsByTagName(o)[0];a.async=1;a.src=g;m.parentNode.insertBefore(a,m)})(window,document,'script','https:\\/\\/www.google-analytics.com\\/analytics.js','ga');ga('create','UA-1-1','auto');ga('send','pageview');</script>"},
	{"meta pixel with an upper-case noscript pixel",
		"<script>!function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){n.callMethod?n.callMethod.apply(n,arguments):n.queue.push(arguments)};if(!f._fbq)f._fbq=n;n.push=n;n.loaded=!0;n.version='2.0';n.queue=[];t=b.createElement(e);t.async=!0;t.src=v;s=b.getElementsByTagName(e)[0];s.parentNode.insertBefore(t,s)}(window, document,'script','https://connect.facebook.net/en_US/fbevents.js');fbq('init', '1');fbq('track', 'PageView');</script><NOSCRIPT><IMG HEIGHT=1 WIDTH=1 STYLE=\"display:none\" SRC=\"HTTPS://WWW.FACEBOOK.COM/TR?ID=1&EV=PageView&NOSCRIPT=1\"/></NOSCRIPT>",
		"<script type=\"text/plain\" data-cg-category=\"marketing\">!function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){n.callMethod?n.callMethod.apply(n,arguments):n.queue.push(arguments)};if(!f._fbq)f._fbq=n;n.push=n;n.loaded=!0;n.version='2.0';n.queue=[];t=b.createElement(e);t.async=!0;t.src=v;s=b.getElementsByTagName(e)[0];s.parentNode.insertBefore(t,s)}(window, document,'script','https://connect.facebook.net/en_US/fbevents.js');fbq('init', '1');fbq('track', 'PageView');</script>"},
	{"gtm head snippet and body noscript iframe",
		"<script>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':new Date().getTime(),event:'gtm.js'});var f=d.getElementsByTagName(s)[0],j=d.createElement(s),dl=l!='dataLayer'?'&l='+l:'';j.async=true;j.src='https://www.googletagmanager.com/gtm.js?id='+i+dl;f.parentNode.insertBefore(j,f);})(window,document,'script','dataLayer','GTM-XXXX');</script><body><noscript><iframe src=\"https://www.googletagmanager.com/ns.html?id=GTM-XXXX\" height=\"0\" width=\"0\" style=\"display:none;visibility:hidden\"></iframe></noscript>",
		"<script type=\"text/plain\" data-cg-category=\"analytics marketing\">(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':new Date().getTime(),event:'gtm.js'});var f=d.getElementsByTagName(s)[0],j=d.createElement(s),dl=l!='dataLayer'?'&l='+l:'';j.async=true;j.src='https://www.googletagmanager.com/gtm.js?id='+i+dl;f.parentNode.insertBefore(j,f);})(window,document,'script','dataLayer','GTM-XXXX');</script><body>"},
	{"floodlight iframe and image",
		"<iframe src=\"https://1234.fls.doubleclick.net/activityi;src=1;type=x;cat=y;ord=1?\" width=\"1\" height=\"1\" frameborder=\"0\" style=\"display:none\"></iframe><img src=\"https://ad.doubleclick.net/ddm/activity/src=1;type=x;cat=y;ord=1?\" width=\"1\" height=\"1\" alt=\"\">",
		"<iframe data-cg-category=\"marketing\" data-cg-src=\"https://1234.fls.doubleclick.net/activityi;src=1;type=x;cat=y;ord=1?\" width=\"1\" height=\"1\" frameborder=\"0\" style=\"display:none\"></iframe><img data-cg-category=\"marketing\" data-cg-src=\"https://ad.doubleclick.net/ddm/activity/src=1;type=x;cat=y;ord=1?\" width=\"1\" height=\"1\" alt=\"\">"},
	{"google ads conversion.js with its noscript pixel",
		"<script type=\"text/javascript\">var google_conversion_id = 1;</script><script type=\"text/javascript\" src=\"//www.googleadservices.com/pagead/conversion.js\"></script><noscript><div style=\"display:inline;\"><img height=\"1\" width=\"1\" style=\"border-style:none;\" alt=\"\" src=\"//googleads.g.doubleclick.net/pagead/viewthroughconversion/1/?guid=ON&amp;script=0\"/></div></noscript>",
		"<script type=\"text/javascript\">var google_conversion_id = 1;</script><script type=\"text/plain\" data-cg-category=\"marketing\" data-cg-type=\"text/javascript\" type=\"text/javascript\" src=\"//www.googleadservices.com/pagead/conversion.js\"></script>"},
	{"adsense",
		"<script async src=\"https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js?client=ca-pub-1\" crossorigin=\"anonymous\"></script>",
		"<script type=\"text/plain\" data-cg-category=\"marketing\" async src=\"https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js?client=ca-pub-1\" crossorigin=\"anonymous\"></script>"},
	{"google 1p conversion pixel",
		"<img src=\"https://www.google.com/pagead/1p-conversion/1/?x=1\">",
		"<img data-cg-category=\"marketing\" data-cg-src=\"https://www.google.com/pagead/1p-conversion/1/?x=1\">"},
	{"youtube embeds, upper-case host and nocookie",
		"<iframe width=\"560\" height=\"315\" src=\"https://WWW.YOUTUBE.COM/embed/x\" allowfullscreen></iframe><iframe src=\"https://www.youtube-nocookie.com/embed/x\"></iframe>",
		"<iframe data-cg-category=\"marketing\" width=\"560\" height=\"315\" data-cg-src=\"https://WWW.YOUTUBE.COM/embed/x\" allowfullscreen></iframe><iframe data-cg-category=\"marketing\" data-cg-src=\"https://www.youtube-nocookie.com/embed/x\"></iframe>"},
	{"entity-encoded slashes and dots",
		"<script src=\"https:&sol;&sol;www&period;googletagmanager&period;com&sol;gtm&period;js\"></script><script src=\"//www.googletagmanager.com&#x2F;gtm.js?id=X\"></script>",
		"<script type=\"text/plain\" data-cg-category=\"analytics marketing\" src=\"https:&sol;&sol;www&period;googletagmanager&period;com&sol;gtm&period;js\"></script><script type=\"text/plain\" data-cg-category=\"analytics marketing\" src=\"//www.googletagmanager.com&#x2F;gtm.js?id=X\"></script>"},
	{"newline entity and tab inside the host",
		"<script src=\"https://www.google&NewLine;tagmanager.com/gtm.js\"></script><script src=\"https://www.google\ttagmanager.com/gtm.js\"></script>",
		"<script type=\"text/plain\" data-cg-category=\"analytics marketing\" src=\"https://www.google&NewLine;tagmanager.com/gtm.js\"></script><script type=\"text/plain\" data-cg-category=\"analytics marketing\" src=\"https://www.google\ttagmanager.com/gtm.js\"></script>"},
	{"percent-encoded dots",
		"<script src=\"https://www%2egoogletagmanager%2ecom/gtm%2ejs\"></script>",
		"<script type=\"text/plain\" data-cg-category=\"analytics marketing\" src=\"https://www%2egoogletagmanager%2ecom/gtm%2ejs\"></script>"},
	{"backslashes for slashes",
		"<script src=\"https:\\\\www.googletagmanager.com\\gtm.js\"></script><script src=\"https:/\\www.googletagmanager.com/gtm.js\"></script>",
		"<script type=\"text/plain\" data-cg-category=\"analytics marketing\" src=\"https:\\\\www.googletagmanager.com\\gtm.js\"></script><script type=\"text/plain\" data-cg-category=\"analytics marketing\" src=\"https:/\\www.googletagmanager.com/gtm.js\"></script>"},
	{"spaces around the value and a fragment",
		"<script src=\"  https://www.googletagmanager.com/gtm.js#x  \"></script>",
		"<script type=\"text/plain\" data-cg-category=\"analytics marketing\" src=\"  https://www.googletagmanager.com/gtm.js#x  \"></script>"},
	{"userinfo and a fully qualified host",
		"<script src=\"https://u:p@WWW.GoogleTagManager.COM./gtm.js\"></script>",
		"<script type=\"text/plain\" data-cg-category=\"analytics marketing\" src=\"https://u:p@WWW.GoogleTagManager.COM./gtm.js\"></script>"},
	{"whitespace around the equals sign",
		"<img src = \"https://www.facebook.com/tr?id=1\">",
		"<img data-cg-category=\"marketing\" data-cg-src = \"https://www.facebook.com/tr?id=1\">"},
	{"form feed and newline between name and attribute",
		"<img\fsrc=https://www.facebook.com/tr?id=1><script \n src=\"https://www.googletagmanager.com/gtm.js?id=X\"></script>",
		"<img data-cg-category=\"marketing\"\fdata-cg-src=https://www.facebook.com/tr?id=1><script type=\"text/plain\" data-cg-category=\"analytics marketing\" \n src=\"https://www.googletagmanager.com/gtm.js?id=X\"></script>"},
	{"slash between name and attribute",
		"<script/src=\"https://www.googletagmanager.com/gtm.js?id=X\"></script>",
		"<script type=\"text/plain\" data-cg-category=\"analytics marketing\"/src=\"https://www.googletagmanager.com/gtm.js?id=X\"></script>"},
	{"srcset with several candidates",
		"<img src=\"/a.png\" srcset=\"/a.png 1x, https://www.facebook.com/tr?id=1 2x\">",
		"<img data-cg-category=\"marketing\" data-cg-src=\"/a.png\" data-cg-srcset=\"/a.png 1x, https://www.facebook.com/tr?id=1 2x\">"},
	{"link preload and modulepreload",
		"<link rel=preload as=script href=\"https://www.googletagmanager.com/gtm.js?id=X\"><link rel=modulepreload href=\"https://www.googletagmanager.com/gtag/js?id=X\">",
		"<link data-cg-category=\"analytics marketing\" rel=preload as=script data-cg-href=\"https://www.googletagmanager.com/gtm.js?id=X\"><link data-cg-category=\"analytics\" rel=modulepreload data-cg-href=\"https://www.googletagmanager.com/gtag/js?id=X\">"},
	{"object and embed",
		"<object data=\"https://www.youtube.com/embed/x\"></object><embed src=\"https://www.youtube.com/embed/x\">",
		"<object data-cg-category=\"marketing\" data-cg-data=\"https://www.youtube.com/embed/x\"></object><embed data-cg-category=\"marketing\" data-cg-src=\"https://www.youtube.com/embed/x\">"},
	{"svg script by href and xlink:href",
		"<svg><script href=\"https://www.googletagmanager.com/gtm.js\"></script><script xlink:href=\"https://www.googletagmanager.com/gtm.js\"></script></svg>",
		"<svg><script type=\"text/plain\" data-cg-category=\"analytics marketing\" href=\"https://www.googletagmanager.com/gtm.js\"></script><script type=\"text/plain\" data-cg-category=\"analytics marketing\" xlink:href=\"https://www.googletagmanager.com/gtm.js\"></script></svg>"},
	{"template content",
		"<template><script src=\"https://www.googletagmanager.com/gtm.js\"></script></template>",
		"<template><script type=\"text/plain\" data-cg-category=\"analytics marketing\" src=\"https://www.googletagmanager.com/gtm.js\"></script></template>"},
	{"meta refresh",
		"<meta http-equiv=refresh content=\"0;url=https://www.facebook.com/tr?id=1\">",
		"<meta data-cg-category=\"marketing\" http-equiv=refresh data-cg-content=\"0;url=https://www.facebook.com/tr?id=1\">"},
	{"module and nomodule scripts",
		"<script type=module src=\"https://www.googletagmanager.com/gtm.js\"></script><script defer async nomodule src=\"https://www.googletagmanager.com/gtm.js\"></script>",
		"<script type=\"text/plain\" data-cg-category=\"analytics marketing\" data-cg-type=\"module\" type=module src=\"https://www.googletagmanager.com/gtm.js\"></script><script type=\"text/plain\" data-cg-category=\"analytics marketing\" defer async nomodule src=\"https://www.googletagmanager.com/gtm.js\"></script>"},
	{"byte order mark first",
		"\ufeff<script src=\"https://www.googletagmanager.com/gtm.js\"></script>",
		"\ufeff<script type=\"text/plain\" data-cg-category=\"analytics marketing\" src=\"https://www.googletagmanager.com/gtm.js\"></script>"},
	{"end tags with space, tab and upper case",
		"<script>gtag('js')</script >x<script>fbq('init')</SCRIPT\t>",
		"<script type=\"text/plain\" data-cg-category=\"analytics\">gtag('js')</script >x<script type=\"text/plain\" data-cg-category=\"marketing\">fbq('init')</SCRIPT\t>"},
	{"script inside noscript inside head",
		"<head><noscript><script src=\"https://www.googletagmanager.com/gtm.js\"></script></noscript></head>",
		"<head></head>"},
	{"nested noscript ends at the first end tag",
		"<noscript><noscript></noscript><img src=\"https://www.facebook.com/tr?id=1\"></noscript>",
		"<noscript><noscript></noscript><img data-cg-category=\"marketing\" data-cg-src=\"https://www.facebook.com/tr?id=1\"></noscript>"},
	{"raw text elements hide markup but end where browsers end them",
		"<xmp><script>gtag(0)</script></xmp><textarea></textarea ><title>a</title \n><style>a{}</style/><script>gtag(1)</script>",
		"<xmp><script>gtag(0)</script></xmp><textarea></textarea ><title>a</title \n><style>a{}</style/><script type=\"text/plain\" data-cg-category=\"analytics\">gtag(1)</script>"},
	{"iframe raw text",
		"<iframe><script>gtag(1)</script></iframe><script>gtag(2)</script>",
		"<iframe><script>gtag(1)</script></iframe><script type=\"text/plain\" data-cg-category=\"analytics\">gtag(2)</script>"},
	{"script data escape states",
		"<script><!-- <script> </script> gtag(1) --></script><script><!--</script><script>fbq(1)</script>",
		"<script type=\"text/plain\" data-cg-category=\"analytics\"><!-- <script> </script> gtag(1) --></script><script><!--</script><script type=\"text/plain\" data-cg-category=\"marketing\">fbq(1)</script>"},
	{"cdata in svg hides a script end",
		"<svg><![CDATA[ </script><script>fbq(1)</script> ]]></svg><script>fbq(2)</script>",
		"<svg><![CDATA[ </script><script>fbq(1)</script> ]]></svg><script type=\"text/plain\" data-cg-category=\"marketing\">fbq(2)</script>"},
	{"comments ending in --!> and <!-->",
		"<!-- x --!><script>fbq(1)</script><!--><script>gtag(1)</script>",
		"<!-- x --!><script type=\"text/plain\" data-cg-category=\"marketing\">fbq(1)</script><!--><script type=\"text/plain\" data-cg-category=\"analytics\">gtag(1)</script>"},
	{"kelvin sign and percent-encoded non-ASCII hosts",
		"<img src=\"https://www.faceboo&#x212A;.com/tr?id=1\"><img src=\"https://www.faceboo%E2%84%AA.com/tr?id=2\"><script src=\"https://www.google%C2%ADtagmanager.com/gtm.js\"></script>",
		"<img data-cg-category=\"marketing\" data-cg-src=\"https://www.faceboo&#x212A;.com/tr?id=1\"><img data-cg-category=\"marketing\" data-cg-src=\"https://www.faceboo%E2%84%AA.com/tr?id=2\"><script type=\"text/plain\" data-cg-category=\"analytics marketing\" src=\"https://www.google%C2%ADtagmanager.com/gtm.js\"></script>"},
	{"soft hyphen references without their semicolon",
		"<script async src=\"https://www.google&shy-analytics.com/analytics.js\"></script><img src=\"https://www.facebook&shy.com/tr?id=1\"><img src=\"//connect.face&shybook.net/x\">",
		"<script type=\"text/plain\" data-cg-category=\"analytics\" async src=\"https://www.google&shy-analytics.com/analytics.js\"></script><img data-cg-category=\"marketing\" data-cg-src=\"https://www.facebook&shy.com/tr?id=1\"><img src=\"//connect.face&shybook.net/x\">"},
	{"explicit default and empty ports",
		"<script src=\"https://www.googletagmanager.com:443/gtm.js?id=X\"></script><img src=\"http://www.facebook.com:0080/tr?id=1\"><script src=\"//www.googletagmanager.com:/gtag/js?id=G-1\"></script>",
		"<script type=\"text/plain\" data-cg-category=\"analytics marketing\" src=\"https://www.googletagmanager.com:443/gtm.js?id=X\"></script><img data-cg-category=\"marketing\" data-cg-src=\"http://www.facebook.com:0080/tr?id=1\"><script type=\"text/plain\" data-cg-category=\"analytics\" src=\"//www.googletagmanager.com:/gtag/js?id=G-1\"></script>"},
	{"dot segments in the path",
		"<script src=\"https://www.googletagmanager.com/./gtm.js\"></script><script src=\"https://www.googletagmanager.com/x/../gtag/js?id=G-1\"></script><img src=\"https://www.facebook.com/%2e%2E/tr?id=1\"><script src=\"https://www.googletagmanager.com/a b/../../gtm.js\"></script><img src=\"/a.png\" srcset=\"/a.png 1x,https://www.facebook.com/a/../tr 2x\">",
		"<script type=\"text/plain\" data-cg-category=\"analytics marketing\" src=\"https://www.googletagmanager.com/./gtm.js\"></script><script type=\"text/plain\" data-cg-category=\"analytics\" src=\"https://www.googletagmanager.com/x/../gtag/js?id=G-1\"></script><img data-cg-category=\"marketing\" data-cg-src=\"https://www.facebook.com/%2e%2E/tr?id=1\"><script type=\"text/plain\" data-cg-category=\"analytics marketing\" src=\"https://www.googletagmanager.com/a b/../../gtm.js\"></script><img data-cg-category=\"marketing\" data-cg-src=\"/a.png\" data-cg-srcset=\"/a.png 1x,https://www.facebook.com/a/../tr 2x\">"},
	{"loader script naming its URL with escaped slashes only",
		`<script>var s=document.createElement("script");s.src="https:\/\/www.googletagmanager.com\/gtm.js?id=GTM-X";document.head.appendChild(s)</script>`,
		`<script type="text/plain" data-cg-category="analytics marketing">var s=document.createElement("script");s.src="https:\/\/www.googletagmanager.com\/gtm.js?id=GTM-X";document.head.appendChild(s)</script>`},
	{"youtube iframe api under its older name",
		`<script src="https://www.youtube.com/player_api"></script>`,
		`<script type="text/plain" data-cg-category="marketing" src="https://www.youtube.com/player_api"></script>`},
	{"data-consent with two categories",
		"<img data-consent=\"analytics marketing\" src=\"/x.png\"><script data-consent=\"analytics&#32;marketing\">var a=1</script>",
		"<img data-cg-category=\"analytics marketing\" data-consent=\"analytics marketing\" data-cg-src=\"/x.png\"><script type=\"text/plain\" data-cg-category=\"analytics marketing\" data-consent=\"analytics&#32;marketing\">var a=1</script>"},
	// An iframe's srcdoc is decoded as an attribute, then parsed as a
	// document, whose attributes are decoded again.
	{"srcdoc with a doubly encoded pixel URL",
		`<iframe srcdoc="<img src=https:&amp;#x2f;&amp;#x2f;www.facebook.com&amp;#x2f;tr?id=1>"></iframe>`,
		`<iframe data-cg-category="marketing" data-cg-srcdoc="<img src=https:&amp;#x2f;&amp;#x2f;www.facebook.com&amp;#x2f;tr?id=1>"></iframe>`},
	{"srcdoc with an inline tracker script",
		`<iframe srcdoc="&lt;script&gt;fbq('init', '1')&lt;/script&gt;"></iframe><iframe srcdoc='<script>gtag("js")</script>'></iframe>`,
		`<iframe data-cg-category="marketing" data-cg-srcdoc="&lt;script&gt;fbq('init', '1')&lt;/script&gt;"></iframe><iframe data-cg-category="analytics" data-cg-srcdoc='<script>gtag("js")</script>'></iframe>`},
	{"srcdoc preconnecting to a tracker host",
		`<iframe srcdoc="<link rel=preconnect href=https://www.googletagmanager.com>"></iframe>`,
		`<iframe data-cg-category="analytics marketing" data-cg-srcdoc="<link rel=preconnect href=https://www.googletagmanager.com>"></iframe>`},
	{"srcdoc inside srcdoc",
		`<iframe srcdoc="<iframe srcdoc='&amp;lt;script&amp;gt;fbq(1)&amp;lt;/script&amp;gt;'></iframe>"></iframe>`,
		`<iframe data-cg-category="marketing" data-cg-srcdoc="<iframe srcdoc='&amp;lt;script&amp;gt;fbq(1)&amp;lt;/script&amp;gt;'></iframe>"></iframe>`},
	{"srcdoc with a data-consent label of the site's own",
		`<iframe srcdoc="<img data-consent=marketing src=/p.gif>"></iframe>`,
		`<iframe data-cg-category="marketing" data-cg-srcdoc="<img data-consent=marketing src=/p.gif>"></iframe>`},
}

// TestHostileMarkupIsGated checks that every hostile case is neutralised for
// a visitor who has not consented, whatever the write boundaries, and passes
// byte for byte for a visitor who accepted everything.
func TestHostileMarkupIsGated(t *testing.T) {
	runGatedCases(t, hostileCases)
}

// assertSplitsAgree checks that in rewrites to want however it is cut into
// writes: at every offset, and one byte at a time.
func assertSplitsAgree(t *testing.T, in, want string) {
	t.Helper()
	for s := 0; s <= len(in); s++ {
		require.Equal(t, want, rewrite(t, consent.Choices{}, "", in, s), "split at %d", s)
	}
	every := make([]int, len(in))
	for j := range every {
		every[j] = j
	}
	require.Equal(t, want, rewrite(t, consent.Choices{}, "", in, every...), "byte by byte")
}

// TestHostileMarkupWithoutTrackerPasses checks markup that looks like a
// tracker to a naive reader but that no browser loads as one: the rewriter
// must leave it alone, or it breaks pages for nothing.
func TestHostileMarkupWithoutTrackerPasses(t *testing.T) {
	for _, tt := range []struct{ name, in string }{
		// Browsers keep the first of duplicate attributes, so only x.js loads.
		{"duplicate src: the first wins", `<script src="/x.js"src="https://www.googletagmanager.com/gtm.js?id=X"></script>`},
		// A link to a page is a navigation the visitor chooses; /trending is not /tr.
		{"facebook page link and a /trending image", `<a href="https://www.facebook.com/page">Facebook</a><img src="https://www.facebook.com/trending.png">`},
		// A comment left open runs to the end of the document.
		{"unclosed comment at end of input", `<p>x</p><!-- <script src="https://www.googletagmanager.com/gtm.js"></script>`},
		// Everything after <plaintext> is text.
		{"plaintext", `<plaintext><script>gtag(1)</script><img src="https://www.facebook.com/tr?id=1">`},
		// Another port is another server; dot segments after "?" are the query.
		{"a port other than the default", `<img src="https://www.facebook.com:8443/tr?id=1">`},
		{"dot segments in the query", `<script src="https://www.googletagmanager.com/x?/../gtm.js"></script>`},
		{"noembed and noframes are raw text", `<noembed><script>gtag(1)</script></noembed><noframes><script>gtag(1)</script></noframes>`},
		{"first-party srcdoc", `<iframe srcdoc="<p>Hello &amp;amp; welcome</p><script>app()</script><img src=/a.png>"></iframe>`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := rewrite(t, consent.Choices{}, "", tt.in)
			assert.Equal(t, tt.in, got)
			assertSplitsAgree(t, tt.in, got)
		})
	}
}

// TestHostilePartialConsent checks that a tag needing several categories
// stays off until the visitor has accepted all of them.
func TestHostilePartialConsent(t *testing.T) {
	const labelled = `<img data-consent="analytics marketing" src="/x.png">`
	const gtm = `<script src="https://WWW.GOOGLETAGMANAGER.COM/gtm.js?id=GTM-X"></script>`
	for _, ch := range []consent.Choices{choices(t, consent.Analytics), choices(t, consent.Marketing)} {
		assert.Equal(t, `<img data-cg-category="analytics marketing" data-consent="analytics marketing" data-cg-src="/x.png">`,
			rewrite(t, ch, "", labelled))
		assert.Equal(t, `<script type="text/plain" data-cg-category="analytics marketing" src="https://WWW.GOOGLETAGMANAGER.COM/gtm.js?id=GTM-X"></script>`,
			rewrite(t, ch, "", gtm))
	}
	both := choices(t, consent.Analytics, consent.Marketing)
	assert.Equal(t, labelled, rewrite(t, both, "", labelled))
	assert.Equal(t, gtm, rewrite(t, both, "", gtm))
}

// TestHostileOversizedTags checks start tags longer than MaxTag: whatever
// happens to the long tag itself, the rewriter must come out of it in the
// state the browser is in, so the tracker after it is still gated.
func TestHostileOversizedTags(t *testing.T) {
	pad := strings.Repeat("a", MaxTag+100)
	const pixel = `<img src="https://www.facebook.com/tr?id=1">`
	const pixelOff = `<img data-cg-category="marketing" data-cg-src="https://www.facebook.com/tr?id=1">`
	const yt = `<iframe src="https://www.youtube.com/embed/x"></iframe>`
	const ytOff = `<iframe data-cg-category="marketing" data-cg-src="https://www.youtube.com/embed/x"></iframe>`
	for _, tt := range []rewriteCase{
		{"long noembed start tag still ends at its end tag",
			`<noembed title="` + pad + `"></noembed>` + pixel, `<noembed title="` + pad + `"></noembed>` + pixelOff},
		{"long textarea start tag still ends at its end tag",
			`<textarea title="` + pad + `"></textarea>` + pixel, `<textarea title="` + pad + `"></textarea>` + pixelOff},
		{"long svg start tag is closed by its end tag",
			`<svg title="` + pad + `"></svg>` + yt, `<svg title="` + pad + `"></svg>` + ytOff},
		{"long foreignObject start tag still holds HTML",
			`<svg><foreignObject title="` + pad + `">` + yt + `</foreignObject></svg>`,
			`<svg><foreignObject title="` + pad + `">` + ytOff + `</foreignObject></svg>`},
		{"long div start tag does not hide the script after it",
			`<div title="` + pad + `"><script src="https://www.googletagmanager.com/gtm.js"></script>`,
			`<div title="` + pad + `"><script type="text/plain" data-cg-category="analytics marketing" src="https://www.googletagmanager.com/gtm.js"></script>`},
		{"long noscript is removed",
			`<noscript>` + pad + `</noscript>` + pixel, pixelOff},
		{"long noscript start tag is removed with its content",
			`<noscript title="` + pad + `">` + pixel + `</noscript>` + pixel, pixelOff},
		// The browser still sees an iframe, so its content stays text.
		{"long iframe start tag: the pixel inside stays iframe text",
			`<iframe title="` + pad + `" src="https://www.youtube.com/embed/x">` + pixel + `</iframe>` + pixel,
			`<iframe data-cg-category="analytics marketing">` + pixel + `</iframe>` + pixelOff},
		{"long iframe start tag inside svg holds markup",
			`<svg><iframe title="` + pad + `">` + pixel + `</iframe></svg>` + pixel,
			`<svg><iframe data-cg-category="analytics marketing">` + pixelOff + `</iframe></svg>` + pixelOff},
		{"long script start tag: its text stays script",
			`<script title="` + pad + `">` + pixel + `</script>` + pixel,
			`<script type="text/plain" data-cg-category="analytics marketing" title="` + pad + `">` + pixel + `</script>` + pixelOff},
		{"long style start tag: its text stays raw",
			`<style title="` + pad + `">` + pixel + `</style>` + pixel,
			`<style title="` + pad + `">` + pixel + `</style>` + pixelOff},
		{"long xmp, title and noframes start tags: their text stays raw",
			`<xmp title="` + pad + `">` + pixel + `</xmp><title lang="` + pad + `">` + pixel + `</title><noframes title="` + pad + `">` + pixel + `</noframes>` + pixel,
			`<xmp title="` + pad + `">` + pixel + `</xmp><title lang="` + pad + `">` + pixel + `</title><noframes title="` + pad + `">` + pixel + `</noframes>` + pixelOff},
		{"long td start tag that may name a background is dropped",
			`<table><tr><td title="` + pad + `">x</td></tr></table>` + pixel,
			`<table><tr>x</td></tr></table>` + pixelOff},
		{"long plaintext start tag: the rest is text",
			`<plaintext title="` + pad + `">` + pixel,
			`<plaintext title="` + pad + `">` + pixel},
	} {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, rewrite(t, consent.Choices{}, "", tt.in))
			for _, s := range []int{1, len(tt.in) / 3, MaxTag, MaxTag + 20, len(tt.in) - 3} {
				require.Equal(t, tt.want, rewrite(t, consent.Choices{}, "", tt.in, s, s+7), "split at %d", s)
			}
		})
	}
}
