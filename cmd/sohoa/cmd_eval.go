package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/sohoa/sohoa/eval"
	"github.com/sohoa/sohoa/extract"
	"github.com/sohoa/sohoa/fixtures"
	"github.com/sohoa/sohoa/inproc"
	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/record"
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
	if *fitIn != "" {
		return fitCalibration(*fitIn)
	}
	if *side != "" {
		return sideBySide(*side)
	}
	if *fitOut != "" {
		extract.SetRawConfidence(true)
	}
	if *splitScans > 0 {
		stages, pool, err := newStages(cfg)
		if err != nil {
			return err
		}
		defer pool.Close()
		return evalSplit(ctx, stages, *splitScans, *seed, os.Stdout)
	}
	dir := *set
	if dir == "" {
		tmp, err := os.MkdirTemp("", "sohoa-eval-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		if _, err := fixtures.Generate(ctx, tmp, fixtures.Options{Seed: *seed, Count: *count, Degrade: true, Formats: []string{"png", "jpeg", "tiff", "pdf"}}); err != nil {
			return err
		}
		dir = tmp
	}
	truth, err := eval.ReadTruth(filepath.Join(dir, "truth.jsonl"))
	if err != nil {
		return err
	}
	stages, pool, err := newStages(cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	fmt.Fprintf(os.Stderr, "evaluating %d documents from %s with %d OCR workers …\n", len(truth), dir, cfg.OCRWorkers)
	start := time.Now()
	preds, pages := predict(ctx, stages, dir, truth, cfg, *pagesDir)
	elapsed := time.Since(start)
	opt := eval.Options{Workers: cfg.OCRWorkers, Elapsed: elapsed}
	if err := eval.PDFTextAvailable(); !*pdfText {
		opt.PDFTextSkipped = "--pdf-text=false"
	} else if err != nil {
		opt.PDFTextSkipped = err.Error()
	} else {
		fmt.Fprintln(os.Stderr, "extracting the text of the searchable PDFs …")
		addPDFText(ctx, preds, pages, cfg.OCRWorkers)
		opt.PDFText = true
	}
	if *baseline {
		fmt.Fprintln(os.Stderr, "running the raw tesseract baseline …")
		opt.Baseline = rawBaseline(ctx, dir, truth, cfg)
	}
	normalizeTruth(truth)
	if *mistakes != "" {
		if err := writeMistakes(*mistakes, truth, preds); err != nil {
			return err
		}
	}
	r := eval.Score(truth, preds, opt)
	if err := r.WriteTable(os.Stdout); err != nil {
		return err
	}
	outcomes := eval.Outcomes(truth, preds)
	eval.WriteReliability(os.Stdout, outcomes)
	if *fitOut == "" {
		eval.WriteSweep(os.Stdout, eval.Sweep(truth, preds, []float64{0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.99}))
	}
	if *fitOut != "" {
		if err := writeOutcomes(*fitOut, outcomes); err != nil {
			return err
		}
	}
	if *report != "" {
		if err := writeReport(*report, r.WriteMarkdown); err != nil {
			return err
		}
	}
	if *jsonOut != "" {
		if err := writeReport(*jsonOut, r.WriteJSON); err != nil {
			return err
		}
	}
	return nil
}

