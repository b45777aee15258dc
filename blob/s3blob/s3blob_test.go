package s3blob

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/sohoa/sohoa/blob"
	"github.com/sohoa/sohoa/blob/blobtest"
	"github.com/sohoa/sohoa/internal/testenv"
)

// testConfig is the test profile's S3 server (SOHOA_TEST_S3_URL) with a key prefix of the
// test's own, so that tests share the bucket but not their objects.
func testConfig(t *testing.T) Config {
	t.Helper()
	srv := testenv.S3(t)
	var buf [6]byte
	rand.Read(buf[:])
	return Config{
		Endpoint: srv.Endpoint, Bucket: srv.Bucket, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey,
		Prefix: "t-" + hex.EncodeToString(buf[:]), TempDir: t.TempDir(),
	}
}

// openTest opens a store on cfg and removes what the test stored when it ends, as restic's
// suite deletes what it made: the test server's bucket would otherwise grow by every run.
func openTest(t *testing.T, cfg Config) *Store {
	t.Helper()
	s, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { removePrefix(t, s) })
	return s
}

func removePrefix(t testing.TB, s *Store) {
	ctx := context.Background()
	objs := s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix + "/", Recursive: true})
	for e := range s.client.RemoveObjects(ctx, s.bucket, objs, minio.RemoveObjectsOptions{}) {
		t.Errorf("removing %s: %v", e.ObjectName, e.Err)
	}
}

func TestS3Conformance(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blob.Blobs { return openTest(t, testConfig(t)) })
}

func BenchmarkS3PutRead1MiB(b *testing.B) {
	srv := testenv.S3(b)
	var buf [6]byte
	rand.Read(buf[:])
	cfg := Config{
		Endpoint: srv.Endpoint, Bucket: srv.Bucket, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey,
		Prefix: "b-" + hex.EncodeToString(buf[:]), TempDir: b.TempDir(),
	}
	s, err := Open(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { removePrefix(b, s) })
	blobtest.Bench(b, s, 1<<20)
}

// TestLayout checks the key of a stored blob, <prefix>/<ab>/<ref>: the local directory's
// layout, which is what lets a blob directory be mirrored into a bucket as it is.
func TestLayout(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := testConfig(t)
	cfg.Prefix = "/layout/" + cfg.Prefix + "/" // slashes around the prefix are not kept
	s := openTest(t, cfg)
	ref, err := blob.PutBytes(ctx, s, []byte("trang 1"))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for obj := range s.client.ListObjects(ctx, cfg.Bucket, minio.ListObjectsOptions{Prefix: "layout/", Recursive: true}) {
		if obj.Err != nil {
			t.Fatal(obj.Err)
		}
		if strings.HasPrefix(obj.Key, s.prefix+"/") {
			keys = append(keys, obj.Key)
		}
	}
	if want := strings.Trim(cfg.Prefix, "/") + "/" + string(ref[:2]) + "/" + string(ref); len(keys) != 1 || keys[0] != want {
		t.Fatalf("keys %v, want only %s", keys, want)
	}
}

// TestPutRepairsShortObject plants a cut-short object under a blob's key, as a server without
// atomic PUTs can leave one: putting the blob must replace it, not trust the key alone.
func TestPutRepairsShortObject(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := testConfig(t)
	s := openTest(t, cfg)
	data := []byte("bản gốc, trang 1 và trang 2")
	ref := blob.RefOf(data)
	short := data[:10]
	if _, err := s.client.PutObject(ctx, cfg.Bucket, s.key(ref), bytes.NewReader(short), int64(len(short)), minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := blob.ReadAll(ctx, s, ref); !errors.Is(err, blob.ErrCorrupt) {
		t.Fatalf("reading the short object = %v, want ErrCorrupt", err)
	}
	if _, err := blob.PutBytes(ctx, s, data); err != nil {
		t.Fatal(err)
	}
	if got, err := blob.ReadAll(ctx, s, ref); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("after the put: %q, %v", got, err)
	}
}

// TestS3LeavesNoSpoolFiles checks that puts, failed or not, remove their spool files.
func TestS3LeavesNoSpoolFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := testConfig(t)
	s := openTest(t, cfg)
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
	if _, err := Open(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "does not exist") {
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
		b, p, err := ParseURL(c.in)
		if (err != nil) != (c.bucket == "") || b != c.bucket || p != c.prefix {
			t.Errorf("ParseURL(%q) = %q, %q, %v; want %q, %q", c.in, b, p, err, c.bucket, c.prefix)
		}
	}
}

func TestEndpoint(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in     string
		host   string
		secure bool
		bad    bool
	}{
		{in: "", host: "s3.amazonaws.com", secure: true},
		{in: "http://127.0.0.1:9591", host: "127.0.0.1:9591"},
		{in: "https://s3.example.vn", host: "s3.example.vn", secure: true},
		{in: "s3.example.vn:9000", host: "s3.example.vn:9000", secure: true},
		{in: "ftp://s3.example.vn", bad: true},
		{in: "http://s3.example.vn/bucket", bad: true},
	} {
		host, secure, err := endpoint(c.in)
		if (err != nil) != c.bad || !c.bad && (host != c.host || secure != c.secure) {
			t.Errorf("endpoint(%q) = %q, %v, %v", c.in, host, secure, err)
		}
	}
}

// TestOpenRemovesStaleSpool leaves a crashed put's spool file a day old in the spool
// directory and a fresh one beside it: Open removes the old one only.
func TestOpenRemovesStaleSpool(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	old, fresh := filepath.Join(cfg.TempDir, spoolPrefix+"old"), filepath.Join(cfg.TempDir, spoolPrefix+"fresh")
	for _, p := range []string{old, fresh} {
		if err := os.WriteFile(p, []byte("một nửa"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	dayAgo := time.Now().Add(-blob.StaleAfter - time.Hour)
	if err := os.Chtimes(old, dayAgo, dayAgo); err != nil {
		t.Fatal(err)
	}
	openTest(t, cfg)
	if _, err := os.Stat(old); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale spool file still there (%v)", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("fresh spool file removed: %v", err)
	}
}
