package store

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A five-page file: report (1-2), blank separator (3), invitation (4), birth certificate (5).
func TestSplitDocument(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	src := storeFile(t, s, 5)
	if whole, err := s.KeptWhole(ctx, src.ID); err != nil || whole {
		t.Fatalf("kept whole before asked: %v %v", whole, err)
	}
	if got, err := s.Parts(ctx, src.ID); err != nil || len(got) != 0 {
		t.Fatalf("parts before the split: %v %v", got, err)
	}
	want := []Part{
		{DocID: src.ID, SourceID: src.ID, Seq: 0, FirstPage: 1, LastPage: 2, Reason: "first"},
		{DocID: PartID(src.ID, 1), SourceID: src.ID, Seq: 1, FirstPage: 4, LastPage: 4, Reason: "blank"},
		{DocID: PartID(src.ID, 2), SourceID: src.ID, Seq: 2, FirstPage: 5, LastPage: 5, Reason: "title"},
	}
	parts := []NewPart{{FirstPage: 1, LastPage: 2, Reason: "first"},
		{FirstPage: 4, LastPage: 4, Reason: "blank", Blob: RefOf([]byte("p4")), Size: 2, FileName: "hoso_trang4.pdf"},
		{FirstPage: 5, LastPage: 5, Reason: "title", Blob: RefOf([]byte("p5")), Size: 2, FileName: "hoso_trang5.pdf"}}
	for run := range 2 { // the second run finds the split done and changes nothing
		got, err := s.SplitDocument(ctx, src.ID, parts)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("run %d: parts (-want +got):\n%s", run, diff)
		}
	}
	for _, id := range []string{src.ID, want[2].DocID} {
		got, err := s.Parts(ctx, id)
		if err != nil || !cmp.Equal(want, got) {
			t.Errorf("Parts(%s) = %v, %v", id, got, err)
		}
	}
	// Each part holds its pages, renumbered from 1, with the source's images and text.
	for _, tc := range []struct {
		id    string
		texts []string
	}{
		{src.ID, []string{"p1", "p2"}},
		{want[1].DocID, []string{"p4"}},
		{want[2].DocID, []string{"p5"}},
	} {
		pages, err := s.Pages(ctx, tc.id)
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for i, p := range pages {
			if p.Number != i+1 || !p.Recognised {
				t.Errorf("%s page %d: number %d, recognised %v", tc.id, i+1, p.Number, p.Recognised)
			}
			texts = append(texts, p.Text)
		}
		if diff := cmp.Diff(tc.texts, texts); diff != "" {
			t.Errorf("%s pages (-want +got):\n%s", tc.id, diff)
		}
		d, err := s.Document(ctx, tc.id)
		if err != nil {
			t.Fatal(err)
		}
		if d.PageCount != len(tc.texts) || d.BatchID != "b1" || d.DossierID != src.DossierID {
			t.Errorf("%s: %+v", tc.id, d)
		}
	}
	docs, err := s.BatchDocuments(ctx, "b1")
	if err != nil || len(docs) != 3 {
		t.Fatalf("batch holds %d documents, want 3 (%v)", len(docs), err)
	}
	if _, err := s.SplitDocument(ctx, src.ID, parts[:1]); err == nil {
		t.Error("a split into one part was accepted")
	}
}

