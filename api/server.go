// Package api is sohoa's HTTP API for other systems and the clerk UI: uploads and batch
// progress, documents, dossiers, people, search and review, under /v1, with API-key roles,
// masking of personal identifiers and an audit log of personal-data reads and changes.
//
// It must not import the queue, database driver or search client directly: it works through
// the store, the pipeline queue and the index packages.
package api

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/sohoa/sohoa/index"
	"github.com/sohoa/sohoa/scan"
	"github.com/sohoa/sohoa/store"
	"github.com/sohoa/sohoa/task"
)

//go:embed openapi.json
var openAPI []byte

// Searcher runs full-text queries; *index.Index implements it.
type Searcher interface {
	Search(ctx context.Context, q index.Query) (index.Results, error)
	Upsert(ctx context.Context, docs ...index.Doc) error
}

// Config is what the API needs.
type Config struct {
	Store    *store.SQL
	Blobs    store.Blobs
	Index    Searcher
	Queue    task.Enqueuer
	Limits   scan.Limits
	MaxFiles int // files per batch [1000]
	// MaxUploadBytes bounds one upload request's body [10 × Limits.MaxFileBytes]; a larger one
	// answers 413.
	MaxUploadBytes int64
	Keys           map[string]string // bearer token → role
	Log            *slog.Logger
	// UI, when set, is served at / (the clerk and upload UI).
	UI http.Handler
	// Observer, when set, is told of every answered request (metrics).
	Observer RequestObserver
	// Metrics and Monitoring, when set, are operators' pages served to admins only: the
	// Prometheus metrics at /metrics and the queue monitor under /monitoring/.
	Metrics, Monitoring http.Handler
	// Ready are the dependencies GET /readyz checks.
	Ready []ReadyCheck
}

// Server is the HTTP API.
type Server struct {
	Config
	keys map[string]string
}

// New returns the API server.
func New(cfg Config) *Server {
	if cfg.MaxFiles <= 0 {
		cfg.MaxFiles = 1000
	}
	return &Server{Config: cfg, keys: cfg.Keys}
}

// route is one authenticated endpoint; the table keeps the routes and their roles in one
// place, and the tests check that /v1/openapi.json documents each of them.
type route struct {
	method, pattern string
	perm            permission
	handle          func(*Server, http.ResponseWriter, *http.Request)
}

var routes = []route{
	{"POST", "/v1/batches", permUpload, (*Server).upload},
	{"GET", "/v1/batches/{id}", permUpload, (*Server).batch},
	{"GET", "/v1/documents/{id}", permRead, (*Server).document},
	{"GET", "/v1/documents/{id}/pages/{n}/image", permRead, (*Server).pageImage},
	{"GET", "/v1/documents/{id}/original", permPII, (*Server).original},
	{"GET", "/v1/documents/{id}/pdf", permRead, (*Server).documentPDF},
	{"PATCH", "/v1/documents/{id}/fields", permReview, (*Server).correctFields},
	{"POST", "/v1/documents/{id}/review", permReview, (*Server).review},
	{"POST", "/v1/documents/{id}/boundary", permReview, (*Server).moveBoundary},
	{"GET", "/v1/documents/{id}/audit", permReview, (*Server).auditLog},
	{"GET", "/v1/review/queue", permRead, (*Server).reviewQueue},
	{"GET", "/v1/dossiers/{code}", permRead, (*Server).dossier},
	{"GET", "/v1/people/{id}", permPII, (*Server).person},
	{"GET", "/v1/search", permRead, (*Server).search},
	{"GET", "/v1/exports/documents", permRead, (*Server).export},
	{"GET", "/v1/audit", permAdmin, (*Server).auditQuery},
	{"GET", "/v1/events/dead", permAdmin, (*Server).deadLetters},
	{"POST", "/v1/events/dead/{id}/retry", permAdmin, (*Server).retryDead},
}

