// Package blobtest is the conformance suite every blob backend passes, in the spirit of
// restic's backend tests: one entry point, Run, that takes a function opening a fresh, empty
// store and runs each behaviour of the blob.Blobs contract against it. A backend's own test
// file is a few lines that call Run.
//
// It imports only package blob and the standard library.
package blobtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sohoa/sohoa/blob"
)

// LargeSize is the length of the blob the streaming case puts: larger than the part size S3
// clients buffer by default and than any page image, small enough for the shared machine.
const LargeSize = 20 << 20

// Run runs the suite. open returns an empty store for one case; it may register cleanups on
// the t it is given. Call Run from a test that is not parallel: the streaming case measures
// the heap the put allocates, which only means something while no other test allocates.
func Run(t *testing.T, open func(t *testing.T) blob.Blobs) {
	// The streaming case runs first and alone; the others run in parallel after it.
	t.Run("LargeStreamed", func(t *testing.T) { testLarge(t, open(t)) })
	cases := []struct {
		name string
		fn   func(*testing.T, blob.Blobs)
	}{
		{"RoundTrip", testRoundTrip},
		{"Empty", testEmpty},
		{"IdempotentPut", testIdempotent},
		{"NotFound", testNotFound},
		{"BadRef", testBadRef},
		{"ConcurrentPutSameContent", testConcurrentPut},
		{"PutRacingOpen", testPutRacingOpen},
		{"CancelDuringPut", testCancel},
		{"ReaderFails", testReaderFails},
		{"OpenCancelled", testOpenCancelled},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.fn(t, open(t))
		})
	}
}

// source yields n pseudo-random bytes from seed, without holding them: the same seed gives
// the same bytes, so a test can know a blob's ref without keeping the blob.
func source(seed uint64, n int64) io.Reader {
	return io.LimitReader(&prng{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}, n)
}

type prng struct{ r *rand.Rand }

func (p *prng) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = byte(p.r.Uint32())
	}
	return len(b), nil
}

func refOfReader(t *testing.T, r io.Reader) (blob.Ref, int64) {
	t.Helper()
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		t.Fatal(err)
	}
	return blob.Ref(hex.EncodeToString(h.Sum(nil))), n
}

func mustRead(t *testing.T, b blob.Blobs, ref blob.Ref) []byte {
	t.Helper()
	data, err := blob.ReadAll(context.Background(), b, ref)
	if err != nil {
		t.Fatalf("reading %s: %v", ref, err)
	}
	return data
}

func wantMissing(t *testing.T, b blob.Blobs, ref blob.Ref) {
	t.Helper()
	rc, err := b.Open(context.Background(), ref)
	if err == nil {
		rc.Close()
		t.Fatalf("blob %s is stored, want it missing", ref)
	}
	if !errors.Is(err, blob.ErrNotFound) {
		t.Fatalf("Open(%s) = %v, want ErrNotFound", ref, err)
	}
}

