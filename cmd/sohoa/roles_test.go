package main

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/sohoa/sohoa/api"
	sohoaclient "github.com/sohoa/sohoa/client"
	"github.com/sohoa/sohoa/fixtures"
	"github.com/sohoa/sohoa/ingest"
	"github.com/sohoa/sohoa/internal/testenv"
	"github.com/sohoa/sohoa/task"
)

// rolesRedisDB is this file's Redis database, apart from the other end-to-end tests'.
const rolesRedisDB = 6

// noTesseract is a configuration under which opening Tesseract fails: its language data
// directory is empty. A worker that starts under it never opened Tesseract.
func noTesseract(t *testing.T, env map[string]string) Config {
	t.Helper()
	env["SOHOA_TESSDATA"] = t.TempDir()
	cfg, err := LoadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestWorkerStagesByRole(t *testing.T) {
	t.Parallel()
	cfg := noTesseract(t, map[string]string{"SOHOA_OCR_WORKERS": "1"})
	for _, queues := range [][]string{{"doc"}, {"index"}, {"doc", "index"}} {
		st, pool, err := newWorkerStages(cfg, queues)
		if err != nil || pool != nil || st.OCR != nil || st.Scan.Orienter != nil || st.Classifier == nil || st.Extractor == nil {
			t.Errorf("stages for %v = %+v, pool %v, %v; want classify and extract only, no Tesseract", queues, st, pool, err)
		}
	}
	// The check above means something only if Tesseract would fail to open here.
	for _, queues := range [][]string{{"ocr"}, {"prepare"}, {"index", "prepare"}, task.Queues} {
		if _, pool, err := newWorkerStages(cfg, queues); err == nil {
			pool.Close()
			t.Errorf("stages for %v opened Tesseract without language data", queues)
		}
	}
}

func TestWorkerQueuesConfig(t *testing.T) {
	t.Parallel()
	cfg, err := LoadConfig(func(k string) string { return map[string]string{"SOHOA_WORKER_QUEUES": "ocr, prepare"}[k] })
	if err != nil || strings.Join(cfg.WorkerQueues, ",") != "ocr,prepare" {
		t.Errorf("SOHOA_WORKER_QUEUES=ocr, prepare: %v, %v", cfg.WorkerQueues, err)
	}
	cfg, err = LoadConfig(func(string) string { return "" })
	if err != nil || strings.Join(cfg.WorkerQueues, ",") != strings.Join(task.Queues, ",") {
		t.Errorf("default queues %v, %v; want all", cfg.WorkerQueues, err)
	}
	if _, err := LoadConfig(func(k string) string { return map[string]string{"SOHOA_WORKER_QUEUES": "ocr,classify"}[k] }); err == nil ||
		!strings.Contains(err.Error(), `unknown queue "classify"`) {
		t.Errorf("SOHOA_WORKER_QUEUES=ocr,classify: %v, want an unknown-queue error", err)
	}
	// The flag is checked before anything is opened.
	err = runWorker(context.Background(), cfg, []string{"--queues", "ocr,orc"})
	if err == nil || !strings.Contains(err.Error(), `unknown queue "orc"`) {
		t.Errorf("worker --queues ocr,orc: %v, want an unknown-queue error", err)
	}
}

// TestWorkerRoles runs `serve` and two workers with disjoint roles, as on two hosts sharing
// Redis, the store and the blobs: one prepares and reads pages, the other (which cannot open
// Tesseract) classifies, extracts and indexes. While only the first runs, the documents stop
// after OCR with their classify tasks waiting; with the second, the batch completes.
func TestWorkerRoles(t *testing.T) {
	redisAddr := testenv.Redis(t)
	meiliURL, meiliKey := testenv.Meili(t)
	rdb := redis.NewClient(&redis.Options{Addr: redisAddr, DB: rolesRedisDB})
	defer rdb.Close()
	// Tasks left by an interrupted run would name documents of another store.
	if err := rdb.FlushDB(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	truths, err := fixtures.Generate(context.Background(), dir, fixtures.Options{Seed: 4242, Count: 2, Types: []string{"quyet_dinh", "cong_van"}})
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, tr := range truths {
		files = append(files, filepath.Join(dir, tr.File))
	}
	env := map[string]string{
		"SOHOA_DATA_DIR": filepath.Join(dir, "data"), "SOHOA_REDIS_ADDR": redisAddr, "SOHOA_REDIS_DB": fmt.Sprint(rolesRedisDB),
		"SOHOA_MEILI_URL": meiliURL, "SOHOA_MEILI_KEY": meiliKey, "SOHOA_MEILI_INDEX": fmt.Sprintf("roles_%d", time.Now().UnixNano()),
		"SOHOA_HTTP_ADDR": testenv.FreeAddr(t), "SOHOA_API_KEYS": "up:uploader", "SOHOA_OCR_WORKERS": "1", "SOHOA_LOG_LEVEL": "warn",
	}
	cfg, err := LoadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	light := noTesseract(t, env)

	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	svc, stop := context.WithCancel(ctx)
	done := make(chan error, 3)
	running := 0
	start := func(fn func() error) {
		running++
		go func() { done <- fn() }()
	}
	t.Cleanup(func() {
		stop()
		for range running {
			if err := <-done; err != nil {
				t.Errorf("service stopped with %v", err)
			}
		}
	})
	start(func() error { return runServe(svc, cfg, nil) })
	start(func() error { return runWorker(svc, cfg, []string{"--queues", "prepare,ocr"}) })
	base := "http://" + cfg.HTTPAddr
	waitHealthy(t, base)

	up := &sohoaclient.Client{Base: base, Key: "up", HTTP: http.DefaultClient}
	res, err := up.Upload(ctx, "000.00.15.H29-251201-0002", files)
	if err != nil {
		t.Fatal(err)
	}

	// Every page read and nothing further: each document's classify task waits in "doc".
	insp := asynq.NewInspector(asynq.RedisClientOpt{Addr: redisAddr, DB: rolesRedisDB})
	defer insp.Close()
	for {
		var p api.BatchProgress
		if err := up.Get(ctx, "/v1/batches/"+res.Batch.ID, &p); err != nil {
			t.Fatal(err)
		}
		if p.Counts["indexed"] > 0 {
			t.Fatalf("a document was indexed with only the prepare and ocr worker running: %+v", p.Counts)
		}
		queues, err := insp.Queues()
		if err != nil {
			t.Fatal(err)
		}
		var doc *asynq.QueueInfo
		if slices.Contains(queues, task.QueueDoc) {
			if doc, err = insp.GetQueueInfo(task.QueueDoc); err != nil {
				t.Fatal(err)
			}
		}
		if doc != nil && doc.Pending == len(files) {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("classify tasks never all waited (%+v): %v", doc, ctx.Err())
		case err := <-done:
			running--
			t.Fatalf("a service stopped while the first worker ran: %v", err)
		case <-time.After(200 * time.Millisecond):
		}
	}

	start(func() error { return runWorker(svc, light, []string{"--queues", "doc,index"}) })
	if err := ingest.Follow(ctx, up, []string{res.Batch.ID}, os.Stderr); err != nil {
		t.Fatal(err)
	}
	var p api.BatchProgress
	if err := up.Get(ctx, "/v1/batches/"+res.Batch.ID, &p); err != nil {
		t.Fatal(err)
	}
	if p.Counts["indexed"] != len(files) {
		t.Errorf("batch counts %+v, want %d indexed", p.Counts, len(files))
	}
}

// A worker's servers follow its role: OCR one task per client, one page prepared beside them
// (every core on a host that only prepares), the light stages apart.
func TestServersFor(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		queues []string
		want   string
	}{
		{task.Queues, "ocr×4 prepare×1 doc,index×2"},
		{[]string{"ocr"}, "ocr×4"},
		{[]string{"prepare"}, "prepare×4"},
		{[]string{"doc", "index"}, "doc,index×2"},
		{[]string{"prepare", "index"}, "prepare×4 index×2"},
	} {
		var got []string
		for _, s := range serversFor(c.queues, 4) {
			got = append(got, strings.Join(slices.Sorted(maps.Keys(s.queues)), ",")+"×"+strconv.Itoa(s.concurrency))
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("serversFor(%v, 4) = %v, want %s", c.queues, got, c.want)
		}
	}
}
