package bannertest

import (
	"io"
	"maps"
	"net/http"
	"strings"
)

// writeResources are what the /write page's vendor tags load once activated.
var writeResources = map[string][2]string{
	// An older analytics snippet: it writes its markup, with a script of its
	// own inside, where it stands.
	"/write.js": {"text/javascript", `document.write('<div id="ext-written"><span>Counter</span><script>window.nestedRan = !!document.getElementById("ext-written");<\/script></div>');
window.externalWriterRan = true;`},
	"/floodlight": {"text/html; charset=utf-8", `<!DOCTYPE html><html lang="en"><head><title>Counter</title></head><body></body></html>`},
}

// writePage has neutralised vendor tags that call document.write, as the
// classic Floodlight iframe tag does: run after the page has loaded, such a
// call would replace the whole page.
const writePage = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Appeals – Westshire Police</title>
{{HEAD}}
</head>
<body>
{{BANNER}}<main id="main">
<h1>Appeals</h1>
<p id="own">Help us find a missing person.</p>
<script type="text/plain" data-cg-category="marketing" id="inline-writer">
var axel = Math.random() + "";
var a = axel * 10000000000000;
document.write('<iframe id="written-frame" src="/floodlight?ord=' + a + '" width="1" height="1" frameborder="0" style="display:none" title="Counter"></iframe>');
document.writeln('<p id="written-line">', 'Written', '</p>');
window.inlineWriterRan = true;
</script>
<p id="between">Between the tags.</p>
<script type="text/plain" data-cg-category="analytics" src="/write.js" id="external-writer"></script>
<p id="after">After the tags.</p>
</main>
</body>
</html>`

func (s *site) serveWrite(w http.ResponseWriter, r *http.Request) {
	fragment, err := s.banner.Fragment(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	body := strings.Replace(writePage, "{{HEAD}}", string(s.banner.Head(r)), 1)
	body = strings.Replace(body, "{{BANNER}}", string(fragment), 1)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = io.WriteString(w, body)
}

func joinResources(sets ...map[string][2]string) map[string][2]string {
	all := make(map[string][2]string)
	for _, set := range sets {
		maps.Copy(all, set)
	}
	return all
}
