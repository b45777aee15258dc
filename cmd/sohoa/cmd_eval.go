package main

import (
	"context"
	"os"

	"github.com/sohoa/sohoa/eval/harness"
)

func runEval(ctx context.Context, cfg Config, args []string) error {
	o := harness.Options{
		Runner: cfg.inprocRunner(), Language: cfg.OCRLanguage,
		Out: os.Stdout, Progress: os.Stderr,
	}
	fs := newFlags("eval", "usage: sohoa eval [--set DIR] [--report FILE] [--json FILE]\n\nRuns the in-process pipeline over a labelled set and reports OCR quality, the quality of the searchable PDF's text (pdftotext), geometry, classification, field and review quality and speed.")
	fs.StringVar(&o.Set, "set", "", "labelled set: a directory with scans and truth.jsonl (default: generate a seeded set)")
	fs.IntVar(&o.Count, "count", 34, "without --set: documents to generate (all types, degraded)")
	fs.Int64Var(&o.Seed, "seed", 7, "without --set: generator seed")
	fs.StringVar(&o.Report, "report", "", "write a markdown report (confusion matrix, worst pages) to this file")
	fs.StringVar(&o.JSON, "json", "", "write the report as JSON to this file")
	fs.StringVar(&o.FitOut, "fit-out", "", "report raw (uncalibrated) field scores and write each field's evidence and outcome as JSON lines to this file, for --fit")
	fs.StringVar(&o.Fit, "fit", "", "fit the calibration coefficients per field family from a --fit-out file, print them and exit")
	fs.BoolVar(&o.Baseline, "baseline", true, "also run the raw tesseract command on the unprocessed images for comparison")
	fs.BoolVar(&o.PDFText, "pdf-text", true, "also score the text pdftotext extracts from the searchable PDFs (needs poppler-utils)")
	fs.StringVar(&o.SideBySide, "side-by-side", "", "instead: print the --json reports NAME=FILE,NAME=FILE… (e.g. native=a.json,html=b.json) side by side as one markdown table and exit")
	fs.StringVar(&o.Mistakes, "mistakes", "", "write each document whose type or fields are wrong as a JSON line (truth and predicted values, confidences, review decision) to this file")
	fs.IntVar(&o.SplitScans, "split-scans", 0, "instead: measure the document boundaries found in N generated whole-dossier scans (3–12 degraded documents each, separator sheets now and then, from --seed)")
	fs.StringVar(&o.Pages, "pages", "", "cache of recognised pages: a file's pages are read from DIR/<file>.pages.json when there, else recognised and written there, so extraction can be re-evaluated without OCR (speed figures then cover classification and extraction only)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return harness.Run(ctx, o)
}
