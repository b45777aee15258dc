package pipeline

import (
	"context"
	"errors"
	"image"
	"testing"

	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/store"
	"github.com/sohoa/sohoa/task"
)

// turnWatch is an OCR engine and a blob store that note whether the worker's only turn was
// held when the page was recognised and when a page was stored.
type turnWatch struct {
	store.Blobs
	turns                    *Turns
	heldAtOCR, heldAtPut     bool
	recognised, pagesWritten int
}

func (tw *turnWatch) held() bool {
	if tw.turns.sem.TryAcquire(1) {
		tw.turns.sem.Release(1)
		return false
	}
	return true
}

func (tw *turnWatch) Recognize(context.Context, *image.Gray, int) (ocr.Result, error) {
	tw.recognised++
	tw.heldAtOCR = tw.held()
	return ocr.Result{Text: "QUYẾT ĐỊNH"}, nil
}

func (tw *turnWatch) Put(ctx context.Context, data []byte) (store.Ref, error) {
	tw.pagesWritten++
	tw.heldAtPut = tw.held()
	return tw.Blobs.Put(ctx, data)
}

// A worker with one turn prepares and recognises a page holding it, gives it back while the
// prepared page is stored and after each task, and while the turn is taken elsewhere neither
// prepares nor recognises.
func TestTurnsBoundPrepareAndOCR(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w, _, _, _, docID := handoffWorker(t)
	tw := &turnWatch{Blobs: w.Blobs, turns: NewTurns(1)}
	w.Blobs, w.Stages.OCR, w.Turns = tw, tw, tw.turns
	ocr1 := task.Payload{DocID: docID, Page: 1}

	busy := w.Turns.Turn()
	if err := busy.Take(ctx); err != nil {
		t.Fatal(err)
	}
	waiting, cancel := context.WithCancel(ctx)
	cancel()
	if err := w.prepare(waiting, task.Payload{DocID: docID}); !errors.Is(err, context.Canceled) || tw.pagesWritten != 0 {
		t.Fatalf("prepare with the turn taken: %v, %d pages written", err, tw.pagesWritten)
	}
	busy.Give()

	if err := w.prepare(ctx, task.Payload{DocID: docID}); err != nil {
		t.Fatal(err)
	}
	if tw.pagesWritten != 1 || tw.heldAtPut || tw.held() {
		t.Errorf("prepare: %d pages written, turn held while storing %v, after %v", tw.pagesWritten, tw.heldAtPut, tw.held())
	}

	busy.Take(ctx)
	if err := w.recognize(waiting, ocr1); !errors.Is(err, context.Canceled) || tw.recognised != 0 {
		t.Fatalf("OCR with the turn taken: %v, %d pages recognised", err, tw.recognised)
	}
	busy.Give()
	if err := w.recognize(ctx, ocr1); err != nil {
		t.Fatal(err)
	}
	if tw.recognised != 1 || !tw.heldAtOCR || tw.held() {
		t.Errorf("OCR: %d pages recognised, turn held while recognising %v, after %v", tw.recognised, tw.heldAtOCR, tw.held())
	}
}

// A nil *Turns bounds nothing, and a Turn may be given back without being held.
func TestNilTurns(t *testing.T) {
	var none *Turns
	h := none.Turn()
	h.Give()
	if err := h.Take(context.Background()); err != nil {
		t.Fatal(err)
	}
	h.Give()
}
