package api

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// concretePath fills a route pattern with values of the right shape; the documents they name
// do not exist, so an allowed caller gets 400 or 404, never a 2xx that would hide nothing.
func concretePath(pattern string) string {
	return strings.NewReplacer("{id}", "nope", "{n}", "1", "{code}", contractDossier).Replace(pattern)
}

// TestRoutesByCredential calls every route of the table with every kind of credential: none,
// an unknown key, a known key without the Bearer scheme, and the key of each role. Expectations
// come from the route's permission and the role table, so a new route or role is covered
// without editing this test.
func TestRoutesByCredential(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	roles := make([]string, 0, len(rolePerms))
	for role := range rolePerms {
		if keyOf(role) == "" {
			t.Fatalf("the fixture has no key for role %s", role)
		}
		roles = append(roles, role)
	}
	slices.Sort(roles)

	type credential struct {
		name, header, role string // role "" means the caller must not be authenticated
	}
	creds := []credential{
		{"no key", "", ""},
		{"wrong key", "Bearer not-a-key", ""},
		{"bare key", keyOf("clerk"), ""},
		{"bare key with another scheme", "Basic " + keyOf("clerk"), ""},
	}
	for _, role := range roles {
		creds = append(creds, credential{role, "Bearer " + keyOf(role), role})
	}

	for _, rt := range routes {
		for _, c := range creds {
			t.Run(rt.method+" "+rt.pattern+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				var body io.Reader
				if rt.method != "GET" {
					body = strings.NewReader("{}")
				}
				req, _ := http.NewRequest(rt.method, f.srv.URL+concretePath(rt.pattern), body)
				if body != nil {
					req.Header.Set("Content-Type", "application/json")
				}
				if c.header != "" {
					req.Header.Set("Authorization", c.header)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				raw, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				var e ErrorBody
				json.Unmarshal(raw, &e)
				switch {
				case c.role == "":
					if resp.StatusCode != http.StatusUnauthorized || e.Code != "unauthorized" {
						t.Errorf("= %d %s, want 401 unauthorized", resp.StatusCode, clip(raw))
					}
					if resp.Header.Get("WWW-Authenticate") == "" {
						t.Errorf("401 without WWW-Authenticate")
					}
				case allowed(c.role, rt.perm):
					if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
						t.Errorf("role %s holds the permission, got %d %s", c.role, resp.StatusCode, clip(raw))
					}
				default:
					if resp.StatusCode != http.StatusForbidden || e.Code != "forbidden" {
						t.Errorf("role %s lacks the permission, got %d %s, want 403 forbidden", c.role, resp.StatusCode, clip(raw))
					}
				}
				checkAPIHeaders(t, resp)
			})
		}
	}
}

// checkAPIHeaders checks the headers every API answer carries, whatever its status.
func checkAPIHeaders(t *testing.T, resp *http.Response) {
	t.Helper()
	if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("X-Content-Type-Options = %q, want nosniff", got)
	}
	if got := resp.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode >= 400 && !strings.HasPrefix(ct, "application/json") {
		t.Errorf("error answer with Content-Type %q, want JSON", ct)
	}
}

// TestPersonalDataNotCached serves each kind of personal data successfully and checks it may
// not be stored by a browser or proxy, even where a handler sets its own caching (page images).
func TestPersonalDataNotCached(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	s := f.seed(t)
	d := "/v1/documents/" + s.doc
	for _, path := range []string{
		d, d + "/pages/1/image", d + "/original", d + "/pdf", d + "/audit", "/v1/dossiers/" + s.dossier,
		"/v1/people/" + s.person, "/v1/search?q=x", "/v1/exports/documents", "/v1/audit", "/v1/batches/" + s.batch,
	} {
		resp, raw := f.do(t, "GET", path, keyOf("admin"), nil, "")
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d %s, want 200", path, resp.StatusCode, clip(raw))
		}
		if got := resp.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("GET %s: Cache-Control = %q, want no-store", path, got)
		}
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options = %q, want nosniff", path, got)
		}
	}
	resp, _ := f.do(t, "GET", "/healthz", "", nil, "")
	if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("/healthz: X-Content-Type-Options = %q, want nosniff", got)
	}
}

// TestWrongMethod answers 405 with Allow and a JSON error on every route, also when a UI is
// mounted at / (whose catch-all would otherwise answer), and 404 JSON for unknown API paths.
func TestWrongMethod(t *testing.T) {
	t.Parallel()
	f := newFixtureWith(t, func(c *Config) {
		c.UI = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "<html>UI</html>", http.StatusNotFound) })
	})
	for _, rt := range routes {
		method := "DELETE"
		resp, raw := f.do(t, method, concretePath(rt.pattern), keyOf("admin"), nil, "")
		var e ErrorBody
		json.Unmarshal(raw, &e)
		if resp.StatusCode != http.StatusMethodNotAllowed || e.Code != "method_not_allowed" {
			t.Errorf("%s %s = %d %s, want 405 method_not_allowed", method, rt.pattern, resp.StatusCode, clip(raw))
		}
		if allow := resp.Header.Get("Allow"); !strings.Contains(allow, rt.method) {
			t.Errorf("%s %s: Allow = %q, want it to name %s", method, rt.pattern, allow, rt.method)
		}
		checkAPIHeaders(t, resp)
	}
	for _, path := range []string{"/v1/nothing", "/v1/documents/x/y/z", "/v1"} {
		resp, raw := f.do(t, "GET", path, keyOf("admin"), nil, "")
		var e ErrorBody
		if resp.StatusCode != http.StatusNotFound || json.Unmarshal(raw, &e) != nil || e.Code != "not_found" {
			t.Errorf("GET %s = %d %s, want 404 not_found JSON", path, resp.StatusCode, clip(raw))
		}
	}
	if resp, raw := f.do(t, "GET", "/somewhere", "", nil, ""); !strings.Contains(string(raw), "UI") {
		t.Errorf("GET /somewhere = %d %s, want the UI's answer", resp.StatusCode, raw)
	}
}