func writeReport(path string, write func(io.Writer) error) error {
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

// normalizeTruth puts the truth's page text in the tone-placement convention (hòa, thủy) the
// OCR post-processing writes, so both sides of the comparison spell alike.
func normalizeTruth(truth []eval.Truth) {
	for i := range truth {
		for j := range truth[i].Pages {
			truth[i].Pages[j].Text = ocr.Normalize(truth[i].Pages[j].Text)
		}
	}
}

// predict runs the in-process pipeline over the set, several files at once. Beside the
// predictions it returns the recognised pages of each file, from which addPDFText builds the
// searchable PDFs.
func predict(ctx context.Context, st *pipeline.Stages, dir string, truth []eval.Truth, cfg Config, cache string) ([]eval.Prediction, [][]record.Page) {
	preds := make([]eval.Prediction, len(truth))
	pages := make([][]record.Page, len(truth))
	var mu sync.Mutex
	done := 0
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, cfg.OCRWorkers))
	for i, t := range truth {
		g.Go(func() error {
			t0 := time.Now()
			res := cachedProcessFile(gctx, st, filepath.Join(dir, t.File), cfg.MaxFileBytes, cache)
			preds[i], pages[i] = toPrediction(t.File, res, time.Since(t0)), res.Pages
			mu.Lock()
			done++
			fmt.Fprintf(os.Stderr, "\r%s %d/%d", bar(done, len(truth)), done, len(truth))
			mu.Unlock()
			return nil
		})
	}
	g.Wait()
	fmt.Fprintln(os.Stderr)
	return preds, pages
}

// cachedPage is a recognised page with its words, which record.Page leaves out of JSON.
type cachedPage struct {
	record.Page
	Words []record.Word `json:"words"`
}

// cachedProcessFile is processFile with the recognised pages kept in cache (when not empty):
// OCR is most of eval's cost, and the stages after it are pure functions of the pages.
func cachedProcessFile(ctx context.Context, st *pipeline.Stages, path string, maxBytes int64, cache string) pipeline.Result {
	if cache == "" {
		return inproc.File(ctx, st, path, maxBytes)
	}
	at := filepath.Join(cache, filepath.Base(path)+".pages.json")
	if data, err := os.ReadFile(at); err == nil {
		var cp []cachedPage
		if err := json.Unmarshal(data, &cp); err == nil && len(cp) > 0 {
			pages := make([]record.Page, len(cp))
			for i, p := range cp {
				pages[i] = p.Page
				pages[i].Words = p.Words
			}
			u := st.Understand(pages)
			return pipeline.Result{File: path, DocType: u.Class.Type, DocTypeConfidence: u.Class.Confidence,
				Fields: u.Fields, NeedsReview: u.NeedsReview, ReviewReasons: u.Reasons, Pages: pages}
		}
	}
	res := inproc.File(ctx, st, path, maxBytes)
	if res.Error == "" {
		cp := make([]cachedPage, len(res.Pages))
		for i, p := range res.Pages {
			cp[i] = cachedPage{Page: p, Words: p.Words}
		}
		if data, err := json.Marshal(cp); err == nil {
			os.MkdirAll(cache, 0o755)
			os.WriteFile(at, data, 0o644)
		}
	}
	return res
}

func toPrediction(file string, r pipeline.Result, d time.Duration) eval.Prediction {
	p := eval.Prediction{File: file, Err: r.Error, DocType: r.DocType, NeedsReview: r.NeedsReview, Duration: d, Fields: map[string]string{}}
	for _, rs := range r.ReviewReasons {
		p.SentForOther = p.SentForOther || rs.Code != extract.ReasonLowConfidence
	}
	dt, _ := evalTaxonomy().Type(r.DocType)
	p.Evidence = map[string]eval.Outcome{}
	doc := extract.DocEvidence(dt, r.DocTypeConfidence, r.Fields)
	for n, f := range r.Fields {
		p.Fields[n] = f.Value
		format, _ := dt.Format(n)
		e := extract.EvidenceOf(n, format, f, doc)
		p.Evidence[n] = eval.Outcome{Family: e.Family, Confidence: f.Confidence, Features: e.Features()}
	}
	for _, pg := range r.Pages {
		p.Pages = append(p.Pages, eval.PagePrediction{Text: pg.Text, SkewDegrees: pg.SkewDegrees, Rotation: pg.Rotation, MeanConfidence: pg.MeanConfidence})
	}
	return p
}

