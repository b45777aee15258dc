package harness

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/sohoa/sohoa/eval"
	"github.com/sohoa/sohoa/fixtures"
	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/scan"
)

// TestEvalFloors runs the in-process pipeline over a small seeded, degraded set of every
// generated type and fails when quality falls below floors set a margin under what was
// measured when they were last raised (CER 1.97%, words 97.7%, type 100%, field F1 0.853,
// skew max 0.03°, rotation 100%; the searchable PDF's text through pdftotext 1.84%). Floors
// are on quality, never on time.
func TestEvalFloors(t *testing.T) {
	dir := t.TempDir()
	if _, err := fixtures.Generate(context.Background(), dir, fixtures.Options{
		Seed: 11, Count: len(fixtures.AllTypes), Degrade: true, Formats: []string{"png", "jpeg", "tiff", "pdf"},
	}); err != nil {
		t.Fatal(err)
	}
	truth, err := eval.ReadTruth(filepath.Join(dir, fixtures.TruthFile))
	if err != nil {
		t.Fatal(err)
	}
	stages := testStages(t)
	r := runner{Stages: stages, Workers: 2, Progress: io.Discard}
	preds, pages := r.predict(context.Background(), dir, truth)
	addPDFText(context.Background(), preds, pages, r.Workers, io.Discard)
	normalizeTruth(truth)
	rep := eval.Score(truth, preds, eval.Options{PDFText: true})
	var table bytes.Buffer
	rep.WriteTable(&table)
	t.Logf("\n%s", table.String())

	floors := []struct {
		name string
		got  float64
		ok   func(float64) bool
		want string
	}{
		{"failed files", float64(rep.Failures), func(v float64) bool { return v == 0 }, "0"},
		{"CER", rep.Text.CER, func(v float64) bool { return v <= 0.025 }, "≤ 0.025"},
		{"searchable PDF text CER", rep.PDFText.CER, func(v float64) bool { return v <= 0.025 }, "≤ 0.025"},
		{"order-free word accuracy", rep.Text.BagOfWords, func(v float64) bool { return v >= 0.96 }, "≥ 0.96"},
		{"classification accuracy", rep.Classification.Accuracy, func(v float64) bool { return v >= 0.94 }, "≥ 0.94"},
		{"field F1", rep.Fields.Micro.F1, func(v float64) bool { return v >= 0.82 }, "≥ 0.82"},
		{"max skew error °", rep.Geometry.SkewErrorMax, func(v float64) bool { return v <= 0.3 }, "≤ 0.3"},
		{"rotation accuracy", rep.Geometry.RotationAccuracy, func(v float64) bool { return v >= 0.94 }, "≥ 0.94"},
	}
	for _, f := range floors {
		if !f.ok(f.got) {
			t.Errorf("%s = %.4f, floor %s", f.name, f.got, f.want)
		}
	}
}

// testStages returns the stages with two OCR clients and the default limits, as `sohoa eval`
// builds them with SOHOA_OCR_WORKERS=2; the OCR pool is closed when the test ends.
func testStages(t *testing.T) *pipeline.Stages {
	t.Helper()
	pool, err := ocr.NewPool(ocr.Config{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	stages, err := pipeline.NewStages(pool, scan.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return stages
}
