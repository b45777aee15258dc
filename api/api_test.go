package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/sohoa/sohoa/index"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
	"github.com/sohoa/sohoa/task"
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

func (q *fakeQueue) Enqueue(ctx context.Context, typ string, p task.Payload) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.tasks = append(q.tasks, task.ID(typ, p))
	return nil
}

type fixture struct {
	srv   *httptest.Server
	store *store.SQL
	blobs store.Blobs
	queue *fakeQueue
	index *fakeIndex
}

// testKeys are the fixture's API keys, one per role (routes_test checks that every role of
// rolePerms has one).
var testKeys = map[string]string{"up": "uploader", "cl": "clerk", "rd": "reader", "ad": "admin"}

// keyOf returns the fixture's key for role.
func keyOf(role string) string {
	for k, r := range testKeys {
		if r == role {
			return k
		}
	}
	return ""
}

func newFixture(t *testing.T) *fixture { return newFixtureWith(t, nil) }

// newFixtureWith is newFixture with a chance to change the configuration first.
func newFixtureWith(t *testing.T, configure func(*Config)) *fixture {
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
	ix := &fakeIndex{docs: map[string]index.Doc{}}
	cfg := Config{Store: db, Blobs: blobs, Index: ix, Queue: q, Keys: testKeys, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if configure != nil {
		configure(&cfg)
	}
	srv := httptest.NewServer(New(cfg).Handler())
	t.Cleanup(srv.Close)
	return &fixture{srv: srv, store: db, blobs: blobs, queue: q, index: ix}
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
	f.store.SaveExtraction(ctx, d.ID, record.Fields{"id_number": {Value: "001090123456", Valid: true, Read: "001090123458"}, "full_name": {Value: "NGUYỄN VĂN A"}}, store.ReviewAuto)

	for key, want := range map[string]string{"rd": "001*******56", "cl": "001090123456"} {
		_, raw := f.do(t, "GET", "/v1/documents/"+d.ID, key, nil, "")
		var v DocumentView
		json.Unmarshal(raw, &v)
		if got := v.Fields["id_number"].Value; got != want {
			t.Errorf("%s sees id_number %q, want %q", key, got, want)
		}
		// What was read before a correction is masked like the value.
		if got := v.Fields["id_number"].Read; (got == "001090123458") != (key == "cl") {
			t.Errorf("%s sees id_number read as %q", key, got)
		}
		if strings.Contains(v.Pages[0].Text, "001090123456") != (key == "cl") {
			t.Errorf("%s sees page text %q", key, v.Pages[0].Text)
		}
		// An identity card's image and original are for roles with pii only: the view
		// must not point the others at routes that refuse them.
		if pii := key == "cl"; (v.Pages[0].Image != "") != pii || v.Pages[0].ImageWithheld == pii || (v.OriginalURL != "") != pii {
			t.Errorf("%s gets image_url %q, image_withheld %v, original_url %q", key, v.Pages[0].Image, v.Pages[0].ImageWithheld, v.OriginalURL)
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

// batchCount counts the stored batches of the dossier through the API's own store.
func batchCount(t *testing.T, f *fixture, dossier string) int {
	t.Helper()
	docs, err := f.store.DossierDocuments(context.Background(), dossier)
	if err != nil {
		t.Fatal(err)
	}
	batches := map[string]bool{}
	for _, d := range docs {
		batches[d.BatchID] = true
	}
	return len(batches)
}

func TestUploadRefusals(t *testing.T) {
	t.Parallel()
	f := newFixtureWith(t, func(c *Config) {
		c.MaxUploadBytes = 1 << 20
		c.Limits.MaxFileBytes = 64 << 10
		c.MaxFiles = 3
	})
	png := tinyPNG(t)
	const dossier = "000.00.15.H29-251201-0007"
	build := func(parts func(mw *multipart.Writer)) (io.Reader, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		parts(mw)
		mw.Close()
		return &buf, mw.FormDataContentType()
	}
	file := func(mw *multipart.Writer, name string, data []byte) {
		w, _ := mw.CreateFormFile("file", name)
		w.Write(data)
	}
	cases := []struct {
		name      string
		parts     func(mw *multipart.Writer)
		want      int
		wantCode  string
		wantParam string
	}{
		{"no files", func(mw *multipart.Writer) { mw.WriteField("dossier_id", dossier) }, 400, "invalid_field", "file"},
		{"no dossier", func(mw *multipart.Writer) { file(mw, "a.png", png) }, 400, "invalid_field", "dossier_id"},
		{"two dossiers", func(mw *multipart.Writer) {
			mw.WriteField("dossier_id", dossier)
			mw.WriteField("dossier_id", "000.00.15.H29-251201-0008")
			file(mw, "a.png", png)
		}, 400, "invalid_field", "dossier_id"},
		{"field too long", func(mw *multipart.Writer) {
			mw.WriteField("note", strings.Repeat("x", 2000))
			mw.WriteField("dossier_id", dossier)
			file(mw, "a.png", png)
		}, 400, "invalid_field", "note"},
		{"too many parts", func(mw *multipart.Writer) {
			mw.WriteField("dossier_id", dossier)
			for i := 0; i < 20; i++ {
				mw.WriteField("x", "1")
			}
		}, 413, "too_large", ""},
		{"body too large", func(mw *multipart.Writer) {
			mw.WriteField("dossier_id", dossier)
			for i := 0; i < 20; i++ {
				file(mw, fmt.Sprintf("%d.png", i), bytes.Repeat([]byte{byte(i)}, 60<<10))
			}
		}, 413, "too_large", ""},
	}
	for _, c := range cases {
		body, ct := build(c.parts)
		resp, raw := f.do(t, "POST", "/v1/batches", "up", body, ct)
		var e ErrorBody
		json.Unmarshal(raw, &e)
		if resp.StatusCode != c.want || e.Code != c.wantCode || e.Param != c.wantParam {
			t.Errorf("%s = %d %s, want %d %s param %q", c.name, resp.StatusCode, raw, c.want, c.wantCode, c.wantParam)
		}
	}
	// Only "body too large" got as far as storing files, and only its whole ones before the limit.
	if n := batchCount(t, f, "000.00.15.H29-251201-0008"); n != 0 {
		t.Errorf("refused uploads left %d batches in the second dossier", n)
	}

	// A file over the per-file limit is a rejected item, and the rest of the batch goes on.
	body, ct := build(func(mw *multipart.Writer) {
		mw.WriteField("dossier_id", "000.00.15.H29-251201-0009")
		file(mw, "big.png", bytes.Repeat([]byte{1}, 100<<10))
		file(mw, "a.png", png)
	})
	resp, raw := f.do(t, "POST", "/v1/batches", "up", body, ct)
	var res UploadResult
	json.Unmarshal(raw, &res)
	if resp.StatusCode != 202 || len(res.Items) != 2 || res.Items[0].Status != "rejected" || res.Items[1].Status != store.StatusQueued {
		t.Errorf("oversized file among good ones = %d %s, want 202 with big.png rejected and a.png queued", resp.StatusCode, raw)
	}
}

// TestUploadCutOff sends a body that ends in the middle of the second file: the first file is
// stored, nothing of the second.
func TestUploadCutOff(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const dossier = "000.00.15.H29-251201-0010"
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("dossier_id", dossier)
	w, _ := mw.CreateFormFile("file", "first.png")
	w.Write(tinyPNG(t))
	w, _ = mw.CreateFormFile("file", "second.png")
	second := append(tinyPNG(t), bytes.Repeat([]byte{7}, 4096)...)
	w.Write(second)
	mw.Close()
	cut := buf.Bytes()[:buf.Len()-2048] // inside the second file, before its closing boundary
	resp, raw := f.do(t, "POST", "/v1/batches", "up", bytes.NewReader(cut), mw.FormDataContentType())
	if resp.StatusCode != http.StatusBadRequest || strings.Contains(string(raw), "second.png") {
		t.Errorf("cut upload = %d %s, want 400 acknowledging nothing of second.png", resp.StatusCode, raw)
	}
	docs, err := f.store.DossierDocuments(context.Background(), dossier)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 || docs[0].FileName != "first.png" {
		t.Errorf("stored after the cut: %+v, want first.png only", docs)
	}
}

func TestReviewIntegrity(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	s := f.seed(t)
	ctx := context.Background()
	d := "/v1/documents/" + s.doc
	auditActions := func() []string {
		log, err := f.store.AuditLog(ctx, s.doc, 100)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range log {
			if !strings.HasPrefix(e.Action, "read") {
				out = append(out, e.Action+":"+e.Field)
			}
		}
		return out
	}

	// One unknown field refuses the whole request: the valid one beside it is not written.
	resp, raw := f.do(t, "PATCH", d+"/fields", "cl", strings.NewReader(`{"fields": {"full_name": "TRẦN THỊ C", "no_such": "1"}}`), "application/json")
	var e ErrorBody
	json.Unmarshal(raw, &e)
	if resp.StatusCode != 400 || e.Param != "no_such" {
		t.Errorf("unknown field = %d %s, want 400 naming no_such", resp.StatusCode, raw)
	}
	fields, _ := f.store.Fields(ctx, s.doc)
	if got := fields["full_name"].Value; got != "NGUYỄN VĂN A" {
		t.Errorf("full_name = %q after a refused request, want it unchanged", got)
	}
	if got := auditActions(); len(got) != 0 {
		t.Errorf("audit after a refused correction = %v, want nothing", got)
	}

	// An invalid ID number is stored marked invalid; approving then needs a reason.
	resp, raw = f.do(t, "PATCH", d+"/fields", "cl", strings.NewReader(`{"fields": {"id_number": "999090123456", "full_name": "TRẦN THỊ C"}}`), "application/json")
	if resp.StatusCode != 200 {
		t.Fatalf("correction = %d %s", resp.StatusCode, raw)
	}
	resp, raw = f.do(t, "POST", d+"/review", "cl", strings.NewReader(`{"state": "approved"}`), "application/json")
	json.Unmarshal(raw, &e)
	if resp.StatusCode != 409 || e.Code != "override_required" || !strings.Contains(e.Error, "id_number") {
		t.Errorf("approving with an invalid id_number = %d %s, want 409 override_required naming id_number", resp.StatusCode, raw)
	}
	if doc, _ := f.store.Document(ctx, s.doc); doc.ReviewState == store.ReviewApproved {
		t.Errorf("refused approval approved the document")
	}
	resp, raw = f.do(t, "POST", d+"/review", "cl", strings.NewReader(`{"state": "approved", "override_reason": "số trên bản gốc sai, đã xác minh"}`), "application/json")
	if resp.StatusCode != 200 {
		t.Fatalf("approval with override = %d %s", resp.StatusCode, raw)
	}
	log, _ := f.store.AuditLog(ctx, s.doc, 100)
	var override bool
	for _, e := range log {
		if e.Action == "approve_override" && strings.Contains(e.OldValue, "id_number") && e.NewValue == "số trên bản gốc sai, đã xác minh" {
			override = true
		}
	}
	if !override {
		t.Errorf("the override and its reason are not in the audit log: %+v", log)
	}

	// Editing an approved document sends it back to review.
	resp, raw = f.do(t, "PATCH", d+"/fields", "cl", strings.NewReader(`{"fields": {"id_number": "001090123456"}}`), "application/json")
	var v DocumentView
	json.Unmarshal(raw, &v)
	if resp.StatusCode != 200 || v.ReviewState != store.ReviewNeeded {
		t.Errorf("editing an approved document = %d, review_state %q, want needs_review", resp.StatusCode, v.ReviewState)
	}
	want := []string{"review:review_state", "correct_field:id_number", "approve_override:review_state", "review:review_state", "correct_field:id_number", "correct_field:full_name"}
	if got := auditActions(); !slices.Equal(got, want) {
		t.Errorf("audit = %v, want %v", got, want)
	}

	// A failed document cannot be approved, with or without a reason.
	resp, raw = f.do(t, "POST", "/v1/documents/"+s.failed+"/review", "cl", strings.NewReader(`{"state": "approved", "override_reason": "x"}`), "application/json")
	json.Unmarshal(raw, &e)
	if resp.StatusCode != 409 || e.Code != "conflict" {
		t.Errorf("approving a failed document = %d %s, want 409 conflict", resp.StatusCode, raw)
	}
}

func TestSearchParameters(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cases := []struct{ query, param string }{
		{"limit=-1", "limit"}, {"limit=abc", "limit"}, {"limit=101", "limit"}, {"limit=0", "limit"},
		{"offset=-1", "offset"}, {"offset=x", "offset"},
		{"from=2025-1-1", "from"}, {"to=yesterday", "to"}, {"from=2025-02-01&to=2025-01-01", "from"},
		{"review_state=done", "review_state"}, {"doc_type=nope", "doc_type"}, {"dossier_id=abc", "dossier_id"},
		{"q=" + strings.Repeat("a", 501), "q"},
	}
	for _, c := range cases {
		resp, raw := f.do(t, "GET", "/v1/search?"+c.query, "rd", nil, "")
		var e ErrorBody
		json.Unmarshal(raw, &e)
		if resp.StatusCode != 400 || e.Code != "invalid_parameter" || e.Param != c.param {
			t.Errorf("search?%.40s = %d %s, want 400 invalid_parameter param %s", c.query, resp.StatusCode, raw, c.param)
		}
	}
	for _, q := range []string{"limit=100&offset=0", "from=2025-01-01&to=2025-01-01", "review_state=needs_review", "doc_type=can_cuoc", "dossier_id=000.00.15.h29-251201-0001"} {
		resp, raw := f.do(t, "GET", "/v1/search?"+q, "rd", nil, "")
		if resp.StatusCode != 200 || !strings.Contains(string(raw), `"hits":[]`) {
			t.Errorf("search?%s = %d %s, want 200 with hits []", q, resp.StatusCode, raw)
		}
	}
	if resp, raw := f.do(t, "GET", "/v1/exports/documents?dossier_id=nope", "rd", nil, ""); resp.StatusCode != 400 || !strings.Contains(string(raw), `"param":"dossier_id"`) {
		t.Errorf("export with a bad dossier = %d %s, want 400 naming dossier_id", resp.StatusCode, raw)
	}
}
