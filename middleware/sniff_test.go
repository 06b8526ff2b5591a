package middleware

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestMayYetSniffAsHTML: a Flush types an untyped body only when more bytes
// could not make it HTML. Every prefix of an HTML page that does not yet
// sniff as HTML must say "may yet", and a body that has shown it is no HTML
// must not hold the headers back.
func TestMayYetSniffAsHTML(t *testing.T) {
	pages := []string{
		"<!DOCTYPE html><html>", "<!doctype HTML>", "\n\t <html lang=en>", "<HEAD>",
		"<script>x()</script>", "<iframe src=x>", "<h1>T</h1>", "<div>", "<font>",
		"<table>", "<a href=/>", "<style>", "<title>T</title>", "<b>x</b>", "<body>",
		"<br>", "<p>x</p>", "<!-- c -->", "\r\n\f<P class=x>",
	}
	for _, page := range pages {
		for k := 0; k <= len(page); k++ {
			prefix := []byte(page[:k])
			if !isHTMLType(http.DetectContentType(prefix)) {
				assert.True(t, mayYetSniffAsHTML(prefix), "%q of %q", prefix, page)
			}
		}
	}
	for _, body := range []string{
		"plain words", "<pre>x</pre>", "<?xml version=1.0?>", "{\"a\":1}", "<!DOCTYPE svg>",
		"<htm>", "<p\n>", "\xef\xbb\xbf<html>", "%PDF-1.4",
	} {
		assert.False(t, mayYetSniffAsHTML([]byte(body)), "%q", body)
		assert.False(t, isHTMLType(http.DetectContentType([]byte(body+" <html> more"))), "%q is no page", body)
	}
}
