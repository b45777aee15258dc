package s3blob_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/blob"
	"github.com/sohoa/sohoa/blob/blobtest"
	"github.com/sohoa/sohoa/blob/s3blob"
	"github.com/sohoa/sohoa/internal/testenv"
)

// testConfig is the test profile's S3 server (SOHOA_TEST_S3_URL) with a key prefix of the
// test's own, so that tests share the bucket but not their objects.
func testConfig(t *testing.T) s3blob.Config {
	t.Helper()
	srv := testenv.S3(t)
	cfg := s3blob.Config{Endpoint: srv.Endpoint, Bucket: srv.Bucket, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey}
	var buf [6]byte
	rand.Read(buf[:])
	cfg.Prefix = "t-" + hex.EncodeToString(buf[:])
	cfg.TempDir = t.TempDir()
	return cfg
}

func TestS3Conformance(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blob.Blobs {
		s, err := s3blob.Open(context.Background(), testConfig(t))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestS3LeavesNoSpoolFiles checks that puts, failed or not, remove their spool files.
func TestS3LeavesNoSpoolFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := testConfig(t)
	s, err := s3blob.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := blob.PutBytes(ctx, s, []byte("trang 2")); err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := s.Put(cancelled, strings.NewReader("trang 3")); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled put = %v", err)
	}
	left, err := os.ReadDir(cfg.TempDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Fatalf("spool files left: %v", left)
	}
}

func TestOpenMissingBucket(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	cfg.Bucket = "khong-co-bucket"
	if _, err := s3blob.Open(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("Open of a missing bucket = %v, want an error saying so", err)
	}
}

func TestParseURL(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, bucket, prefix string }{
		{"s3://sohoa", "sohoa", ""},
		{"s3://sohoa/", "sohoa", ""},
		{"s3://sohoa/tinh/ha-noi/", "sohoa", "tinh/ha-noi"},
		{"https://sohoa/x", "", ""},
		{"s3:///x", "", ""},
		{"s3://key:secret@sohoa/x", "", ""},
	} {
		b, p, err := s3blob.ParseURL(c.in)
		if (err != nil) != (c.bucket == "") || b != c.bucket || p != c.prefix {
			t.Errorf("ParseURL(%q) = %q, %q, %v; want %q, %q", c.in, b, p, err, c.bucket, c.prefix)
		}
	}
}
