package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
)

// seedExport adds, beside the contract seed's identity card (id_number, full_name), a decision
// whose fields are all open, and n more decisions to walk several pages.
func seedExport(t *testing.T, f *fixture, n int) (card, decision string) {
	t.Helper()
	ctx := context.Background()
	s := f.seed(t)
	d, _, err := f.store.AddDocument(ctx, store.Document{DossierID: s.dossier, BatchID: s.batch, FileName: "qd.png", Blob: store.RefOf([]byte("qd"))})
	if err != nil {
		t.Fatal(err)
	}
	save := func(id string, i int) {
		if err := f.store.SaveClassification(ctx, id, record.Classification{Type: "quyet_dinh", Confidence: 0.95}); err != nil {
			t.Fatal(err)
		}
		if err := f.store.SaveExtraction(ctx, id, record.Fields{"number": {Value: fmt.Sprintf("%d/QĐ-UBND", i+15), Valid: true}, "signer": {Value: "Trần Văn B", Valid: true}}, store.ReviewNeeded); err != nil {
			t.Fatal(err)
		}
		if err := f.store.SetStatus(ctx, id, store.StatusIndexed, ""); err != nil {
			t.Fatal(err)
		}
	}
	save(d.ID, 0)
	for i := range n {
		more, _, err := f.store.AddDocument(ctx, store.Document{DossierID: s.dossier, BatchID: s.batch, FileName: "more.png", Blob: store.RefOf(fmt.Appendf(nil, "more %d", i))})
		if err != nil {
			t.Fatal(err)
		}
		save(more.ID, i+1)
	}
	return s.doc, d.ID
}

func readCSV(t *testing.T, raw []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(raw, []byte("\uFEFF")) {
		t.Fatalf("CSV does not start with the UTF-8 BOM: %q", clip(raw))
	}
	rows, err := csv.NewReader(bytes.NewReader(raw[3:])).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	return rows
}

// A reader's CSV has the document columns and the open fields only; no value of a personal
// field appears anywhere in it. A clerk's has them.
func TestExportCSV(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	card, decision := seedExport(t, f, 0)
	const person = "001090123456"

	resp, raw := f.do(t, "GET", "/v1/exports/documents?format=csv", keyOf("reader"), nil, "")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("= %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), clip(raw))
	}
	rows := readCSV(t, raw)
	header := rows[0]
	if !slices.Equal(header[:len(exportColumns)], exportColumns) {
		t.Errorf("header starts %v, want %v", header, exportColumns)
	}
	for _, personal := range []string{"id_number", "full_name", "date_of_birth", "file_name", "mother_name", "owner_id_number"} {
		if slices.Contains(header, personal) {
			t.Errorf("reader's CSV has the personal column %s", personal)
		}
	}
	for _, open := range []string{"number", "signer", "issuer"} {
		if !slices.Contains(header, open) {
			t.Errorf("reader's CSV lacks the open column %s", open)
		}
	}
	if bytes.Contains(raw, []byte(person)) || bytes.Contains(raw, []byte("NGUYỄN")) {
		t.Errorf("reader's CSV carries a personal value:\n%s", raw)
	}
	byID := map[string][]string{}
	for _, r := range rows[1:] {
		byID[r[0]] = r
	}
	if len(byID) != 2 || byID[card] == nil || byID[decision] == nil {
		t.Fatalf("rows %v, want the card and the decision (indexed only)", rows[1:])
	}
	if got := byID[decision][slices.Index(header, "number")]; got != "15/QĐ-UBND" {
		t.Errorf("decision's number = %q", got)
	}

	_, raw = f.do(t, "GET", "/v1/exports/documents?format=csv&doc_type=can_cuoc", keyOf("clerk"), nil, "")
	rows = readCSV(t, raw)
	if !slices.Contains(rows[0], "id_number") || !slices.Contains(rows[0], "file_name") || len(rows) != 2 {
		t.Fatalf("clerk's CSV of identity cards: %v", rows)
	}
	if got := rows[1][slices.Index(rows[0], "id_number")]; got != person {
		t.Errorf("clerk's id_number = %q, want %s", got, person)
	}
}

// JSON Lines leave personal fields out for a reader (not masked: absent), and the filters
// select by type and review state; the export walks more than one page.
func TestExportJSONLines(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	card, _ := seedExport(t, f, exportPageSize+3)
	lines := func(path, key string) []DocumentView {
		t.Helper()
		resp, raw := f.do(t, "GET", path, key, nil, "")
		if resp.StatusCode != 200 {
			t.Fatalf("%s = %d %s", path, resp.StatusCode, clip(raw))
		}
		var out []DocumentView
		sc := bufio.NewScanner(bytes.NewReader(raw))
		for sc.Scan() {
			var v DocumentView
			if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
				t.Fatal(err)
			}
			out = append(out, v)
		}
		return out
	}
	all := lines("/v1/exports/documents", keyOf("reader"))
	if len(all) != exportPageSize+5 {
		t.Fatalf("%d lines, want %d (every indexed document, over two pages)", len(all), exportPageSize+5)
	}
	seen := map[string]bool{}
	for _, v := range all {
		if seen[v.ID] {
			t.Fatalf("document %s exported twice", v.ID)
		}
		seen[v.ID] = true
		if v.ID == card && len(v.Fields) != 0 {
			t.Errorf("reader's export of the card has fields %v", v.Fields)
		}
	}
	if got := lines("/v1/exports/documents?doc_type=can_cuoc", keyOf("clerk")); len(got) != 1 || got[0].Fields["id_number"].Value != "001090123456" {
		t.Errorf("clerk's card export %+v", got)
	}
	if got := lines("/v1/exports/documents?review_state=needs_review&doc_type=quyet_dinh", keyOf("reader")); len(got) != exportPageSize+4 {
		t.Errorf("needs_review decisions: %d, want %d", len(got), exportPageSize+4)
	}
	if got := lines("/v1/exports/documents?status=failed", keyOf("reader")); len(got) != 1 {
		t.Errorf("failed documents: %d, want 1", len(got))
	}
	if got := lines("/v1/exports/documents?to=2000-01-01", keyOf("reader")); len(got) != 0 {
		t.Errorf("documents uploaded by 2000: %d", len(got))
	}
	for _, bad := range []string{"doc_type=x", "review_state=done", "status=gone", "from=2026-02-01&to=2026-01-01", "format=xml"} {
		if resp, _ := f.do(t, "GET", "/v1/exports/documents?"+bad, keyOf("reader"), nil, ""); resp.StatusCode != 400 {
			t.Errorf("%s = %d, want 400", bad, resp.StatusCode)
		}
	}
}

func TestOpenField(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		docType, name string
		open          bool
	}{
		{"quyet_dinh", "signer", true}, {"quyet_dinh", "number", true},
		{"giay_khai_sinh", "full_name", false}, {"giay_khai_sinh", "id_number", false}, {"giay_khai_sinh", "registration_place", true},
		{"gcn_quyen_su_dung_dat", "owner_id_number", false}, {"gcn_quyen_su_dung_dat", "address", false},
		{"don", "applicant_phone", false}, {"", "number", false}, {"no_such_type", "number", false},
	} {
		if got := openField(c.docType, c.name); got != c.open {
			t.Errorf("openField(%s, %s) = %v, want %v", c.docType, c.name, got, c.open)
		}
	}
}
