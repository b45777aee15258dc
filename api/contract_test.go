package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/sohoa/sohoa/index"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
)

// loadContract parses openapi.json as a client generator would, and checks it is a valid
// OpenAPI document.
func loadContract(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(openAPI)
	if err != nil {
		t.Fatalf("loading openapi.json: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.json is not a valid OpenAPI document: %v", err)
	}
	return doc
}

var registerDecoders sync.Once

// binaryAndLines teaches the validator the API's non-JSON answers: files are opaque bytes, and
// an export is checked line by line, as the array of its lines.
func binaryAndLines() {
	registerDecoders.Do(func() {
		for _, ct := range []string{"image/png", "image/jpeg", "application/pdf", "text/plain", "text/csv"} {
			openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
		}
		openapi3filter.RegisterBodyDecoder("application/x-ndjson", func(r io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
			lines := []any{}
			sc := bufio.NewScanner(r)
			sc.Buffer(nil, 16<<20)
			for sc.Scan() {
				var v any
				if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
					return nil, fmt.Errorf("line %d: %w", len(lines)+1, err)
				}
				lines = append(lines, v)
			}
			return lines, sc.Err()
		})
	})
}

// operation finds the documented operation of a route; a route missing from openapi.json
// fails the test here.
func operation(t *testing.T, doc *openapi3.T, method, pattern string) *routers.Route {
	t.Helper()
	item := doc.Paths.Value(pattern)
	if item == nil {
		t.Fatalf("openapi.json has no path %s", pattern)
	}
	op := item.GetOperation(method)
	if op == nil {
		t.Fatalf("openapi.json has no %s %s", method, pattern)
	}
	if op.OperationID == "" {
		t.Errorf("%s %s has no operationId", method, pattern)
	}
	return &routers.Route{Spec: doc, Path: pattern, PathItem: item, Method: method, Operation: op}
}

// validateAnswer checks a live answer (status, content type, headers, body) against the
// operation's documented responses; an undocumented status fails too.
func validateAnswer(t *testing.T, rt *routers.Route, req *http.Request, resp *http.Response, body []byte) {
	t.Helper()
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, Route: rt},
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s = %d %s: does not match openapi.json: %v", req.Method, req.URL.RequestURI(), resp.StatusCode, clip(body), err)
	}
}

func clip(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}

// contractSeed is what the contract test's requests refer to.
type contractSeed struct {
	dossier, batch, doc, failed, unready, person string
}

const contractDossier = "000.00.15.H29-251201-0001"

// seed stores an identity card with a page, OCR words and fields (indexed, searchable), a
// failed document and one not yet prepared.
func (f *fixture) seed(t *testing.T) contractSeed {
	t.Helper()
	ctx := context.Background()
	png := tinyPNG(t)
	ref, err := f.blobs.Put(ctx, png)
	if err != nil {
		t.Fatal(err)
	}
	s := contractSeed{dossier: contractDossier, batch: "bseed", person: "001090123456"}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err = f.store.CreateBatch(ctx, store.Batch{ID: s.batch, DossierID: s.dossier})
	must(err)
	d, _, err := f.store.AddDocument(ctx, store.Document{DossierID: s.dossier, BatchID: s.batch, FileName: "the.png", Blob: ref, Size: int64(len(png))})
	must(err)
	s.doc = d.ID
	must(f.store.SetPageCount(ctx, d.ID, 1))
	must(f.store.SavePreparedPage(ctx, store.PageRecord{DocID: d.ID, DPI: 300, Image: ref, Page: record.Page{Number: 1, Width: 20, Height: 20}}))
	words := []record.Word{{Text: "Số:", Box: record.Box{1, 1, 5, 4}}, {Text: s.person, Box: record.Box{6, 1, 19, 4}}}
	_, err = f.store.SaveRecognition(ctx, d.ID, 1, "Số: "+s.person, words, 90)
	must(err)
	must(f.store.SaveClassification(ctx, d.ID, record.Classification{Type: "can_cuoc", Confidence: 0.9}))
	must(f.store.SaveExtraction(ctx, d.ID, record.Fields{"id_number": {Value: s.person, Valid: true, Confidence: 1}, "full_name": {Value: "NGUYỄN VĂN A", Valid: true, Confidence: 1}}, store.ReviewAuto))
	must(f.store.SetStatus(ctx, d.ID, store.StatusIndexed, ""))
	must(f.index.Upsert(ctx, index.Doc{ID: d.ID, DossierID: s.dossier, FileName: "the.png", DocType: "can_cuoc", ReviewState: store.ReviewAuto, Text: "Số: " + s.person, PageCount: 1}))

	bad, _, err := f.store.AddDocument(ctx, store.Document{DossierID: s.dossier, BatchID: s.batch, FileName: "bad.pdf", Blob: store.RefOf([]byte("bad"))})
	must(err)
	must(f.store.SetStatus(ctx, bad.ID, store.StatusFailed, "not a PDF"))
	s.failed = bad.ID
	unready, _, err := f.store.AddDocument(ctx, store.Document{DossierID: s.dossier, BatchID: s.batch, FileName: "later.png", Blob: store.RefOf([]byte("later"))})
	must(err)
	s.unready = unready.ID
	return s
}

