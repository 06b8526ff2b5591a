package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/consentgate/consentgate/consent"
)

// siteKeys are the secrets every instance of the site must share.
type siteKeys struct {
	consent consent.Key
	csrf    []byte
}

// loadKeys reads the keys from the environment, or makes random ones with a
// warning when none are set.
func loadKeys(log *slog.Logger) (siteKeys, error) {
	var k siteKeys
	var err error
	if k.consent.Hash, err = envKey("CONSENTGATE_HASH_KEY", 32); err != nil {
		return k, err
	}
	if k.consent.Block, err = envKey("CONSENTGATE_BLOCK_KEY", 0); err != nil {
		return k, err
	}
	if n := len(k.consent.Block); n != 0 && n != 16 && n != 24 && n != 32 {
		return k, fmt.Errorf("CONSENTGATE_BLOCK_KEY: %d bytes, want 16, 24 or 32 (AES)", n)
	}
	if k.csrf, err = envKey("CONSENTGATE_CSRF_KEY", 32); err != nil {
		return k, err
	}
	if k.consent.Hash == nil {
		k.consent.Hash = random(32)
		log.Warn("CONSENTGATE_HASH_KEY not set: using a random key for DEVELOPMENT ONLY; visitors' consent will not survive a restart")
	}
	if k.csrf == nil {
		k.csrf = random(32)
		log.Warn("CONSENTGATE_CSRF_KEY not set: using a random key for DEVELOPMENT ONLY")
	}
	return k, nil
}

// envKey decodes $name as hex, then base64 (standard or URL, padded or not).
// It returns nil when the variable is unset.
func envKey(name string, minLen int) ([]byte, error) {
	v := strings.TrimSpace(os.Getenv(name))
	if v == "" {
		return nil, nil
	}
	b, err := hex.DecodeString(v)
	if err != nil {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			if b, err = enc.DecodeString(v); err == nil {
				break
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: not hex or base64", name)
	}
	if len(b) < minLen {
		return nil, fmt.Errorf("%s: %d bytes, need at least %d", name, len(b), minLen)
	}
	return b, nil
}

func random(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}
