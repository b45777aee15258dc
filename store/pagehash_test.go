package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sohoa/sohoa/record"
)

// addPages stores a one-batch document of the given page images in dossier.
func addPages(t *testing.T, s *SQL, dossier, batch string, images ...string) Document {
	t.Helper()
	ctx := context.Background()
	if _, err := s.CreateBatch(ctx, Batch{ID: batch, DossierID: dossier}); err != nil {
		t.Fatal(err)
	}
	d, _, err := s.AddDocument(ctx, Document{DossierID: dossier, BatchID: batch, FileName: batch + ".pdf", Blob: RefOf([]byte(batch)), Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	for i, img := range images {
		if err := s.SavePreparedPage(ctx, PageRecord{DocID: d.ID, DPI: 300, Image: Ref(img), Page: record.Page{Number: i + 1, Width: 10, Height: 10}}); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

func pageHash(img string, hash uint64, bands ...int64) PageHash {
	return PageHash{Image: Ref(img), ImageHash: hash, TextMinHash: "ab" + img, Shingles: len(img), Bands: bands}
}

// candidatePairs summarises candidates as "own page → doc:page".
func candidatePairs(cs []HashCandidate) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%d→%s:%d", c.Page, c.DocID, c.OtherPage))
	}
	return out
}

func TestHashCandidates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	a := addPages(t, s, "A-251201-0001", "ba", "imgA1", "imgA2")
	b := addPages(t, s, "B-251201-0001", "bb", "imgB1")
	c := addPages(t, s, "C-251201-0001", "bc", "imgC1")
	// The same image as A's second page, in a third dossier: an identical prepared page.
	d := addPages(t, s, "D-251201-0001", "bd", "imgA2")
	for _, h := range []PageHash{
		pageHash("imgA1", 1<<63|5, 10, 11, 12),
		pageHash("imgA2", 7, 20, 21),
		pageHash("imgB1", 1<<63|4, 99, 11, 12), // shares two bands with A's page 1
		pageHash("imgC1", 9, 30, 31),           // shares none
	} {
		for range 2 { // saving again changes nothing
			if err := s.SavePageHash(ctx, h); err != nil {
				t.Fatal(err)
			}
		}
	}
	got, err := s.HashCandidates(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1→" + b.ID + ":1", "2→" + d.ID + ":1"}
	if diff := cmp.Diff(want, candidatePairs(got)); diff != "" {
		t.Fatalf("candidates of A (-want +got):\n%s", diff)
	}
	// Hashes come back as saved, the top bit included (stored signed).
	if got[0].Own.ImageHash != 1<<63|5 || got[0].Other.ImageHash != 1<<63|4 || got[0].Other.TextMinHash != "abimgB1" || got[0].Other.Shingles != 5 {
		t.Errorf("candidate hashes = %+v", got[0])
	}
	// The link is found from either side.
	if got, err := s.HashCandidates(ctx, b.ID); err != nil || !cmp.Equal(candidatePairs(got), []string{"1→" + a.ID + ":1"}) {
		t.Errorf("candidates of B = %v, %v", candidatePairs(got), err)
	}
	if got, err := s.HashCandidates(ctx, c.ID); err != nil || len(got) != 0 {
		t.Errorf("candidates of C = %v, %v; want none", candidatePairs(got), err)
	}
	// A page recognised again with other bands replaces its old ones.
	if err := s.SavePageHash(ctx, pageHash("imgB1", 4, 98)); err != nil {
		t.Fatal(err)
	}
	if got, err := s.HashCandidates(ctx, b.ID); err != nil || len(got) != 0 {
		t.Errorf("candidates of B after its new bands = %v, %v; want none", candidatePairs(got), err)
	}
}

// A hash belongs to the page image, so it follows a page into the part of a split file.
func TestHashCandidatesAfterSplit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	src := storeFile(t, s, 3)
	third := string(RefOf([]byte("img3")))
	other := addPages(t, s, "Y-251201-0001", "by", "scan-again")
	for _, h := range []PageHash{pageHash(third, 1, 5), pageHash("scan-again", 2, 5)} {
		if err := s.SavePageHash(ctx, h); err != nil {
			t.Fatal(err)
		}
	}
	parts, err := s.SplitDocument(ctx, src.ID, []NewPart{{FirstPage: 1, LastPage: 2, Reason: "first"},
		{FirstPage: 3, LastPage: 3, Reason: "title", Blob: RefOf([]byte("p3")), Size: 2, FileName: "p3.pdf"}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.HashCandidates(ctx, other.ID)
	if err != nil || !cmp.Equal(candidatePairs(got), []string{"1→" + parts[1].DocID + ":1"}) {
		t.Errorf("candidates of the rescan = %v, %v; want the second part's page 1", candidatePairs(got), err)
	}
	if got, err := s.HashCandidates(ctx, src.ID); err != nil || len(got) != 0 {
		t.Errorf("candidates of the first part = %v, %v; want none", candidatePairs(got), err)
	}
}
