package api

import (
	"context"
	"crypto/subtle"
	"errors"
	"mime"
	"net/http"
	"time"

	"github.com/sohoa/sohoa/store"
)

// sessionCookie holds the UI's session token (web sets it; see web/web.go). It is never the
// API key: signing out revokes the token on the server, and a stolen cookie dies with it.
const sessionCookie = "sohoa_session"

// sessionTTL is how long a UI sign-in lasts: one working day.
const sessionTTL = 12 * time.Hour

// csrfHeader carries the session's CSRF token. A custom header cannot be set by a form or a
// cross-origin request without a CORS preflight, which this server never grants.
const csrfHeader = "X-CSRF-Token"

// uploadPattern is the one route whose cookie-authenticated body may be multipart: the
// upload form sends files.
const uploadPattern = "POST /v1/batches"

// SignIn checks an API key and, when it is valid, starts a UI session for its actor and
// role. It returns the session token for the cookie, or ok false for a wrong, expired or
// revoked key. The api.Server is the UI's web.Sessions.
func (s *Server) SignIn(ctx context.Context, key string) (token string, ok bool, err error) {
	a, err := s.lookupKey(ctx, key)
	if errors.Is(err, errUnauthenticated) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	token, _, err = s.Store.CreateSession(ctx, a, sessionTTL)
	if err != nil {
		return "", false, err
	}
	return token, true, nil
}

// CSRF returns the CSRF token of a live session, which the pages echo in X-CSRF-Token; ok
// is false for an unknown, expired or revoked session, which the UI treats as signed out.
func (s *Server) CSRF(ctx context.Context, token string) (string, bool) {
	sess, err := s.Store.Session(ctx, token)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.Log.Error("reading session", "err", err)
		}
		return "", false
	}
	return sess.CSRF, true
}

// permNames name the permissions for the UI (see Access).
var permNames = map[permission]string{permUpload: "upload", permRead: "read", permPII: "pii", permReview: "review", permAdmin: "admin"}

// Access returns a live session's CSRF token and its role's permissions by name, so the UI
// shows only the controls the role can use (the API still checks every call); ok is false
// as for CSRF.
func (s *Server) Access(ctx context.Context, token string) (csrf string, perms []string, ok bool) {
	sess, err := s.Store.Session(ctx, token)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.Log.Error("reading session", "err", err)
		}
		return "", nil, false
	}
	for _, p := range rolePerms[sess.Actor.Role] {
		perms = append(perms, permNames[p])
	}
	return sess.CSRF, perms, true
}

// SignOut revokes a session, so its cookie no longer authenticates anything.
func (s *Server) SignOut(ctx context.Context, token string) error {
	return s.Store.RevokeSession(ctx, token)
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// checkCSRF returns why a state-changing request authenticated by sess is refused, or "".
// Every check alone stops a cross-origin HTML form: forms cannot set X-CSRF-Token, cannot
// send application/json, and the browser names their origin. Together they also hold when
// the attacker's page shares the site but not the origin (another port on the same host:
// SameSite cookies are sent there).
func checkCSRF(r *http.Request, sess store.Session) string {
	got := r.Header.Get(csrfHeader)
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRF)) != 1 {
		return "missing or wrong " + csrfHeader
	}
	if o := r.Header.Get("Origin"); o != "" && o != requestOrigin(r) {
		return "Origin " + o + " is not this server"
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" {
		return "Sec-Fetch-Site is " + site
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case err == nil && mt == "application/json":
	case err == nil && mt == "multipart/form-data" && r.Pattern == uploadPattern:
	default:
		return "Content-Type must be application/json"
	}
	return ""
}

// requestOrigin is the origin the browser reached: scheme and host as the request names
// them, https when TLS ended here or at a proxy that says so.
func requestOrigin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
