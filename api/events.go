package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/sohoa/sohoa/store"
)

// DeadLetters answers GET /v1/events/dead: the webhook deliveries that ran out of attempts,
// most recent first, for an admin to fix the receiver and put them back in line (POST
// /v1/events/dead/{id}/retry). The events carry IDs and field names only, so the view shows them whole.
type DeadLetters struct {
	Dead []store.DeadDelivery `json:"dead"`
}

const maxDeadLetters = 1000

func (s *Server) deadLetters(w http.ResponseWriter, r *http.Request) {
	limit, perr := intParam(r.URL.Query(), "limit", 1, maxDeadLetters)
	if perr != nil {
		writeParamError(w, perr)
		return
	}
	if limit == 0 {
		limit = 100
	}
	dead, err := s.Store.DeadDeliveries(r.Context(), limit)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, DeadLetters{Dead: dead})
}

// retryDead puts one dead letter back in line: {"endpoint": "<the endpoint as listed>"}.
func (s *Server) retryDead(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Endpoint string `json:"endpoint"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&body); err != nil || strings.TrimSpace(body.Endpoint) == "" {
		writeJSON(w, http.StatusBadRequest, ErrorBody{Code: "invalid_field", Error: "the body must be {\"endpoint\": \"…\"} naming the endpoint as the dead-letter view lists it", Param: "endpoint"})
		return
	}
	id := r.PathValue("id")
	if err := s.Store.RetryDead(r.Context(), id, body.Endpoint); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			writeError(w, http.StatusNotFound, "not_found", "no dead letter "+id+" for that endpoint")
			return
		}
		s.storeError(w, r, err)
		return
	}
	if err := s.audit(r, store.AuditEntry{Action: "retry_event", Subject: id, Field: "endpoint", NewValue: body.Endpoint}); err != nil {
		s.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"event_id": id, "endpoint": body.Endpoint, "state": store.DeliveryPending})
}
