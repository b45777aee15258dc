package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/sohoa/sohoa/api"
	sohoaclient "github.com/sohoa/sohoa/client"
	"github.com/sohoa/sohoa/fixtures"
	"github.com/sohoa/sohoa/ingest"
)

// TestSplitEndToEnd uploads a whole-dossier scan through the API, as archive staff scan a hồ
// sơ in one go: a TIFF holding a report, a barcode separator sheet, an invitation, a blank
// separator sheet and a birth certificate. It must come out as three documents of the right types, each with its page
// range in the file; the same file uploaded with splitting turned off stays one document.
func TestSplitEndToEnd(t *testing.T) {
	dir := t.TempDir()
	truth, err := fixtures.GenerateScan(context.Background(), dir, "hoso", fixtures.ScanOptions{Seed: 20,
		Types: []string{"bao_cao", "giay_moi", "giay_khai_sinh"}, Separators: []string{fixtures.SeparatorBarcode, fixtures.SeparatorBlank}, OnePage: true})
	if err != nil {
		t.Fatal(err)
	}
	scanPath := filepath.Join(dir, truth.File)
	ctx, _, base := startTestStack(t, stackVars(t, dir, "3", "e2e_split", "up:uploader,cl:clerk", nil))

	up := &sohoaclient.Client{Base: base, Key: "up", HTTP: http.DefaultClient}
	whole := &sohoaclient.Client{Base: base, Key: "up", HTTP: http.DefaultClient, KeepWhole: true}
	const dossier, wholeDossier = "000.00.15.H29-251201-0020", "000.00.15.H29-251201-0021"
	res, err := up.Upload(ctx, dossier, []string{scanPath})
	if err != nil {
		t.Fatal(err)
	}
	resWhole, err := whole.Upload(ctx, wholeDossier, []string{scanPath})
	if err != nil {
		t.Fatal(err)
	}
	if err := ingest.Follow(ctx, up, []string{res.Batch.ID, resWhole.Batch.ID}, os.Stderr); err != nil {
		t.Fatal(err)
	}

	clerk := &sohoaclient.Client{Base: base, Key: "cl", HTTP: http.DefaultClient}
	var d api.DossierView
	if err := clerk.Get(ctx, "/v1/dossiers/"+dossier, &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Documents) != len(truth.Parts) {
		t.Fatalf("the scan became %d documents, want %d", len(d.Documents), len(truth.Parts))
	}
	docs := d.Documents
	sort.Slice(docs, func(i, j int) bool {
		return docs[i].Part != nil && docs[j].Part != nil && docs[i].Part.Seq < docs[j].Part.Seq
	})
	for i, doc := range docs {
		want := truth.Parts[i]
		if doc.Part == nil {
			t.Fatalf("%s has no part", doc.ID)
		}
		if doc.Status != "indexed" || doc.DocType != want.DocType || doc.Part.FirstPage != want.First || doc.Part.LastPage != want.Last ||
			doc.Part.SourceID != res.Items[0].DocumentID || doc.PageCount != want.Last-want.First+1 {
			t.Errorf("part %d: %s %s pages %d-%d of %s (%d pages); want indexed %s pages %d-%d of %s",
				i, doc.Status, doc.DocType, doc.Part.FirstPage, doc.Part.LastPage, doc.Part.SourceID, doc.PageCount,
				want.DocType, want.First, want.Last, res.Items[0].DocumentID)
		}
		if len(doc.Parts) != len(truth.Parts) {
			t.Errorf("part %d lists %d parts, want %d", i, len(doc.Parts), len(truth.Parts))
		}
	}
	if r := docs[1].Part.Reason; r != "barcode" {
		t.Errorf("the invitation starts for %q, want after the barcode sheet", r)
	}
	if docs[0].ID != res.Items[0].DocumentID {
		t.Errorf("the first part is %s, want the uploaded document %s", docs[0].ID, res.Items[0].DocumentID)
	}
	// A later part's original is a PDF of its own pages.
	var pdf bytes.Buffer
	if err := clerk.Download(ctx, "/v1/documents/"+docs[2].ID+"/original", &pdf); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf.Bytes(), []byte("%PDF")) {
		t.Errorf("the birth certificate's original starts %q, want a PDF", pdf.Bytes()[:min(8, pdf.Len())])
	}

	var w api.DossierView
	if err := clerk.Get(ctx, "/v1/dossiers/"+wholeDossier, &w); err != nil {
		t.Fatal(err)
	}
	if len(w.Documents) != 1 || w.Documents[0].PageCount != truth.Pages || w.Documents[0].Part != nil || w.Documents[0].Status != "indexed" {
		t.Errorf("with split=false: %d documents (%+v), want one of %d pages", len(w.Documents), w.Documents, truth.Pages)
	}
}
