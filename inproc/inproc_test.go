package inproc

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/record"
)

// TestFileRefuses checks the files File turns away before the pipeline sees them: each gives a
// Result with the path and a reason, and no stages are needed for it.
func TestFileRefuses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	big := filepath.Join(dir, "big.png")
	if err := os.WriteFile(big, make([]byte, 2<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, path string
		maxBytes   int64
		want       string
	}{
		{"missing", filepath.Join(dir, "none.pdf"), 0, "cannot read the file: no such file or directory"},
		{"directory", dir, 0, "is a directory, not a file"},
		{"too large", big, 1 << 20, "file of 2 MB exceeds the limit of 1 MB (SOHOA_MAX_FILE_MB)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := File(context.Background(), nil, c.path, c.maxBytes)
			if got.File != c.path || got.Error != c.want {
				t.Errorf("File(%s) = {File: %q, Error: %q}, want {%q, %q}", c.name, got.File, got.Error, c.path, c.want)
			}
		})
	}
}

// TestWriteText checks what a person reads: the type and its confidence, the fields in name
// order with invalid ones marked, each part of a split file, and a failure's reason.
func TestWriteText(t *testing.T) {
	t.Parallel()
	fields := record.Fields{
		"number":      {Value: "12/2024/QĐ-UBND", Confidence: 0.97, Valid: true},
		"issued_date": {Value: "2024-03-01", Confidence: 0.5},
	}
	for _, c := range []struct {
		name string
		r    pipeline.Result
		want string
	}{
		{"one document", pipeline.Result{File: "a.png", DocType: "quyet_dinh", DocTypeConfidence: 0.91, NeedsReview: true, Fields: fields, Pages: make([]record.Page, 1)},
			"a.png: quyet_dinh 0.91, 1 page(s) (needs review)\n" +
				"  issued_date            2024-03-01  (0.50)  ✗ invalid\n" +
				"  number                 12/2024/QĐ-UBND  (0.97)\n"},
		{"split", pipeline.Result{File: "b.pdf", Pages: make([]record.Page, 3), Parts: []pipeline.PartResult{
			{FirstPage: 1, LastPage: 2, Reason: "start", DocType: "giay_moi", DocTypeConfidence: 0.8},
			{FirstPage: 3, LastPage: 3, Reason: "separator", DocType: "bao_cao", DocTypeConfidence: 0.6, NeedsReview: true},
		}}, "b.pdf: 2 documents in 3 page(s)\n 1. pages 1-2 (start): giay_moi 0.80\n 2. pages 3-3 (separator): bao_cao 0.60 (needs review)\n"},
		{"failed", pipeline.Result{File: "c.jpg", Error: "unreadable"}, "c.jpg: FAILED: unreadable\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			WriteText(&b, c.r)
			if b.String() != c.want {
				t.Errorf("got\n%s\nwant\n%s", b.String(), c.want)
			}
		})
	}
}

// TestWriteJSON checks one line per result, with <, > and & left as they are.
func TestWriteJSON(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	WriteJSON(&b, pipeline.Result{File: "<a&b>.png", Error: "x"})
	WriteJSON(&b, pipeline.Result{File: "c.png"})
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], `{"file":"<a&b>.png","error":"x"`) {
		t.Errorf("WriteJSON wrote %q", b.String())
	}
}
