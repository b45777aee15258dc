package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/extract"
	"github.com/sohoa/sohoa/index"
	"github.com/sohoa/sohoa/indexdoc"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/scan"
	"github.com/sohoa/sohoa/store"
	"github.com/sohoa/sohoa/task"
)

// Indexer receives finished documents; *index.Index implements it.
type Indexer interface {
	Upsert(ctx context.Context, docs ...index.Doc) error
}

// Worker runs the stages as asynq task handlers over the store.
type Worker struct {
	Stages *Stages
	Store  *store.SQL
	Blobs  store.Blobs
	Index  Indexer
	Queue  task.Enqueuer
	Log    *slog.Logger
	// Pages, when set, hands prepared pages to the OCR tasks of this process without the
	// blob store's round trip; set it only where one process serves both prepare and ocr.
	Pages *PageCache
	// Turns, when set, bounds the pages this process prepares and recognises at once; set
	// it where one process serves both prepare and ocr.
	Turns *Turns
}

// Mux routes every stage's task type to its handler.
func (w *Worker) Mux() *asynq.ServeMux {
	mux := asynq.NewServeMux()
	mux.HandleFunc(task.TypePrepare, w.handle(task.TypePrepare, w.prepare))
	mux.HandleFunc(task.TypeOCR, w.handle(task.TypeOCR, w.recognize))
	mux.HandleFunc(task.TypeClassify, w.handle(task.TypeClassify, w.classify))
	mux.HandleFunc(task.TypeExtract, w.handle(task.TypeExtract, w.extract))
	mux.HandleFunc(task.TypeIndex, w.handle(task.TypeIndex, w.index))
	return mux
}

// handle decodes the payload, logs the stage's outcome and duration, and recovers panics so
// that one bad page cannot take the worker down.
func (w *Worker) handle(stage string, fn func(context.Context, task.Payload) error) func(context.Context, *asynq.Task) error {
	return func(ctx context.Context, t *asynq.Task) (err error) {
		p, err := decodePayload(t)
		if err != nil {
			return err
		}
		start := time.Now()
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic in %s: %v", stage, r)
			}
			log := w.Log.With("stage", stage, "doc_id", p.DocID, "duration_ms", time.Since(start).Milliseconds())
			if p.Page > 0 {
				log = log.With("page", p.Page)
			}
			if err != nil {
				log.Warn("task failed", "err", err)
				return
			}
			log.Debug("task done")
		}()
		return fn(ctx, p)
	}
}

