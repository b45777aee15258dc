package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/sohoa/sohoa/index"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
)

type fakeIndex struct {
	mu   sync.Mutex
	docs map[string]index.Doc
}

func (f *fakeIndex) Search(ctx context.Context, q index.Query) (index.Results, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var r index.Results
	for _, d := range f.docs {
		r.Hits = append(r.Hits, index.Hit{Doc: d, Snippet: "Số định danh: 001090123456"})
	}
	return r, nil
}

func (f *fakeIndex) Upsert(ctx context.Context, docs ...index.Doc) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, d := range docs {
		f.docs[d.ID] = d
	}
	return nil
}

type fakeQueue struct {
	mu    sync.Mutex
	tasks []string
}

func (q *fakeQueue) Enqueue(ctx context.Context, typ string, p pipeline.Payload) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.tasks = append(q.tasks, pipeline.TaskID(typ, p))
	return nil
}

type fixture struct {
	srv   *httptest.Server
	store *store.SQL
	blobs store.Blobs
	queue *fakeQueue
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "db.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	blobs, err := store.NewDirBlobs(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	q := &fakeQueue{}
	s := New(Config{Store: db, Blobs: blobs, Index: &fakeIndex{docs: map[string]index.Doc{}}, Queue: q,
		Keys: map[string]string{"up": "uploader", "cl": "clerk", "rd": "reader"}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return &fixture{srv: srv, store: db, blobs: blobs, queue: q}
}

func (f *fixture) do(t *testing.T, method, path, key string, body io.Reader, contentType string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, f.srv.URL+path, body)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func multipartBody(t *testing.T, dossier string, files map[string][]byte) (io.Reader, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("dossier_id", dossier)
	for name, data := range files {
		w, _ := mw.CreateFormFile("file", name)
		w.Write(data)
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

func TestAuthAndRoles(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cases := []struct {
		name, method, path, key string
		want                    int
	}{
		{"no key", "GET", "/v1/search?q=x", "", 401},
		{"unknown key", "GET", "/v1/search?q=x", "nope", 401},
		{"reader searches", "GET", "/v1/search?q=x", "rd", 200},
		{"uploader cannot search", "GET", "/v1/search?q=x", "up", 403},
		{"reader cannot look people up", "GET", "/v1/people/001090123456", "rd", 403},
		{"clerk looks people up", "GET", "/v1/people/001090123456", "cl", 200},
		{"bad id number", "GET", "/v1/people/12345", "cl", 400},
		{"reader cannot correct", "PATCH", "/v1/documents/x/fields", "rd", 403},
		{"missing document", "GET", "/v1/documents/nope", "rd", 404},
		{"bad dossier code", "GET", "/v1/dossiers/abc", "rd", 400},
		{"health without key", "GET", "/healthz", "", 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := f.do(t, c.method, c.path, c.key, nil, "")
			if resp.StatusCode != c.want {
				t.Errorf("%s %s as %q = %d %s, want %d", c.method, c.path, c.key, resp.StatusCode, body, c.want)
			}
		})
	}
}

func TestUploadKeepsGoodFilesAndExplainsBadOnes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	png := tinyPNG(t)
	body, ct := multipartBody(t, "000.00.15.H29-251201-0001", map[string][]byte{
		"a.png": png, "empty.pdf": {}, "notes.pdf": []byte("just some text, not a PDF"),
	})
	resp, raw := f.do(t, "POST", "/v1/batches", "up", body, ct)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("upload = %d %s", resp.StatusCode, raw)
	}
	var res UploadResult
	json.Unmarshal(raw, &res)
	byName := map[string]UploadItem{}
	for _, it := range res.Items {
		byName[it.FileName] = it
	}
	if it := byName["a.png"]; it.Status != store.StatusQueued || it.DocumentID == "" {
		t.Errorf("good file = %+v, want queued", it)
	}
	for _, bad := range []string{"empty.pdf", "notes.pdf"} {
		if it := byName[bad]; it.Status != store.StatusFailed || it.Error == "" {
			t.Errorf("%s = %+v, want failed with a reason", bad, it)
		}
	}
	if len(f.queue.tasks) != 1 || f.queue.tasks[0] != "prepare:"+byName["a.png"].DocumentID {
		t.Errorf("queued tasks = %v, want only the good file's prepare task", f.queue.tasks)
	}
	// Durable before the answer: the row and the blob exist now.
	if _, err := f.store.Document(context.Background(), byName["a.png"].DocumentID); err != nil {
		t.Errorf("document not stored: %v", err)
	}

	body, ct = multipartBody(t, "not-a-code", map[string][]byte{"a.png": png})
	if resp, _ := f.do(t, "POST", "/v1/batches", "up", body, ct); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad dossier code = %d, want 400", resp.StatusCode)
	}
}

func TestPersonalIDsMaskedForReaders(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	f.store.CreateBatch(ctx, store.Batch{ID: "b", DossierID: "X-251201-0001"})
	d, _, _ := f.store.AddDocument(ctx, store.Document{DossierID: "X-251201-0001", BatchID: "b", FileName: "cccd.png", Blob: store.RefOf([]byte("x"))})
	f.store.SaveClassification(ctx, d.ID, record.Classification{Type: "can_cuoc", Confidence: 0.9})
	f.store.SavePreparedPage(ctx, store.PageRecord{DocID: d.ID, Page: record.Page{Number: 1}})
	f.store.SaveRecognition(ctx, d.ID, 1, "Số: 001090123456", nil, 90)
	f.store.SaveExtraction(ctx, d.ID, record.Fields{"id_number": {Value: "001090123456", Valid: true}, "full_name": {Value: "NGUYỄN VĂN A"}}, store.ReviewAuto)

	for key, want := range map[string]string{"rd": "001*******56", "cl": "001090123456"} {
		_, raw := f.do(t, "GET", "/v1/documents/"+d.ID, key, nil, "")
		var v DocumentView
		json.Unmarshal(raw, &v)
		if got := v.Fields["id_number"].Value; got != want {
			t.Errorf("%s sees id_number %q, want %q", key, got, want)
		}
		if strings.Contains(v.Pages[0].Text, "001090123456") != (key == "cl") {
			t.Errorf("%s sees page text %q", key, v.Pages[0].Text)
		}
	}
	log, _ := f.store.AuditLog(ctx, d.ID, 10)
	if len(log) != 2 || log[0].Action != "read_document" {
		t.Errorf("audit log = %+v, want two reads", log)
	}
	_, raw := f.do(t, "GET", "/v1/search?q=x", "rd", nil, "")
	if strings.Contains(string(raw), "001090123456") {
		t.Errorf("reader's search shows an ID number: %s", raw)
	}
}

func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	t.Parallel()
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	for _, r := range routes {
		if _, ok := doc.Paths[r.pattern][strings.ToLower(r.method)]; !ok {
			t.Errorf("openapi.json lacks %s %s", r.method, r.pattern)
		}
	}
}
