package middleware

// htmlSniffPatterns open a body that http.DetectContentType (after the
// WHATWG MIME Sniffing standard) calls text/html: after any whitespace, one
// of these in any ASCII case, then a space or '>'. Lower case here.
var htmlSniffPatterns = [...]string{
	"<!doctype html", "<html", "<head", "<script", "<iframe", "<h1", "<div",
	"<font", "<table", "<a", "<style", "<title", "<b", "<body", "<br", "<p", "<!--",
}

// mayYetSniffAsHTML reports whether more bytes after b could make
// http.DetectContentType call the body text/html when it does not call b
// so: b is only whitespace, or whitespace and the unfinished start of an
// HTML pattern. Typing such a body on b would show a page as text.
func mayYetSniffAsHTML(b []byte) bool {
	i := 0
	for i < len(b) && isSniffSpace(b[i]) {
		i++
	}
	rest := b[i:]
	for _, pat := range htmlSniffPatterns {
		if len(rest) <= len(pat) && hasPrefixASCIIFold(pat, rest) {
			return true
		}
	}
	return false
}

// isSniffSpace reports whether c is whitespace to the sniffing algorithm.
func isSniffSpace(c byte) bool {
	switch c {
	case '\t', '\n', '\f', '\r', ' ':
		return true
	}
	return false
}

// hasPrefixASCIIFold reports whether lower, a lower-case ASCII word, starts
// with p in any ASCII case.
func hasPrefixASCIIFold(lower string, p []byte) bool {
	if len(p) > len(lower) {
		return false
	}
	for i, c := range p {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
