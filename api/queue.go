package api

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/sohoa/sohoa/pii"
	"github.com/sohoa/sohoa/store"
)

// maxQueueLimit bounds one page of the review queue: a clerk's screen, not an export.
const maxQueueLimit = 200

// queueStates are the review states the queue filters on; "none" is a document not yet
// extracted.
var queueStates = map[string]bool{store.ReviewNeeded: true, store.ReviewAuto: true, store.ReviewApproved: true, store.ReviewStateNone: true}

// parseQueue reads the query of GET /v1/review/queue; every parameter is checked, so a typo
// answers 400 instead of an unfiltered list.
func parseQueue(q url.Values) (store.QueueFilter, *paramError) {
	var f store.QueueFilter
	var err *paramError
	if f.Limit, err = intParam(q, "limit", 1, maxQueueLimit); err != nil {
		return f, err
	}
	if v := q.Get("review_state"); v != "" {
		if !queueStates[v] {
			return f, &paramError{"review_state", "one of needs_review, auto, approved, none"}
		}
		f.ReviewState = v
	}
	if v := q.Get("doc_type"); v != "" {
		if _, ok := taxonomy.Type(v); !ok {
			return f, &paramError{"doc_type", "unknown document type " + strconv.Quote(v)}
		}
		f.DocType = v
	}
	if f.DossierID, err = dossierParam(q, "dossier_id"); err != nil {
		return f, err
	}
	if v := q.Get("batch_id"); v != "" {
		if len(v) > 64 {
			return f, &paramError{"batch_id", "at most 64 bytes"}
		}
		f.BatchID = v
	}
	if v := q.Get("after"); len(v) > 512 {
		return f, &paramError{"after", "not a cursor from this API"}
	}
	f.After = q.Get("after")
	return f, nil
}

// reviewQueue answers GET /v1/review/queue: the documents a clerk should look at, worst
// first, with counts per state, type, dossier and batch. The listing is a read of the
// documents it names, audited like a search; file names are masked for roles without pii.
func (s *Server) reviewQueue(w http.ResponseWriter, r *http.Request) {
	f, perr := parseQueue(r.URL.Query())
	if perr != nil {
		writeParamError(w, perr)
		return
	}
	page, err := s.Store.Queue(r.Context(), f)
	if errors.Is(err, store.ErrBadCursor) {
		writeParamError(w, &paramError{"after", "not a cursor from this API"})
		return
	}
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	ids := make([]string, len(page.Items))
	for i := range page.Items {
		ids[i] = page.Items[i].ID
		if !seesPII(r.Context()) {
			page.Items[i].FileName = pii.MaskText(page.Items[i].FileName)
		}
	}
	if err := s.audit(r, store.AuditEntry{Action: "read_queue", DocIDs: ids}); err != nil {
		s.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}
