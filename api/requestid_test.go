package api

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sohoa/sohoa/internal/logctx"
)

// lockedBuffer is a log sink the server's goroutines may write to while the test reads.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, l := range bytes.Split(bytes.TrimSpace(b.buf.Bytes()), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(l, &m); err != nil {
			t.Fatalf("log line %q is not JSON: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

type observed struct {
	method, route string
	status        int
}

type fakeObserver struct {
	mu  sync.Mutex
	got []observed
}

func (o *fakeObserver) ObserveRequest(method, route string, status int, d time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.got = append(o.got, observed{method, route, status})
}

// TestRequestIDsInLog checks each request gets an ID, answered in X-Request-ID and carried
// by the request's log line, that a proxy's ID is kept and a forged one replaced, and that
// the line names the route, never the path holding an ID number.
func TestRequestIDsInLog(t *testing.T) {
	t.Parallel()
	var logs lockedBuffer
	obs := &fakeObserver{}
	f := newFixtureWith(t, func(c *Config) {
		c.Log = slog.New(logctx.Handler(slog.NewJSONHandler(&logs, nil)))
		c.Observer = obs
	})
	const idNumber = "001090123456"
	resp, _ := f.send(t, "GET", "/v1/people/"+idNumber, map[string]string{"Authorization": "Bearer cl"}, "")
	generated := resp.Header.Get("X-Request-ID")
	if generated == "" || resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, X-Request-ID %q; want 200 with an ID", resp.StatusCode, generated)
	}
	resp, _ = f.send(t, "GET", "/v1/documents/nope", map[string]string{"Authorization": "Bearer rd", "X-Request-ID": "proxy-42.a_b"}, "")
	if got := resp.Header.Get("X-Request-ID"); got != "proxy-42.a_b" {
		t.Errorf("a proxy's request ID came back as %q", got)
	}
	resp, _ = f.send(t, "GET", "/healthz", map[string]string{"X-Request-ID": "x\" forged=1"}, "")
	if got := resp.Header.Get("X-Request-ID"); got == "" || strings.Contains(got, "forged") {
		t.Errorf("a forged request ID came back as %q, want a new one", got)
	}

	byID := map[string]map[string]any{}
	for _, l := range logs.lines(t) {
		if l["msg"] == "request" {
			byID[l["request_id"].(string)] = l
		}
	}
	if l := byID[generated]; l == nil || l["route"] != "GET /v1/people/{id}" || l["status"] != 200.0 {
		t.Errorf("log line of the person lookup = %v, want its request_id, route and status", l)
	}
	if l := byID["proxy-42.a_b"]; l == nil || l["status"] != 404.0 {
		t.Errorf("log line of the missing document = %v, want the proxy's request_id and 404", l)
	}
	logs.mu.Lock()
	raw := logs.buf.String()
	logs.mu.Unlock()
	if strings.Contains(raw, idNumber) {
		t.Errorf("the log holds the ID number:\n%s", raw)
	}
	obs.mu.Lock()
	defer obs.mu.Unlock()
	if len(obs.got) != 3 || obs.got[0] != (observed{"GET", "GET /v1/people/{id}", 200}) || obs.got[1].status != 404 {
		t.Errorf("observer saw %+v", obs.got)
	}
}

// TestOpsPagesAdminOnly checks /metrics and /monitoring/ answer admins only.
func TestOpsPagesAdminOnly(t *testing.T) {
	t.Parallel()
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ops page") })
	f := newFixtureWith(t, func(c *Config) { c.Metrics, c.Monitoring = page, page })
	for _, path := range []string{"/metrics", "/monitoring/", "/monitoring/api/queues"} {
		for key, want := range map[string]int{"": 401, "rd": 403, "cl": 403, "ad": 200} {
			resp, body := f.do(t, "GET", path, key, nil, "")
			if resp.StatusCode != want {
				t.Errorf("GET %s with key %q: %d, want %d", path, key, resp.StatusCode, want)
			}
			if (want == 200) != (string(body) == "ops page") {
				t.Errorf("GET %s with key %q answered %q", path, key, body)
			}
		}
	}
}

// A generated request ID never looks like an ID number: the log masking would mask it, and
// the privacy tests would take it for a leak.
func TestNewRequestIDHasNoDigit(t *testing.T) {
	t.Parallel()
	digit := regexp.MustCompile(`[0-9]`)
	for range 20000 {
		id := newRequestID()
		if digit.MatchString(id) || !validRequestID(id) || len(id) != 24 {
			t.Fatalf("request ID %q", id)
		}
	}
}
