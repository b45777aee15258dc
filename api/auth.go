package api

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
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
)

var rolePerms = map[string][]permission{
	"uploader": {permUpload},
	"reader":   {permRead},
	"clerk":    {permUpload, permRead, permPII, permReview},
	"admin":    {permUpload, permRead, permPII, permReview},
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

// keyName is how an API key appears in the audit log: a short hash, never the secret.
func keyName(token string) string {
	sum := sha256.Sum256([]byte(token))
	return "key:" + hex.EncodeToString(sum[:4])
}

// authenticate resolves the bearer token to an actor. Comparisons are constant-time.
func (s *Server) authenticate(r *http.Request) (store.Actor, bool) {
	h := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		// The clerk UI's image tags cannot send headers; they use the session cookie.
		if c, err := r.Cookie(sessionCookie); err == nil {
			token = c.Value
		}
	}
	token = strings.TrimSpace(token)
	if token == "" {
		return store.Actor{}, false
	}
	for k, role := range s.keys {
		if subtle.ConstantTimeCompare([]byte(k), []byte(token)) == 1 {
			return store.Actor{Name: keyName(k), Role: role}, true
		}
	}
	return store.Actor{}, false
}

const sessionCookie = "sohoa_key"

// require wraps h so it runs only for a caller whose role has permission p.
func (s *Server) require(p permission, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, ok := s.authenticate(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="sohoa"`)
			writeError(w, http.StatusUnauthorized, "unauthorized", "missing or unknown API key: send Authorization: Bearer <key>")
			return
		}
		if !allowed(a.Role, p) {
			writeError(w, http.StatusForbidden, "forbidden", "the role "+a.Role+" may not do this")
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), actorKey{}, a)))
	}
}