// prepare splits the original into pages, prepares and stores each page image, and
// schedules OCR for every page that is not blank.
func (w *Worker) prepare(ctx context.Context, p task.Payload) error {
	doc, err := w.Store.Document(ctx, p.DocID)
	if err != nil {
		return err
	}
	if doc.Status == store.StatusFailed {
		return nil
	}
	stored, err := w.Store.Pages(ctx, doc.ID)
	if err != nil {
		return err
	}
	if len(stored) > 0 && len(stored) >= doc.PageCount {
		// Every page was stored before: this is a retry of a prepare whose worker died
		// before asynq heard it was done, and the pages' OCR may have run meanwhile.
		// Preparing again would store the pages afresh over their recognised text.
		return w.requeue(ctx, doc, stored)
	}
	data, err := w.Blobs.Get(ctx, doc.Blob)
	if err != nil {
		return fmt.Errorf("reading original: %w", err)
	}
	if err := w.Store.SetStatus(ctx, doc.ID, store.StatusProcessing, ""); err != nil {
		return err
	}
	var ocrPages, blankPages []int
	n := 0
	turn := w.Turns.Turn()
	defer turn.Give()
	if err := turn.Take(ctx); err != nil {
		return err
	}
	err = scan.Pages(ctx, doc.FileName, data, w.Stages.Limits, func(raw scan.Raw) error {
		if err := turn.Take(ctx); err != nil { // the page before gave it back while stored
			return err
		}
		prep, err := scan.Prepare(ctx, raw, w.Stages.Scan)
		if err != nil {
			return err
		}
		img, err := encodePage(prep.Image)
		if err != nil {
			return err
		}
		// Writing and syncing the page and its record waits on the disk, not on a core:
		// an OCR task may compute meanwhile.
		turn.Give()
		ref, err := w.Blobs.Put(ctx, img)
		if err != nil {
			return fmt.Errorf("storing page %d: %w", raw.Number, err)
		}
		b := prep.Image.Bounds()
		rec := store.PageRecord{DocID: doc.ID, DPI: prep.DPI, Image: ref, Page: record.Page{
			Number: raw.Number, Width: b.Dx(), Height: b.Dy(), Rotation: prep.Rotation, SkewDegrees: prep.SkewDegrees, Blank: prep.Blank,
		}}
		if err := w.Store.SavePreparedPage(ctx, rec); err != nil {
			return err
		}
		if !prep.Blank {
			w.Pages.Put(doc.ID, raw.Number, ref, prep.Image)
		}
		if prep.Blank {
			blankPages = append(blankPages, raw.Number)
		} else {
			ocrPages = append(ocrPages, raw.Number)
		}
		n++
		return nil
	})
	turn.Give()
	if err == nil && n == 0 {
		err = &scan.InputError{Err: scan.ErrEmpty, Detail: "the file has no pages"}
	}
	if IsBadInput(err) {
		if serr := w.Store.SetStatus(ctx, doc.ID, store.StatusFailed, err.Error()); serr != nil {
			return serr
		}
		return fmt.Errorf("%v: %w", err, asynq.SkipRetry)
	}
	if err != nil {
		return err
	}
	if err := w.Store.SetPageCount(ctx, doc.ID, n); err != nil {
		return err
	}
	// Blank pages count as recognised with no text.
	for _, num := range blankPages {
		if _, err := w.Store.SaveRecognition(ctx, doc.ID, num, "", nil, 0); err != nil {
			return err
		}
	}
	if len(ocrPages) == 0 {
		return w.Queue.Enqueue(ctx, task.TypeClassify, task.Payload{DocID: doc.ID})
	}
	for _, num := range ocrPages {
		if err := w.Queue.Enqueue(ctx, task.TypeOCR, task.Payload{DocID: doc.ID, Page: num}); err != nil {
			return err
		}
	}
	return nil
}

// requeue queues again what a prepare of doc that stored every page (stored) may not have
// queued: the OCR of each page not recognised yet (a task still queued keeps its place, its ID
// being taken), or, when every page is, the classification of a document still in processing.
func (w *Worker) requeue(ctx context.Context, doc store.Document, stored []store.PageRecord) error {
	left := false
	for _, r := range stored {
		if r.Recognised {
			continue
		}
		left = true
		if err := w.Queue.Enqueue(ctx, task.TypeOCR, task.Payload{DocID: doc.ID, Page: r.Number}); err != nil {
			return err
		}
	}
	if !left && doc.Status == store.StatusProcessing {
		return w.Queue.Enqueue(ctx, task.TypeClassify, task.Payload{DocID: doc.ID})
	}
	return nil
}

// recognize OCRs one page; the task that recognises the last page schedules classification.
func (w *Worker) recognize(ctx context.Context, p task.Payload) error {
	if split, err := w.wasSplit(ctx, p.DocID); err != nil || split {
		return err
	}
	pg, err := w.Store.Page(ctx, p.DocID, p.Page)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%v: %w", err, asynq.SkipRetry)
	}
	if err != nil {
		return err
	}
	turn := w.Turns.Turn()
	defer turn.Give()
	if err := turn.Take(ctx); err != nil {
		return err
	}
	img := w.Pages.Take(p.DocID, p.Page, pg.Image)
	if img == nil {
		data, err := w.Blobs.Get(ctx, pg.Image)
		if err != nil {
			return fmt.Errorf("reading page image: %w", err)
		}
		if img, err = decodePage(data); err != nil {
			return err
		}
	}
	res, err := w.Stages.OCR.Recognize(ctx, img, int(pg.DPI+0.5))
	if err != nil {
		return fmt.Errorf("recognising page %d: %w", p.Page, err)
	}
	turn.Give()
	if err := w.savePageHash(ctx, pg.Image, img, res.Text); err != nil {
		return err
	}
	remaining, err := w.Store.SaveRecognition(ctx, p.DocID, p.Page, res.Text, res.Words, res.MeanConfidence)
	if err != nil {
		return err
	}
	if remaining == 0 {
		return w.Queue.Enqueue(ctx, task.TypeClassify, task.Payload{DocID: p.DocID})
	}
	return nil
}

