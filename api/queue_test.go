package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
)

// TestReviewQueue lists the queue over HTTP: worst first, filters, facets, the cursor that
// finds the next document after an approval, masking of file names and the audit entry.
func TestReviewQueue(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	const dossierA, dossierB = "000.00.15.H29-251201-0001", "000.00.15.H29-251201-0002"
	ids := map[string]string{}
	add := func(name, dossier, batch, docType, state string, fields record.Fields) {
		t.Helper()
		if _, err := f.store.Batch(ctx, batch); err != nil {
			if _, err := f.store.CreateBatch(ctx, store.Batch{ID: batch, DossierID: dossier}); err != nil {
				t.Fatal(err)
			}
		}
		d, _, err := f.store.AddDocument(ctx, store.Document{DossierID: dossier, BatchID: batch, FileName: name, Blob: store.RefOf([]byte(name)), Size: 1})
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = d.ID
		if err := f.store.SaveClassification(ctx, d.ID, record.Classification{Type: docType, Confidence: 0.9}); err != nil {
			t.Fatal(err)
		}
		if err := f.store.SaveExtraction(ctx, d.ID, fields, state); err != nil {
			t.Fatal(err)
		}
	}
	conf := func(c float64, valid bool) record.Field { return record.Field{Value: "v", Confidence: c, Valid: valid} }
	// The ID number in a file name is personal data.
	add("cccd-001090123456.png", dossierA, "b1", "can_cuoc", store.ReviewNeeded, record.Fields{"full_name": conf(0.5, true)})
	add("qd-invalid.png", dossierA, "b1", "quyet_dinh", store.ReviewNeeded, record.Fields{"number": conf(0.95, false)})
	add("cv-sure.png", dossierB, "b2", "cong_van", store.ReviewNeeded, record.Fields{"number": conf(0.8, true)})
	add("cv-auto.png", dossierB, "b2", "cong_van", store.ReviewAuto, record.Fields{"number": conf(0.99, true)})

	list := func(t *testing.T, key string, q url.Values) store.QueuePage {
		t.Helper()
		resp, raw := f.do(t, "GET", "/v1/review/queue?"+q.Encode(), key, nil, "")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET queue?%s = %d %s", q.Encode(), resp.StatusCode, clip(raw))
		}
		var p store.QueuePage
		if err := json.Unmarshal(raw, &p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	files := func(p store.QueuePage) []string {
		out := []string{}
		for _, it := range p.Items {
			out = append(out, it.FileName)
		}
		return out
	}

	all := list(t, "cl", nil)
	want := []string{"qd-invalid.png", "cccd-001090123456.png", "cv-sure.png", "cv-auto.png"}
	if diff := cmp.Diff(want, files(all)); diff != "" {
		t.Errorf("clerk's queue (-want +got):\n%s", diff)
	}
	if all.Total != 4 || all.Items[0].Failed != 1 {
		t.Errorf("total %d, first item's failed checks %d; want 4 and 1", all.Total, all.Items[0].Failed)
	}

	// The reader sees the same queue, the ID number in the file name masked.
	masked := list(t, "rd", nil)
	if got := masked.Items[1].FileName; got == want[1] || got != "cccd-"+record.MaskID("001090123456")+".png" {
		t.Errorf("reader sees the file name %q, want the ID number masked", got)
	}

	filtered := list(t, "rd", url.Values{"review_state": {"needs_review"}, "dossier_id": {dossierB}})
	if diff := cmp.Diff([]string{"cv-sure.png"}, files(filtered)); diff != "" {
		t.Errorf("needs_review in %s (-want +got):\n%s", dossierB, diff)
	}
	wantFacets := store.QueueFacets{
		ReviewState: []store.FacetCount{{Value: "auto", Count: 1}, {Value: "needs_review", Count: 1}},
		DocType:     []store.FacetCount{{Value: "cong_van", Count: 1}},
		DossierID:   []store.FacetCount{{Value: dossierA, Count: 2}, {Value: dossierB, Count: 1}},
		BatchID:     []store.FacetCount{{Value: "b2", Count: 1}},
	}
	if diff := cmp.Diff(wantFacets, filtered.Facets); diff != "" {
		t.Errorf("facets (-want +got):\n%s", diff)
	}

	// Approve and open the next: the first item's cursor finds the second, although the
	// approval took the first out of the needs_review filter.
	first := list(t, "cl", url.Values{"review_state": {"needs_review"}, "limit": {"1"}})
	if first.Next == "" || first.Items[0].ID != ids["qd-invalid.png"] {
		t.Fatalf("first page %v with next %q, want qd-invalid.png and a next cursor", files(first), first.Next)
	}
	if err := f.store.Review(ctx, first.Items[0].ID, store.Decision{State: store.ReviewApproved}, store.Actor{Name: "c", Role: "clerk"}); err != nil {
		t.Fatal(err)
	}
	next := list(t, "cl", url.Values{"review_state": {"needs_review"}, "limit": {"1"}, "after": {first.Items[0].Cursor}})
	if diff := cmp.Diff([]string{"cccd-001090123456.png"}, files(next)); diff != "" {
		t.Errorf("next after the approved first (-want +got):\n%s", diff)
	}

	// Every listing is audited with the documents it named.
	log, err := f.store.AuditLog(ctx, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var reads int
	var readerFiltered bool
	for _, e := range log {
		if e.Action == "read_queue" {
			reads++
			readerFiltered = readerFiltered || e.Actor.Role == "reader" && slices.Equal(e.DocIDs, []string{ids["cv-sure.png"]})
		}
	}
	if reads != 5 || !readerFiltered {
		t.Errorf("audit has %d read_queue entries (reader's filtered read naming its document: %v), want 5 and true", reads, readerFiltered)
	}

	for _, q := range []string{"limit=0", "limit=201", "doc_type=nope", "dossier_id=abc", "review_state=open", "after=%21%21"} {
		resp, raw := f.do(t, "GET", "/v1/review/queue?"+q, "cl", nil, "")
		var e ErrorBody
		json.Unmarshal(raw, &e)
		if resp.StatusCode != http.StatusBadRequest || e.Code != "invalid_parameter" || e.Param == "" {
			t.Errorf("?%s = %d %s, want 400 invalid_parameter naming the parameter", q, resp.StatusCode, clip(raw))
		}
	}
}

// TestAccess gives the UI each role's permissions by name, and nothing for a dead session.
func TestAccess(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	s := New(Config{Store: f.store, Keys: testKeys, Log: slog.New(slog.DiscardHandler)})
	ctx := context.Background()
	for key, want := range map[string][]string{
		"ad": {"upload", "read", "pii", "review", "admin"},
		"cl": {"upload", "read", "pii", "review"},
		"rd": {"read"},
		"up": {"upload"},
	} {
		token, ok, err := s.SignIn(ctx, key)
		if err != nil || !ok {
			t.Fatalf("signing in with %s: %v, %v", key, ok, err)
		}
		csrf, perms, ok := s.Access(ctx, token)
		if !ok || csrf == "" || !slices.Equal(perms, want) {
			t.Errorf("%s: Access = %q, %v, %v; want a CSRF token and %v", testKeys[key], csrf, perms, ok, want)
		}
	}
	if _, perms, ok := s.Access(ctx, "khong-co"); ok || perms != nil {
		t.Errorf("an unknown session has permissions %v (ok %v)", perms, ok)
	}
}
