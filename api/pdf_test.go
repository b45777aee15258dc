package api

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
)

func TestDocumentPDF(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	blobs := f.blobs
	ctx := context.Background()
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 620, 877))); err != nil {
		t.Fatal(err)
	}
	ref, err := blobs.Put(ctx, img.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	f.store.CreateBatch(ctx, store.Batch{ID: "b", DossierID: "X-251201-0001"})
	d, _, _ := f.store.AddDocument(ctx, store.Document{DossierID: "X-251201-0001", BatchID: "b", FileName: "căn cước.png", Blob: store.RefOf([]byte("x"))})
	if err := f.store.SavePreparedPage(ctx, store.PageRecord{DocID: d.ID, DPI: 75, Image: ref, Page: record.Page{Number: 1, Width: 620, Height: 877}}); err != nil {
		t.Fatal(err)
	}
	words := []record.Word{
		{Text: "Số", Box: record.Box{40, 40, 70, 58}, Line: 0},
		{Text: "định", Box: record.Box{76, 40, 120, 58}, Line: 0},
		{Text: "danh:", Box: record.Box{126, 40, 180, 58}, Line: 0},
		{Text: "001090123456", Box: record.Box{186, 40, 330, 58}, Line: 0},
	}
	if _, err := f.store.SaveRecognition(ctx, d.ID, 1, "Số định danh: 001090123456", words, 90); err != nil {
		t.Fatal(err)
	}
	empty, _, _ := f.store.AddDocument(ctx, store.Document{DossierID: "X-251201-0001", BatchID: "b", FileName: "b.png", Blob: store.RefOf([]byte("y"))})

	cases := []struct {
		name, id, key string
		wantCode      int
		wantText      string
	}{
		{"clerk sees the ID number", d.ID, "cl", http.StatusOK, "Số định danh: 001090123456"},
		{"reader sees it masked", d.ID, "rd", http.StatusOK, "Số định danh: 001*******56"},
		{"uploader may not read", d.ID, "up", http.StatusForbidden, ""},
		{"missing document", "nope", "cl", http.StatusNotFound, ""},
		{"document not prepared yet", empty.ID, "cl", http.StatusConflict, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			resp, body := f.do(t, "GET", "/v1/documents/"+c.id+"/pdf", c.key, nil, "")
			if resp.StatusCode != c.wantCode {
				t.Fatalf("status = %d %s, want %d", resp.StatusCode, body, c.wantCode)
			}
			if c.wantCode != http.StatusOK {
				return
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/pdf" {
				t.Errorf("Content-Type = %q", ct)
			}
			if cd, want := resp.Header.Get("Content-Disposition"), "attachment; filename*=utf-8''c%C4%83n%20c%C6%B0%E1%BB%9Bc.pdf"; cd != want {
				t.Errorf("Content-Disposition = %q, want %q", cd, want)
			}
			if !bytes.HasPrefix(body, []byte("%PDF-")) {
				t.Fatalf("body does not start with %%PDF-: %.20q", body)
			}
			if got := pdfText(t, body); got != c.wantText {
				t.Errorf("text layer = %q, want %q", got, c.wantText)
			}
		})
	}
	t.Run("reads are audited", func(t *testing.T) {
		t.Parallel()
		resp, _ := f.do(t, "GET", "/v1/documents/"+d.ID+"/pdf", "cl", nil, "")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status = %d", resp.StatusCode)
		}
		log, err := f.store.AuditLog(ctx, d.ID, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range log {
			if e.Action == "read_pdf" {
				return
			}
		}
		t.Errorf("audit log has no read_pdf: %+v", log)
	})
}

// pdfText returns what poppler's pdftotext reads from a PDF, white space collapsed.
func pdfText(t *testing.T, data []byte) string {
	t.Helper()
	in := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", in, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, out)
	}
	return record.CollapseSpace(string(out))
}
