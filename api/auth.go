package api

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"

	"github.com/sohoa/sohoa/store"
)

// Permissions a role may hold.
type permission int

const (
	permUpload permission = iota // upload batches, follow their progress
	permRead                     // read documents, dossiers, search
	permPII                      // see personal identifiers unmasked, look people up
	permReview                   // correct fields, approve, reclassify
	permAdmin                    // read the audit log across documents and actors
)

// rolePerms is the whole authorization model: which role holds which permission.
var rolePerms = map[string][]permission{
	"uploader": {permUpload},
	"reader":   {permRead},
	"clerk":    {permUpload, permRead, permPII, permReview},
	"admin":    {permUpload, permRead, permPII, permReview, permAdmin},
}

func allowed(role string, p permission) bool {
	for _, q := range rolePerms[role] {
		if q == p {
			return true
		}
	}
	return false
}

type actorKey struct{}

func actorFrom(ctx context.Context) store.Actor {
	a, _ := ctx.Value(actorKey{}).(store.Actor)
	return a
}

// keyName is how an API key from SOHOA_API_KEYS appears in the audit log: a short hash,
// never the secret. Keys from the database appear as "key:<id>".
func keyName(token string) string {
	sum := sha256.Sum256([]byte(token))
	return "key:" + hex.EncodeToString(sum[:4])
}

// errUnauthenticated is a request without valid credentials: no key, a key without the
// Bearer scheme, or an unknown, expired or revoked key or session.
var errUnauthenticated = errors.New("missing or unknown credentials")

// caller is who sent a request, and how.
type caller struct {
	actor store.Actor
	// session is set when the UI's session cookie authenticated the request; such a
	// request carries an ambient credential and is subject to the CSRF checks.
	session *store.Session
}

// authenticate resolves who sent r. The API takes only "Authorization: Bearer KEY"; the UI's
// pages use the session cookie (their image tags cannot send headers). An Authorization
// header that is not a valid bearer credential is refused without falling back to the
// cookie, so a client's mistake is never hidden by a browser's session.
func (s *Server) authenticate(r *http.Request) (caller, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		token, ok := bearerToken(h)
		if !ok {
			return caller{}, errUnauthenticated
		}
		a, err := s.lookupKey(r.Context(), token)
		return caller{actor: a}, err
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return caller{}, errUnauthenticated
	}
	sess, err := s.Store.Session(r.Context(), c.Value)
	if errors.Is(err, store.ErrNotFound) {
		return caller{}, errUnauthenticated
	}
	if err != nil {
		return caller{}, err
	}
	return caller{actor: sess.Actor, session: &sess}, nil
}

// bearerToken returns the credential of an Authorization header using the Bearer scheme,
// whose name is case-insensitive (RFC 7235 §2.1). A bare key without the scheme is refused:
// accepting it would make every other scheme's credential a candidate key.
func bearerToken(h string) (string, bool) {
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimLeft(token, " ")
	if token == "" || strings.ContainsAny(token, " \t") {
		return "", false
	}
	return token, true
}

// lookupKey finds the actor an API key stands for: first SOHOA_API_KEYS (the demo's keys),
// compared in constant time, then the hashed keys in the database.
func (s *Server) lookupKey(ctx context.Context, token string) (store.Actor, error) {
	for k, role := range s.keys {
		if subtle.ConstantTimeCompare([]byte(k), []byte(token)) == 1 {
			return store.Actor{Name: keyName(k), Role: role}, nil
		}
	}
	if s.Store == nil {
		return store.Actor{}, errUnauthenticated
	}
	k, err := s.Store.KeyByToken(ctx, token)
	if errors.Is(err, store.ErrNotFound) {
		return store.Actor{}, errUnauthenticated
	}
	if err != nil {
		return store.Actor{}, err
	}
	return store.Actor{Name: "key:" + k.ID, Role: k.Role}, nil
}

// require wraps h so it runs only for a caller whose role has permission p and, when the
// session cookie authenticated a change, only for a request that proves it comes from
// sohoa's own pages. A refused request reaches no handler: nothing is read, changed or
// written to the audit log.
func (s *Server) require(p permission, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := s.authenticate(r)
		if errors.Is(err, errUnauthenticated) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="sohoa"`)
			writeError(w, http.StatusUnauthorized, "unauthorized", "missing or unknown API key: send Authorization: Bearer <key>")
			return
		}
		if err != nil {
			s.Log.Error("authenticating", "path", r.URL.Path, "err", err)
			writeError(w, http.StatusInternalServerError, "internal", "internal error")
			return
		}
		if c.session != nil && !safeMethod(r.Method) {
			if reason := checkCSRF(r, *c.session); reason != "" {
				s.Log.Warn("refused cross-site request", "method", r.Method, "path", r.URL.Path, "reason", reason)
				writeError(w, http.StatusForbidden, "csrf_failed", "refused: a change made with the sign-in cookie must come from sohoa's own pages ("+reason+")")
				return
			}
		}
		if !allowed(c.actor.Role, p) {
			writeError(w, http.StatusForbidden, "forbidden", "the role "+c.actor.Role+" may not do this")
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), actorKey{}, c.actor)))
	}
}
