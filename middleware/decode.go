package middleware

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
)

// decoder turns gzip or deflate bytes pushed by the handler into plain bytes
// for the rewriter. The standard decompressors pull from a reader, so one
// runs on its own goroutine; Write hands each chunk over and waits until the
// decompressor has consumed all of it and is asking for more. At that point
// everything it could decode has been written on, so a later Flush is exact,
// and the two goroutines never touch the response at the same time.
type decoder struct {
	in   chan []byte
	ack  chan struct{}
	done chan struct{}
	err  error // set before done is closed
	// panicked says err is a panic the goroutine recovered: it may have
	// stopped the rewriter in the middle of a step (set before done is closed).
	panicked bool
	dst      io.Writer
	gzip     bool

	inClosed bool // handler side

	// goroutine side
	cur      []byte
	needsAck bool
	closed   bool
}

func newDecoder(gz bool, dst io.Writer) *decoder {
	d := &decoder{
		in:   make(chan []byte),
		ack:  make(chan struct{}),
		done: make(chan struct{}),
		dst:  dst,
		gzip: gz,
	}
	go d.run()
	return d
}

func (d *decoder) run() {
	defer close(d.done)
	defer func() {
		// net/http recovers a panic on the handler's goroutine but not on
		// this one: a bug in the rewriter must cost one response, not the
		// server.
		if p := recover(); p != nil {
			d.panicked = true
			d.err = fmt.Errorf("consent gate: panic while rewriting decoded HTML: %v", p)
		}
	}()
	var err error
	if d.gzip {
		err = d.gunzip()
	} else {
		// "deflate" means zlib (RFC 9110 8.4.1.2), but some servers send
		// raw deflate: tell them apart by the zlib header check.
		br := bufio.NewReader(d)
		var zr io.Reader
		if hdr, perr := br.Peek(2); perr == nil && hdr[0]&0x0f == 8 && (uint16(hdr[0])<<8|uint16(hdr[1]))%31 == 0 {
			zr, err = zlib.NewReader(br)
		} else {
			zr = flate.NewReader(br)
		}
		if err == nil {
			_, err = io.Copy(d.dst, decodeErrors{zr})
		} else if !errors.Is(err, io.EOF) {
			err = decodeError{err}
		}
	}
	if err != nil && !errors.Is(err, io.EOF) {
		d.err = err
	}
}

// gunzip decodes gzip members one after another, as browsers decode a
// concatenation of them. Bytes after a complete member that do not begin
// another are dropped, as browsers drop them: the page is whole.
func (d *decoder) gunzip() error {
	zr, err := gzip.NewReader(d)
	if err != nil {
		return decodeError{err}
	}
	for {
		zr.Multistream(false)
		if _, err := io.Copy(d.dst, decodeErrors{zr}); err != nil {
			return err
		}
		if zr.Reset(d) != nil {
			return nil // no more bytes, or trailing bytes that are no member
		}
	}
}

// decodeError is a fault in the compressed bytes themselves, as opposed to
// a failure to write the decoded bytes on. It ends the decoding only: the
// response is committed by then, so what was decoded before the fault is
// still the page, and goes out gated.
type decodeError struct{ err error }

func (e decodeError) Error() string { return e.err.Error() }
func (e decodeError) Unwrap() error { return e.err }

// isDecodeError reports whether err is the compressed body's own fault.
func isDecodeError(err error) bool {
	var de decodeError
	return errors.As(err, &de)
}

// decodeErrors marks a decompressor's errors as decodeErrors, so they stay
// apart from the destination's in io.Copy's one error.
type decodeErrors struct{ r io.Reader }

func (s decodeErrors) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		err = decodeError{err}
	}
	return n, err
}

// Read and ReadByte are the decompressor's source (goroutine side).
func (d *decoder) Read(p []byte) (int, error) {
	if !d.fill() {
		return 0, io.EOF
	}
	n := copy(p, d.cur)
	d.cur = d.cur[n:]
	return n, nil
}

// ReadByte lets flate read exactly what it needs, without a read-ahead
// buffer, so no byte is stuck in a buffer when Write waits.
func (d *decoder) ReadByte() (byte, error) {
	if !d.fill() {
		return 0, io.EOF
	}
	b := d.cur[0]
	d.cur = d.cur[1:]
	return b, nil
}

func (d *decoder) fill() bool {
	for len(d.cur) == 0 {
		if d.closed {
			return false
		}
		if d.needsAck {
			d.ack <- struct{}{} // the whole chunk is consumed; Write may return
			d.needsAck = false
		}
		b, ok := <-d.in
		if !ok {
			d.closed = true
			return false
		}
		d.cur, d.needsAck = b, true
	}
	return true
}

// Write hands p to the decompressor and waits until it has consumed p.
func (d *decoder) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	select {
	case d.in <- p:
	case <-d.done:
		return d.stopped(p)
	}
	select {
	case <-d.ack:
		return len(p), nil
	case <-d.done:
		return d.stopped(p)
	}
}

// stopped answers a Write once the decompressor has ended. A stream that
// ended cleanly (zlib stops reading after its checksum, gunzip at bytes
// that are no gzip member) makes anything after it trailing bytes, which
// are dropped like a browser would.
func (d *decoder) stopped(p []byte) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	return len(p), nil
}

// close ends the input and waits for the decompressor to write the rest.
func (d *decoder) close() error {
	if !d.inClosed {
		d.inClosed = true
		close(d.in)
	}
	<-d.done
	return d.err
}
