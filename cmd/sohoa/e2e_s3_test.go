package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"testing"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/sohoa/sohoa/internal/testenv"
	"github.com/sohoa/sohoa/store/storetest"
)

// TestEndToEndPostgresS3 is the end-to-end path as hosts of a cluster run it: serve and worker
// share a PostgreSQL database and keep originals and page images in an S3 bucket (the test
// profile's cmd/s3dev over HTTP), with nothing on the local disk. Afterwards every object
// under the run's prefix is read back and must hash to the name it is stored under.
func TestEndToEndPostgresS3(t *testing.T) {
	srv := testenv.S3(t)
	var buf [6]byte
	rand.Read(buf[:])
	prefix := "e2e-" + hex.EncodeToString(buf[:])
	dataDir := filepath.Join(t.TempDir(), "data")
	ctx := context.Background()
	host := srv.Endpoint[len("http://"):]
	client, err := minio.New(host, &minio.Options{Creds: credentials.NewStaticV4(srv.AccessKey, srv.SecretKey, "")})
	if err != nil {
		t.Fatal(err)
	}
	// What the run stored goes when the test ends, failed or not: the test server's bucket
	// would otherwise grow by every run.
	t.Cleanup(func() {
		objs := client.ListObjects(ctx, srv.Bucket, minio.ListObjectsOptions{Prefix: prefix + "/", Recursive: true})
		for e := range client.RemoveObjects(ctx, srv.Bucket, objs, minio.RemoveObjectsOptions{}) {
			t.Errorf("removing %s: %v", e.ObjectName, e.Err)
		}
	})
	endToEnd(t, map[string]string{
		"SOHOA_DATA_DIR":      dataDir,
		"SOHOA_DATABASE":      storetest.Schema(t),
		"SOHOA_BLOBS":         "s3://" + srv.Bucket + "/" + prefix,
		"SOHOA_S3_ENDPOINT":   srv.Endpoint,
		"SOHOA_S3_ACCESS_KEY": srv.AccessKey,
		"SOHOA_S3_SECRET_KEY": srv.SecretKey,
	})
	if t.Failed() {
		return
	}

	if _, err := os.Stat(filepath.Join(dataDir, "blobs")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a local blob directory exists (%v); blobs should all be in S3", err)
	}
	if spool, _ := os.ReadDir(filepath.Join(dataDir, "spool")); len(spool) != 0 {
		t.Errorf("spool files left behind: %v", spool)
	}
	n := 0
	for obj := range client.ListObjects(ctx, srv.Bucket, minio.ListObjectsOptions{Prefix: prefix + "/", Recursive: true}) {
		if obj.Err != nil {
			t.Fatal(obj.Err)
		}
		n++
		name := path.Base(obj.Key)
		if want := path.Join(prefix, name[:2], name); obj.Key != want {
			t.Errorf("object %s, want it at %s", obj.Key, want)
		}
		o, err := client.GetObject(ctx, srv.Bucket, obj.Key, minio.GetObjectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		_, err = io.Copy(h, o)
		o.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != name {
			t.Errorf("object %s holds bytes hashing to %s", obj.Key, got)
		}
	}
	// Three originals (the scan, the skewed sample, the corrupt PDF) and the two decisions'
	// page images at least.
	if n < 5 {
		t.Errorf("%d objects under %s, want the originals and page images (≥ 5)", n, prefix)
	}
	t.Logf("%d blobs in s3://%s/%s", n, srv.Bucket, prefix)
}