// contractCall is one request of the contract test, made to the route with the given pattern.
type contractCall struct {
	name    string
	method  string
	pattern string
	path    string
	key     string
	body    func() (io.Reader, string) // body and content type
	want    int
}

func jsonBody(v string) func() (io.Reader, string) {
	return func() (io.Reader, string) { return strings.NewReader(v), "application/json" }
}

// uploadBody is a multipart upload: fields in order, then files by name.
func uploadBody(fields [][2]string, files map[string][]byte) func() (io.Reader, string) {
	return func() (io.Reader, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for _, f := range fields {
			mw.WriteField(f[0], f[1])
		}
		for name, data := range files {
			w, _ := mw.CreateFormFile("file", name)
			w.Write(data)
		}
		mw.Close()
		return &buf, mw.FormDataContentType()
	}
}

// TestContract calls every route with valid and invalid requests and checks each live answer
// against openapi.json. Every route of the table must have at least one successful and one
// refused call here, so a new route cannot go unchecked.
func TestContract(t *testing.T) {
	t.Parallel()
	binaryAndLines()
	doc := loadContract(t)
	f := newFixtureWith(t, func(c *Config) { c.MaxUploadBytes = 1 << 20 })
	s := f.seed(t)
	png := tinyPNG(t)
	dossierField := [][2]string{{"dossier_id", s.dossier}}
	deadEvent, deadEndpoint := seedDeadLetter(t, f.store)
	const (
		batches  = "/v1/batches"
		batch    = "/v1/batches/{id}"
		document = "/v1/documents/{id}"
		image    = "/v1/documents/{id}/pages/{n}/image"
		original = "/v1/documents/{id}/original"
		pdf      = "/v1/documents/{id}/pdf"
		fields   = "/v1/documents/{id}/fields"
		review   = "/v1/documents/{id}/review"
		docAudit = "/v1/documents/{id}/audit"
		dossier  = "/v1/dossiers/{code}"
		person   = "/v1/people/{id}"
		search   = "/v1/search"
		export   = "/v1/exports/documents"
		audit    = "/v1/audit"
		dead     = "/v1/events/dead"
		retry    = "/v1/events/dead/{id}/retry"
		boundary = "/v1/documents/{id}/boundary"
		queue    = "/v1/review/queue"
	)
	d := "/v1/documents/" + s.doc
	_, part := seedSplit(t, f.store, "000.00.15.H29-251201-0020")
	calls := []contractCall{
		{"upload", "POST", batches, batches, "up", uploadBody(dossierField, map[string][]byte{"a.png": png}), 202},
		{"upload without files", "POST", batches, batches, "up", uploadBody(dossierField, nil), 400},
		{"upload with two dossiers", "POST", batches, batches, "up", uploadBody([][2]string{{"dossier_id", s.dossier}, {"dossier_id", "000.00.15.H29-251201-0002"}}, map[string][]byte{"a.png": png}), 400},
		{"upload too large", "POST", batches, batches, "up", uploadBody(dossierField, map[string][]byte{"big.png": bytes.Repeat([]byte{1}, 2<<20)}), 413},
		{"upload as reader", "POST", batches, batches, "rd", uploadBody(dossierField, map[string][]byte{"a.png": png}), 403},
		{"upload without key", "POST", batches, batches, "", uploadBody(dossierField, map[string][]byte{"a.png": png}), 401},
		{"batch", "GET", batch, "/v1/batches/" + s.batch, "up", nil, 200},
		{"missing batch", "GET", batch, "/v1/batches/nope", "up", nil, 404},
		{"document", "GET", document, d, "cl", nil, 200},
		{"document with words as reader", "GET", document, d + "?words=1", "rd", nil, 200},
		{"missing document", "GET", document, "/v1/documents/nope", "rd", nil, 404},
		{"page image", "GET", image, d + "/pages/1/image", "cl", nil, 200},
		{"page number not a number", "GET", image, d + "/pages/x/image", "cl", nil, 400},
		{"missing page", "GET", image, d + "/pages/9/image", "cl", nil, 404},
		{"original", "GET", original, d + "/original", "cl", nil, 200},
		{"original as reader", "GET", original, d + "/original", "rd", nil, 403},
		{"pdf", "GET", pdf, d + "/pdf", "cl", nil, 200},
		{"pdf not ready", "GET", pdf, "/v1/documents/" + s.unready + "/pdf", "cl", nil, 409},
		{"pdf of a missing document", "GET", pdf, "/v1/documents/nope/pdf", "cl", nil, 404},
		{"correct a field", "PATCH", fields, d + "/fields", "cl", jsonBody(`{"fields": {"full_name": "NGUYỄN VĂN B"}}`), 200},
		{"correct an unknown field", "PATCH", fields, d + "/fields", "cl", jsonBody(`{"fields": {"full_name": "X", "no_such_field": "1"}}`), 400},
		{"correct with a bad body", "PATCH", fields, d + "/fields", "cl", jsonBody(`{"fields": 1}`), 400},
		{"correct a missing document", "PATCH", fields, "/v1/documents/nope/fields", "cl", jsonBody(`{"fields": {"full_name": "X"}}`), 404},
		{"send back to review", "POST", review, d + "/review", "cl", jsonBody(`{"state": "needs_review"}`), 200},
		{"approve", "POST", review, d + "/review", "cl", jsonBody(`{"state": "approved"}`), 200},
		{"approve a failed document", "POST", review, "/v1/documents/" + s.failed + "/review", "cl", jsonBody(`{"state": "approved"}`), 409},
		{"approve without required fields", "POST", review, "/v1/documents/" + s.unready + "/review", "cl", jsonBody(`{"state": "approved", "doc_type": "can_cuoc"}`), 409},
		{"approve with an override", "POST", review, "/v1/documents/" + s.unready + "/review", "cl", jsonBody(`{"state": "approved", "doc_type": "can_cuoc", "override_reason": "bản gốc bị rách"}`), 200},
		{"review with a bad state", "POST", review, d + "/review", "cl", jsonBody(`{"state": "done"}`), 400},
		{"document audit", "GET", docAudit, d + "/audit", "cl", nil, 200},
		{"document audit as reader", "GET", docAudit, d + "/audit", "rd", nil, 403},
		{"dossier", "GET", dossier, "/v1/dossiers/" + s.dossier, "rd", nil, 200},
		{"bad dossier code", "GET", dossier, "/v1/dossiers/abc", "rd", nil, 400},
		{"empty dossier", "GET", dossier, "/v1/dossiers/000.00.15.H29-251201-0009", "rd", nil, 404},
		{"person", "GET", person, "/v1/people/" + s.person, "cl", nil, 200},
		{"bad ID number", "GET", person, "/v1/people/123", "cl", nil, 400},
		{"search", "GET", search, "/v1/search?q=s%E1%BB%91&limit=10&offset=0&from=2020-01-01&to=2026-12-31&review_state=auto&doc_type=can_cuoc&dossier_id=" + s.dossier, "rd", nil, 200},
		{"search with a negative offset", "GET", search, "/v1/search?offset=-1", "rd", nil, 400},
		{"search with a bad date", "GET", search, "/v1/search?from=2025-13-01", "rd", nil, 400},
		{"export", "GET", export, "/v1/exports/documents?dossier_id=" + s.dossier, "rd", nil, 200},
		{"export of a bad dossier", "GET", export, "/v1/exports/documents?dossier_id=abc", "rd", nil, 400},
		{"review queue", "GET", queue, queue + "?doc_type=can_cuoc&dossier_id=" + s.dossier + "&batch_id=" + s.batch + "&limit=5", "rd", nil, 200}, // lists the seeded card, whatever the calls before did to its state
		{"review queue with a bad state", "GET", queue, queue + "?review_state=done", "rd", nil, 400},
		{"review queue with a bad cursor", "GET", queue, queue + "?after=nope", "cl", nil, 400},
		{"review queue as uploader", "GET", queue, queue, "up", nil, 403},
		{"audit log", "GET", audit, "/v1/audit?doc_id=" + s.doc, "ad", nil, 200},
		{"audit log with a bad limit", "GET", audit, "/v1/audit?limit=0", "ad", nil, 400},
		{"export as CSV", "GET", export, "/v1/exports/documents?format=csv&doc_type=can_cuoc&review_state=auto&from=2020-01-01&to=2099-12-31", "rd", nil, 200},
		{"export in an unknown format", "GET", export, "/v1/exports/documents?format=xlsx", "rd", nil, 400},
		{"dead letters", "GET", dead, dead + "?limit=10", "ad", nil, 200},
		{"dead letters with a bad limit", "GET", dead, dead + "?limit=0", "ad", nil, 400},
		{"dead letters as clerk", "GET", dead, dead, "cl", nil, 403},
		{"retry a dead letter", "POST", retry, dead + "/" + deadEvent + "/retry", "ad", jsonBody(`{"endpoint": "` + deadEndpoint + `"}`), 200},
		{"retry it again", "POST", retry, dead + "/" + deadEvent + "/retry", "ad", jsonBody(`{"endpoint": "` + deadEndpoint + `"}`), 404},
		{"retry without an endpoint", "POST", retry, dead + "/" + deadEvent + "/retry", "ad", jsonBody(`{}`), 400},
		{"move a boundary", "POST", boundary, "/v1/documents/" + part + "/boundary", "cl", jsonBody(`{"first_page": 3}`), 202},
		{"move a boundary past the end", "POST", boundary, "/v1/documents/" + part + "/boundary", "cl", jsonBody(`{"first_page": 9}`), 409},
	}

	type coverage struct{ ok, refused bool }
	covered := map[string]*coverage{}
	for _, rt := range routes {
		covered[rt.method+" "+rt.pattern] = &coverage{}
	}
	for _, c := range calls {
		ops := operation(t, doc, c.method, c.pattern)
		cov, ok := covered[c.method+" "+c.pattern]
		if !ok {
			t.Fatalf("%s: %s %s is not in the routes table", c.name, c.method, c.pattern)
		}
		var body io.Reader
		var ct string
		if c.body != nil {
			body, ct = c.body()
		}
		req, err := http.NewRequest(c.method, f.srv.URL+c.path, body)
		if err != nil {
			t.Fatal(err)
		}
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		if c.key != "" {
			req.Header.Set("Authorization", "Bearer "+c.key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("%s: %s %s = %d %s, want %d", c.name, c.method, c.path, resp.StatusCode, clip(raw), c.want)
		}
		validateAnswer(t, ops, req, resp, raw)
		if resp.StatusCode < 300 {
			cov.ok = true
		} else if resp.StatusCode >= 400 && resp.StatusCode < 500 && resp.StatusCode != 401 {
			cov.refused = true
		}
	}
	for name, cov := range covered {
		if !cov.ok || !cov.refused {
			t.Errorf("%s: the contract test needs a successful and a refused call (have ok=%v refused=%v)", name, cov.ok, cov.refused)
		}
	}

	// The public answers and the API's own 404 and 405 keep the contract too.
	for _, c := range []struct{ method, pattern, path string }{{"GET", "/healthz", "/healthz"}, {"GET", "/readyz", "/readyz"}, {"GET", "/v1/openapi.json", "/v1/openapi.json"}} {
		req, _ := http.NewRequest(c.method, f.srv.URL+c.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		validateAnswer(t, operation(t, doc, c.method, c.pattern), req, resp, raw)
	}
	errSchema := doc.Components.Schemas["Error"]
	if errSchema == nil {
		t.Fatal("openapi.json has no components/schemas/Error")
	}
	for _, c := range []struct {
		method, path string
		want         int
	}{{"GET", "/v1/no-such-route", 404}, {"DELETE", d, 405}, {"GET", "/v1/batches", 405}} {
		resp, raw := f.do(t, c.method, c.path, "cl", nil, "")
		if resp.StatusCode != c.want || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Errorf("%s %s = %d %s, want %d JSON", c.method, c.path, resp.StatusCode, resp.Header.Get("Content-Type"), c.want)
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Errorf("%s %s: body %q is not JSON", c.method, c.path, raw)
			continue
		}
		if err := errSchema.Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
			t.Errorf("%s %s: %s is not an Error: %v", c.method, c.path, raw, err)
		}
	}
}

// seedDeadLetter makes the first outbox event a dead letter of one endpoint.
func seedDeadLetter(t *testing.T, s *store.SQL) (eventID, endpoint string) {
	t.Helper()
	ctx := context.Background()
	evs, err := s.Events(ctx, 0, 1)
	if err != nil || len(evs) == 0 {
		t.Fatalf("no outbox event to make a dead letter of (%v)", err)
	}
	endpoint = "portal.example.vn/hooks#0a1b2c3d"
	if _, err := s.FanOut(ctx, []store.Subscription{{Endpoint: endpoint, Types: store.EventTypes}}, 100); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.ClaimDelivery(ctx, evs[0].ID, endpoint, time.Minute); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if err := s.DeliveryFailed(ctx, evs[0].ID, endpoint, "HTTP 503", time.Time{}); err != nil {
		t.Fatal(err)
	}
	return evs[0].ID, endpoint
}
