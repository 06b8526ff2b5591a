package middleware

import "io"

// A compressed body without a Content-Type: net/http does not sniff it, but
// the browser sniffs what it decodes and may render it as HTML, trackers and
// all. So the Gate decodes it, sniffs the decoded bytes like any untyped
// body, and sends the result as identity, rewritten if it is HTML.

// startDecodedSniff sets up decoding into the sniff buffer. The
// representation changes to identity whatever the sniff says, so the
// encoding, length and validator of the compressed one go now.
func (rw *responseWriter) startDecodedSniff(gz bool) {
	h := rw.w.Header()
	delete(h, "Content-Encoding")
	delete(h, "Content-Length")
	delete(h, "Etag")
	rw.state = bodyDecodeSniff
	rw.decoder = newDecoder(gz, decodedSink{rw})
	rw.bodyTarget = rw.decoder
}

// decodedSink receives the decoder's output. It runs on the decoding
// goroutine, only while the handler's goroutine waits in Write, Flush or
// finish, so it may use the response writer's state.
type decodedSink struct{ rw *responseWriter }

func (s decodedSink) Write(p []byte) (int, error) {
	rw := s.rw
	if rw.afterSniff != nil {
		return rw.afterSniff.Write(p)
	}
	n := copy(rw.sniffBuf[rw.sniffed:], p)
	rw.sniffed += n
	if rw.sniffed < sniffLen {
		return len(p), nil
	}
	if err := rw.resolveDecodedSniff(); err != nil {
		return n, err
	}
	if n < len(p) {
		m, err := rw.afterSniff.Write(p[n:])
		return n + m, err
	}
	return len(p), nil
}

// resolveDecodedSniff decides on the bytes sniffed so far, sends the headers
// and the buffered bytes, and points the decoder's output at the rewriter or
// straight at the client.
func (rw *responseWriter) resolveDecodedSniff() error {
	// The handler keeps writing compressed bytes: on through the decoder,
	// and finishDecodedSniff ends the body, also after a panic in endSniff
	// (the decoder's goroutine recovers it).
	defer func(dec *decoder) { rw.bodyTarget, rw.state = dec, bodyDecodeSniff }(rw.decoder)
	rw.bodyTarget, rw.state = nil, bodySniff
	err := rw.endSniff() // decides as for identity: the encoding is gone
	switch rw.state {
	case bodyRewrite:
		rw.afterSniff = rw.rewriter
	case bodyDiscard:
		rw.afterSniff = io.Discard
	default:
		rw.afterSniff = writerOnly{rw.w}
	}
	return err
}

// finishDecodedSniff ends the body: the decoder writes its rest, a short
// body is sniffed on what there is, and a rewritten one is closed.
func (rw *responseWriter) finishDecodedSniff() {
	if err := rw.stopDecoder(); err != nil {
		rw.g.logProblem(rw.r, "consent gate: could not decode the handler's compressed body; body cut short", "error", err.Error())
	}
	rw.bodyTarget = nil
	if rw.afterSniff == nil && !rw.sent {
		// Not sniffed yet (a panic on the decoder's goroutine may also
		// have stopped it after the headers left, when there is nothing
		// left to decide).
		rw.state = bodySniff
		if rw.endSniff() != nil {
			return
		}
	}
	rw.afterSniff = nil
	if rw.rewriter != nil {
		rw.endRewrite()
	}
}
