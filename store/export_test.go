package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sohoa/sohoa/record"
)

// ExportPage walks every matching document once, in upload order, on both backends; documents
// uploaded in the same instant are told apart by ID.
func TestExportPage(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx := context.Background()
	clock := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return clock }
	if _, err := s.CreateBatch(ctx, Batch{ID: "bx", DossierID: "HS-251201-0007"}); err != nil {
		t.Fatal(err)
	}
	for i := range 25 {
		if i%4 == 0 {
			clock = clock.Add(time.Hour) // several documents share each instant
		}
		d, _, err := s.AddDocument(ctx, Document{DossierID: "HS-251201-0007", BatchID: "bx", FileName: "x.png", Blob: RefOf(fmt.Appendf(nil, "x%d", i)), Size: 1})
		if err != nil {
			t.Fatal(err)
		}
		typ := "quyet_dinh"
		if i%5 == 0 {
			typ = "can_cuoc"
		}
		if err := s.SaveClassification(ctx, d.ID, record.Classification{Type: typ, Confidence: 1}); err != nil {
			t.Fatal(err)
		}
	}
	walk := func(f ExportFilter) []Document {
		t.Helper()
		var all []Document
		var afterCreated, afterID string
		for {
			page, err := s.ExportPage(ctx, f, afterCreated, afterID, 4)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, page...)
			if len(page) < 4 {
				return all
			}
			afterCreated, afterID = page[len(page)-1].CreatedAt, page[len(page)-1].ID
		}
	}
	all := walk(ExportFilter{DossierID: "HS-251201-0007"})
	seen := map[string]bool{}
	for i, d := range all {
		if seen[d.ID] {
			t.Fatalf("%s listed twice", d.ID)
		}
		seen[d.ID] = true
		if i > 0 && (d.CreatedAt < all[i-1].CreatedAt || d.CreatedAt == all[i-1].CreatedAt && d.ID < all[i-1].ID) {
			t.Fatalf("out of order at %d", i)
		}
	}
	if len(all) != 25 {
		t.Fatalf("walked %d documents, want 25", len(all))
	}
	if got := walk(ExportFilter{DocType: "can_cuoc"}); len(got) != 5 {
		t.Errorf("can_cuoc: %d, want 5", len(got))
	}
	from := Stamp(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))
	to := Stamp(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
	if got := walk(ExportFilter{From: from, To: to}); len(got) != 8 {
		t.Errorf("10:00 to 12:00: %d, want 8 (two instants of 4)", len(got))
	}
	if got := walk(ExportFilter{Status: StatusIndexed}); len(got) != 0 {
		t.Errorf("indexed: %d, want none", len(got))
	}
}
