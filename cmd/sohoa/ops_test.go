package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sohoa/sohoa/api"
	sohoaclient "github.com/sohoa/sohoa/client"
	"github.com/sohoa/sohoa/fixtures"
	"github.com/sohoa/sohoa/ingest"
	"github.com/sohoa/sohoa/internal/testenv"
)

// syncBuffer is a log sink that the services' goroutines write while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestOperations runs serve and worker as the binary wires them, on the real Redis and
// Meilisearch, with the metrics listeners on, captures both JSON logs, and uploads an
// identity card under a file name holding an ID number. Then: the worker's and serve's
// /metrics moved with the work (pages, documents, stage latency, OCR confidence, review,
// queues, HTTP requests); /metrics and /monitoring answer admins only on the API listener;
// the logs carry the request's and the tasks' IDs and neither the ID number nor the name.
func TestOperations(t *testing.T) {
	dir := t.TempDir()
	truths, err := fixtures.Generate(context.Background(), dir, fixtures.Options{Seed: 1619, Count: 1, Types: []string{"can_cuoc"}})
	if err != nil {
		t.Fatal(err)
	}
	truth := truths[0]
	idNumber, name := truth.Fields["id_number"], truth.Fields["full_name"]
	if len(idNumber) != 12 || name == "" {
		t.Fatalf("generated card has id_number %q, full_name %q", idNumber, name)
	}
	// Scanning stations name files after the applicant.
	card := filepath.Join(dir, "cccd_"+idNumber+".png")
	if err := os.Rename(filepath.Join(dir, truth.File), card); err != nil {
		t.Fatal(err)
	}

	vars := stackVars(t, dir, "12", "ops", "up:uploader,cl:clerk,rd:reader,ad:admin", map[string]string{
		"SOHOA_LOG_LEVEL": "info", "SOHOA_METRICS_ADDR": testenv.FreeAddr(t), "SOHOA_WORKER_METRICS_ADDR": testenv.FreeAddr(t),
	})
	cfg, err := LoadConfig(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	var serveLog, workerLog syncBuffer
	serveCfg, workerCfg := cfg, cfg
	serveCfg.logTo, workerCfg.logTo = &serveLog, &workerLog

	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	svc, stop := context.WithCancel(ctx)
	done := make(chan error, 2)
	go func() { done <- runWorker(svc, workerCfg, nil) }()
	go func() { done <- runServe(svc, serveCfg, nil) }()
	var once sync.Once
	shutdown := func() {
		once.Do(func() {
			stop()
			for range 2 {
				if err := <-done; err != nil {
					t.Errorf("service stopped with %v", err)
				}
			}
		})
	}
	t.Cleanup(shutdown)
	base := "http://" + cfg.HTTPAddr
	waitHealthy(t, base)

	var ready api.Readiness
	if status, body, _ := rawGet(t, ctx, base, "", "/readyz"); status != http.StatusOK || json.Unmarshal(body, &ready) != nil ||
		ready.Status != "ready" || len(ready.Checks) != 4 {
		t.Errorf("GET /readyz = %d %s, want 200 ready with store, blobs, redis and search", status, body)
	}

	up := &sohoaclient.Client{Base: base, Key: "up", HTTP: http.DefaultClient}
	res, err := up.Upload(ctx, "000.00.15.H29-251206-0016", []string{card})
	if err != nil {
		t.Fatal(err)
	}
	if err := ingest.Follow(ctx, up, []string{res.Batch.ID}, os.Stderr); err != nil {
		t.Fatal(err)
	}
	docID := res.Items[0].DocumentID

	// The worker's metrics, on its own listener, without a key.
	worker := scrape(t, ctx, "http://"+cfg.WorkerMetricsAddr, "")
	for series, least := range map[string]float64{
		`sohoa_pages_total{result="done",stage="ocr"}`:                    1,
		`sohoa_pages_total{result="done",stage="prepare"}`:                1,
		`sohoa_documents_total{result="done",stage="index"}`:              1,
		`sohoa_stage_duration_seconds_count{result="ok",stage="ocr"}`:     1,
		`sohoa_stage_duration_seconds_count{result="ok",stage="extract"}`: 1,
		`sohoa_ocr_page_confidence_count`:                                 1,
		`sohoa_queue_up`:                                                  1,
		`sohoa_queue_processed_total{queue="ocr"}`:                        1,
		`process_resident_memory_bytes`:                                   1,
	} {
		if got := worker[series]; got < least {
			t.Errorf("worker %s = %v, want ≥ %v", series, got, least)
		}
	}
	if worker[`sohoa_review_decisions_total{state="auto"}`]+worker[`sohoa_review_decisions_total{state="needs_review"}`] != 1 {
		t.Errorf("worker review decisions: %v", worker)
	}

	// Serve's, on the open metrics listener and to an admin key on the API listener.
	open := scrape(t, ctx, "http://"+cfg.MetricsAddr, "")
	if got := open[`sohoa_http_requests_total{code="202",method="POST",route="POST /v1/batches"}`]; got != 1 {
		t.Errorf("serve counted %v uploads, want 1", got)
	}
	if got := open[`sohoa_http_requests_total{code="200",method="GET",route="GET /v1/batches/{id}"}`]; got < 1 {
		t.Errorf("serve counted %v batch polls, want ≥ 1", got)
	}
	if admin := scrape(t, ctx, base, "ad"); admin[`sohoa_queue_up`] != 1 {
		t.Errorf("API /metrics to an admin: sohoa_queue_up = %v", admin[`sohoa_queue_up`])
	}
	for _, c := range []struct {
		path, key string
		want      int
	}{
		{"/metrics", "", 401}, {"/metrics", "rd", 403}, {"/monitoring/", "rd", 403}, {"/monitoring/", "cl", 403}, {"/monitoring/", "ad", 200},
		{"/monitoring/api/queues", "ad", 200},
	} {
		status, body, header := rawGet(t, ctx, base, c.key, c.path)
		if status != c.want {
			t.Errorf("GET %s with key %q: %d, want %d", c.path, c.key, status, c.want)
		}
		if status == 200 && strings.HasPrefix(c.path, "/monitoring") && header.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s: Cache-Control %q, want no-store", c.path, header.Get("Cache-Control"))
		}
		if c.path == "/monitoring/" && status == 200 && !strings.Contains(string(body), "<html") {
			t.Errorf("the monitor's page is not HTML: %.200s", body)
		}
	}

	// A request's ID is in serve's log, the tasks' IDs in the worker's; nothing personal in either.
	_, _, header := rawGet(t, ctx, base, "rd", "/v1/documents/"+docID)
	requestID := header.Get("X-Request-ID")
	shutdown() // the services stop and write their last lines

	serveLines, workerLines := jsonLines(t, "serve", serveLog.String()), jsonLines(t, "worker", workerLog.String())
	if !hasLine(serveLines, func(l map[string]any) bool {
		return l["request_id"] == requestID && l["route"] == "GET /v1/documents/{id}"
	}) {
		t.Errorf("serve's log has no line with request_id %q for the document read", requestID)
	}
	for _, id := range []string{"prepare:" + docID, "ocr:" + docID + ":1", "extract:" + docID, "index:" + docID} {
		if !hasLine(workerLines, func(l map[string]any) bool { return l["task_id"] == id && l["msg"] == "task done" }) {
			t.Errorf("the worker's log has no 'task done' line with task_id %q", id)
		}
	}
	digits := regexp.MustCompile(`\d{3}\D?\d{3}\D?\d{3}\D?\d{3}`)
	for what, raw := range map[string]string{"serve": serveLog.String(), "worker": workerLog.String()} {
		if strings.Contains(raw, idNumber) || strings.Contains(raw, name) {
			t.Errorf("%s's log holds the card's ID number or name", what)
		}
		// Nor any other value printed on the card (birth date, home town, address …); short
		// values such as a sex or a nationality are too common to tell apart.
		for field, value := range truth.Fields {
			if len(value) >= 8 && strings.Contains(raw, value) {
				t.Errorf("%s's log holds the card's %s", what, field)
			}
		}
		for _, m := range digits.FindAllString(raw, -1) {
			if strings.Contains(strings.Map(keepDigits, m), idNumber[:6]) {
				t.Errorf("%s's log holds digits of the ID number: %q", what, m)
			}
		}
	}
}

func keepDigits(r rune) rune {
	if r >= '0' && r <= '9' {
		return r
	}
	return -1
}

// scrape reads a Prometheus text exposition into series → value.
func scrape(t *testing.T, ctx context.Context, base, key string) map[string]float64 {
	t.Helper()
	status, body, _ := rawGet(t, ctx, base, key, "/metrics")
	if status != http.StatusOK {
		t.Fatalf("GET %s/metrics: %d %s", base, status, body)
	}
	out := map[string]float64{}
	for _, line := range strings.Split(string(body), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("exposition line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

func jsonLines(t *testing.T, what, raw string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(raw), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Errorf("%s's log line is not JSON: %q", what, line)
			continue
		}
		out = append(out, m)
	}
	return out
}

func hasLine(lines []map[string]any, match func(map[string]any) bool) bool {
	for _, l := range lines {
		if match(l) {
			return true
		}
	}
	return false
}