func rawBaseline(ctx context.Context, dir string, truth []eval.Truth, cfg Config) map[string][]string {
	out := make(map[string][]string, len(truth))
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, cfg.OCRWorkers))
	for _, t := range truth {
		g.Go(func() error {
			texts, err := eval.RawTesseract(gctx, filepath.Join(dir, t.File), cfg.OCRLanguage)
			if err != nil {
				texts = nil // an unreadable file scores as empty text for the baseline too
			}
			mu.Lock()
			out[t.File] = texts
			mu.Unlock()
			return nil
		})
	}
	g.Wait()
	return out
}

var evalTaxonomy = sync.OnceValue(record.MustTaxonomy)

func writeOutcomes(path string, out []eval.Outcome) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	for _, o := range out {
		if err := enc.Encode(o); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

// fitCalibration fits the logistic coefficients of each field family from the outcomes of
// --fit-out runs (one or more files, comma-separated) and prints them as the Go table of
// extract/calibration.go.
func fitCalibration(paths string) error {
	fams := map[string][]eval.Outcome{}
	for _, path := range strings.Split(paths, ",") {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		for dec.More() {
			var o eval.Outcome
			if err := dec.Decode(&o); err != nil {
				return err
			}
			fams[o.Family] = append(fams[o.Family], o)
		}
	}
	for _, f := range slices.Sorted(maps.Keys(fams)) {
		w := eval.FitLogistic(fams[f], extract.CalibrationPrior, 1)
		fmt.Printf("\t%q: {", f)
		for i, x := range w {
			if i > 0 {
				fmt.Print(", ")
			}
			fmt.Printf("%.3f", x)
		}
		fmt.Printf("}, // %d fields\n", len(fams[f]))
	}
	return nil
}

// mistake is one document with a wrong type or field, for reading errors by hand.
type mistake struct {
	File        string               `json:"file"`
	Type        string               `json:"type"`
	Predicted   string               `json:"predicted_type,omitempty"`
	NeedsReview bool                 `json:"needs_review"`
	Fields      map[string][2]string `json:"fields"` // name → truth, predicted
	Confidence  map[string]float64   `json:"confidence,omitempty"`
}

func writeMistakes(path string, truth []eval.Truth, preds []eval.Prediction) error {
	byFile := map[string]eval.Prediction{}
	for _, p := range preds {
		byFile[filepath.Base(p.File)] = p
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetEscapeHTML(false)
	for _, t := range truth {
		p := byFile[filepath.Base(t.File)]
		m := mistake{File: t.File, Type: t.DocType, NeedsReview: p.NeedsReview, Fields: map[string][2]string{}, Confidence: map[string]float64{}}
		if p.DocType != t.DocType {
			m.Predicted = p.DocType
		}
		for n := range t.Fields {
			if record.CollapseSpace(record.NFC(t.Fields[n])) != record.CollapseSpace(record.NFC(p.Fields[n])) {
				m.Fields[n] = [2]string{t.Fields[n], p.Fields[n]}
				m.Confidence[n] = p.Evidence[n].Confidence
			}
		}
		for n, v := range p.Fields {
			if _, ok := t.Fields[n]; !ok {
				m.Fields[n] = [2]string{"", v}
				m.Confidence[n] = p.Evidence[n].Confidence
			}
		}
		if m.Predicted == "" && len(m.Fields) == 0 {
			continue
		}
		if err := enc.Encode(m); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

// sideBySide reads --json reports given as NAME=FILE pairs and prints them as one table.
func sideBySide(spec string) error {
	var names []string
	var rs []eval.Report
	for _, kv := range strings.Split(spec, ",") {
		name, path, ok := strings.Cut(kv, "=")
		if !ok {
			return fmt.Errorf("--side-by-side: %q is not NAME=FILE", kv)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var r eval.Report
		if err := json.Unmarshal(data, &r); err != nil {
			return fmt.Errorf("--side-by-side: %s: %w", path, err)
		}
		names, rs = append(names, name), append(rs, r)
	}
	return eval.WriteSideBySide(os.Stdout, names, rs)
}
