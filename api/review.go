package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/sohoa/sohoa/extract"
	"github.com/sohoa/sohoa/indexdoc"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
	"github.com/sohoa/sohoa/task"
)

// FieldCorrections is the body of PATCH /v1/documents/{id}/fields.
type FieldCorrections struct {
	Fields map[string]string `json:"fields"`
}

// Bounds of a correction: no document type has this many fields, and no field value is a page
// of text.
const (
	maxCorrections = 64
	maxFieldValue  = 1000
)

// correctFields stores a clerk's values (audited with old and new value) and re-indexes. Every
// field is checked first and the values are written in one transaction, so a request with one
// bad field name changes nothing. A value that fails its format is stored, marked invalid,
// because the clerk may be copying what the paper says; approval then needs an override.
func (s *Server) correctFields(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	var body FieldCorrections
	if !decodeBody(w, r, &body, 1<<20, `send {"fields": {"name": "value", …}}`) {
		return
	}
	if len(body.Fields) == 0 || len(body.Fields) > maxCorrections {
		writeError(w, http.StatusBadRequest, "bad_request", fmt.Sprintf(`send {"fields": {"name": "value", …}} with 1 to %d fields`, maxCorrections))
		return
	}
	doc, err := s.Store.Document(ctx, id)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	t, _ := taxonomy.Type(doc.DocType)
	names := slices.Sorted(maps.Keys(body.Fields)) // a stable order for the audit rows and errors
	changes := make([]store.FieldChange, 0, len(names))
	for _, name := range names {
		format, ok := t.Format(name)
		if !ok {
			writeJSON(w, http.StatusBadRequest, ErrorBody{Code: "invalid_field", Param: name,
				Error: fmt.Sprintf("the type %q has no field %q", doc.DocType, name)})
			return
		}
		value := record.CollapseSpace(record.NFC(body.Fields[name]))
		if len(value) > maxFieldValue {
			writeJSON(w, http.StatusBadRequest, ErrorBody{Code: "invalid_field", Param: name,
				Error: fmt.Sprintf("the value of %q is longer than %d bytes", name, maxFieldValue)})
			return
		}
		changes = append(changes, store.FieldChange{Name: name, Value: value, Valid: validValue(format, value)})
	}
	if err := s.Store.CorrectFields(ctx, id, changes, actorFrom(ctx)); err != nil {
		s.storeError(w, r, err)
		return
	}
	s.answerChanged(w, r, id)
}

// ReviewDecision is the body of POST /v1/documents/{id}/review.
type ReviewDecision struct {
	State   string `json:"state"`              // approved or needs_review
	DocType string `json:"doc_type,omitempty"` // reclassify to this taxonomy code
	// OverrideReason approves a document despite invalid or missing required fields; it is
	// written to the audit log with the problems it overrode.
	OverrideReason string `json:"override_reason,omitempty"`
	// ConfirmedFields are the flagged fields the clerk checked against the page and found
	// right as they stand. Approval needs every flagged field (one a review reason names, or
	// whose value does not validate) confirmed here or corrected by a clerk; each
	// confirmation is audited with the value confirmed.
	ConfirmedFields []string `json:"confirmed_fields,omitempty"`
}

func (s *Server) review(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	var d ReviewDecision
	if !decodeBody(w, r, &d, 1<<16, `send {"state": "approved"|"needs_review", "doc_type": optional code, "override_reason": optional text, "confirmed_fields": optional names}`) {
		return
	}
	if d.State != store.ReviewApproved && d.State != store.ReviewNeeded {
		writeJSON(w, http.StatusBadRequest, ErrorBody{Code: "bad_request", Param: "state", Error: "state must be approved or needs_review"})
		return
	}
	if _, ok := taxonomy.Type(d.DocType); d.DocType != "" && !ok {
		writeJSON(w, http.StatusBadRequest, ErrorBody{Code: "bad_request", Param: "doc_type", Error: "unknown document type " + d.DocType})
		return
	}
	if len(d.OverrideReason) > maxFieldValue {
		writeJSON(w, http.StatusBadRequest, ErrorBody{Code: "bad_request", Param: "override_reason", Error: fmt.Sprintf("override_reason is longer than %d bytes", maxFieldValue)})
		return
	}
	if len(d.ConfirmedFields) > maxCorrections {
		writeJSON(w, http.StatusBadRequest, ErrorBody{Code: "bad_request", Param: "confirmed_fields", Error: fmt.Sprintf("at most %d confirmed fields", maxCorrections)})
		return
	}
	if d.State == store.ReviewApproved && !s.confirmedAll(w, r, id, d) {
		return
	}
	err := s.Store.Review(ctx, id, store.Decision{State: d.State, DocType: d.DocType, OverrideReason: d.OverrideReason, Check: approvalProblems}, actorFrom(ctx))
	switch {
	case errors.Is(err, store.ErrConflict):
		writeError(w, http.StatusConflict, "conflict", err.Error())
		return
	case errors.Is(err, store.ErrOverrideRequired):
		writeError(w, http.StatusConflict, "override_required",
			"cannot approve: "+strings.TrimPrefix(err.Error(), store.ErrOverrideRequired.Error()+": ")+`; correct the fields, or approve with "override_reason" saying why`)
		return
	case err != nil:
		s.storeError(w, r, err)
		return
	}
	s.answerChanged(w, r, id)
}

