package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/fixtures"
	"github.com/sohoa/sohoa/inproc"
)

// TestProcessSplits runs `sohoa process` on a whole-dossier scan as a new user would: a PDF
// holding an invitation, a QR separator sheet and a birth certificate comes out as two
// documents with their types and page ranges, and with --no-split as one.
func TestProcessSplits(t *testing.T) {
	_, stages := testStages(t)
	dir := t.TempDir()
	truth, err := fixtures.GenerateScan(context.Background(), dir, "hoso", fixtures.ScanOptions{Seed: 21, Format: "pdf",
		Types: []string{"giay_moi", "giay_khai_sinh"}, Separators: []string{fixtures.SeparatorBarcode}, OnePage: true})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, truth.File)
	r := inproc.File(context.Background(), stages, path, 200<<20)
	if r.Error != "" || len(r.Parts) != 2 {
		t.Fatalf("%s: %d parts (%s), want 2", truth.File, len(r.Parts), r.Error)
	}
	for i, p := range r.Parts {
		want := truth.Parts[i]
		if p.DocType != want.DocType || p.FirstPage != want.First || p.LastPage != want.Last {
			t.Errorf("part %d: %s pages %d-%d, want %s pages %d-%d", i+1, p.DocType, p.FirstPage, p.LastPage, want.DocType, want.First, want.Last)
		}
	}
	if r.Parts[1].Reason != "barcode" || r.DocType != "giay_moi" || len(r.Pages) != 3 {
		t.Errorf("second part starts for %q; the file: %s, %d pages", r.Parts[1].Reason, r.DocType, len(r.Pages))
	}
	var out bytes.Buffer
	inproc.WriteText(&out, r)
	if !strings.Contains(out.String(), "2 documents in 3 page(s)") || !strings.Contains(out.String(), "pages 3-3 (barcode): giay_khai_sinh") {
		t.Errorf("printed:\n%s", out.String())
	}

	stages.KeepWhole = true
	if whole := inproc.File(context.Background(), stages, path, 200<<20); len(whole.Parts) != 0 || len(whole.Pages) != 3 {
		t.Errorf("--no-split: %d parts, %d pages; want the file whole", len(whole.Parts), len(whole.Pages))
	}
}
