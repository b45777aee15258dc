package store

import (
	"context"
	"fmt"

	"github.com/sohoa/sohoa/blob"
)

// ErrNotFound reports a missing blob, document, batch or page. It is blob.ErrNotFound, so a
// missing blob matches whichever of the two a caller checks.
var ErrNotFound = blob.ErrNotFound

// Ref names a blob by the SHA-256 of its bytes; the type lives in package blob.
type Ref = blob.Ref

// ParseRef checks that s is a well-formed blob reference.
func ParseRef(s string) (Ref, error) { return blob.ParseRef(s) }

// RefOf returns the reference of data.
func RefOf(data []byte) Ref { return blob.RefOf(data) }

// Blobs is the whole-slice view of a blob store, for the callers that hold a page or an
// upload in memory anyway (the API's upload, the worker's pages). New code that streams
// uses blob.Blobs directly.
type Blobs interface {
	Put(ctx context.Context, data []byte) (Ref, error)
	Get(ctx context.Context, ref Ref) ([]byte, error)
}

// ByteBlobs gives a streaming blob.Blobs the methods of Blobs. Get checks the bytes against
// their ref (blob.ReadAll).
type ByteBlobs struct{ Store blob.Blobs }

// Put stores data.
func (b ByteBlobs) Put(ctx context.Context, data []byte) (Ref, error) {
	return blob.PutBytes(ctx, b.Store, data)
}

// Get reads a whole blob.
func (b ByteBlobs) Get(ctx context.Context, ref Ref) ([]byte, error) {
	return blob.ReadAll(ctx, b.Store, ref)
}

// DirBlobs is a local blob directory (blob.Dir) seen through Blobs.
type DirBlobs struct{ ByteBlobs }

// NewDirBlobs creates dir if needed.
func NewDirBlobs(dir string) (*DirBlobs, error) {
	d, err := blob.NewDir(dir)
	if err != nil {
		return nil, fmt.Errorf("opening blob directory: %w", err)
	}
	return &DirBlobs{ByteBlobs{d}}, nil
}
