package main

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sohoa/sohoa/api"
	sohoaclient "github.com/sohoa/sohoa/client"
	"github.com/sohoa/sohoa/fixtures"
	"github.com/sohoa/sohoa/index"
	"github.com/sohoa/sohoa/ingest"
	"github.com/sohoa/sohoa/internal/testenv"
)

// TestEndToEnd runs `serve` and `worker` as the binary wires them, on the real Redis and
// Meilisearch that make test starts, uploads a generated skewed scan of a decision with a
// corrupt file beside it, and follows the batch to the end. The store is SQLite here and
// PostgreSQL in TestEndToEndPostgres.
func TestEndToEnd(t *testing.T) { endToEnd(t, nil) }

// endToEnd runs the end-to-end path with env added to its configuration: SOHOA_DATABASE for
// PostgreSQL, SOHOA_BLOBS and SOHOA_S3_* for S3 blobs; nil keeps SQLite and the blob directory.
func endToEnd(t *testing.T, env map[string]string) {
	dir := t.TempDir()
	truths, err := fixtures.Generate(context.Background(), dir, fixtures.Options{Seed: 2629, Count: 1, Types: []string{"quyet_dinh"}})
	if err != nil {
		t.Fatal(err)
	}
	truth := truths[0]
	scanPath := filepath.Join(dir, truth.File)
	// A second copy rotated by a known skew: the generator's clean page, skewed by the sample.
	skewed := filepath.Join("..", "..", "fixtures", "samples", "quyet_dinh_skew3.png")
	corrupt := filepath.Join(dir, "hong.pdf")
	os.WriteFile(corrupt, []byte("%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF"), 0o644)

	ctx, _, base := startTestStack(t, stackVars(t, dir, "3", "e2e", "up:uploader,cl:clerk,rd:reader", env))

	dossier := "000.00.15.H29-251201-0001"
	up := &sohoaclient.Client{Base: base, Key: "up", HTTP: http.DefaultClient}
	res, err := up.Upload(ctx, dossier, []string{scanPath, skewed, corrupt})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 3 {
		t.Fatalf("items = %+v", res.Items)
	}
	if it := res.Items[2]; it.Status != "failed" || it.Error == "" {
		t.Errorf("corrupt file item = %+v, want failed with a reason", it)
	}
	if err := ingest.Follow(ctx, up, []string{res.Batch.ID}, os.Stderr); err != nil {
		t.Fatal(err)
	}

	// The same bytes into the same dossier again are the same document.
	again, err := up.Upload(ctx, dossier, []string{scanPath})
	if err != nil {
		t.Fatal(err)
	}
	if it := again.Items[0]; !it.Duplicate || it.DocumentID != res.Items[0].DocumentID {
		t.Errorf("re-upload = %+v, want the existing document %s", it, res.Items[0].DocumentID)
	}

	clerk := &sohoaclient.Client{Base: base, Key: "cl", HTTP: http.DefaultClient}
	var d api.DossierView
	if err := clerk.Get(ctx, "/v1/dossiers/"+dossier, &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Documents) != 3 {
		t.Fatalf("dossier has %d documents, want 3", len(d.Documents))
	}
	for _, doc := range d.Documents[:2] {
		if doc.Status != "indexed" || doc.DossierID != dossier || doc.DocType != "quyet_dinh" {
			t.Errorf("%s: status %s, dossier %s, type %s; want indexed quyet_dinh in %s (error %q)",
				doc.FileName, doc.Status, doc.DossierID, doc.DocType, dossier, doc.Error)
		}
	}
	if got := d.Documents[0].Fields["number"].Value; got != truth.Fields["number"] {
		t.Errorf("number = %q, want %q", got, truth.Fields["number"])
	}
	var doc api.DocumentView
	if err := clerk.Get(ctx, "/v1/documents/"+res.Items[1].DocumentID, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Pages) != 1 || doc.Pages[0].SkewDegrees < 2 || doc.Pages[0].SkewDegrees > 4 {
		t.Errorf("skewed sample pages = %+v, want one page with skew about 3°", doc.Pages)
	}
	if f := d.Documents[2]; f.Status != "failed" || !strings.Contains(f.Error, "PDF") {
		t.Errorf("corrupt document = %s %q, want failed with a reason naming the PDF", f.Status, f.Error)
	}

	var hits index.Results
	if err := clerk.Get(ctx, "/v1/search?q=so+hoa+ho+so", &hits); err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, h := range hits.Hits {
		found[h.ID] = true
	}
	if !found[res.Items[0].DocumentID] || !found[res.Items[1].DocumentID] {
		t.Errorf("search without diacritics found %v, want both decisions", found)
	}

	reader := &sohoaclient.Client{Base: base, Key: "rd", HTTP: http.DefaultClient}
	var masked api.DocumentView
	if err := reader.Get(ctx, "/v1/documents/"+res.Items[0].DocumentID, &masked); err != nil {
		t.Fatal(err)
	}
	if err := reader.Get(ctx, "/v1/people/001090123456", &api.PersonView{}); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("reader looking a person up: %v, want 403", err)
	}
}

// stackVars are the SOHOA_* variables of a test's serve and worker: data under dir, the test
// Redis (database db) and Meilisearch (a fresh index named prefix_<time>), a free port, one
// OCR worker, warnings only, and keys (token:role pairs); extra adds or overrides.
func stackVars(t *testing.T, dir, db, prefix, keys string, extra map[string]string) map[string]string {
	t.Helper()
	meiliURL, meiliKey := testenv.Meili(t)
	vars := map[string]string{
		"SOHOA_DATA_DIR": filepath.Join(dir, "data"), "SOHOA_REDIS_ADDR": testenv.Redis(t), "SOHOA_REDIS_DB": db,
		"SOHOA_MEILI_URL": meiliURL, "SOHOA_MEILI_KEY": meiliKey, "SOHOA_MEILI_INDEX": fmt.Sprintf("%s_%d", prefix, time.Now().UnixNano()),
		"SOHOA_HTTP_ADDR": testenv.FreeAddr(t), "SOHOA_API_KEYS": keys, "SOHOA_OCR_WORKERS": "1", "SOHOA_LOG_LEVEL": "warn",
	}
	maps.Copy(vars, extra)
	return vars
}

// startTestStack loads a Config from vars and runs its serve and worker (startStack) for at
// most 8 minutes. It returns the context bounding them, the Config and serve's base URL.
func startTestStack(t *testing.T, vars map[string]string) (context.Context, Config, string) {
	t.Helper()
	cfg, err := LoadConfig(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	t.Cleanup(cancel)
	return ctx, cfg, startStack(ctx, t, cfg)
}

// startStack runs cfg's worker and serve in this process until the test ends (their errors
// fail it) and returns serve's base URL once it answers. ctx bounds them; the test's own
// cancel of ctx, deferred, stops them before the clean-up waits for them.
func startStack(ctx context.Context, t *testing.T, cfg Config) string {
	t.Helper()
	svc, stop := context.WithCancel(ctx)
	done := make(chan error, 2)
	go func() { done <- runWorker(svc, cfg, nil) }()
	go func() { done <- runServe(svc, cfg, nil) }()
	t.Cleanup(func() {
		stop()
		for range 2 {
			if err := <-done; err != nil {
				t.Errorf("service stopped with %v", err)
			}
		}
	})
	base := "http://" + cfg.HTTPAddr
	waitHealthy(t, base)
	return base
}

func waitHealthy(t *testing.T, base string) {
	t.Helper()
	for i := 0; i < 100; i++ {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("server did not become healthy")
}
