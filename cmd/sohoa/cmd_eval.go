package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/sohoa/sohoa/eval/harness"
	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/pipeline"
)

func runEval(ctx context.Context, cfg Config, args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	set := fs.String("set", "", "labelled set: a directory with scans and truth.jsonl (default: generate a seeded set)")
	count := fs.Int("count", 34, "without --set: documents to generate (all types, degraded)")
	seed := fs.Int64("seed", 7, "without --set: generator seed")
	report := fs.String("report", "", "write a markdown report (confusion matrix, worst pages) to this file")
	jsonOut := fs.String("json", "", "write the report as JSON to this file")
	fitOut := fs.String("fit-out", "", "report raw (uncalibrated) field scores and write each field's evidence and outcome as JSON lines to this file, for --fit")
	fitIn := fs.String("fit", "", "fit the calibration coefficients per field family from a --fit-out file, print them and exit")
	baseline := fs.Bool("baseline", true, "also run the raw tesseract command on the unprocessed images for comparison")
	pdfText := fs.Bool("pdf-text", true, "also score the text pdftotext extracts from the searchable PDFs (needs poppler-utils)")
	side := fs.String("side-by-side", "", "instead: print the --json reports NAME=FILE,NAME=FILE… (e.g. native=a.json,html=b.json) side by side as one markdown table and exit")
	mistakes := fs.String("mistakes", "", "write each document whose type or fields are wrong as a JSON line (truth and predicted values, confidences, review decision) to this file")
	splitScans := fs.Int("split-scans", 0, "instead: measure the document boundaries found in N generated whole-dossier scans (3–12 degraded documents each, separator sheets now and then, from --seed)")
	pagesDir := fs.String("pages", "", "cache of recognised pages: a file's pages are read from DIR/<file>.pages.json when there, else recognised and written there, so extraction can be re-evaluated without OCR (speed figures then cover classification and extraction only)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: sohoa eval [--set DIR] [--report FILE] [--json FILE]\n\nRuns the in-process pipeline over a labelled set and reports OCR quality, the quality of the searchable PDF's text (pdftotext), geometry, classification, field and review quality and speed.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	return harness.Run(ctx, harness.Options{
		Set: *set, Count: *count, Seed: *seed, Report: *report, JSON: *jsonOut, FitOut: *fitOut, Fit: *fitIn,
		Baseline: *baseline, PDFText: *pdfText, SideBySide: *side, Mistakes: *mistakes, SplitScans: *splitScans, Pages: *pagesDir,
		Workers: cfg.OCRWorkers, Language: cfg.OCRLanguage, MaxFileBytes: cfg.MaxFileBytes,
		NewStages: func() (*pipeline.Stages, *ocr.Pool, error) { return newStages(cfg) },
		Out:       os.Stdout, Progress: os.Stderr,
	})
}
