// Package testenv gives tests the addresses of the real services that `make test` starts.
// Run by hand without them, such tests skip; under `make test` and CI
// (SOHOA_REQUIRE_SERVICES=1) a missing service fails the test instead, so no real code path
// is silently left out of the test run.
package testenv

import (
	"net"
	"os"
	"os/exec"
	"testing"
	"time"
)

func require(t testing.TB, what string) {
	t.Helper()
	if os.Getenv("SOHOA_REQUIRE_SERVICES") == "1" {
		t.Fatalf("%s is required (SOHOA_REQUIRE_SERVICES=1) but not available; run the tests with `make test`", what)
	}
	t.Skipf("%s not available; `make test` starts it", what)
}

func reachable(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// Redis returns the address of the test Redis (SOHOA_TEST_REDIS_ADDR).
func Redis(t testing.TB) string {
	t.Helper()
	addr := os.Getenv("SOHOA_TEST_REDIS_ADDR")
	if addr == "" || !reachable(addr) {
		require(t, "Redis (SOHOA_TEST_REDIS_ADDR="+addr+")")
	}
	return addr
}

// Meili returns the URL and master key of the test Meilisearch (SOHOA_TEST_MEILI_URL,
// SOHOA_TEST_MEILI_KEY).
func Meili(t testing.TB) (url, key string) {
	t.Helper()
	url, key = os.Getenv("SOHOA_TEST_MEILI_URL"), os.Getenv("SOHOA_TEST_MEILI_KEY")
	host := url
	for _, p := range []string{"http://", "https://"} {
		if len(host) > len(p) && host[:len(p)] == p {
			host = host[len(p):]
		}
	}
	if url == "" || !reachable(host) {
		require(t, "Meilisearch (SOHOA_TEST_MEILI_URL="+url+")")
	}
	return url, key
}

// Chromium returns the path of a Chromium or Chrome binary for browser tests: SOHOA_CHROMIUM
// when set, else the first of chromium, chromium-browser, google-chrome on PATH.
func Chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("SOHOA_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			require(t, "Chromium (SOHOA_CHROMIUM="+p+")")
		}
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	require(t, "Chromium (install the Debian package chromium)")
	return ""
}
