// Command forcesite serves the Westshire Police example website: a realistic
// force site kept lawful about cookies by consentgate.
//
//	go run ./examples/forcesite                  # http://127.0.0.1:8080
//	go run ./examples/forcesite -addr :8080 -cookie-domain westshire.police.uk
//
// Keys come from the environment: CONSENTGATE_HASH_KEY (signs the consent
// cookie), CONSENTGATE_BLOCK_KEY (optional, encrypts it) and
// CONSENTGATE_CSRF_KEY, each 32 or more bytes written as hex or base64. Without
// them the site makes random keys and says so: fine on a laptop, but consent
// then does not survive a restart. Proof of consent goes to SQLite (-db) or,
// with -postgres, to PostgreSQL.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/consentgate/consentgate/consent"
	"github.com/consentgate/consentgate/examples/forcesite/site"
)

func main() {
	if err := run(); err != nil {
		slog.Error("forcesite: " + err.Error())
		os.Exit(1)
	}
}

func run() error {
	fs := flag.NewFlagSet("forcesite", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dbPath := fs.String("db", defaultDBPath(), `SQLite file for proof of consent (":memory:" keeps it in memory)`)
	pgDSN := fs.String("postgres", "", "PostgreSQL URL for proof of consent, instead of SQLite")
	domain := fs.String("cookie-domain", "", `registrable domain trackers set cookies on, e.g. "westshire.police.uk"; empty on localhost`)
	// -gate=false serves the site with no consent Gate, only so scripts/load
	// can measure what the Gate costs. Hidden from -help on purpose.
	gate := fs.Bool("gate", true, "")
	// -cpuprofile writes a CPU profile until the site shuts down, to see
	// where the time goes under scripts/load. Hidden from -help too.
	cpuProfile := fs.String("cpuprofile", "", "")
	fs.Usage = func() { usage(fs) }
	_ = fs.Parse(os.Args[1:])

	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	slog.SetDefault(log)
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}

	keys, err := loadKeys(log)
	if err != nil {
		return err
	}
	insecure := isLoopback(*addr)
	if insecure {
		log.Info("serving plain HTTP on a loopback address: cookies are sent without the Secure attribute (never do this in production)", "addr", *addr)
	} else {
		log.Info("cookies carry the Secure attribute: serve the site behind HTTPS", "addr", *addr)
	}

	cat, err := consent.NewCatalogue(consent.DefaultPolicy())
	if err != nil {
		return err
	}
	codec, err := consent.NewCodec(cat, consent.CodecOptions{Keys: []consent.Key{keys.consent}, Insecure: insecure})
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rec, closeDB, err := openRecorder(ctx, log, *dbPath, *pgDSN)
	if err != nil {
		return err
	}
	defer closeDB()
	if !*gate {
		log.Warn("consent Gate DISABLED (-gate=false): every tag and cookie reaches every visitor; for load tests only")
	}
	s, err := site.New(site.Config{Codec: codec, Recorder: rec, CSRFKey: keys.csrf, CookieDomain: *domain,
		Insecure: insecure, DisableGate: !*gate, Logger: log})
	if err != nil {
		return err
	}

	srv := &http.Server{Addr: *addr, Handler: s, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("Westshire Police example site", "url", "http://"+*addr+"/")
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// isLoopback reports whether addr only listens on this machine.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func usage(fs *flag.FlagSet) {
	fmt.Fprintf(fs.Output(), "Usage: forcesite [flags]\n\nServes the Westshire Police example site.\n\nFlags:\n")
	fs.VisitAll(func(f *flag.Flag) {
		if f.Usage == "" {
			return
		}
		fmt.Fprintf(fs.Output(), "  -%s\n    \t%s (default %q)\n", f.Name, f.Usage, f.DefValue)
	})
	fmt.Fprintf(fs.Output(), "\nEnvironment: CONSENTGATE_HASH_KEY, CONSENTGATE_BLOCK_KEY, CONSENTGATE_CSRF_KEY (hex or base64, 32+ bytes).\n")
}
