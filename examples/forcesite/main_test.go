package main

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEnvKey(t *testing.T) {
	key := []byte(strings.Repeat("\x07", 32))
	tests := []struct {
		name, value string
		want        []byte
		wantErr     string
	}{
		{name: "unset", value: "", want: nil},
		{name: "hex", value: hex.EncodeToString(key), want: key},
		{name: "hex with spaces around", value: "  " + hex.EncodeToString(key) + "\n", want: key},
		{name: "base64", value: base64.StdEncoding.EncodeToString(key), want: key},
		{name: "base64 url, unpadded", value: base64.RawURLEncoding.EncodeToString(key), want: key},
		{name: "too short", value: hex.EncodeToString(key[:16]), wantErr: "16 bytes, need at least 32"},
		{name: "neither", value: "not a key!", wantErr: "not hex or base64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("TEST_KEY", tt.value)
			got, err := envKey("TEST_KEY", 32)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.Contains(t, err.Error(), "TEST_KEY", "the error names the variable")
				assert.NotContains(t, err.Error(), tt.value, "the error never echoes the secret")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestLoadKeysRejectsABadBlockKey(t *testing.T) {
	t.Setenv("CONSENTGATE_HASH_KEY", hex.EncodeToString(make([]byte, 32)))
	t.Setenv("CONSENTGATE_CSRF_KEY", hex.EncodeToString(make([]byte, 32)))
	t.Setenv("CONSENTGATE_BLOCK_KEY", hex.EncodeToString(make([]byte, 20)))
	_, err := loadKeys(nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "want 16, 24 or 32")
}

func TestIsLoopback(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"127.0.0.1:8080", true},
		{"127.8.9.10:80", true},
		{"[::1]:8080", true},
		{"localhost:8080", true},
		{":8080", false}, // every interface
		{"0.0.0.0:8080", false},
		{"192.168.1.10:8080", false},
		{"www.westshire.police.uk:443", false},
		{"127.0.0.1", false}, // not host:port
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, isLoopback(tt.addr), tt.addr)
	}
}
