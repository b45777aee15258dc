package store

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sohoa/sohoa/record"
)

// queueDoc is a document of the queue test: where it goes and what the pipeline made of it.
type queueDoc struct {
	name, dossier, batch, docType, state string
	typeConf                             float64
	fields                               record.Fields
	missing                              []string // required fields the pipeline found missing
}

func seedQueue(t *testing.T, s *SQL, docs []queueDoc) map[string]string {
	t.Helper()
	ctx := context.Background()
	ids := map[string]string{}
	batches := map[string]bool{}
	for _, q := range docs {
		if !batches[q.batch] {
			if _, err := s.CreateBatch(ctx, Batch{ID: q.batch, DossierID: q.dossier}); err != nil {
				t.Fatal(err)
			}
			batches[q.batch] = true
		}
		d, _, err := s.AddDocument(ctx, Document{DossierID: q.dossier, BatchID: q.batch, FileName: q.name + ".png", Blob: RefOf([]byte(q.name)), Size: 1})
		if err != nil {
			t.Fatal(err)
		}
		ids[q.name] = d.ID
		if q.state == ReviewNone {
			continue
		}
		if err := s.SaveClassification(ctx, d.ID, record.Classification{Type: q.docType, Confidence: q.typeConf}); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveExtraction(ctx, d.ID, q.fields, q.state); err != nil {
			t.Fatal(err)
		}
		var reasons []ReviewReason
		for _, m := range q.missing {
			reasons = append(reasons, ReviewReason{Code: "field_missing", Field: m, Message: "Thiếu trường"})
		}
		if err := s.SaveReviewReasons(ctx, d.ID, reasons); err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

func names(ids map[string]string, items []QueueItem) []string {
	byID := map[string]string{}
	for n, id := range ids {
		byID[id] = n
	}
	out := []string{}
	for _, it := range items {
		out = append(out, byID[it.ID])
	}
	return out
}

func TestQueue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	const d1, d2 = "A-251201-0001", "A-251201-0002"
	ok := func(c float64) record.Field { return record.Field{Value: "x", Confidence: c, Valid: true} }
	bad := record.Field{Value: "x", Confidence: 0.9, Valid: false}
	ids := seedQueue(t, s, []queueDoc{
		{"approved", d1, "b1", "quyet_dinh", ReviewApproved, 0.9, record.Fields{"number": ok(0.2)}, nil},
		{"confident", d1, "b1", "quyet_dinh", ReviewNeeded, 0.95, record.Fields{"number": ok(0.9)}, nil},
		{"unsure", d1, "b1", "cong_van", ReviewNeeded, 0.95, record.Fields{"number": ok(0.3)}, nil},
		{"unsure-type", d1, "b1", "quyet_dinh", ReviewNeeded, 0.25, record.Fields{"number": ok(0.9)}, nil},
		{"invalid", d2, "b2", "quyet_dinh", ReviewNeeded, 0.95, record.Fields{"number": bad, "subject": ok(0.99)}, nil},
		{"missing-two", d2, "b2", "cong_van", ReviewNeeded, 0.95, record.Fields{"number": ok(0.99)}, []string{"subject", "signer"}},
		{"auto", d2, "b2", "cong_van", ReviewAuto, 0.99, record.Fields{"number": ok(0.97)}, nil},
		{"unextracted", d2, "b2", "", ReviewNone, 0, nil, nil},
	})

	page, err := s.Queue(ctx, QueueFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"missing-two", "invalid", "unsure-type", "unsure", "confident", "auto", "approved", "unextracted"}
	if diff := cmp.Diff(want, names(ids, page.Items)); diff != "" {
		t.Errorf("queue order (-want +got):\n%s", diff)
	}
	if page.Total != 8 || page.Next != "" {
		t.Errorf("total %d, next %q; want 8 and no next", page.Total, page.Next)
	}
	if it := page.Items[0]; it.Failed != 2 || it.LowestConfidence != 0.95 || len(it.Reasons) != 2 || it.Reasons[1].Field != "signer" {
		t.Errorf("missing-two ranked by %d failed checks, lowest confidence %v, reasons %+v; want 2, 0.95 and its two reasons",
			it.Failed, it.LowestConfidence, it.Reasons)
	}
	if r := page.Items[1].Reasons; r == nil || len(r) != 0 {
		t.Errorf("a document without reasons lists %#v, want []", r)
	}

	// Filtering by state and dossier; each facet ignores its own filter.
	page, err = s.Queue(ctx, QueueFilter{ReviewState: ReviewNeeded, DossierID: d1})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"unsure-type", "unsure", "confident"}, names(ids, page.Items)); diff != "" {
		t.Errorf("needs_review in %s (-want +got):\n%s", d1, diff)
	}
	wantFacets := QueueFacets{
		ReviewState: []FacetCount{{ReviewNeeded, 3}, {ReviewApproved, 1}},
		DocType:     []FacetCount{{"quyet_dinh", 2}, {"cong_van", 1}},
		DossierID:   []FacetCount{{d1, 3}, {d2, 2}},
		BatchID:     []FacetCount{{"b1", 3}},
	}
	if diff := cmp.Diff(wantFacets, page.Facets); diff != "" {
		t.Errorf("facets (-want +got):\n%s", diff)
	}
	page, err = s.Queue(ctx, QueueFilter{ReviewState: ReviewStateNone})
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != ids["unextracted"] {
		t.Errorf("state none lists %v (%v), want the unextracted document", names(ids, page.Items), err)
	}

	// Pages by cursor: two at a time cover the filter once, in order.
	var walked []string
	after := ""
	for range 10 {
		p, err := s.Queue(ctx, QueueFilter{ReviewState: ReviewNeeded, After: after, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		walked = append(walked, names(ids, p.Items)...)
		if p.Next == "" {
			break
		}
		after = p.Next
	}
	if diff := cmp.Diff(want[:5], walked); diff != "" {
		t.Errorf("paged walk (-want +got):\n%s", diff)
	}
	// Unfiltered, three at a time: pages cross from one review state to the next.
	walked, after = nil, ""
	for range 10 {
		p, err := s.Queue(ctx, QueueFilter{After: after, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		walked = append(walked, names(ids, p.Items)...)
		if p.Next == "" {
			break
		}
		after = p.Next
	}
	if diff := cmp.Diff(want, walked); diff != "" {
		t.Errorf("paged walk across states (-want +got):\n%s", diff)
	}

	// The clerk approves the first document; the next after its cursor is the second, even
	// though the first has left the filter.
	first, err := s.Queue(ctx, QueueFilter{ReviewState: ReviewNeeded, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CorrectFields(ctx, ids["missing-two"], []FieldChange{{"subject", "Về việc", true}, {"signer", "An", true}}, Actor{Name: "c", Role: "clerk"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Review(ctx, ids["missing-two"], Decision{State: ReviewApproved}, Actor{Name: "c", Role: "clerk"}); err != nil {
		t.Fatal(err)
	}
	next, err := s.Queue(ctx, QueueFilter{ReviewState: ReviewNeeded, After: first.Items[0].Cursor, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(ids, next.Items); len(got) != 1 || got[0] != "invalid" {
		t.Errorf("next after the approved first = %v, want [invalid]", got)
	}
	// Filled in, its missing fields no longer count.
	all, err := s.Queue(ctx, QueueFilter{ReviewState: ReviewApproved})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range all.Items {
		if it.ID == ids["missing-two"] && it.Failed != 0 {
			t.Errorf("after filling both missing fields, %d failed checks, want 0", it.Failed)
		}
	}

	for _, c := range []string{"not base64!", "eHl6"} {
		if _, err := s.Queue(ctx, QueueFilter{After: c}); !errors.Is(err, ErrBadCursor) {
			t.Errorf("cursor %q: err %v, want ErrBadCursor", c, err)
		}
	}
}

// BenchmarkQueue lists the first page of a 5,000-document queue (a third needing review) with
// its facets: unfiltered, the UI's default (needs_review) and one batch. The rank is computed
// on every listing for each matching document of the review states the page reaches, so the
// cost grows with the backlog needing review, not with the page.
func BenchmarkQueue(b *testing.B) {
	ctx := context.Background()
	s, err := OpenSQLite(ctx, b.TempDir()+"/q.db")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const docs = 5000
	names := []string{"number", "issued_date", "place", "issuer", "subject", "signer", "signer_title", "normative"}
	for i := range docs {
		batch := fmt.Sprintf("b%d", i/100)
		dossier := fmt.Sprintf("B-251201-%04d", i/50)
		if i%100 == 0 {
			if _, err := s.CreateBatch(ctx, Batch{ID: batch, DossierID: dossier}); err != nil {
				b.Fatal(err)
			}
		}
		d, _, err := s.AddDocument(ctx, Document{DossierID: dossier, BatchID: batch, FileName: "x.png", Blob: RefOf(fmt.Appendf(nil, "doc %d", i)), Size: 1})
		if err != nil {
			b.Fatal(err)
		}
		fields := record.Fields{}
		for j, n := range names {
			fields[n] = record.Field{Value: "v", Confidence: float64((i*7+j*13)%100) / 100, Valid: (i+j)%11 != 0}
		}
		state := ReviewAuto
		if i%3 == 0 {
			state = ReviewNeeded
		}
		if err := s.SaveExtraction(ctx, d.ID, fields, state); err != nil {
			b.Fatal(err)
		}
		if state == ReviewNeeded {
			if err := s.SaveReviewReasons(ctx, d.ID, []ReviewReason{{Code: "field_missing", Field: "recipient", Message: "m"}}); err != nil {
				b.Fatal(err)
			}
		}
	}
	for _, f := range []QueueFilter{{}, {ReviewState: ReviewNeeded}, {ReviewState: ReviewNeeded, BatchID: "b7"}} {
		b.Run(fmt.Sprintf("state=%q,batch=%q", f.ReviewState, f.BatchID), func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Queue(ctx, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
