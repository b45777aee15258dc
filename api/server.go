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
	"time"

	"github.com/sohoa/sohoa/index"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/scan"
	"github.com/sohoa/sohoa/store"
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
	Queue    pipeline.Enqueuer
	Limits   scan.Limits
	MaxFiles int               // files per batch
	Keys     map[string]string // bearer token → role
	Log      *slog.Logger
	// UI, when set, is served at / (the clerk and upload UI).
	UI http.Handler
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
	{"GET", "/v1/documents/{id}/original", permRead, (*Server).original},
	{"GET", "/v1/documents/{id}/pdf", permRead, (*Server).documentPDF},
	{"PATCH", "/v1/documents/{id}/fields", permReview, (*Server).correctFields},
	{"POST", "/v1/documents/{id}/review", permReview, (*Server).review},
	{"GET", "/v1/documents/{id}/audit", permReview, (*Server).auditLog},
	{"GET", "/v1/dossiers/{code}", permRead, (*Server).dossier},
	{"GET", "/v1/people/{id}", permPII, (*Server).person},
	{"GET", "/v1/search", permRead, (*Server).search},
	{"GET", "/v1/exports/documents", permRead, (*Server).export},
}

// Handler routes every endpoint.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.health)
	mux.HandleFunc("GET /v1/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openAPI)
	})
	for _, rt := range routes {
		mux.HandleFunc(rt.method+" "+rt.pattern, s.require(rt.perm, func(w http.ResponseWriter, r *http.Request) { rt.handle(s, w, r) }))
	}
	if s.UI != nil {
		mux.Handle("/", s.UI)
	}
	return s.recoverer(mux)
}

// recoverer turns a handler panic into a 500 so one bad request cannot stop the server.
func (s *Server) recoverer(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				s.Log.Error("handler panic", "method", r.Method, "path", r.URL.Path, "err", v)
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
// branch on it), error is a sentence for a person.
type ErrorBody struct {
	Code  string `json:"code"`
	Error string `json:"error"`
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
	s.Log.Error("store error", "path", r.URL.Path, "err", err)
	writeError(w, http.StatusInternalServerError, "internal", "internal error")
}
