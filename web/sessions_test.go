package web

import (
	"context"
	"strings"
	"sync"
)

// Permissions of the roles the page tests sign in as (the API's role table, in short).
var (
	clerkPerms    = []string{"upload", "read", "pii", "review"}
	readerPerms   = []string{"read"}
	uploaderPerms = []string{"upload"}
	adminPerms    = []string{"upload", "read", "pii", "review", "admin"}
)

// fakeSessions is the API's side of signing in, for the page tests: the keys it knows sign
// in to a session "phien-<key>"; the sessions "khoa-thu" (a clerk: the get helper's cookie),
// "khoa-doc" (a reader) and "khoa-up" (an uploader) are live.
type fakeSessions struct {
	mu      sync.Mutex
	keys    map[string][]string // key → permissions
	live    map[string]liveSession
	revoked []string
}

type liveSession struct {
	csrf  string
	perms []string
}

func newFakeSessions() *fakeSessions {
	return &fakeSessions{
		keys: map[string][]string{"khoa-can-bo": clerkPerms, "k": readerPerms, "khoa-tai-len": uploaderPerms},
		live: map[string]liveSession{
			"khoa-thu": {"csrf-thu", clerkPerms},
			"khoa-doc": {"csrf-doc", readerPerms},
			"khoa-up":  {"csrf-up", uploaderPerms},
			"khoa-qt":  {"csrf-qt", adminPerms},
		},
	}
}

func (f *fakeSessions) SignIn(ctx context.Context, key string) (string, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	perms, ok := f.keys[key]
	if !ok {
		return "", false, nil
	}
	token := "phien-" + key
	f.live[token] = liveSession{"csrf-" + strings.ToUpper(key), perms}
	return token, true, nil
}

func (f *fakeSessions) Access(ctx context.Context, token string) (string, []string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.live[token]
	return s.csrf, s.perms, ok
}

func (f *fakeSessions) SignOut(ctx context.Context, token string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.live, token)
	f.revoked = append(f.revoked, token)
	return nil
}
