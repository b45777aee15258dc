package store

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/sohoa/sohoa/record"
)

// A clerk's correction and reclassification each leave a labelled example, with the old
// value's confidence, box and the words around it; a refused change leaves none.
func TestTrainingExamples(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx := context.Background()
	id := addDocs(t, s, "bx", "HS-251201-0007", 1)[0]
	if err := s.SavePreparedPage(ctx, PageRecord{DocID: id, Page: record.Page{Number: 1, Width: 1000, Height: 1400}, DPI: 300, Image: RefOf([]byte("p"))}); err != nil {
		t.Fatal(err)
	}
	words := []record.Word{
		{Text: "QUYẾT", Confidence: 0.9, Box: record.Box{400, 100, 500, 130}, Line: 1},
		{Text: "Người", Confidence: 0.9, Box: record.Box{100, 600, 180, 630}, Line: 5},
		{Text: "ký:", Confidence: 0.9, Box: record.Box{190, 600, 230, 630}, Line: 5},
		{Text: "Nguyễn", Confidence: 0.7, Box: record.Box{240, 600, 330, 630}, Line: 5},
		{Text: "Văn", Confidence: 0.6, Box: record.Box{340, 600, 390, 630}, Line: 5},
		{Text: "cuối", Confidence: 0.9, Box: record.Box{100, 1300, 160, 1330}, Line: 9},
	}
	if _, err := s.SaveRecognition(ctx, id, 1, "QUYẾT ĐỊNH\nNgười ký: Nguyễn Văn", words, 85); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveClassification(ctx, id, record.Classification{Type: "cong_van", Confidence: 0.55}); err != nil {
		t.Fatal(err)
	}
	fields := record.Fields{"signer": {Value: "Nguyễn Văn", Confidence: 0.42, Page: 1, BBox: record.Box{240, 600, 390, 630}, Valid: true}}
	if err := s.SaveExtraction(ctx, id, fields, ReviewNeeded); err != nil {
		t.Fatal(err)
	}
	clerk := Actor{Name: "clerk1", Role: "clerk"}
	if err := s.CorrectFields(ctx, "no-such-doc", []FieldChange{{Name: "signer", Value: "x", Valid: true}}, clerk); !errors.Is(err, ErrNotFound) {
		t.Fatalf("correcting a missing document: %v, want ErrNotFound", err)
	}
	if err := s.CorrectFields(ctx, id, []FieldChange{{Name: "signer", Value: "Nguyễn Văn An", Valid: true}, {Name: "subject", Value: "Về việc", Valid: true}}, clerk); err != nil {
		t.Fatal(err)
	}
	// The same clerk value saved again is no new example.
	if err := s.CorrectFields(ctx, id, []FieldChange{{Name: "signer", Value: "Nguyễn Văn An", Valid: true}}, clerk); err != nil {
		t.Fatal(err)
	}
	if err := s.Review(ctx, id, Decision{State: ReviewApproved, DocType: "quyet_dinh"}, clerk); err != nil {
		t.Fatal(err)
	}
	got, err := s.Examples(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []Example{
		{DocID: id, Kind: ExampleField, Field: "signer", DocType: "cong_van", OldValue: "Nguyễn Văn", NewValue: "Nguyễn Văn An",
			OldSource: "extract", Confidence: 0.42, Page: 1, BBox: record.Box{240, 600, 390, 630}, Context: words[1:5], Actor: "clerk1"},
		{DocID: id, Kind: ExampleField, Field: "subject", DocType: "cong_van", NewValue: "Về việc", Context: []record.Word{}, Actor: "clerk1"},
		{DocID: id, Kind: ExampleDocType, DocType: "cong_van", OldValue: "cong_van", NewValue: "quyet_dinh", OldSource: "classify",
			Confidence: 0.55, Page: 1, Context: words[:1], Actor: "clerk1"},
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Example{}, "ID", "At")); diff != "" {
		t.Fatalf("examples (-want +got):\n%s", diff)
	}
	if got[0].At == "" || got[1].ID <= got[0].ID {
		t.Errorf("examples carry a time and increasing IDs: %+v", got)
	}
	rest, err := s.Examples(ctx, got[1].ID, 10)
	if err != nil || len(rest) != 1 || rest[0].Kind != ExampleDocType {
		t.Errorf("Examples after %d: %+v, %v; want the reclassification only", got[1].ID, rest, err)
	}
	ids, err := s.ReviewedDocuments(ctx)
	if err != nil || len(ids) != 1 || ids[0] != id {
		t.Errorf("ReviewedDocuments: %v, %v; want [%s]", ids, err, id)
	}
}
