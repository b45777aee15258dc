// Package s3blob keeps blobs in an S3-compatible object store (MinIO, Ceph RGW, a cloud S3),
// so that workers on many hosts share originals and page images without a shared disk. It is
// chosen by SOHOA_BLOBS=s3://bucket/prefix; the client is minio-go. Objects are laid out as
// the local directory lays out files, <prefix>/<ab>/<abcdef…>, so a blob directory moves to a
// bucket with a plain `mc mirror` or `aws s3 sync`.
//
// It imports package blob for the contract and must not be imported by api or serve code:
// only cmd/sohoa picks a backend.
package s3blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/sohoa/sohoa/blob"
)

// Config says where the bucket is and how to reach it.
type Config struct {
	// Endpoint is the server: a URL (http://127.0.0.1:9591, https://s3.example.vn) or a bare
	// host[:port], which means HTTPS. Empty means AWS S3 (s3.amazonaws.com).
	Endpoint  string
	Region    string // empty: the client asks the server (us-east-1 when it does not say)
	Bucket    string
	Prefix    string // key prefix without leading or trailing slash; may be empty
	AccessKey string // empty with SecretKey: anonymous requests
	SecretKey string
	// TempDir holds the spool file of a put in progress; empty means os.TempDir().
	TempDir string
}

// ParseURL splits s3://bucket/prefix into its bucket and prefix.
func ParseURL(s string) (bucket, prefix string, err error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "s3" || u.Host == "" || u.RawQuery != "" || u.User != nil {
		return "", "", fmt.Errorf("%q: want s3://bucket or s3://bucket/prefix", s)
	}
	return u.Host, strings.Trim(u.Path, "/"), nil
}

// maxSinglePut is S3's limit on one PUT; larger blobs go up in parts.
const maxSinglePut = 5 << 30

// Store is a bucket (and key prefix) holding blobs.
type Store struct {
	client *minio.Client
	bucket string
	prefix string
	tmp    string
}

// Open connects to the bucket and checks that it exists, so that a wrong name or endpoint
// stops serve and worker at start-up rather than at the first upload.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	host, secure, err := endpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	if cfg.Bucket == "" {
		return nil, errors.New("s3 blobs: no bucket named")
	}
	client, err := minio.New(host, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: secure,
		Region: cfg.Region,
	})
	if err != nil {
		return nil, fmt.Errorf("creating S3 client for %s: %w", host, err)
	}
	ok, err := client.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, fmt.Errorf("checking S3 bucket %q at %s: %w", cfg.Bucket, host, err)
	}
	if !ok {
		return nil, fmt.Errorf("S3 bucket %q does not exist at %s; create it first (mc mb, aws s3 mb)", cfg.Bucket, host)
	}
	if cfg.TempDir != "" {
		// Only a spool directory of our own: os.TempDir() is shared and swept by the system.
		if err := blob.RemoveStale(cfg.TempDir, spoolPrefix, blob.StaleAfter); err != nil {
			return nil, err
		}
	}
	return &Store{client: client, bucket: cfg.Bucket, prefix: strings.Trim(cfg.Prefix, "/"), tmp: cfg.TempDir}, nil
}

// spoolPrefix names a put's spool file.
const spoolPrefix = "sohoa-s3put-"

func endpoint(s string) (host string, secure bool, err error) {
	switch {
	case s == "":
		return "s3.amazonaws.com", true, nil
	case strings.Contains(s, "://"):
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.Trim(u.Path, "/") != "" {
			return "", false, fmt.Errorf("S3 endpoint %q: want http(s)://host[:port] with no path", s)
		}
		return u.Host, u.Scheme == "https", nil
	default:
		return s, true, nil
	}
}

func (s *Store) key(ref blob.Ref) string {
	return path.Join(s.prefix, string(ref[:2]), string(ref))
}

// Put spools r to a temporary file while hashing it, then uploads the file under its ref
// unless the object is already there. Spooling, rather than a multipart upload to a
// temporary key copied into place, is what S3's lack of a rename leaves: the key is known only
// after the last byte, a re-upload of stored bytes costs one HEAD instead of a transfer, and
// a crashed put leaves a local temporary file, not an unfinished upload billed in the bucket.
// The upload itself streams from the file with its length known.
func (s *Store) Put(ctx context.Context, r io.Reader) (blob.Ref, int64, error) {
	tmp, err := os.CreateTemp(s.tmp, spoolPrefix+"*")
	if err != nil {
		return "", 0, fmt.Errorf("creating spool file: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	ref, n, err := blob.HashCopy(ctx, tmp, r)
	if err != nil {
		return "", 0, fmt.Errorf("spooling blob: %w", err)
	}
	key := s.key(ref)
	switch info, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{}); {
	case err == nil && info.Size == n:
		return ref, n, nil
	case err == nil:
		// An object of the wrong length under a content address was cut short (a server
		// without atomic PUTs, a tool copying by hand): upload the blob over it.
	case !missing(err):
		return "", 0, fmt.Errorf("checking S3 object %s: %w", key, err)
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return "", 0, fmt.Errorf("rewinding spool file: %w", err)
	}
	opts := minio.PutObjectOptions{ContentType: "application/octet-stream"}
	if n <= maxSinglePut {
		// One PUT streamed from the file with its Content-MD5, which the client computes by
		// reading the file, not by buffering it: the server checks the bytes it receives,
		// so a blob damaged on the wire is refused instead of stored under a name it does not
		// hash to. A multipart upload with MD5 would hold each 16 MiB part in memory.
		opts.SendContentMd5, opts.DisableMultipart = true, true
	}
	if n == 0 {
		// minio-go's chunk-signed upload of a signed request sends no Content-Length for an
		// empty body, which servers refuse (MissingContentLength); an empty blob goes up as
		// an ordinary signed PUT.
		opts.DisableContentSha256 = true
	}
	if _, err := s.client.PutObject(ctx, s.bucket, key, tmp, n, opts); err != nil {
		return "", 0, fmt.Errorf("uploading S3 object %s: %w", key, err)
	}
	return ref, n, nil
}

// Open streams the object. The first request is made here, so that a missing blob is
// ErrNotFound from Open and not an error from the first Read.
func (s *Store) Open(ctx context.Context, ref blob.Ref) (io.ReadCloser, error) {
	if _, err := blob.ParseRef(string(ref)); err != nil {
		return nil, err
	}
	key := s.key(ref)
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("reading S3 object %s: %w", key, err)
	}
	if _, err := obj.Stat(); err != nil {
		obj.Close()
		if missing(err) {
			return nil, fmt.Errorf("blob %s: %w", ref, blob.ErrNotFound)
		}
		return nil, fmt.Errorf("reading S3 object %s: %w", key, err)
	}
	return obj, nil
}

func missing(err error) bool {
	resp := minio.ToErrorResponse(err)
	return resp.Code == minio.NoSuchKey || (resp.StatusCode == http.StatusNotFound && resp.Code != minio.NoSuchBucket)
}
