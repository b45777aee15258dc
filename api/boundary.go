package api

import (
	"errors"
	"net/http"

	"github.com/sohoa/sohoa/store"
	"github.com/sohoa/sohoa/task"
)

// BoundaryRequest moves where a part of a split file begins.
type BoundaryRequest struct {
	// FirstPage is the page of the uploaded file the document is to start at; the part
	// before it ends at the page before.
	FirstPage int `json:"first_page"`
}

// moveBoundary lets a clerk correct where a document of a whole-dossier scan begins (POST
// /v1/documents/{id}/boundary). The pages between the old and the new boundary change
// document, and both documents are classified, extracted and indexed again by the workers:
// the answer is 202 with the document as it now stands (processing).
func (s *Server) moveBoundary(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var req BoundaryRequest
	if !decodeBody(w, r, &req, 1<<10, `send {"first_page": N}: the page of the uploaded file the document starts at`) {
		return
	}
	ctx := r.Context()
	if _, err := s.Store.Document(ctx, id); err != nil {
		s.storeError(w, r, err)
		return
	}
	parts, err := s.Store.MoveBoundary(ctx, id, req.FirstPage, actorFrom(ctx))
	if errors.Is(err, store.ErrBoundary) {
		writeJSON(w, http.StatusConflict, ErrorBody{Code: "conflict", Error: err.Error(), Param: "first_page"})
		return
	}
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	// The document and the one before it changed pages. If Redis is down they stay
	// processing until the same move is sent again.
	for k, p := range parts {
		if p.DocID != id {
			continue
		}
		for _, changed := range parts[k-1 : k+1] {
			if err := s.Queue.Enqueue(ctx, task.TypeClassify, task.Payload{DocID: changed.DocID}); err != nil {
				s.Log.Warn("queue unavailable; moved parts not classified again", "doc_id", changed.DocID, "err", err)
			}
		}
	}
	v, err := s.loadDocument(r, id, false, false)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, v)
}
