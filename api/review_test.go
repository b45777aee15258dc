package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
)

// TestApproveNeedsConfirmation: approval needs each flagged field (named by a review reason,
// or invalid) corrected or confirmed; confirmations are audited with the value confirmed, and
// every answer keeps the contract.
func TestApproveNeedsConfirmation(t *testing.T) {
	t.Parallel()
	binaryAndLines()
	contract := loadContract(t)
	rt := operation(t, contract, "POST", "/v1/documents/{id}/review")
	f := newFixture(t)
	ctx := context.Background()
	const dossier = "000.00.15.H29-251201-0001"
	if _, err := f.store.CreateBatch(ctx, store.Batch{ID: "b", DossierID: dossier}); err != nil {
		t.Fatal(err)
	}
	d, _, err := f.store.AddDocument(ctx, store.Document{DossierID: dossier, BatchID: "b", FileName: "qd.png", Blob: store.RefOf([]byte("qd"))})
	if err != nil {
		t.Fatal(err)
	}
	fields := record.Fields{
		"number":      {Value: "15/QĐ-UBND", Confidence: 0.95, Valid: true},
		"issued_date": {Value: "2024-03-05", Confidence: 0.95, Valid: true},
		"issuer":      {Value: "ỦY BAN NHÂN DÂN TỈNH HÀ GIANG", Confidence: 0.95, Valid: true},
		"subject":     {Value: "Về việc số hóa", Confidence: 0.5, Valid: true},
		"signer":      {Value: "Nguyễn Văn An", Confidence: 0.6, Valid: true},
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.store.SaveClassification(ctx, d.ID, record.Classification{Type: "quyet_dinh", Confidence: 0.9}))
	must(f.store.SaveExtraction(ctx, d.ID, fields, store.ReviewNeeded))
	must(f.store.SaveReviewReasons(ctx, d.ID, []store.ReviewReason{
		{Code: "field_low_confidence", Field: "subject", Message: "Độ tin cậy thấp (50%)"},
		{Code: "field_low_confidence", Field: "signer", Message: "Độ tin cậy thấp (60%)"},
	}))

	post := func(body string) (int, ErrorBody) {
		t.Helper()
		req, _ := http.NewRequest("POST", f.srv.URL+"/v1/documents/"+d.ID+"/review", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer cl")
		req.Header.Set("Content-Type", "application/json")
		resp, raw := f.do(t, "POST", "/v1/documents/"+d.ID+"/review", "cl", strings.NewReader(body), "application/json")
		validateAnswer(t, rt, req, resp, raw)
		var e ErrorBody
		json.Unmarshal(raw, &e)
		return resp.StatusCode, e
	}
	if code, e := post(`{"state": "approved"}`); code != http.StatusConflict || e.Code != "confirmation_required" || e.Param != "signer" {
		t.Errorf("approval without confirmations = %d %+v, want 409 confirmation_required naming signer", code, e)
	}
	if code, e := post(`{"state": "approved", "confirmed_fields": ["number"]}`); code != http.StatusBadRequest || e.Code != "invalid_field" || e.Param != "number" {
		t.Errorf("confirming an unflagged field = %d %+v, want 400 invalid_field", code, e)
	}
	// The clerk corrects the subject and confirms the signer.
	must(f.store.CorrectFields(ctx, d.ID, []store.FieldChange{{Name: "subject", Value: "Về việc số hóa hồ sơ", Valid: true}}, store.Actor{Name: "c", Role: "clerk"}))
	if code, e := post(`{"state": "approved", "confirmed_fields": ["signer"]}`); code != http.StatusOK {
		t.Fatalf("approval with the signer confirmed and the subject corrected = %d %+v, want 200", code, e)
	}
	doc, err := f.store.Document(ctx, d.ID)
	must(err)
	if doc.ReviewState != store.ReviewApproved {
		t.Errorf("review state %q, want approved", doc.ReviewState)
	}
	log, err := f.store.AuditLog(ctx, d.ID, 100)
	must(err)
	var confirms []string
	for _, e := range log {
		if e.Action == "confirm_field" {
			confirms = append(confirms, e.Field+"="+e.NewValue+" by "+e.Actor.Role)
		}
	}
	if strings.Join(confirms, ";") != "signer=Nguyễn Văn An by clerk" {
		t.Errorf("confirmations audited: %v, want the signer's, by the clerk", confirms)
	}
}
