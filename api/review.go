package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/sohoa/sohoa/extract"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
)

// FieldCorrections is the body of PATCH /v1/documents/{id}/fields.
type FieldCorrections struct {
	Fields map[string]string `json:"fields"`
}

// correctFields stores a clerk's values (audited with old and new value) and re-indexes.
func (s *Server) correctFields(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	var body FieldCorrections
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&body); err != nil || len(body.Fields) == 0 {
		writeError(w, http.StatusBadRequest, "bad_request", `send {"fields": {"name": "value", …}}`)
		return
	}
	doc, err := s.Store.Document(ctx, id)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	t, _ := taxonomy.Type(doc.DocType)
	for name, value := range body.Fields {
		format, ok := t.Format(name)
		if !ok {
			writeError(w, http.StatusBadRequest, "bad_request", "the type "+doc.DocType+" has no field "+name)
			return
		}
		value = record.CollapseSpace(record.NFC(value))
		valid := validValue(format, value)
		if err := s.Store.CorrectField(ctx, id, name, value, valid, actorFrom(ctx)); err != nil {
			s.storeError(w, r, err)
			return
		}
	}
	s.answerChanged(w, r, id)
}

// ReviewDecision is the body of POST /v1/documents/{id}/review.
type ReviewDecision struct {
	State   string `json:"state"`              // approved or needs_review
	DocType string `json:"doc_type,omitempty"` // reclassify to this taxonomy code
}

func (s *Server) review(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	var d ReviewDecision
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&d); err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", `send {"state": "approved"|"needs_review", "doc_type": optional code}`)
		return
	}
	if d.State != store.ReviewApproved && d.State != store.ReviewNeeded {
		writeError(w, http.StatusBadRequest, "bad_request", "state must be approved or needs_review")
		return
	}
	if _, ok := taxonomy.Type(d.DocType); d.DocType != "" && !ok {
		writeError(w, http.StatusBadRequest, "bad_request", "unknown document type "+d.DocType)
		return
	}
	if err := s.Store.SetReviewState(ctx, id, d.State, d.DocType, actorFrom(ctx)); err != nil {
		s.storeError(w, r, err)
		return
	}
	s.answerChanged(w, r, id)
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
	d, err := pipeline.LoadIndexDoc(ctx, s.Store, id)
	if err == nil {
		err = s.Index.Upsert(ctx, d)
	}
	if err != nil {
		s.Log.Warn("re-indexing after review; queued instead", "doc_id", id, "err", err)
		if qerr := s.Queue.Enqueue(ctx, pipeline.TypeIndex, pipeline.Payload{DocID: id}); qerr != nil {
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
	type row struct {
		store.AuditEntry
		Actor string `json:"actor"`
		Role  string `json:"role"`
	}
	out := make([]row, 0, len(entries))
	for _, e := range entries {
		out = append(out, row{AuditEntry: e, Actor: e.Actor.Name, Role: e.Actor.Role})
	}
	writeJSON(w, http.StatusOK, out)
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
	}
	return v != ""
}
