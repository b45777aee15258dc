package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/sohoa/sohoa/store"
)

// AuditRow is an audit entry as the API serves it.
type AuditRow struct {
	store.AuditEntry
	Actor string `json:"actor"`
	Role  string `json:"role"`
}

func auditRows(entries []store.AuditEntry) []AuditRow {
	out := make([]AuditRow, 0, len(entries))
	for _, e := range entries {
		if e.DocIDs == nil {
			e.DocIDs = []string{}
		}
		out = append(out, AuditRow{AuditEntry: e, Actor: e.Actor.Name, Role: e.Actor.Role})
	}
	return out
}

// AuditPage answers GET /v1/audit: the newest matching entries, and the cursor of the next
// (older) page when there may be one.
type AuditPage struct {
	Entries    []AuditRow `json:"entries"`
	NextBefore int64      `json:"next_before,omitempty"`
}

// auditQuery lets an admin read the audit log across documents: who read or changed what,
// filtered by actor, document (also when it was one of several a read returned) and time.
func (s *Server) auditQuery(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := store.AuditFilter{Actor: q.Get("actor"), DocID: q.Get("doc_id"), Limit: 100}
	var bad string
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			bad = "limit: a whole number from 1 to 1000"
		}
		f.Limit = n
	}
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			bad = "before: an entry id, as next_before gives it"
		}
		f.BeforeID = n
	}
	for _, p := range []struct {
		name string
		to   *string
	}{{"since", &f.Since}, {"until", &f.Until}} {
		if v := q.Get(p.name); v != "" {
			t, ok := parseInstant(v)
			if !ok {
				bad = p.name + ": a date (2026-12-01) or an RFC 3339 time (2026-12-01T08:00:00+07:00)"
			}
			*p.to = store.Stamp(t)
		}
	}
	if bad != "" {
		writeError(w, http.StatusBadRequest, "invalid_parameter", bad)
		return
	}
	entries, err := s.Store.AuditQuery(r.Context(), f)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	page := AuditPage{Entries: auditRows(entries)}
	if len(entries) == f.Limit {
		page.NextBefore = entries[len(entries)-1].ID
	}
	writeJSON(w, http.StatusOK, page)
}

// vietnam is the offices' time zone: a bare date in a filter means that day in Vietnam.
var vietnam = time.FixedZone("ICT", 7*60*60)

func parseInstant(v string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, true
	}
	t, err := time.ParseInLocation("2006-01-02", v, vietnam)
	return t, err == nil
}
