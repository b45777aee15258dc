package blob_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sohoa/sohoa/blob"
	"github.com/sohoa/sohoa/blob/blobtest"
)

func TestDirConformance(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blob.Blobs {
		d, err := blob.NewDir(filepath.Join(t.TempDir(), "blobs"))
		if err != nil {
			t.Fatal(err)
		}
		return d
	})
}

// TestDirLeavesNoTemporaryFiles checks that failed and successful puts clean up after
// themselves, and that the layout is <ab>/<ref>, which existing data directories use.
func TestDirLeavesNoTemporaryFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d, err := blob.NewDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := blob.PutBytes(context.Background(), d, []byte("trang 1"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := blob.PutBytes(ctx, d, []byte("trang 2")); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled put = %v", err)
	}
	var files []string
	filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, rel)
		}
		return err
	})
	if want := filepath.Join(string(ref[:2]), string(ref)); len(files) != 1 || files[0] != want {
		t.Fatalf("files %v, want only %s", files, want)
	}
}

// TestDirCorrupt damages a stored file: ReadAll must refuse it rather than hand back bytes
// that are not the blob.
func TestDirCorrupt(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d, err := blob.NewDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := blob.PutBytes(context.Background(), d, []byte("bản gốc"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, string(ref[:2]), string(ref)), []byte("bản gốk"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := blob.ReadAll(context.Background(), d, ref); !errors.Is(err, blob.ErrCorrupt) {
		t.Fatalf("ReadAll of a damaged file = %v, want ErrCorrupt", err)
	}
}

func BenchmarkDirPutRead1MiB(b *testing.B) {
	d, err := blob.NewDir(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	blobtest.Bench(b, d, 1<<20)
}

// TestDirRemovesStaleTemporaryFiles leaves a crashed put's temporary file a day old and a
// fresh one (a put of another process in progress): opening the directory removes only the
// old one, and never a blob.
func TestDirRemovesStaleTemporaryFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d, err := blob.NewDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := blob.PutBytes(context.Background(), d, []byte("trang 1"))
	if err != nil {
		t.Fatal(err)
	}
	old, fresh := filepath.Join(dir, ".put-old"), filepath.Join(dir, ".put-fresh")
	for _, p := range []string{old, fresh} {
		if err := os.WriteFile(p, []byte("một nửa"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	dayAgo := time.Now().Add(-blob.StaleAfter - time.Hour)
	if err := os.Chtimes(old, dayAgo, dayAgo); err != nil {
		t.Fatal(err)
	}
	blobFile := filepath.Join(dir, string(ref[:2]), string(ref))
	if err := os.Chtimes(blobFile, dayAgo, dayAgo); err != nil {
		t.Fatal(err)
	}
	if _, err := blob.NewDir(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(old); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale temporary file still there (%v)", err)
	}
	for _, p := range []string{fresh, blobFile} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s removed: %v", p, err)
		}
	}
}
