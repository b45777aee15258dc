package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sohoa/sohoa/record"
)

// openTest opens an empty store on the backend under test: SQLite, or PostgreSQL when
// TestPostgresSuite runs this binary again with SOHOA_TEST_STORE=postgres.
func openTest(t *testing.T) *SQL {
	t.Helper()
	if os.Getenv("SOHOA_TEST_STORE") == "postgres" {
		return openPostgresTest(t)
	}
	s, err := OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(); s.Close() })
	return s
}

func TestDirBlobs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b, err := NewDirBlobs(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("bản gốc")
	r1, err := b.Put(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	r2, _ := b.Put(ctx, data)
	if r1 != r2 || r1 != RefOf(data) {
		t.Fatalf("refs differ: %s %s", r1, r2)
	}
	got, err := b.Get(ctx, r1)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if _, err := b.Get(ctx, RefOf([]byte("other"))); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing blob: %v, want ErrNotFound", err)
	}
	if _, err := b.Get(ctx, Ref("../../etc/passwd")); err == nil {
		t.Fatal("malformed ref accepted")
	}
}

func TestDocumentLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	if _, err := s.CreateBatch(ctx, Batch{ID: "b1", DossierID: "X-251201-0001"}); err != nil {
		t.Fatal(err)
	}
	ref := RefOf([]byte("scan"))
	d, created, err := s.AddDocument(ctx, Document{DossierID: "X-251201-0001", BatchID: "b1", FileName: "a.png", Blob: ref, Size: 4})
	if err != nil || !created {
		t.Fatalf("AddDocument = %v, %v", created, err)
	}
	again, created, err := s.AddDocument(ctx, Document{DossierID: "X-251201-0001", BatchID: "b1", FileName: "copy.png", Blob: ref, Size: 4})
	if err != nil || created || again.ID != d.ID || again.FileName != "a.png" {
		t.Fatalf("re-upload = %+v, created=%v, %v; want the existing document", again, created, err)
	}
	other, created, _ := s.AddDocument(ctx, Document{DossierID: "Y-251201-0001", BatchID: "b1", FileName: "a.png", Blob: ref, Size: 4})
	if !created || other.ID == d.ID {
		t.Fatal("same bytes in another dossier must be another document")
	}

	for n := 1; n <= 2; n++ {
		if err := s.SavePreparedPage(ctx, PageRecord{DocID: d.ID, Page: record.Page{Number: n, Width: 10, Height: 20}, DPI: 300, Image: ref}); err != nil {
			t.Fatal(err)
		}
	}
	words := []record.Word{{Text: "Số", Confidence: 91, Box: record.Box{1, 2, 3, 4}}}
	if rem, err := s.SaveRecognition(ctx, d.ID, 1, "Số", words, 91); err != nil || rem != 1 {
		t.Fatalf("SaveRecognition page 1 = %d, %v; want 1 remaining", rem, err)
	}
	if rem, err := s.SaveRecognition(ctx, d.ID, 2, "", nil, 0); err != nil || rem != 0 {
		t.Fatalf("SaveRecognition page 2 = %d, %v; want 0 remaining", rem, err)
	}
	pages, err := s.Pages(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(words, pages[0].Words); diff != "" {
		t.Errorf("words (-want +got):\n%s", diff)
	}

	fields := record.Fields{"number": {Value: "12/QĐ-UBND", Confidence: 0.9, Page: 1, Valid: true, Read: "12/QĐ-UBNĐ"}, "issuer": {Value: "UBND", Confidence: 0.5}}
	if err := s.SaveExtraction(ctx, d.ID, fields, ReviewNeeded); err != nil {
		t.Fatal(err)
	}
	who := Actor{Name: "clerk-1", Role: "clerk"}
	if err := s.CorrectField(ctx, d.ID, "issuer", "ỦY BAN NHÂN DÂN XÃ AN BÌNH", true, who); err != nil {
		t.Fatal(err)
	}
	// Re-running extraction must not undo the clerk's correction.
	if err := s.SaveExtraction(ctx, d.ID, fields, ReviewNeeded); err != nil {
		t.Fatal(err)
	}
	got, err := s.Fields(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got["issuer"].Value != "ỦY BAN NHÂN DÂN XÃ AN BÌNH" || got["issuer"].Source != "clerk" || got["number"].Value != "12/QĐ-UBND" || got["number"].Read != "12/QĐ-UBNĐ" {
		t.Errorf("fields after re-extraction = %+v", got)
	}
	ids, err := s.DocumentsByFieldValue(ctx, []string{"number"}, "12/QĐ-UBND")
	if err != nil || len(ids) != 1 || ids[0] != d.ID {
		t.Errorf("DocumentsByFieldValue = %v, %v", ids, err)
	}

	if err := s.SetReviewState(ctx, d.ID, ReviewApproved, "", who); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveExtraction(ctx, d.ID, fields, ReviewNeeded); err != nil {
		t.Fatal(err)
	}
	if doc, _ := s.Document(ctx, d.ID); doc.ReviewState != ReviewApproved {
		t.Errorf("review state after re-extraction = %q, want approved kept", doc.ReviewState)
	}
	log, err := s.AuditLog(ctx, d.ID, 10)
	if err != nil || len(log) != 2 || log[1].Action != "correct_field" || log[1].Actor != who {
		t.Fatalf("audit log = %+v, %v", log, err)
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM audit`); err == nil {
		t.Error("audit log rows could be deleted")
	}
	if _, err := s.Document(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing document: %v", err)
	}
}

// A serve and a worker starting at the same moment both create the schema of a new file; the
// second must wait for the first rather than fail with SQLITE_BUSY. The openers are separate
// processes (this test binary run again) because that is where the locks are.
func TestOpenSQLiteConcurrently(t *testing.T) {
	if path := os.Getenv("SOHOA_TEST_OPEN"); path != "" {
		s, err := OpenSQLite(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		return
	}
	// Without the set-up lock, 2 of 30 rounds of 10 openers failed with SQLITE_BUSY; a few
	// rounds on fresh files give the race several chances.
	const rounds, n = 5, 10
	for round := range rounds {
		path := filepath.Join(t.TempDir(), fmt.Sprintf("sohoa%d.db", round))
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				cmd := exec.Command(os.Args[0], "-test.run=^TestOpenSQLiteConcurrently$")
				cmd.Env = append(os.Environ(), "SOHOA_TEST_OPEN="+path)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Errorf("round %d: %v: %s", round, err, out)
				}
			})
		}
		wg.Wait()
	}
}