// A first part after a leading blank sheet is renumbered from 1.
func TestSplitLeadingBlank(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	src := storeFile(t, s, 4)
	if _, err := s.SplitDocument(ctx, src.ID, []NewPart{{FirstPage: 2, LastPage: 3}, {FirstPage: 4, LastPage: 4, Blob: RefOf([]byte("p4"))}}); err != nil {
		t.Fatal(err)
	}
	pages, err := s.Pages(ctx, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 2 || pages[0].Number != 1 || pages[0].Image != RefOf([]byte("img2")) || pages[1].Image != RefOf([]byte("img3")) {
		t.Errorf("first part's pages: %+v", pages)
	}
}

func TestKeepWhole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	if _, err := s.CreateBatch(ctx, Batch{ID: "b1", DossierID: "X-251201-0001"}); err != nil {
		t.Fatal(err)
	}
	d, _, err := s.AddDocument(ctx, Document{DossierID: "X-251201-0001", BatchID: "b1", FileName: "a.pdf", Blob: RefOf([]byte("a")), Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := s.KeepWhole(ctx, d.ID); err != nil {
			t.Fatal(err)
		}
	}
	if whole, err := s.KeptWhole(ctx, d.ID); err != nil || !whole {
		t.Errorf("KeptWhole = %v, %v", whole, err)
	}
}

// storeFile stores a recognised file of n pages (text "p1", "p2" …) in a new batch and
// returns its document.
func storeFile(t *testing.T, s *SQL, n int) Document {
	t.Helper()
	ctx := context.Background()
	if _, err := s.CreateBatch(ctx, Batch{ID: "b1", DossierID: "X-251201-0001"}); err != nil {
		t.Fatal(err)
	}
	src, _, err := s.AddDocument(ctx, Document{DossierID: "X-251201-0001", BatchID: "b1", FileName: "hoso.tif", Blob: RefOf([]byte("whole")), Size: 5})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= n; i++ {
		if err := s.SavePreparedPage(ctx, PageRecord{DocID: src.ID, DPI: 300, Image: RefOf(fmt.Appendf(nil, "img%d", i))}.withNumber(i)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveRecognition(ctx, src.ID, i, fmt.Sprintf("p%d", i), nil, 90); err != nil {
			t.Fatal(err)
		}
	}
	return src
}

func (p PageRecord) withNumber(n int) PageRecord { p.Number = n; return p }

func TestMoveBoundary(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	src := storeFile(t, s, 6)
	// Parts 1-2, 3-4 and, after a separator sheet (page 5), 6.
	parts, err := s.SplitDocument(ctx, src.ID, []NewPart{{FirstPage: 1, LastPage: 2, Reason: "first"},
		{FirstPage: 3, LastPage: 4, Reason: "header", Blob: RefOf([]byte("b")), FileName: "b.pdf"},
		{FirstPage: 6, LastPage: 6, Reason: "blank", Blob: RefOf([]byte("c")), FileName: "c.pdf"}})
	if err != nil {
		t.Fatal(err)
	}
	b, c := parts[1].DocID, parts[2].DocID
	texts := func(id string) string {
		pages, err := s.Pages(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for i, p := range pages {
			if p.Number != i+1 {
				t.Errorf("%s: page %d numbered %d", id, i+1, p.Number)
			}
			out = append(out, p.Text)
		}
		return fmt.Sprint(out)
	}
	who := Actor{Name: "clerk", Role: "clerk"}
	for _, tc := range []struct {
		first           int
		wantSrc, wantB  string
		srcLast, bFirst int
	}{
		{4, "[p1 p2 p3]", "[p4]", 3, 4}, // the boundary moves forward: page 3 joins the first part
		{2, "[p1]", "[p2 p3 p4]", 1, 2}, // and back past where it was
		{2, "[p1]", "[p2 p3 p4]", 1, 2}, // to where it is: nothing changes
	} {
		got, err := s.MoveBoundary(ctx, b, tc.first, who)
		if err != nil {
			t.Fatalf("moving to %d: %v", tc.first, err)
		}
		if texts(src.ID) != tc.wantSrc || texts(b) != tc.wantB {
			t.Errorf("moving to %d: pages %s and %s, want %s and %s", tc.first, texts(src.ID), texts(b), tc.wantSrc, tc.wantB)
		}
		if got[0].LastPage != tc.srcLast || got[1].FirstPage != tc.bFirst || got[1].LastPage != 4 || got[1].Reason != ReasonClerk {
			t.Errorf("moving to %d: parts %+v", tc.first, got)
		}
		stored, _ := s.Parts(ctx, b)
		if !cmp.Equal(got, stored) {
			t.Errorf("moving to %d: answered %+v, stored %+v", tc.first, got, stored)
		}
		d, _ := s.Document(ctx, b)
		if d.PageCount != 4-tc.bFirst+1 || d.Status != StatusProcessing {
			t.Errorf("moving to %d: page count %d, status %s", tc.first, d.PageCount, d.Status)
		}
	}
	for _, tc := range []struct {
		name  string
		id    string
		first int
	}{
		{"would empty the part before", b, 1},
		{"past the part's end", b, 5},
		{"across a separator sheet", c, 5},
		{"the first part", src.ID, 2},
	} {
		if _, err := s.MoveBoundary(ctx, tc.id, tc.first, who); !errors.Is(err, ErrBoundary) {
			t.Errorf("%s: %v, want ErrBoundary", tc.name, err)
		}
	}
	log, err := s.AuditLog(ctx, b, 10)
	if err != nil || len(log) != 2 {
		t.Errorf("audit of %s: %d entries (%v), want 2 moves", b, len(log), err)
	}
}
