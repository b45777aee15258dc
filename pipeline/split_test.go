package pipeline

import (
	"bytes"
	"context"
	"image"
	"log/slog"
	"slices"
	"testing"

	"github.com/sohoa/sohoa/scan"
	"github.com/sohoa/sohoa/store"
	"github.com/sohoa/sohoa/task"
)

const (
	reportPage = "ỦY BAN NHÂN DÂN\nXÃ TÂN PHÚ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 45/BC-UBND\nBÁO CÁO\nKết quả công tác quý I năm 2024 của xã\n"
	contPage   = "Điều 3. Các đơn vị có liên quan chịu trách nhiệm thi hành báo cáo này kể từ ngày ký.\n"
	birthPage  = "GIẤY KHAI SINH\nHọ, chữ đệm, tên: NGUYỄN VĂN AN\nNgày, tháng, năm sinh: 01/02/2003\n"
)

// splitWorker is a worker over a SQLite store holding one recognised four-page file: a
// two-page report, a blank sheet, a birth certificate.
func splitWorker(t *testing.T) (*Worker, *tasks, string) {
	t.Helper()
	ctx := context.Background()
	db, blobs := tempStores(t)
	if _, err := db.CreateBatch(ctx, store.Batch{ID: "b1", DossierID: "000.00.15.H29-251201-0001"}); err != nil {
		t.Fatal(err)
	}
	doc, _, err := db.AddDocument(ctx, store.Document{DossierID: "000.00.15.H29-251201-0001", BatchID: "b1", FileName: "hoso.tif", Blob: store.RefOf([]byte("file")), Size: 4})
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range []string{reportPage, contPage, "", birthPage} {
		g := image.NewGray(image.Rect(0, 0, 60, 80))
		g.Pix[i] = 1 // four different images
		png, err := encodePage(g)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := blobs.Put(ctx, png)
		if err != nil {
			t.Fatal(err)
		}
		rec := store.PageRecord{DocID: doc.ID, DPI: 300, Image: ref}
		rec.Number, rec.Blank = i+1, text == ""
		if err := db.SavePreparedPage(ctx, rec); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SaveRecognition(ctx, doc.ID, i+1, text, nil, 90); err != nil {
			t.Fatal(err)
		}
	}
	stages, err := NewStages(nil, scan.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	q := &tasks{}
	return &Worker{Stages: stages, Store: db, Blobs: blobs, Queue: q, Log: slog.New(slog.DiscardHandler)}, q, doc.ID
}

func TestWorkerSplitsFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w, q, id := splitWorker(t)
	for range 2 { // a task that runs twice splits once
		if err := w.classify(ctx, task.Payload{DocID: id}); err != nil {
			t.Fatal(err)
		}
	}
	parts, err := w.Store.Parts(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 2 || parts[0].DocID != id || parts[0].LastPage != 2 || parts[1].FirstPage != 4 || parts[1].Reason != "blank" {
		t.Fatalf("parts %+v, want the report (1-2) and the birth certificate (4)", parts)
	}
	src, err := w.Store.Document(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if src.DocType != "bao_cao" || src.PageCount != 2 {
		t.Errorf("the uploaded document: %s, %d pages; want bao_cao of 2 pages", src.DocType, src.PageCount)
	}
	if !slices.Contains(q.ids, task.ID(task.TypeClassify, task.Payload{DocID: parts[1].DocID})) {
		t.Errorf("the birth certificate was not queued for classification: %v", q.ids)
	}
	part, err := w.Store.Document(ctx, parts[1].DocID)
	if err != nil {
		t.Fatal(err)
	}
	original, err := w.Blobs.Get(ctx, part.Blob)
	if err != nil || !bytes.HasPrefix(original, []byte("%PDF")) || part.FileName != "hoso_trang4.pdf" {
		t.Errorf("the part's original: %s, %.8q (%v)", part.FileName, original, err)
	}
	// A late duplicate of an OCR task for a page that went to the other part changes nothing
	// (before, the missing page marked the uploaded document failed).
	if err := w.recognize(ctx, task.Payload{DocID: id, Page: 4}); err != nil {
		t.Errorf("late OCR task: %v", err)
	}
	// The part's own classification neither splits nor queues anything more.
	n := len(q.ids)
	if err := w.classify(ctx, task.Payload{DocID: parts[1].DocID}); err != nil {
		t.Fatal(err)
	}
	if part, _ = w.Store.Document(ctx, parts[1].DocID); part.DocType != "giay_khai_sinh" {
		t.Errorf("the part is %q, want giay_khai_sinh", part.DocType)
	}
	if len(q.ids) != n+1 { // its extract task only
		t.Errorf("tasks after classifying the part: %v", q.ids[n:])
	}
}

func TestWorkerKeepsWhole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w, _, id := splitWorker(t)
	if err := w.Store.KeepWhole(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := w.classify(ctx, task.Payload{DocID: id}); err != nil {
		t.Fatal(err)
	}
	if parts, err := w.Store.Parts(ctx, id); err != nil || len(parts) != 0 {
		t.Errorf("a file kept whole was split: %+v (%v)", parts, err)
	}
	if pages, err := w.Store.Pages(ctx, id); err != nil || len(pages) != 4 {
		t.Errorf("the file kept whole holds %d pages (%v), want 4", len(pages), err)
	}
}

// TestPrepareRetryKeepsRecognisedPages: a prepare task run again after every page was
// stored (its worker died before asynq heard it was done) and recognised leaves the pages'
// text as it is and queues the classification, instead of preparing the file afresh.
func TestPrepareRetryKeepsRecognisedPages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w, q, id := splitWorker(t)
	db := w.Store
	if err := db.SetPageCount(ctx, id, 4); err != nil {
		t.Fatal(err)
	}
	if err := db.SetStatus(ctx, id, store.StatusProcessing, ""); err != nil {
		t.Fatal(err)
	}
	if err := w.prepare(ctx, task.Payload{DocID: id}); err != nil {
		t.Fatalf("prepare again: %v", err)
	}
	recs, err := db.Pages(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 || recs[0].Text != reportPage || !recs[0].Recognised {
		t.Errorf("pages after the retry: %d, first %q (recognised %v)", len(recs), recs[0].Text, recs[0].Recognised)
	}
	if want := []string{task.ID(task.TypeClassify, task.Payload{DocID: id})}; !slices.Equal(q.ids, want) {
		t.Errorf("queued %v, want %v", q.ids, want)
	}
}
