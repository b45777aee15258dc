package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sohoa/sohoa/events"
	"github.com/sohoa/sohoa/fixtures"
	"github.com/sohoa/sohoa/internal/testenv"
	"github.com/sohoa/sohoa/store"
)

// hookReceiver is a portal's webhook endpoint: it checks each request's signature and counts
// deliveries per event ID.
type hookReceiver struct {
	t      *testing.T
	mu     sync.Mutex
	got    map[string]int
	events map[string]store.Event
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if err := events.Verify("s3cret", r.Header.Get(events.HeaderTimestamp), r.Header.Get(events.HeaderSignature), body, time.Now(), 5*time.Minute); err != nil {
		h.t.Errorf("webhook with a bad signature: %v", err)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var ev store.Event
	json.Unmarshal(body, &ev)
	h.mu.Lock()
	h.got[ev.ID]++
	h.events[ev.ID] = ev
	h.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

func (h *hookReceiver) has(typ, subject string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, e := range h.events {
		if e.Type == typ && e.Subject == subject {
			return true
		}
	}
	return false
}

// TestWatchEndToEnd runs serve and worker as the binary wires them, on the real Redis and
// Meilisearch, with a webhook receiver that is down at first: a scan and a corrupt file are
// dropped into a hot folder, the watcher is stopped right after its upload and started again,
// and the scan ends indexed in done/, the corrupt file in failed/ with its reason, each
// uploaded once; the receiver, once up, gets each event once with a valid signature; and a
// reader's CSV export has the right columns and no personal field.
func TestWatchEndToEnd(t *testing.T) {
	dir := t.TempDir()
	truths, err := fixtures.Generate(context.Background(), dir, fixtures.Options{Seed: 2020, Count: 1, Types: []string{"quyet_dinh"}})
	if err != nil {
		t.Fatal(err)
	}
	scan, err := os.ReadFile(filepath.Join(dir, truths[0].File))
	if err != nil {
		t.Fatal(err)
	}
	hookAddr := testenv.FreeAddr(t)
	ctx, cfg, base := startTestStack(t, stackVars(t, dir, "4", "watch", "up:uploader,rd:reader",
		map[string]string{"SOHOA_WEBHOOKS": "http://" + hookAddr + "/hooks/sohoa secret=s3cret"}))

	// The watcher talks to serve through a proxy that counts the uploaded files by content.
	target, _ := url.Parse(base)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var mu sync.Mutex
	sent := map[string]int{}
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" && r.URL.Path == "/v1/batches" {
			body, _ := io.ReadAll(r.Body)
			_, boundary, _ := strings.Cut(r.Header.Get("Content-Type"), "boundary=")
			mr := multipart.NewReader(bytes.NewReader(body), boundary)
			for p, err := mr.NextPart(); err == nil; p, err = mr.NextPart() {
				if p.FormName() == "file" {
					data, _ := io.ReadAll(p)
					sum := sha256.Sum256(data)
					mu.Lock()
					sent[hex.EncodeToString(sum[:])]++
					mu.Unlock()
				}
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		proxy.ServeHTTP(w, r)
	}))
	defer front.Close()
	uploads := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(sent)
	}

	hot := filepath.Join(dir, "hot")
	const dossier = "000.00.15.H29-251206-0020"
	write := func(name string, data []byte) {
		os.MkdirAll(filepath.Join(hot, dossier), 0o755)
		if err := os.WriteFile(filepath.Join(hot, dossier, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("quyet dinh.png", scan)
	write("hong.pdf", []byte("%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF"))
	watchArgs := []string{"--server", front.URL, "--key", "up", "--poll", "200ms", hot}

	// First run: stopped as soon as the API has answered for both files (the state file
	// records the answer), before the scan is processed.
	first, stopFirst := context.WithCancel(ctx)
	firstDone := make(chan error, 1)
	go func() { firstDone <- runWatch(first, cfg, watchArgs) }()
	waitFor(t, ctx, "both files uploaded", func() bool {
		raw, _ := os.ReadFile(filepath.Join(hot, ".sohoa-watch.json"))
		var st struct{ Files map[string]any }
		json.Unmarshal(raw, &st)
		return len(st.Files) == 2
	})
	stopFirst()
	if n := uploads(); n != 2 {
		t.Fatalf("%d contents uploaded by the first run, want 2", n)
	}
	if err := <-firstDone; err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(hot, "done", dossier, "quyet dinh.png")); err == nil {
		t.Log("the scan was processed before the stop; the restart still must not upload it again")
	}
	// The restart, and the webhook receiver coming up after events were already waiting.
	second, stopSecond := context.WithCancel(ctx)
	secondDone := make(chan error, 1)
	go func() { secondDone <- runWatch(second, cfg, watchArgs) }()
	defer func() {
		stopSecond()
		<-secondDone
	}()
	waitFor(t, ctx, "the scan in done/", func() bool {
		_, err := os.Stat(filepath.Join(hot, "done", dossier, "quyet dinh.png"))
		return err == nil
	})
	note, err := os.ReadFile(filepath.Join(hot, "failed", dossier, "hong.pdf.error.txt"))
	if err != nil || !strings.Contains(string(note), "file_rejected") || !strings.Contains(string(note), "PDF") {
		t.Errorf("hong.pdf note %q (%v), want the reason it was rejected", note, err)
	}
	mu.Lock()
	for sum, n := range sent {
		if n != 1 {
			t.Errorf("content %s uploaded %d times across the restart", sum[:12], n)
		}
	}
	mu.Unlock()

	rc := &hookReceiver{t: t, got: map[string]int{}, events: map[string]store.Event{}}
	ln, err := net.Listen("tcp", hookAddr)
	if err != nil {
		t.Fatal(err)
	}
	hooks := &http.Server{Handler: rc}
	go hooks.Serve(ln)
	defer hooks.Close()

	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	docs, err := db.DossierDocuments(ctx, dossier)
	if err != nil || len(docs) != 2 {
		t.Fatalf("dossier documents %v %v, want the scan and the corrupt file", docs, err)
	}
	var indexed, failed store.Document
	for _, d := range docs {
		switch d.Status {
		case store.StatusIndexed:
			indexed = d
		case store.StatusFailed:
			failed = d
		}
	}
	if indexed.ID == "" || failed.ID == "" {
		t.Fatalf("documents %+v, want one indexed and one failed", docs)
	}
	waitFor(t, ctx, "the webhook events", func() bool {
		return rc.has(store.EventDocumentIndexed, indexed.ID) && rc.has(store.EventDocumentFailed, failed.ID) && rc.has(store.EventBatchDone, indexed.BatchID)
	})
	// Every event, including those whose first attempts met the receiver down, arrives; the
	// retries' back-off (10 s, then 20 s, with jitter) bounds the wait.
	outbox, _ := db.Events(ctx, 0, 100)
	waitFor(t, ctx, "every outbox event", func() bool {
		rc.mu.Lock()
		defer rc.mu.Unlock()
		return len(rc.got) >= len(outbox)
	})
	time.Sleep(3 * time.Second) // another round of the dispatcher, which must send nothing again
	rc.mu.Lock()
	for _, e := range outbox {
		if n := rc.got[e.ID]; n != 1 {
			t.Errorf("event %s (%s) received %d times, want once", e.ID, e.Type, n)
		}
	}
	rc.mu.Unlock()

	// A reader's CSV export: the right columns, no personal field.
	out := filepath.Join(dir, "export.csv")
	if err := runExport(ctx, cfg, []string{"--server", base, "--key", "rd", "--dossier", dossier, "-o", out}); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(out)
	if !bytes.HasPrefix(raw, []byte("\uFEFF")) {
		t.Fatalf("export.csv has no BOM: %.80q", raw)
	}
	rows, err := csv.NewReader(bytes.NewReader(raw[3:])).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("export.csv: %d rows, %v; want a header and 2 documents", len(rows), err)
	}
	for _, col := range []string{"id", "dossier_id", "doc_type", "review_state", "number", "issuer", "signer"} {
		if !slices.Contains(rows[0], col) {
			t.Errorf("export.csv lacks column %s: %v", col, rows[0])
		}
	}
	for _, col := range []string{"id_number", "full_name", "date_of_birth", "file_name", "residence"} {
		if slices.Contains(rows[0], col) {
			t.Errorf("a reader's export.csv has the personal column %s", col)
		}
	}
}

func waitFor(t *testing.T, ctx context.Context, what string, ok func() bool) {
	t.Helper()
	for !ok() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(100 * time.Millisecond):
		}
	}
}
