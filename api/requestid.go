package api

import (
	"crypto/rand"
	"log/slog"
	"net/http"
	"time"

	"github.com/sohoa/sohoa/internal/logctx"
)

// RequestObserver is told of every answered request, for metrics. route is the pattern that
// matched ("" when none did), never the path: paths carry document and ID numbers.
type RequestObserver interface {
	ObserveRequest(method, route string, status int, d time.Duration)
}

// requestIDHeader carries a request's ID: taken from a proxy in front when it sent a sane
// one, so one ID follows the request through both logs, else made here; always answered.
const requestIDHeader = "X-Request-ID"

// requestIDs gives each request an ID, puts it in the context so every context-aware log
// line of the request carries it, answers it in X-Request-ID so a clerk reporting a problem
// can quote it, and logs one line per request: method, route pattern, status, duration.
// Neither the path nor the query is logged: /v1/people/{id} holds an ID number and a search
// query may hold a name.
func (s *Server) requestIDs(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(requestIDHeader)
		if !validRequestID(id) {
			id = newRequestID()
		}
		w.Header().Set(requestIDHeader, id)
		r = r.WithContext(logctx.With(r.Context(), slog.String("request_id", id)))
		sw := &statusWriter{ResponseWriter: w}
		start := time.Now()
		h.ServeHTTP(sw, r)
		elapsed := time.Since(start)
		status := sw.status
		if status == 0 {
			status = http.StatusOK // nothing written: net/http answers 200
		}
		// r.Pattern is set by the mux on this very request (the handlers below pass it on).
		if s.Observer != nil {
			s.Observer.ObserveRequest(r.Method, r.Pattern, status, elapsed)
		}
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelWarn
		}
		s.Log.LogAttrs(r.Context(), level, "request", slog.String("method", r.Method), slog.String("route", r.Pattern),
			slog.Int("status", status), slog.Int64("duration_ms", elapsed.Milliseconds()))
	})
}

// validRequestID accepts what a proxy's ID looks like (a UUID, hex, base64url) and nothing
// that could forge a log line or carry a person's data at length.
func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
		if !ok {
			return false
		}
	}
	return true
}

// modhex is the digit-free hexadecimal of YubiKey's one-time passwords.
const modhex = "cbdefghijklnrtuv"

// newRequestID returns 96 random bits as 24 letters (modhex). It holds no digit: about one
// hex ID in eleven held a run of nine digits or more, which the log masking takes for an ID
// number (so the ID a clerk reports no longer matches the log), and one once held six digits
// of a citizen's number by chance; base32's digits 2–7 still made such runs now and then.
func newRequestID() string {
	var b [12]byte
	rand.Read(b[:])
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, modhex[c>>4], modhex[c&15])
	}
	return string(out)
}

// statusWriter remembers the status code an answer started with.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (flushes, deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