// confirmedAll checks that an approval covers every flagged field, and audits the clerk's
// confirmations; it answers the request itself when it returns false. The confirmations are
// written before the approval: they record what the clerk checked even if the approval is then
// refused for another reason (an override needed).
func (s *Server) confirmedAll(w http.ResponseWriter, r *http.Request, id string, d ReviewDecision) bool {
	ctx := r.Context()
	doc, err := s.Store.Document(ctx, id)
	if err != nil {
		s.storeError(w, r, err)
		return false
	}
	fields, err := s.Store.Fields(ctx, id)
	if err != nil {
		s.storeError(w, r, err)
		return false
	}
	reasons, err := s.Store.ReviewReasons(ctx, id)
	if err != nil {
		s.storeError(w, r, err)
		return false
	}
	docType := doc.DocType
	if d.DocType != "" {
		docType = d.DocType
	}
	flagged := flaggedFields(docType, reasons, fields)
	confirmed := map[string]bool{}
	for _, name := range d.ConfirmedFields {
		if !slices.Contains(flagged, name) {
			writeJSON(w, http.StatusBadRequest, ErrorBody{Code: "invalid_field", Param: name,
				Error: fmt.Sprintf("%q is not a flagged field of this document; only flagged fields are confirmed", name)})
			return false
		}
		confirmed[name] = true
	}
	var left []string
	for _, name := range flagged {
		if !confirmed[name] && fields[name].Source != "clerk" {
			left = append(left, name)
		}
	}
	if len(left) > 0 {
		writeJSON(w, http.StatusConflict, ErrorBody{Code: "confirmation_required", Param: left[0],
			Error: "cannot approve: confirm (confirmed_fields) or correct the flagged fields " + strings.Join(left, ", ")})
		return false
	}
	for _, name := range slices.Sorted(maps.Keys(confirmed)) {
		if err := s.audit(r, store.AuditEntry{Action: "confirm_field", DocID: id, DossierID: doc.DossierID, Field: name, NewValue: fields[name].Value}); err != nil {
			s.storeError(w, r, err)
			return false
		}
	}
	return true
}

// flaggedFields are the fields of a document of type docType a clerk must look at before
// approving: each field a review reason names and each value that does not validate, in
// name order. Fields the type does not have are left out: the API would not take them.
func flaggedFields(docType string, reasons []store.ReviewReason, fields map[string]store.FieldRecord) []string {
	t, _ := taxonomy.Type(docType)
	set := map[string]bool{}
	for _, rr := range reasons {
		if rr.Field != "" {
			set[rr.Field] = true
		}
	}
	for name, f := range fields {
		if !f.Valid {
			set[name] = true
		}
	}
	var out []string
	for _, name := range slices.Sorted(maps.Keys(set)) {
		if _, ok := t.Format(name); ok {
			out = append(out, name)
		}
	}
	return out
}

// approvalProblems lists what stands in the way of approving a document: an unknown type,
// a field that failed validation, a required field missing or empty. The messages name fields,
// never their values, since they go to the audit log.
func approvalProblems(doc store.Document, fields map[string]store.FieldRecord) []string {
	var out []string
	if _, ok := taxonomy.Type(doc.DocType); !ok || doc.DocType == record.Unknown {
		out = append(out, "the document type is unknown")
	}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		if !fields[name].Valid {
			out = append(out, name+" is invalid")
		}
	}
	for _, name := range extract.RequiredFields(doc.DocType) {
		if f, ok := fields[name]; !ok || strings.TrimSpace(f.Value) == "" {
			out = append(out, name+" is missing")
		}
	}
	return out
}

// decodeBody reads a JSON request body of at most limit bytes into v, answering 413 for a
// larger one and 400 for anything else it cannot use.
func decodeBody(w http.ResponseWriter, r *http.Request, v any, limit int64, usage string) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		writeError(w, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("the request body is larger than %d bytes", limit))
		return false
	case err != nil:
		writeError(w, http.StatusBadRequest, "bad_request", usage)
		return false
	}
	return true
}

// answerChanged re-indexes a document a clerk changed and answers with its new state.
func (s *Server) answerChanged(w http.ResponseWriter, r *http.Request, id string) {
	s.reindex(r, id)
	v, err := s.loadDocument(r, id, false, false)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// reindex brings the search index up to date after a clerk's change: directly when
// Meilisearch answers, else through the queue's retrying index task.
func (s *Server) reindex(r *http.Request, id string) {
	ctx := r.Context()
	d, err := indexdoc.Load(ctx, s.Store, id)
	if err == nil {
		err = s.Index.Upsert(ctx, d)
	}
	if err != nil {
		s.Log.Warn("re-indexing after review; queued instead", "doc_id", id, "err", err)
		if qerr := s.Queue.Enqueue(ctx, task.TypeIndex, task.Payload{DocID: id}); qerr != nil {
			s.Log.Error("queueing re-index", "doc_id", id, "err", qerr)
		}
	}
}

func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) {
	entries, err := s.Store.AuditLog(r.Context(), r.PathValue("id"), 200)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, auditRows(entries))
}

// validValue checks a clerk's value against its taxonomy format.
func validValue(format, v string) bool {
	switch format {
	case "id12":
		return extract.ValidCCCD(v) == nil
	case "mst":
		return extract.ValidMST(v)
	case "date":
		_, err := time.Parse("2006-01-02", v)
		return err == nil || (len(v) == 4 && strings.Trim(v, "0123456789") == "")
	case "id9", "int", "vnd":
		return v != "" && strings.Trim(v, "0123456789") == ""
	case "sex":
		return v == "Nam" || v == "Nữ"
	case "bool":
		return v == "true" || v == "false"
	}
	return v != ""
}
