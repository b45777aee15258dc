package pipeline

import (
	"context"
	"image"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/scan"
	"github.com/sohoa/sohoa/store"
	"github.com/sohoa/sohoa/task"
)

func gray(n int) *image.Gray { return image.NewGray(image.Rect(0, 0, n, 1)) }

func TestPageCache(t *testing.T) {
	t.Parallel()
	clock := time.Unix(0, 0)
	c := NewPageCache(100, time.Minute)
	c.now = func() time.Time { return clock }
	a, b, d := gray(40), gray(40), gray(40)
	c.Put("doc", 1, "r1", a)
	c.Put("doc", 2, "r2", b)
	// Full: the newest page is not kept, so the older ones, read next, stay.
	c.Put("doc", 3, "r3", d)
	if c.Len() != 2 || c.Take("doc", 3, "r3") != nil {
		t.Fatalf("a third page was kept beyond 100 bytes (%d pages)", c.Len())
	}
	if c.Take("doc", 1, "r1") != a {
		t.Error("page 1 not handed over")
	}
	if c.Take("doc", 1, "r1") != nil {
		t.Error("page 1 handed over twice")
	}
	// A page stored since under another blob is not the one the store names.
	c.Put("doc", 4, "r4", d)
	if c.Take("doc", 4, "other") != nil || c.Len() != 1 {
		t.Errorf("a page taken under another ref, or left behind (%d pages)", c.Len())
	}
	// Pages past their age make room; those within it do not.
	clock = clock.Add(2 * time.Minute)
	c.Put("doc", 5, "r5", gray(30))
	c.Put("doc", 6, "r6", gray(60))
	if c.Take("doc", 2, "r2") != nil || c.Take("doc", 6, "r6") == nil || c.Take("doc", 5, "r5") == nil {
		t.Error("an old page was not dropped to make room, or a young one was")
	}
	// A page cut from a larger image is handed over with its corner at the origin, as it
	// reads back from its PNG.
	big := image.NewGray(image.Rect(0, 0, 4, 3))
	for i := range big.Pix {
		big.Pix[i] = uint8(i)
	}
	c.Put("doc", 7, "r7", big.SubImage(image.Rect(1, 1, 3, 3)).(*image.Gray))
	if g := c.Take("doc", 7, "r7"); g == nil || g.Rect != image.Rect(0, 0, 2, 2) || g.GrayAt(0, 0).Y != 5 || g.GrayAt(1, 1).Y != 10 {
		t.Errorf("sub-image handed over as %+v", g)
	}
	var none *PageCache
	none.Put("doc", 1, "r1", a)
	if none.Take("doc", 1, "r1") != nil || none.Len() != 0 {
		t.Error("a nil cache held a page")
	}
}

// countingBlobs counts the reads of every blob but one (the original file).
type countingBlobs struct {
	store.Blobs
	original store.Ref
	mu       sync.Mutex
	gets     int
}

func (b *countingBlobs) Get(ctx context.Context, ref store.Ref) ([]byte, error) {
	if ref != b.original {
		b.mu.Lock()
		b.gets++
		b.mu.Unlock()
	}
	return b.Blobs.Get(ctx, ref)
}

// seeing is an OCR engine that keeps the page it was given.
type seeing struct{ got *image.Gray }

func (s *seeing) Recognize(_ context.Context, g *image.Gray, _ int) (ocr.Result, error) {
	s.got = g
	return ocr.Result{Text: "QUYẾT ĐỊNH"}, nil
}

type tasks struct{ ids []string }

func (q *tasks) Enqueue(_ context.Context, typ string, p task.Payload) error {
	q.ids = append(q.ids, task.ID(typ, p))
	return nil
}

