package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/sohoa/sohoa/inproc"
	"github.com/sohoa/sohoa/pipeline"
)

// TestProcessContract checks the `process --json` contract of DESIGN.md: one object per file
// in input order, an "error" object for an unreadable file while the others still run, and
// exit status 1 (errSomeFailed).
func TestProcessContract(t *testing.T) {
	cfg, stages := testStages(t)
	bad := filepath.Join(t.TempDir(), "cat.jpg")
	os.WriteFile(bad, []byte("\xff\xd8\xff\xe0 truncated"), 0o644)
	files := []string{filepath.Join("..", "..", "fixtures", "samples", "quyet_dinh_skew3.png"), bad, "/no/such/file.pdf",
		filepath.Join("..", "..", "fixtures", "samples", "can_cuoc.png")}
	results := inproc.Files(context.Background(), stages, files, 2, 200<<20)

	var out bytes.Buffer
	for _, r := range results {
		inproc.WriteJSON(&out, r)
	}
	dec := json.NewDecoder(&out)
	var objs []map[string]any
	for dec.More() {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		objs = append(objs, m)
	}
	if len(objs) != len(files) {
		t.Fatalf("%d objects for %d files", len(objs), len(files))
	}
	for i, o := range objs {
		if o["file"] != files[i] {
			t.Errorf("object %d is for %v, want %s (input order)", i, o["file"], files[i])
		}
	}
	for _, i := range []int{1, 2} {
		if e, _ := objs[i]["error"].(string); e == "" {
			t.Errorf("%s: no error in %v", files[i], objs[i])
		}
	}
	qd := objs[0]
	if qd["doc_type"] != "quyet_dinh" {
		t.Errorf("doc_type = %v", qd["doc_type"])
	}
	for _, key := range []string{"doc_type_confidence", "needs_review", "fields", "pages", "timings_ms"} {
		if _, ok := qd[key]; !ok {
			t.Errorf("contract key %q missing", key)
		}
	}
	page := qd["pages"].([]any)[0].(map[string]any)
	for _, key := range []string{"number", "width", "height", "rotation", "skew_degrees", "mean_confidence", "text"} {
		if _, ok := page[key]; !ok {
			t.Errorf("page key %q missing", key)
		}
	}
	number := qd["fields"].(map[string]any)["number"].(map[string]any)
	for _, key := range []string{"value", "confidence", "page", "bbox", "valid"} {
		if _, ok := number[key]; !ok {
			t.Errorf("field key %q missing", key)
		}
	}
	if objs[3]["doc_type"] != "can_cuoc" {
		t.Errorf("the file after the failures was not processed: %v", objs[3]["doc_type"])
	}

	err := runProcess(context.Background(), cfg, []string{"--json", bad})
	if !errors.Is(err, errSomeFailed) {
		t.Errorf("runProcess with a bad file = %v, want errSomeFailed (exit 1)", err)
	}
}

// testStages returns a default configuration with two OCR workers and the stages built on it;
// the OCR pool is closed when the test ends.
func testStages(t *testing.T) (Config, *pipeline.Stages) {
	t.Helper()
	cfg, err := LoadConfig(func(k string) string { return map[string]string{"SOHOA_OCR_WORKERS": "2"}[k] })
	if err != nil {
		t.Fatal(err)
	}
	stages, pool, err := newStages(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	return cfg, stages
}
