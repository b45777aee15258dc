package s3blob

import (
	"bytes"
	"context"
	"errors"
	"path"
	"testing"

	"github.com/minio/minio-go/v7"

	"github.com/sohoa/sohoa/blob"
	"github.com/sohoa/sohoa/internal/testenv"
)

// TestLayout checks the key of a stored blob, <prefix>/<ab>/<ref>: the local directory's
// layout, which is what lets a blob directory be mirrored into a bucket as it is.
func TestLayout(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := testenv.S3(t)
	prefix := "layout/" + path.Base(t.TempDir())
	s, err := Open(ctx, Config{Endpoint: srv.Endpoint, Bucket: srv.Bucket, Prefix: prefix + "/", AccessKey: srv.AccessKey, SecretKey: srv.SecretKey})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := blob.PutBytes(ctx, s, []byte("trang 1"))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for obj := range s.client.ListObjects(ctx, srv.Bucket, minio.ListObjectsOptions{Prefix: prefix + "/", Recursive: true}) {
		if obj.Err != nil {
			t.Fatal(obj.Err)
		}
		keys = append(keys, obj.Key)
	}
	if want := prefix + "/" + string(ref[:2]) + "/" + string(ref); len(keys) != 1 || keys[0] != want {
		t.Fatalf("keys %v, want only %s", keys, want)
	}
}

// TestPutRepairsShortObject plants a cut-short object under a blob's key, as a server without
// atomic PUTs can leave one: putting the blob must replace it, not trust the key alone.
func TestPutRepairsShortObject(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := testenv.S3(t)
	s, err := Open(ctx, Config{Endpoint: srv.Endpoint, Bucket: srv.Bucket, Prefix: "short/" + path.Base(t.TempDir()), AccessKey: srv.AccessKey, SecretKey: srv.SecretKey})
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("bản gốc, trang 1 và trang 2")
	ref := blob.RefOf(data)
	short := data[:10]
	if _, err := s.client.PutObject(ctx, srv.Bucket, s.key(ref), bytes.NewReader(short), int64(len(short)), minio.PutObjectOptions{}); err != nil {
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
