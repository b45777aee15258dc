package web

import (
	"context"
	"strings"
	"sync"
)

// fakeSessions is the API's side of signing in, for the page tests: the keys it knows sign
// in to a session "phien-<key>", and the session "khoa-thu" (the get helper's cookie) is live.
type fakeSessions struct {
	mu      sync.Mutex
	keys    map[string]bool
	live    map[string]string // token → CSRF token
	revoked []string
}

func newFakeSessions() *fakeSessions {
	return &fakeSessions{
		keys: map[string]bool{"khoa-can-bo": true, "k": true},
		live: map[string]string{"khoa-thu": "csrf-thu"},
	}
}

func (f *fakeSessions) SignIn(ctx context.Context, key string) (string, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.keys[key] {
		return "", false, nil
	}
	token := "phien-" + key
	f.live[token] = "csrf-" + strings.ToUpper(key)
	return token, true, nil
}

func (f *fakeSessions) CSRF(ctx context.Context, token string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.live[token]
	return c, ok
}

func (f *fakeSessions) SignOut(ctx context.Context, token string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.live, token)
	f.revoked = append(f.revoked, token)
	return nil
}