// tempStores opens a SQLite store and a blob directory in a temporary directory, closed and
// removed when the test ends.
func tempStores(t testing.TB) (*store.SQL, *store.DirBlobs) {
	t.Helper()
	dir := t.TempDir()
	db, err := store.OpenSQLite(context.Background(), filepath.Join(dir, "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	blobs, err := store.NewDirBlobs(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	return db, blobs
}

// handoffWorker is a worker over a SQLite store and a blob directory, with an OCR engine that
// keeps the page it is given, on one document (a scanned decision) that is stored but not
// yet prepared.
func handoffWorker(t testing.TB) (*Worker, *countingBlobs, *seeing, *tasks, string) {
	t.Helper()
	ctx := context.Background()
	db, dirBlobs := tempStores(t)
	data, err := os.ReadFile(filepath.Join("..", "fixtures", "samples", "quyet_dinh_skew3.png"))
	if err != nil {
		t.Fatal(err)
	}
	ref, err := dirBlobs.Put(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	blobs := &countingBlobs{Blobs: dirBlobs, original: ref}
	batch, err := db.CreateBatch(ctx, store.Batch{ID: "b1", DossierID: "000.00.15.H29-251201-0001"})
	if err != nil {
		t.Fatal(err)
	}
	doc, _, err := db.AddDocument(ctx, store.Document{DossierID: batch.DossierID, BatchID: batch.ID, FileName: "qd.png", Blob: ref, Size: int64(len(data))})
	if err != nil {
		t.Fatal(err)
	}
	stages, err := NewStages(nil, scan.Limits{MaxFileBytes: 50 << 20, MaxPixels: 80_000_000, MaxPages: 10})
	if err != nil {
		t.Fatal(err)
	}
	eye := &seeing{}
	stages.OCR = eye
	q := &tasks{}
	w := &Worker{Stages: stages, Store: db, Blobs: blobs, Queue: q, Log: slog.New(slog.DiscardHandler), Pages: NewPageCache(64<<20, time.Hour)}
	return w, blobs, eye, q, doc.ID
}

// TestWorkerHandsPagesOver runs prepare and then OCR in one worker: with a page cache the OCR
// task reads no page image from the blob store and gets the same pixels as from it; without
// the page held (a task delivered twice), or when it was held under another blob, it reads
// the blob.
func TestWorkerHandsPagesOver(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w, blobs, eye, q, docID := handoffWorker(t)
	if err := w.prepare(ctx, task.Payload{DocID: docID}); err != nil {
		t.Fatal(err)
	}
	ocr1 := task.Payload{DocID: docID, Page: 1}
	if w.Pages.Len() != 1 || len(q.ids) != 1 || q.ids[0] != task.ID(task.TypeOCR, ocr1) {
		t.Fatalf("after prepare: %d pages held, tasks %v", w.Pages.Len(), q.ids)
	}
	if err := w.recognize(ctx, ocr1); err != nil {
		t.Fatal(err)
	}
	handed := eye.got
	if blobs.gets != 0 || w.Pages.Len() != 0 {
		t.Errorf("with the page in memory: %d page blob reads, %d pages left", blobs.gets, w.Pages.Len())
	}

	if err := w.recognize(ctx, ocr1); err != nil {
		t.Fatal(err)
	}
	if blobs.gets != 1 {
		t.Errorf("without the page in memory: %d page blob reads, want 1", blobs.gets)
	}
	stored := eye.got
	if handed.Rect != stored.Rect || string(handed.Pix) != string(stored.Pix) {
		t.Errorf("the page handed over (%v) differs from the stored one (%v)", handed.Rect, stored.Rect)
	}

	w.Pages.Put(docID, 1, "0000", gray(10))
	if err := w.recognize(ctx, ocr1); err != nil {
		t.Fatal(err)
	}
	if blobs.gets != 2 || eye.got.Rect != stored.Rect {
		t.Errorf("a page held under another blob: %d blob reads, page %v", blobs.gets, eye.got.Rect)
	}
}

// BenchmarkOCRTaskWithoutOCR is the cost of an OCR task apart from Tesseract (the store's
// reads and writes, and getting the page), with the page read back from the blob store and
// handed over in memory. cpu-ms/op is the process's user+system time per task.
func BenchmarkOCRTaskWithoutOCR(b *testing.B) {
	for _, held := range []bool{false, true} {
		name := map[bool]string{false: "blob", true: "memory"}[held]
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			w, _, eye, _, docID := handoffWorker(b)
			if err := w.prepare(ctx, task.Payload{DocID: docID}); err != nil {
				b.Fatal(err)
			}
			ocr1 := task.Payload{DocID: docID, Page: 1}
			if err := w.recognize(ctx, ocr1); err != nil { // the page, to hand over again
				b.Fatal(err)
			}
			page, err := w.Store.Page(ctx, docID, 1)
			if err != nil {
				b.Fatal(err)
			}
			img := eye.got
			cpu0 := cpuNow()
			b.ResetTimer()
			for b.Loop() {
				if held {
					w.Pages.Put(docID, 1, page.Image, img)
				}
				if err := w.recognize(ctx, ocr1); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuNow()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
		})
	}
}

func cpuNow() time.Duration {
	var u syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
