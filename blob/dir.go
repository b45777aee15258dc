package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Dir keeps blobs as files under a local directory, <dir>/<ab>/<abcdef…>: the embedded
// default. Several processes on one host may share the directory; hosts that do not share a
// disk use an object store instead (blob/s3blob).
type Dir struct{ dir string }

// tempPrefix names a put's temporary file; content files are named by their ref.
const tempPrefix = ".put-"

// NewDir creates dir if needed, and removes the temporary files of puts that a crash
// interrupted (older than StaleAfter: a put of another process sharing the directory may
// be writing a newer one).
func NewDir(dir string) (*Dir, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("creating blob directory: %w", err)
	}
	if err := RemoveStale(dir, tempPrefix, StaleAfter); err != nil {
		return nil, err
	}
	return &Dir{dir: dir}, nil
}

// StaleAfter is the age past which a put's temporary file is taken for a crash's leftover.
// No put of a blob within the upload limits takes so long.
const StaleAfter = 24 * time.Hour

// RemoveStale removes the files directly in dir whose names start with prefix and that were
// last written more than age ago: the temporary files of puts a crash interrupted. Backends
// that spool (Dir, s3blob) call it when they open.
func RemoveStale(dir, prefix string, age time.Duration) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("listing %s: %w", dir, err)
	}
	cutoff := time.Now().Add(-age)
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		if info, err := e.Info(); err == nil && info.ModTime().Before(cutoff) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("removing a stale temporary file: %w", err)
			}
		}
	}
	return nil
}

func (d *Dir) path(ref Ref) string {
	return filepath.Join(d.dir, string(ref[:2]), string(ref))
}

// Put streams r to a temporary file in the directory while hashing it, then fsyncs it,
// renames it to its ref and fsyncs the directory, so that a put acknowledged to a client
// survives a crash and a reader sees the whole file or none. The temporary file sits in the
// same file system as its destination, which is what makes the rename atomic.
func (d *Dir) Put(ctx context.Context, r io.Reader) (Ref, int64, error) {
	tmp, err := os.CreateTemp(d.dir, tempPrefix+"*")
	if err != nil {
		return "", 0, fmt.Errorf("creating blob file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	ref, n, err := HashCopy(ctx, tmp, r)
	if err != nil {
		tmp.Close()
		return "", 0, fmt.Errorf("writing blob: %w", err)
	}
	dst := d.path(ref)
	if _, err := os.Stat(dst); err == nil {
		// Already stored, and durable since the put that stored it.
		tmp.Close()
		return ref, n, nil
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", 0, fmt.Errorf("syncing blob: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", 0, fmt.Errorf("closing blob: %w", err)
	}
	// A cancelled put stores nothing, even when the bytes were all read.
	if err := ctx.Err(); err != nil {
		return "", 0, err
	}
	sub := filepath.Dir(dst)
	if err := os.Mkdir(sub, 0o750); err == nil {
		// A new fan-out directory must itself be durable in its parent.
		if err := syncDir(d.dir); err != nil {
			return "", 0, err
		}
	} else if !errors.Is(err, fs.ErrExist) {
		return "", 0, fmt.Errorf("creating blob directory: %w", err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return "", 0, fmt.Errorf("storing blob: %w", err)
	}
	if err := syncDir(sub); err != nil {
		return "", 0, err
	}
	return ref, n, nil
}

// Open opens a stored blob.
func (d *Dir) Open(ctx context.Context, ref Ref) (io.ReadCloser, error) {
	if _, err := ParseRef(string(ref)); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := os.Open(d.path(ref))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("blob %s: %w", ref, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("opening blob: %w", err)
	}
	return f, nil
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
