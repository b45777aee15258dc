package web_test

import (
	"bytes"
	"context"
	"image"
	"image/draw"
	"image/png"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sohoa/sohoa/neardup"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
)

// seedNearDuplicates stores the test page twice, as two scans of one paper uploaded into two
// dossiers (recognised, indexed, their page hashes kept as the worker keeps them), and
// returns the two documents.
func seedNearDuplicates(t *testing.T, ctx context.Context, db *store.SQL, blobs store.Blobs, pg page) (first, second string) {
	t.Helper()
	ref, err := blobs.Put(ctx, pg.png)
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := png.Decode(bytes.NewReader(pg.png))
	if err != nil {
		t.Fatal(err)
	}
	gray := image.NewGray(decoded.Bounds())
	draw.Draw(gray, gray.Bounds(), decoded, decoded.Bounds().Min, draw.Src)
	sig := neardup.Sign(gray, pg.text)
	if err := db.SavePageHash(ctx, store.PageHash{Image: ref, ImageHash: sig.Image, TextMinHash: sig.Text.String(), Shingles: sig.Text.Shingles, Bands: sig.Text.Bands()}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i, dossier := range []string{"000.00.15.H29-251203-0030", "000.00.15.H29-251203-0031"} {
		batch := "bdup" + dossier[len(dossier)-1:]
		if _, err := db.CreateBatch(ctx, store.Batch{ID: batch, DossierID: dossier}); err != nil {
			t.Fatal(err)
		}
		d, _, err := db.AddDocument(ctx, store.Document{DossierID: dossier, BatchID: batch, FileName: "quet.png", Blob: store.RefOf([]byte{byte(i)}), Size: 1})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SavePreparedPage(ctx, store.PageRecord{DocID: d.ID, Page: record.Page{Number: 1, Width: pg.w, Height: pg.h}, DPI: 300, Image: ref}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SaveRecognition(ctx, d.ID, 1, pg.text, pg.words, 91); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveClassification(ctx, d.ID, record.Classification{Type: "quyet_dinh", Confidence: 0.87}); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveExtraction(ctx, d.ID, pageFields(pg), store.ReviewNeeded); err != nil {
			t.Fatal(err)
		}
		if err := db.SetStatus(ctx, d.ID, store.StatusIndexed, ""); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	return ids[0], ids[1]
}

// openNearDuplicate opens the first scan's review page as a clerk: it must say that the
// document may be the same as the second, with a link that opens the second's review page.
func openNearDuplicate(t *testing.T, bctx context.Context, base, first, second string, login func(), checkJS func(string)) {
	t.Helper()
	login()
	var line, loc string
	if err := chromedp.Run(bctx,
		chromedp.Navigate(base+"/van-ban/"+first),
		chromedp.WaitVisible(`#near-duplicates`, chromedp.ByID),
		chromedp.Text(`#near-duplicates`, &line, chromedp.ByID),
		chromedp.Click(`#near-duplicates a`, chromedp.ByQuery),
		chromedp.WaitVisible(`#doc-heading`, chromedp.ByID),
		chromedp.Location(&loc),
	); err != nil {
		t.Fatalf("opening the near-duplicate: %v (page: %s)", err, pageState(bctx))
	}
	if !strings.HasPrefix(line, "Có thể trùng với tài liệu "+second) {
		t.Errorf("near-duplicate line %q, want it to start with 'Có thể trùng với tài liệu %s'", line, second)
	}
	if !strings.HasSuffix(loc, "/van-ban/"+second) {
		t.Errorf("the link opened %s, want the review page of %s", loc, second)
	}
	checkJS("near-duplicate line")
}
