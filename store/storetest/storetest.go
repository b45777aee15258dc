// Package storetest gives tests an empty PostgreSQL schema on the test profile's server, so
// the store's conformance suite and the end-to-end tests run against PostgreSQL as well as
// SQLite. It imports only the driver, never the store.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// DatabaseURL is the PostgreSQL server of the test profile (scripts/services.sh). A missing
// server skips the test, unless SOHOA_REQUIRE_SERVICES=1 (make test) makes it a failure.
func DatabaseURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("SOHOA_TEST_DATABASE_URL")
	if u == "" {
		if os.Getenv("SOHOA_REQUIRE_SERVICES") == "1" {
			t.Fatal("SOHOA_TEST_DATABASE_URL is not set and SOHOA_REQUIRE_SERVICES=1")
		}
		t.Skip("SOHOA_TEST_DATABASE_URL not set; scripts/services.sh start test sets it")
	}
	return u
}

// Schema creates an empty schema for one test and returns a URL whose connections use it
// (search_path), so tests share the server but not their tables. It is dropped at the end.
func Schema(t testing.TB) string {
	t.Helper()
	base := DatabaseURL(t)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	var buf [6]byte
	if _, err := rand.Read(buf[:]); err != nil {
		t.Fatal(err)
	}
	schema := "t_" + hex.EncodeToString(buf[:])
	if _, err := admin.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Error(err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
