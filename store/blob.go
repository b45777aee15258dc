package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
)

// ErrNotFound reports a missing blob, document, batch or page.
var ErrNotFound = errors.New("not found")

// Ref names a blob by the SHA-256 of its bytes, as 64 lower-case hex digits.
type Ref string

var refPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ParseRef checks that s is a well-formed blob reference.
func ParseRef(s string) (Ref, error) {
	if !refPattern.MatchString(s) {
		return "", fmt.Errorf("blob ref %q: want 64 hex digits", s)
	}
	return Ref(s), nil
}

// RefOf returns the reference of data.
func RefOf(data []byte) Ref {
	sum := sha256.Sum256(data)
	return Ref(hex.EncodeToString(sum[:]))
}

func (r Ref) String() string { return string(r) }

// Blobs is a content-addressed store of originals and page images. Put is idempotent: the
// same bytes give the same Ref and are stored once.
type Blobs interface {
	Put(ctx context.Context, data []byte) (Ref, error)
	Get(ctx context.Context, ref Ref) ([]byte, error)
}

// DirBlobs keeps blobs as files under a directory: <dir>/<ab>/<abcdef…>.
type DirBlobs struct{ dir string }

// NewDirBlobs creates dir if needed.
func NewDirBlobs(dir string) (*DirBlobs, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("creating blob directory: %w", err)
	}
	return &DirBlobs{dir: dir}, nil
}

func (b *DirBlobs) path(ref Ref) string {
	return filepath.Join(b.dir, string(ref[:2]), string(ref))
}

// Put writes data durably: to a temporary file, fsynced, renamed into place, and the
// directory fsynced, so an upload acknowledged to a client survives a crash.
func (b *DirBlobs) Put(ctx context.Context, data []byte) (Ref, error) {
	ref := RefOf(data)
	dst := b.path(ref)
	if _, err := os.Stat(dst); err == nil {
		return ref, nil
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", fmt.Errorf("creating blob directory: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".put-*")
	if err != nil {
		return "", fmt.Errorf("creating blob file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", fmt.Errorf("writing blob: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", fmt.Errorf("syncing blob: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("closing blob: %w", err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return "", fmt.Errorf("storing blob: %w", err)
	}
	return ref, syncDir(dir)
}

// Get reads a whole blob.
func (b *DirBlobs) Get(ctx context.Context, ref Ref) ([]byte, error) {
	if _, err := ParseRef(string(ref)); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(b.path(ref))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("blob %s: %w", ref, ErrNotFound)
	}
	return data, err
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("syncing blob directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("syncing blob directory: %w", err)
	}
	return nil
}
