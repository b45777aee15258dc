package api

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// ReadyCheck is one dependency GET /readyz reports on. Check returns nil when the dependency
// answers. Essential ones (the store, the blob store) make the server not ready when they
// fail; the others (the queue's Redis, the search index) only degrade it, since uploads and
// reads by ID go on without them: an upload is queued later, search answers 503.
type ReadyCheck struct {
	Name      string
	Essential bool
	Check     func(context.Context) error
}

// Readiness is the answer of GET /readyz: status is ready, degraded or not_ready, and
// checks names each dependency with "ok" or "unavailable".
type Readiness struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
}

// ready answers GET /readyz: 200 when every essential dependency answers (status ready, or
// degraded naming what does not), else 503. /healthz stays the cheap liveness answer. The
// reason a dependency failed goes to the log, not the answer: this path needs no key, and
// error texts name hosts and users.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	errs := make([]error, len(s.Ready))
	var wg sync.WaitGroup
	for i, c := range s.Ready {
		wg.Go(func() { errs[i] = c.Check(ctx) })
	}
	wg.Wait()
	res := Readiness{Status: "ready", Checks: map[string]string{}}
	code := http.StatusOK
	for i, c := range s.Ready {
		if errs[i] == nil {
			res.Checks[c.Name] = "ok"
			continue
		}
		res.Checks[c.Name] = "unavailable"
		s.Log.WarnContext(r.Context(), "readiness check failed", "check", c.Name, "err", errs[i])
		switch {
		case c.Essential:
			res.Status, code = "not_ready", http.StatusServiceUnavailable
		case res.Status == "ready":
			res.Status = "degraded"
		}
	}
	writeJSON(w, code, res)
}
