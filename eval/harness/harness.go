// Package harness is `sohoa eval`: it runs the in-process pipeline over a labelled set (given,
// or generated from a seed), scores what came out with package eval, and writes the table,
// the reports and the files calibration is fitted from. It also measures the boundaries found
// in whole-dossier scans (Split).
//
// Unlike eval, the instrument, the harness runs what it measures, so it imports the stages
// (through pipeline and inproc); it opens no store, queue, search index or connection. The
// caller builds the stages (Runner.NewStages), so the OCR configuration stays in one place.
package harness

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/sohoa/sohoa/eval"
	"github.com/sohoa/sohoa/extract"
	"github.com/sohoa/sohoa/fixtures"
	"github.com/sohoa/sohoa/inproc"
)

// Options are the flags of `sohoa eval` and what it is run with.
type Options struct {
	Set        string // labelled set: scans and truth.jsonl; "" generates Count documents from Seed
	Count      int    // without Set: documents to generate
	Seed       int64  // without Set: generator seed (and the seed of the split scans)
	Report     string // markdown report to write, or ""
	JSON       string // JSON report to write, or ""
	FitOut     string // raw field scores: each field's evidence and outcome as JSON lines, or ""
	Fit        string // instead: fit calibration from these --fit-out files (comma-separated)
	Baseline   bool   // also run the raw tesseract command on the unprocessed images
	PDFText    bool   // also score the text pdftotext extracts from the searchable PDFs
	SideBySide string // instead: print --json reports NAME=FILE,… as one table
	Mistakes   string // wrong documents as JSON lines, or ""
	SplitScans int    // instead: measure the boundaries in this many whole-dossier scans
	Pages      string // cache of recognised pages, or ""

	// Runner runs the set's files, Workers at once; larger files than its limit fail as they
	// do in `sohoa process`.
	inproc.Runner
	Language string    // Tesseract language of the raw baseline
	Out      io.Writer // the table and what the modes print
	Progress io.Writer // progress lines
}

// Run runs the evaluation o asks for.
func Run(ctx context.Context, o Options) error {
	if o.Fit != "" {
		return fitCalibration(o.Out, o.Fit)
	}
	if o.SideBySide != "" {
		return sideBySide(o.Out, o.SideBySide)
	}
	if o.FitOut != "" {
		extract.SetRawConfidence(true)
	}
	if o.SplitScans > 0 {
		stages, pool, err := o.NewStages()
		if err != nil {
			return err
		}
		defer pool.Close()
		return Split(ctx, stages, o.SplitScans, o.Seed, o.Out, o.Progress)
	}
	dir := o.Set
	if dir == "" {
		tmp, err := os.MkdirTemp("", "sohoa-eval-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		if _, err := fixtures.Generate(ctx, tmp, fixtures.Options{Seed: o.Seed, Count: o.Count, Degrade: true, Formats: []string{"png", "jpeg", "tiff", "pdf"}}); err != nil {
			return err
		}
		dir = tmp
	}
	truth, err := eval.ReadTruth(filepath.Join(dir, "truth.jsonl"))
	if err != nil {
		return err
	}
	stages, pool, err := o.NewStages()
	if err != nil {
		return err
	}
	defer pool.Close()
	fmt.Fprintf(o.Progress, "evaluating %d documents from %s with %d OCR workers …\n", len(truth), dir, o.Workers)
	start := time.Now()
	r := runner{Stages: stages, Workers: o.Workers, MaxFileBytes: o.MaxFileBytes, Cache: o.Pages, Progress: o.Progress}
	preds, pages := r.predict(ctx, dir, truth)
	elapsed := time.Since(start)
	opt := eval.Options{Workers: o.Workers, Elapsed: elapsed, Required: extract.RequiredFields}
	if err := eval.PDFTextAvailable(); !o.PDFText {
		opt.PDFTextSkipped = "--pdf-text=false"
	} else if err != nil {
		opt.PDFTextSkipped = err.Error()
	} else {
		fmt.Fprintln(o.Progress, "extracting the text of the searchable PDFs …")
		addPDFText(ctx, preds, pages, o.Workers, o.Progress)
		opt.PDFText = true
	}
	if o.Baseline {
		fmt.Fprintln(o.Progress, "running the raw tesseract baseline …")
		opt.Baseline = rawBaseline(ctx, dir, truth, o.Workers, o.Language)
	}
	normalizeTruth(truth)
	if o.Mistakes != "" {
		if err := writeMistakes(o.Mistakes, truth, preds); err != nil {
			return err
		}
	}
	return o.write(truth, preds, opt)
}

// write prints the table, the reliability and sweep tables, and writes the files asked for.
func (o Options) write(truth []eval.Truth, preds []eval.Prediction, opt eval.Options) error {
	r := eval.Score(truth, preds, opt)
	if err := r.WriteTable(o.Out); err != nil {
		return err
	}
	outcomes := eval.Outcomes(truth, preds)
	eval.WriteReliability(o.Out, outcomes)
	if o.FitOut == "" {
		eval.WriteSweep(o.Out, eval.Sweep(truth, preds, []float64{0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.96, 0.97, 0.98, 0.99}))
	}
	if o.FitOut != "" {
		if err := writeOutcomes(o.FitOut, outcomes); err != nil {
			return err
		}
	}
	if o.Report != "" {
		if err := writeFile(o.Report, r.WriteMarkdown); err != nil {
			return err
		}
	}
	if o.JSON != "" {
		if err := writeFile(o.JSON, r.WriteJSON); err != nil {
			return err
		}
	}
	return nil
}

// writeFile creates path and fills it with write.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