func (w *Worker) pages(ctx context.Context, docID string) ([]record.Page, error) {
	recs, err := w.Store.Pages(ctx, docID)
	if err != nil {
		return nil, err
	}
	pages := make([]record.Page, len(recs))
	for i, r := range recs {
		pages[i] = r.Page
	}
	return pages, nil
}

func (w *Worker) classify(ctx context.Context, p task.Payload) error {
	if err := w.splitFile(ctx, p.DocID); err != nil {
		return err
	}
	pages, err := w.pages(ctx, p.DocID)
	if err != nil {
		return err
	}
	if err := w.Store.SaveClassification(ctx, p.DocID, w.Stages.Classifier.Classify(pages)); err != nil {
		return err
	}
	return w.Queue.Enqueue(ctx, task.TypeExtract, task.Payload{DocID: p.DocID})
}

func (w *Worker) extract(ctx context.Context, p task.Payload) error {
	doc, err := w.Store.Document(ctx, p.DocID)
	if err != nil {
		return err
	}
	pages, err := w.pages(ctx, p.DocID)
	if err != nil {
		return err
	}
	c := record.Classification{Type: doc.DocType, Confidence: doc.DocTypeConfidence}
	fields := w.Stages.Extractor.Extract(c.Type, pages)
	reasons := reviewReasons(c, fields)
	state := store.ReviewAuto
	if len(reasons) > 0 {
		state = store.ReviewNeeded
	}
	if err := w.Store.SaveExtraction(ctx, p.DocID, fields, state); err != nil {
		return err
	}
	if err := w.Store.SaveReviewReasons(ctx, p.DocID, reasons); err != nil {
		return err
	}
	return w.Queue.Enqueue(ctx, task.TypeIndex, task.Payload{DocID: p.DocID})
}

// index upserts the document into the search index. When Meilisearch is down the task
// fails and asynq retries it with back-off, while reads by ID keep working from the store.
func (w *Worker) index(ctx context.Context, p task.Payload) error {
	d, err := indexdoc.Load(ctx, w.Store, p.DocID)
	if err != nil {
		return err
	}
	if err := w.Index.Upsert(ctx, d); err != nil {
		return err
	}
	return w.Store.SetStatus(ctx, p.DocID, store.StatusIndexed, "")
}

// GaveUp is the asynq error handler: when a task has used its last retry (or was marked
// SkipRetry), the document is marked failed so its batch can finish and a person sees why.
func (w *Worker) GaveUp(ctx context.Context, t *asynq.Task, err error) {
	retried, _ := asynq.GetRetryCount(ctx)
	maxRetry, _ := asynq.GetMaxRetry(ctx)
	if retried < maxRetry && !errors.Is(err, asynq.SkipRetry) {
		return
	}
	p, perr := decodePayload(t)
	if perr != nil {
		return
	}
	doc, derr := w.Store.Document(ctx, p.DocID)
	if derr != nil || doc.Status == store.StatusFailed {
		return
	}
	msg := fmt.Sprintf("processing stopped at the %s stage: %v", t.Type(), err)
	if serr := w.Store.SetStatus(context.WithoutCancel(ctx), p.DocID, store.StatusFailed, msg); serr != nil {
		w.Log.Error("marking document failed", "doc_id", p.DocID, "err", serr)
	}
}

// decodePayload reads a task's payload; one that cannot be read is not retried.
func decodePayload(t *asynq.Task) (task.Payload, error) {
	p, err := task.Decode(t.Payload())
	if err != nil {
		return p, fmt.Errorf("decoding %s payload %q: %v: %w", t.Type(), t.Payload(), err, asynq.SkipRetry)
	}
	return p, nil
}

// reviewReasons are why a clerk must look at a document (none: it is filed without review),
// in the store's form.
func reviewReasons(c record.Classification, f record.Fields) []store.ReviewReason {
	var out []store.ReviewReason
	for _, r := range extract.Reasons(nil, c, f) {
		out = append(out, store.ReviewReason{Code: r.Code, Field: r.Field, Message: r.Message})
	}
	return out
}
