package s3blob

import (
	"context"
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
