package testenv

import (
	"net/url"
	"os"
	"strings"
	"testing"
)

// S3Server is an S3-compatible server and a bucket on it that tests may write to.
type S3Server struct {
	Endpoint  string // http://host:port
	Bucket    string
	AccessKey string
	SecretKey string
}

// S3 returns the test profile's S3 server (cmd/s3dev, started by scripts/services.sh) from
// SOHOA_TEST_S3_URL, written as http://host:port/bucket, with SOHOA_TEST_S3_ACCESS_KEY and
// SOHOA_TEST_S3_SECRET_KEY when the server checks credentials. Tests share the bucket and
// keep apart by key prefix.
func S3(t testing.TB) S3Server {
	t.Helper()
	raw := os.Getenv("SOHOA_TEST_S3_URL")
	u, err := url.Parse(raw)
	bucket := ""
	if err == nil {
		bucket = strings.Trim(u.Path, "/")
	}
	if raw == "" || err != nil || u.Host == "" || bucket == "" || !reachable(u.Host) {
		require(t, "S3 server (SOHOA_TEST_S3_URL="+raw+", want http://host:port/bucket)")
	}
	return S3Server{
		Endpoint:  u.Scheme + "://" + u.Host,
		Bucket:    bucket,
		AccessKey: os.Getenv("SOHOA_TEST_S3_ACCESS_KEY"),
		SecretKey: os.Getenv("SOHOA_TEST_S3_SECRET_KEY"),
	}
}
