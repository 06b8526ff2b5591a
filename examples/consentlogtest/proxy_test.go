package consentlogtest

import (
	"errors"
	"io"
	"net"
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// tcpProxy sits between a pool and PostgreSQL so a test can make the server
// vanish (Stop) or go silent mid-conversation (Freeze) without touching the
// real server other tests share.
type tcpProxy struct {
	ln     net.Listener
	target string

	mu     sync.Mutex
	conns  []net.Conn
	frozen bool
	thaw   *sync.Cond
}

func newTCPProxy(tb testing.TB, target string) *tcpProxy {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(tb, err)
	p := &tcpProxy{ln: ln, target: target}
	p.thaw = sync.NewCond(&p.mu)
	go p.accept()
	tb.Cleanup(p.Stop)
	return p
}

// proxiedDSN returns dsn with its host replaced by the proxy's address.
func (p *tcpProxy) proxiedDSN(tb testing.TB, dsn string) string {
	tb.Helper()
	u, err := url.Parse(dsn)
	require.NoError(tb, err)
	u.Host = p.ln.Addr().String()
	return u.String()
}

// hostOf returns the host:port a postgres:// DSN points at.
func hostOf(tb testing.TB, dsn string) string {
	tb.Helper()
	u, err := url.Parse(dsn)
	require.NoError(tb, err)
	return u.Host
}

func (p *tcpProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			_ = c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, s)
		p.mu.Unlock()
		go p.pipe(s, c)
		go p.pipe(c, s)
	}
}

// pipe copies src to dst, holding data back while the proxy is frozen.
func (p *tcpProxy) pipe(dst, src net.Conn) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		p.mu.Lock()
		for p.frozen {
			p.thaw.Wait()
		}
		p.mu.Unlock()
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				return
			}
			return
		}
	}
}

// Freeze stops forwarding bytes: connections stay open but nothing answers,
// like a server stuck behind a dead network path.
func (p *tcpProxy) Freeze() {
	p.mu.Lock()
	p.frozen = true
	p.mu.Unlock()
}

// Stop closes the listener and every connection, like a server going down.
func (p *tcpProxy) Stop() {
	_ = p.ln.Close()
	p.mu.Lock()
	p.frozen = false
	p.thaw.Broadcast()
	conns := p.conns
	p.conns = nil
	p.mu.Unlock()
	for _, c := range conns {
		_ = c.Close()
	}
}