// Handler routes every endpoint.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.health)
	mux.HandleFunc("GET /readyz", s.ready)
	mux.HandleFunc("GET /v1/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openAPI)
	})
	allow := map[string][]string{"/v1/openapi.json": {"GET"}}
	for _, rt := range routes {
		mux.HandleFunc(rt.method+" "+rt.pattern, s.require(rt.perm, func(w http.ResponseWriter, r *http.Request) { rt.handle(s, w, r) }))
		allow[rt.pattern] = append(allow[rt.pattern], rt.method)
	}
	// Under /v1 the API answers for itself in JSON: a known path with another method is 405
	// with Allow (a method-less pattern loses to the method's own), anything else 404, so the
	// UI's catch-all never turns an API client's mistake into an HTML page.
	for pattern, methods := range allow {
		mux.HandleFunc(pattern, methodNotAllowed(methods))
	}
	mux.HandleFunc("/v1/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", "no such API path: see /v1/openapi.json")
	})
	if s.Metrics != nil {
		mux.HandleFunc("GET /metrics", s.require(permAdmin, s.Metrics.ServeHTTP))
	}
	if s.Monitoring != nil {
		mon := s.require(permAdmin, s.Monitoring.ServeHTTP)
		mux.HandleFunc("/monitoring", mon)
		mux.HandleFunc("/monitoring/", mon)
	}
	if s.UI != nil {
		mux.Handle("/", s.UI)
	}
	return s.requestIDs(s.recoverer(apiHeaders(mux)))
}

func methodNotAllowed(methods []string) http.HandlerFunc {
	allowed := slices.Clone(methods)
	if slices.Contains(allowed, "GET") {
		allowed = append(allowed, "HEAD") // the mux answers HEAD with a GET route
	}
	slices.Sort(allowed)
	list := strings.Join(allowed, ", ")
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", list)
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "method "+r.Method+" not allowed here; allowed: "+list)
	}
}

// apiHeaders sets the headers every API answer carries. nosniff keeps a browser from reading
// a served file or error as HTML; no-store keeps personal data (documents, page images,
// originals, search hits, file names that may hold an ID number) out of browser and proxy
// caches on shared office computers. It is set again when the answer starts, over whatever a
// handler set, so one handler cannot reopen the cache. Only the public OpenAPI document may
// be cached.
func apiHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isAPIPath(r.URL.Path) {
			h.ServeHTTP(w, r)
			return
		}
		noStore := r.URL.Path != "/v1/openapi.json"
		set := func(hd http.Header) {
			hd.Set("X-Content-Type-Options", "nosniff")
			if noStore {
				hd.Set("Cache-Control", "no-store")
			}
		}
		set(w.Header()) // for an answer without a body, which never calls WriteHeader
		h.ServeHTTP(&headerWriter{ResponseWriter: w, set: set}, r)
	})
}

func isAPIPath(p string) bool {
	return p == "/healthz" || p == "/readyz" || p == "/v1" || strings.HasPrefix(p, "/v1/")
}

// headerWriter calls set on the headers just before they are sent.
type headerWriter struct {
	http.ResponseWriter
	set  func(http.Header)
	sent bool
}

func (w *headerWriter) WriteHeader(code int) {
	if !w.sent {
		w.sent = true
		w.set(w.Header())
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *headerWriter) Write(b []byte) (int, error) {
	if !w.sent {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (flushes, deadlines).
func (w *headerWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// recoverer turns a handler panic into a 500 so one bad request cannot stop the server.
func (s *Server) recoverer(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				// The route, not the path: paths hold ID numbers (/v1/people/{id}).
				s.Log.ErrorContext(r.Context(), "handler panic", "method", r.Method, "route", r.Pattern, "err", v)
				writeError(w, http.StatusInternalServerError, "internal", "internal error")
			}
		}()
		h.ServeHTTP(w, r)
	})
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	status := map[string]string{"store": "ok", "search": "ok"}
	code := http.StatusOK
	if err := s.Store.Ping(ctx); err != nil {
		status["store"], code = err.Error(), http.StatusServiceUnavailable
	}
	if h, ok := s.Index.(interface{ Healthy(context.Context) error }); ok {
		if err := h.Healthy(ctx); err != nil {
			// Search down is degraded, not down: uploads and reads by ID still work.
			status["search"] = "unavailable"
		}
	}
	writeJSON(w, code, status)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// ErrorBody is every error answer of the API: code is stable and machine-readable (clients
// branch on it), error is a sentence for a person. The Error schema in openapi.json lists
// and explains every code.
type ErrorBody struct {
	Code  string `json:"code"`
	Error string `json:"error"`
	Param string `json:"param,omitempty"` // the offending parameter or field, when there is one
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, ErrorBody{Code: code, Error: msg})
}

// storeError maps store errors to HTTP answers.
func (s *Server) storeError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "not_found", err.Error())
		return
	}
	if store.IsFull(err) {
		s.Log.ErrorContext(r.Context(), "storage full", "route", r.Pattern, "err", err)
		writeError(w, http.StatusInsufficientStorage, "storage_full",
			"the server's storage is full: nothing was stored; try again once an administrator has freed space")
		return
	}
	s.Log.ErrorContext(r.Context(), "store error", "route", r.Pattern, "err", err)
	writeError(w, http.StatusInternalServerError, "internal", "internal error")
}
