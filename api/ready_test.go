package api

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// TestReadyz checks /readyz names the dependency that failed, stays 200 (degraded) when only
// the queue or the search index is down, and answers 503 when the store or blobs are, without
// the error's text.
func TestReadyz(t *testing.T) {
	t.Parallel()
	down := errors.New("dial tcp 10.0.0.7:6379: connection refused")
	ok := func(context.Context) error { return nil }
	fail := func(context.Context) error { return down }
	for _, c := range []struct {
		name       string
		redis      func(context.Context) error
		blobs      func(context.Context) error
		wantCode   int
		wantStatus string
	}{
		{"all answer", ok, ok, 200, "ready"},
		{"redis down", fail, ok, 200, "degraded"},
		{"blobs down", ok, fail, 503, "not_ready"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFixtureWith(t, func(cfg *Config) {
				cfg.Ready = []ReadyCheck{{Name: "redis", Check: c.redis}, {Name: "blobs", Essential: true, Check: c.blobs}}
			})
			resp, body := f.do(t, "GET", "/readyz", "", nil, "")
			var got Readiness
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatalf("%s: %v", body, err)
			}
			if resp.StatusCode != c.wantCode || got.Status != c.wantStatus {
				t.Errorf("readyz = %d %+v, want %d %s", resp.StatusCode, got, c.wantCode, c.wantStatus)
			}
			for name, check := range map[string]func(context.Context) error{"redis": c.redis, "blobs": c.blobs} {
				want := "ok"
				if check(context.Background()) != nil {
					want = "unavailable"
				}
				if got.Checks[name] != want {
					t.Errorf("checks[%s] = %q, want %q", name, got.Checks[name], want)
				}
			}
			if strings.Contains(string(body), "10.0.0.7") {
				t.Errorf("the answer holds the error's text: %s", body)
			}
		})
	}
}
