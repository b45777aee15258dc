// Package blob is the contract of sohoa's content-addressed blob store: originals and page
// images named by the SHA-256 of their bytes. It holds the reference type, the streaming
// interface every backend implements, helpers for callers that hold whole byte slices, and
// the local-directory backend (Dir).
//
// It imports only the standard library, so that api and serve can name blobs without
// linking a storage client, SQLite or cgo. Backends that need a client (blob/s3blob) live in
// their own packages; blob/blobtest is the conformance suite each of them passes.
package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
)

// ErrNotFound reports a blob that is not stored. store.ErrNotFound is the same value, so
// errors.Is works whichever package a caller checks against.
var ErrNotFound = errors.New("not found")

// ErrBadRef reports a string that is not a well-formed reference. Backends check refs before
// turning them into paths or object keys, so a malformed one never reaches the storage.
var ErrBadRef = errors.New("bad blob ref")

// ErrCorrupt reports stored bytes whose hash is not their ref: damaged on disk or in transit.
var ErrCorrupt = errors.New("blob corrupt")

// Ref names a blob by the SHA-256 of its bytes, as 64 lower-case hex digits.
type Ref string

// ParseRef checks that s is a well-formed reference.
func ParseRef(s string) (Ref, error) {
	if len(s) != 2*sha256.Size {
		return "", fmt.Errorf("%w %q: want 64 hex digits", ErrBadRef, s)
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return "", fmt.Errorf("%w %q: want 64 lower-case hex digits", ErrBadRef, s)
		}
	}
	return Ref(s), nil
}

// RefOf returns the reference of data.
func RefOf(data []byte) Ref {
	sum := sha256.Sum256(data)
	return Ref(hex.EncodeToString(sum[:]))
}

func (r Ref) String() string { return string(r) }

// Blobs is a content-addressed store. Put is idempotent: the same bytes give the same Ref and
// are stored once; concurrent puts of the same bytes are safe. A blob is either wholly there
// or not there: Open never sees a partly written one.
type Blobs interface {
	// Put stores everything r yields and returns its ref and length. It streams: a backend
	// may spool to a temporary file, never to memory, so large PDFs cost no heap. Nothing is
	// stored when r fails or ctx ends first.
	Put(ctx context.Context, r io.Reader) (Ref, int64, error)
	// Open returns the blob's bytes; the caller closes the reader. A missing blob is
	// ErrNotFound, a malformed ref ErrBadRef.
	Open(ctx context.Context, ref Ref) (io.ReadCloser, error)
}

// PutBytes stores data, for callers that hold the whole blob anyway (a rendered page).
func PutBytes(ctx context.Context, b Blobs, data []byte) (Ref, error) {
	ref, _, err := b.Put(ctx, bytes.NewReader(data))
	return ref, err
}

// ReadAll returns a whole blob, checked against its ref: the store is trusted for
// availability, not integrity, so a damaged file or object is ErrCorrupt, not wrong data.
func ReadAll(ctx context.Context, b Blobs, ref Ref) ([]byte, error) {
	rc, err := b.Open(ctx, ref)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("reading blob %s: %w", ref, err)
	}
	if got := RefOf(data); got != ref {
		return nil, fmt.Errorf("blob %s: read bytes hash to %s: %w", ref, got, ErrCorrupt)
	}
	return data, nil
}

// HashCopy copies src to dst and returns the ref and length of what it copied, checking ctx
// between reads so that a cancelled put stops streaming. Backends use it to learn a blob's
// name while writing it, since the name is known only at the end.
func HashCopy(ctx context.Context, dst io.Writer, src io.Reader) (Ref, int64, error) {
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(dst, h), ctxReader{ctx, src})
	if err != nil {
		return "", n, err
	}
	return refOfHash(h), n, nil
}

func refOfHash(h hash.Hash) Ref { return Ref(hex.EncodeToString(h.Sum(nil))) }

// ctxReader ends a copy once its context is done. It hides src's WriterTo on purpose: the
// check must run between chunks, not once before a single long WriteTo.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
