package store

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReviewReasons(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	if _, err := s.CreateBatch(ctx, Batch{ID: "b1", DossierID: "X-251201-0001"}); err != nil {
		t.Fatal(err)
	}
	d, _, err := s.AddDocument(ctx, Document{DossierID: "X-251201-0001", BatchID: "b1", FileName: "a.png", Blob: RefOf([]byte("scan")), Size: 4})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.ReviewReasons(ctx, d.ID); err != nil || len(got) != 0 {
		t.Fatalf("before any: %v, %v", got, err)
	}
	want := []ReviewReason{{Code: "field_missing", Field: "number", Message: "Thiếu trường bắt buộc"}, {Code: "doc_type_low_confidence", Message: "Loại văn bản chưa chắc chắn"}}
	if err := s.SaveReviewReasons(ctx, d.ID, want); err != nil {
		t.Fatal(err)
	}
	got, err := s.ReviewReasons(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reasons (-want +got):\n%s", diff)
	}
	// Saving again replaces; none clears.
	if err := s.SaveReviewReasons(ctx, d.ID, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ReviewReasons(ctx, d.ID); len(got) != 0 {
		t.Errorf("after clearing: %v", got)
	}
}