func testRoundTrip(t *testing.T, b blob.Blobs) {
	ctx := context.Background()
	data := []byte("bản gốc: Quyết định số 15/QĐ-UBND")
	ref, n, err := b.Put(ctx, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if ref != blob.RefOf(data) || n != int64(len(data)) {
		t.Fatalf("Put = %s, %d; want %s, %d", ref, n, blob.RefOf(data), len(data))
	}
	if got := mustRead(t, b, ref); !bytes.Equal(got, data) {
		t.Fatalf("read back %q, want %q", got, data)
	}
	// A second blob does not disturb the first.
	other, err := blob.PutBytes(ctx, b, []byte("bản sao"))
	if err != nil {
		t.Fatal(err)
	}
	if other == ref || string(mustRead(t, b, other)) != "bản sao" || !bytes.Equal(mustRead(t, b, ref), data) {
		t.Fatal("two blobs are not kept apart")
	}
}

func testEmpty(t *testing.T, b blob.Blobs) {
	ref, n, err := b.Put(context.Background(), strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	if ref != blob.RefOf(nil) || n != 0 {
		t.Fatalf("Put(empty) = %s, %d", ref, n)
	}
	if got := mustRead(t, b, ref); len(got) != 0 {
		t.Fatalf("empty blob read back as %d bytes", len(got))
	}
}

func testIdempotent(t *testing.T, b blob.Blobs) {
	ctx := context.Background()
	var refs []blob.Ref
	for range 3 {
		ref, n, err := b.Put(ctx, source(7, 300_000))
		if err != nil {
			t.Fatal(err)
		}
		if n != 300_000 {
			t.Fatalf("put length %d", n)
		}
		refs = append(refs, ref)
	}
	want, _ := refOfReader(t, source(7, 300_000))
	for _, r := range refs {
		if r != want {
			t.Fatalf("refs %v, want %s each time", refs, want)
		}
	}
	if got, _ := refOfReader(t, bytes.NewReader(mustRead(t, b, want))); got != want {
		t.Fatal("blob changed by putting it again")
	}
}

func testLarge(t *testing.T, b blob.Blobs) {
	ctx := context.Background()
	want, _ := refOfReader(t, source(20, LargeSize))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	ref, n, err := b.Put(ctx, source(20, LargeSize))
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if ref != want || n != LargeSize {
		t.Fatalf("Put = %s, %d; want %s, %d", ref, n, want, LargeSize)
	}
	// Buffering the blob whole would allocate at least its size.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > LargeSize/4 {
		t.Errorf("putting %d MiB allocated %.1f MiB: the put buffers instead of streaming", LargeSize>>20, float64(alloc)/(1<<20))
	} else {
		t.Logf("putting %d MiB allocated %.2f MiB", LargeSize>>20, float64(alloc)/(1<<20))
	}
	rc, err := b.Open(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if got, n := refOfReader(t, rc); got != want || n != LargeSize {
		t.Fatalf("read back %d bytes hashing to %s, want %d bytes, %s", n, got, LargeSize, want)
	}
}

func testNotFound(t *testing.T, b blob.Blobs) {
	wantMissing(t, b, blob.RefOf([]byte("never stored")))
	if _, err := blob.ReadAll(context.Background(), b, blob.RefOf([]byte("never stored"))); !errors.Is(err, blob.ErrNotFound) {
		t.Fatalf("ReadAll = %v, want ErrNotFound", err)
	}
}

func testBadRef(t *testing.T, b blob.Blobs) {
	ctx := context.Background()
	stored, err := blob.PutBytes(ctx, b, []byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"",
		"abc",
		strings.ToUpper(string(stored)),
		"../" + string(stored)[3:],
		string(stored)[:2] + "/" + string(stored)[3:],
		string(stored) + "0",
	} {
		rc, err := b.Open(ctx, blob.Ref(s))
		if err == nil {
			rc.Close()
		}
		if !errors.Is(err, blob.ErrBadRef) {
			t.Errorf("Open(%q) = %v, want ErrBadRef", s, err)
		}
	}
}

func testConcurrentPut(t *testing.T, b blob.Blobs) {
	ctx := context.Background()
	const n = 8
	want, size := refOfReader(t, source(8, 1<<20))
	var wg sync.WaitGroup
	errs := make([]error, n)
	refs := make([]blob.Ref, n)
	for i := range n {
		wg.Go(func() { refs[i], _, errs[i] = b.Put(ctx, source(8, size)) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || refs[i] != want {
			t.Fatalf("put %d = %s, %v; want %s", i, refs[i], errs[i], want)
		}
	}
	if got, _ := refOfReader(t, bytes.NewReader(mustRead(t, b, want))); got != want {
		t.Fatal("concurrent puts left a damaged blob")
	}
}

// testPutRacingOpen reads a blob while it is being put: a reader sees it whole or not at all.
func testPutRacingOpen(t *testing.T, b blob.Blobs) {
	ctx := context.Background()
	want, size := refOfReader(t, source(9, 2<<20))
	done := make(chan error, 1)
	go func() {
		_, _, err := b.Put(ctx, source(9, size))
		done <- err
	}()
	for stored := false; !stored; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			stored = true
		default:
		}
		data, err := blob.ReadAll(ctx, b, want)
		switch {
		case errors.Is(err, blob.ErrNotFound) && !stored:
		case err != nil:
			t.Fatalf("read during put: %v", err)
		case int64(len(data)) != size:
			t.Fatalf("read %d of %d bytes", len(data), size)
		}
		time.Sleep(time.Millisecond) // a yield, not a wait: the machine is shared
	}
}

// cancelAfter cancels its context once n bytes have been read, then keeps yielding data, as
// a client upload does when the request is abandoned.
type cancelAfter struct {
	r      io.Reader
	n      int64
	cancel context.CancelFunc
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	if c.n -= int64(k); c.n <= 0 {
		c.cancel()
	}
	return k, err
}

func testCancel(t *testing.T, b blob.Blobs) {
	const size = 4 << 20
	whole, _ := refOfReader(t, source(10, size))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, _, err := b.Put(ctx, &cancelAfter{r: source(10, size), n: 1 << 20, cancel: cancel})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Put with a cancelled context = %v, want context.Canceled", err)
	}
	wantMissing(t, b, whole)
}

type failAfter struct {
	r io.Reader
	n int64
}

var errSource = errors.New("source broke")

func (f *failAfter) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errSource
	}
	if int64(len(p)) > f.n {
		p = p[:f.n]
	}
	k, err := f.r.Read(p)
	f.n -= int64(k)
	return k, err
}

func testReaderFails(t *testing.T, b blob.Blobs) {
	const size = 100_000
	prefix, _ := refOfReader(t, source(11, size))
	_, _, err := b.Put(context.Background(), &failAfter{r: source(11, 1<<20), n: size})
	if !errors.Is(err, errSource) {
		t.Fatalf("Put from a failing reader = %v, want its error", err)
	}
	// What was read before the failure is not stored under its own name either.
	wantMissing(t, b, prefix)
}

func testOpenCancelled(t *testing.T, b blob.Blobs) {
	ref, err := blob.PutBytes(context.Background(), b, []byte(fmt.Sprint("kept ", t.Name())))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rc, err := b.Open(ctx, ref)
	if err == nil {
		_, err = io.ReadAll(rc)
		rc.Close()
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Open with a cancelled context = %v, want context.Canceled", err)
	}
}

// Bench puts and reads back one blob of size bytes per iteration, each with new content, so a
// backend's cost per page image can be compared (b.SetBytes: MB/s is put plus read).
func Bench(b *testing.B, s blob.Blobs, size int) {
	ctx := context.Background()
	data := make([]byte, size)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		// A fresh first word makes every iteration a new blob, not an idempotent no-op.
		data[0], data[1], data[2], data[3] = byte(i), byte(i>>8), byte(i>>16), byte(i>>24)
		ref, err := blob.PutBytes(ctx, s, data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := blob.ReadAll(ctx, s, ref); err != nil {
			b.Fatal(err)
		}
	}
}
