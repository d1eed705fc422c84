// Fixture for go.tls-insecure-skip-verify (written for provscan; not from any project).
package transport

import (
	"crypto/tls"
	"net/http"
	"os"
)

func Client() *http.Client {
	tr := &http.Transport{
		TLSClientConfig: &tls.Config{
			MinVersion: tls.VersionTLS12,
			// ruleid: go.tls-insecure-skip-verify
			InsecureSkipVerify: true,
		},
	}
	return &http.Client{Transport: tr}
}

func Dev(cfg *tls.Config) {
	// ruleid: go.tls-insecure-skip-verify
	cfg.InsecureSkipVerify = true
}

func FromEnv() *tls.Config {
	return &tls.Config{
		// ok: go.tls-insecure-skip-verify
		InsecureSkipVerify: os.Getenv("TLS_INSECURE_FOR_TESTS") == "1" && testing(),
		// ok: go.tls-insecure-skip-verify
		MinVersion: tls.VersionTLS13,
	}
}

func testing() bool { return false }
