package api

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/store"
	"github.com/sohoa/sohoa/task"
)

func TestMoveBoundary(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	src, second := seedSplit(t, f.store, "000.00.15.H29-251201-0001")
	path := "/v1/documents/" + second + "/boundary"

	if resp, body := f.do(t, "POST", path, "rd", strings.NewReader(`{"first_page": 3}`), "application/json"); resp.StatusCode != 403 {
		t.Errorf("reader moving a boundary: %d %s, want 403", resp.StatusCode, body)
	}
	resp, body := f.do(t, "POST", path, "cl", strings.NewReader(`{"first_page": 3}`), "application/json")
	if resp.StatusCode != 202 {
		t.Fatalf("clerk moving a boundary: %d %s, want 202", resp.StatusCode, body)
	}
	var v DocumentView
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	if v.Part == nil || v.Part.FirstPage != 3 || v.Part.Reason != store.ReasonClerk || len(v.Parts) != 2 || v.Parts[0].LastPage != 2 || v.Status != store.StatusProcessing {
		t.Errorf("after the move: %s part %+v of %+v", v.Status, v.Part, v.Parts)
	}
	// Both documents changed pages: both are classified again.
	f.queue.mu.Lock()
	tasks := slices.Clone(f.queue.tasks)
	f.queue.mu.Unlock()
	for _, id := range []string{src, second} {
		if !slices.Contains(tasks, task.ID(task.TypeClassify, task.Payload{DocID: id})) {
			t.Errorf("no classify task for %s in %v", id, tasks)
		}
	}
	for _, tc := range []struct {
		name, path, body string
		want             int
	}{
		{"a move that empties the first part", path, `{"first_page": 1}`, 409},
		{"the first part", "/v1/documents/" + src + "/boundary", `{"first_page": 2}`, 409},
		{"no page", path, `{"page": 2}`, 400},
		{"no document", "/v1/documents/nope/boundary", `{"first_page": 2}`, 404},
	} {
		if resp, body := f.do(t, "POST", tc.path, "cl", strings.NewReader(tc.body), "application/json"); resp.StatusCode != tc.want {
			t.Errorf("%s: %d %s, want %d", tc.name, resp.StatusCode, body, tc.want)
		}
	}
}

// seedSplit stores a three-page file of dossier split into pages 1 and 2–3, and returns the
// two documents.
func seedSplit(t *testing.T, db *store.SQL, dossier string) (first, second string) {
	t.Helper()
	ctx := context.Background()
	batch := "bsplit" + dossier[len(dossier)-4:]
	if _, err := db.CreateBatch(ctx, store.Batch{ID: batch, DossierID: dossier}); err != nil {
		t.Fatal(err)
	}
	src, _, err := db.AddDocument(ctx, store.Document{DossierID: dossier, BatchID: batch, FileName: "hoso.tif", Blob: store.RefOf([]byte("whole " + dossier)), Size: 5})
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= 3; n++ {
		p := store.PageRecord{DocID: src.ID, DPI: 300, Image: store.RefOf(fmt.Appendf(nil, "img%d", n))}
		p.Number = n
		if err := db.SavePreparedPage(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	parts, err := db.SplitDocument(ctx, src.ID, []store.NewPart{{FirstPage: 1, LastPage: 1, Reason: "first"},
		{FirstPage: 2, LastPage: 3, Reason: "header", Blob: store.RefOf([]byte("part " + dossier)), FileName: "hoso_trang2-3.pdf"}})
	if err != nil {
		t.Fatal(err)
	}
	return src.ID, parts[1].DocID
}
