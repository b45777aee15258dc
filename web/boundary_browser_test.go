package web_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
)

// splitDossier holds the split file of the boundary subtest, apart from the other subtests'.
const splitDossier = "000.00.15.H29-251203-0020"

// seedSplit stores a recognised three-page file split into page 1 and pages 2–3, both
// classified, extracted and indexed, as the pipeline would; it returns the two documents.
func seedSplit(t *testing.T, ctx context.Context, db *store.SQL, blobs store.Blobs, pg page) (first, second string) {
	t.Helper()
	ref, err := blobs.Put(ctx, pg.png)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateBatch(ctx, store.Batch{ID: "bsplit", DossierID: splitDossier}); err != nil {
		t.Fatal(err)
	}
	src, _, err := db.AddDocument(ctx, store.Document{DossierID: splitDossier, BatchID: "bsplit", FileName: "ho-so.tif", Blob: store.RefOf([]byte("ho-so.tif")), Size: 9})
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= 3; n++ {
		if err := db.SavePreparedPage(ctx, store.PageRecord{DocID: src.ID, Page: record.Page{Number: n, Width: pg.w, Height: pg.h}, DPI: 300, Image: ref}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SaveRecognition(ctx, src.ID, n, pg.text, pg.words, 91); err != nil {
			t.Fatal(err)
		}
	}
	parts, err := db.SplitDocument(ctx, src.ID, []store.NewPart{{FirstPage: 1, LastPage: 1, Reason: "first"},
		{FirstPage: 2, LastPage: 3, Reason: "header", Blob: store.RefOf([]byte("ho-so_trang2-3.pdf")), FileName: "ho-so_trang2-3.pdf"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range parts {
		if err := db.SaveClassification(ctx, p.DocID, record.Classification{Type: "quyet_dinh", Confidence: 0.87}); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveExtraction(ctx, p.DocID, pageFields(pg), store.ReviewAuto); err != nil {
			t.Fatal(err)
		}
		if err := db.SetStatus(ctx, p.DocID, store.StatusIndexed, ""); err != nil {
			t.Fatal(err)
		}
	}
	return parts[0].DocID, parts[1].DocID
}

// moveBoundary opens the second document of a split file as a clerk, reads which pages of
// the file it covers, moves its start from page 2 to page 3 with the review page's control,
// and checks the store and the queue: page 2 went to the first document and both were sent
// to be classified again.
func moveBoundary(t *testing.T, bctx context.Context, base string, db *store.SQL, first, second string, queue *fakeQueue, login func(), checkJS func(string)) {
	t.Helper()
	queued := func() []string {
		queue.mu.Lock()
		defer queue.mu.Unlock()
		return slices.Clone(queue.tasks)
	}
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(bctx, actions...); err != nil {
			t.Fatalf("%s: %v (page: %s)", what, err, pageState(bctx))
		}
	}
	login()
	var info, value string
	run("opening the second document of the file",
		chromedp.Navigate(base+"/van-ban/"+second),
		chromedp.WaitVisible(`#boundary-section`, chromedp.ByID),
		chromedp.Text(`#boundary-info`, &info, chromedp.ByID),
		chromedp.Value(`#boundary-first`, &value, chromedp.ByID),
	)
	if !strings.Contains(info, "trang 2–3") || !strings.Contains(info, "2 văn bản") || value != "2" {
		t.Errorf("boundary section says %q with first page %q; want pages 2–3 of a file of 2 documents, starting at 2", info, value)
	}
	run("moving the boundary to page 3",
		chromedp.SetValue(`#boundary-first`, "3", chromedp.ByID),
		chromedp.Click(`#boundary-button`, chromedp.ByID),
		across(`document.getElementById('boundary-status').textContent.startsWith('Đã dời ranh giới')`),
	)
	parts, err := db.Parts(context.Background(), second)
	if err != nil || len(parts) != 2 || parts[0].LastPage != 2 || parts[1].FirstPage != 3 {
		t.Errorf("parts after the move: %+v (%v); want 1–2 and 3–3", parts, err)
	}
	for _, id := range []string{first, second} {
		if !slices.Contains(queued(), "classify:"+id) {
			t.Errorf("%s was not sent to be classified again: %v", id, queued())
		}
	}
	checkJS("moving a boundary")
}
