package harness

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/sohoa/sohoa/eval"
	"github.com/sohoa/sohoa/extract"
	"github.com/sohoa/sohoa/inproc"
	"github.com/sohoa/sohoa/internal/progress"
	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/record"
)

// runner runs the in-process pipeline over a set's files.
type runner struct {
	Stages       *pipeline.Stages
	Workers      int    // files at once
	MaxFileBytes int64  // larger files fail
	Cache        string // directory of recognised pages (see cachedProcessFile), or ""
	Progress     io.Writer
}

// predict runs the pipeline over the set, several files at once. Beside the predictions it
// returns the recognised pages of each file, from which addPDFText builds the searchable
// PDFs.
func (r runner) predict(ctx context.Context, dir string, truth []eval.Truth) ([]eval.Prediction, [][]record.Page) {
	preds := make([]eval.Prediction, len(truth))
	pages := make([][]record.Page, len(truth))
	var mu sync.Mutex
	done := 0
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, r.Workers))
	for i, t := range truth {
		g.Go(func() error {
			t0 := time.Now()
			res := r.cachedProcessFile(gctx, filepath.Join(dir, t.File))
			preds[i], pages[i] = toPrediction(t.File, res, time.Since(t0)), res.Pages
			mu.Lock()
			done++
			fmt.Fprintf(r.Progress, "\r%s %d/%d", progress.Bar(done, len(truth)), done, len(truth))
			mu.Unlock()
			return nil
		})
	}
	g.Wait()
	fmt.Fprintln(r.Progress)
	return preds, pages
}

// cachedPage is a recognised page with its words, which record.Page leaves out of JSON.
type cachedPage struct {
	record.Page
	Words []record.Word `json:"words"`
}

// cachedProcessFile is inproc.File with the recognised pages kept in r.Cache (when not
// empty): OCR is most of eval's cost, and the stages after it are pure functions of the pages.
func (r runner) cachedProcessFile(ctx context.Context, path string) pipeline.Result {
	if r.Cache == "" {
		return inproc.File(ctx, r.Stages, path, r.MaxFileBytes)
	}
	at := filepath.Join(r.Cache, filepath.Base(path)+".pages.json")
	if data, err := os.ReadFile(at); err == nil {
		var cp []cachedPage
		if err := json.Unmarshal(data, &cp); err == nil && len(cp) > 0 {
			pages := make([]record.Page, len(cp))
			for i, p := range cp {
				pages[i] = p.Page
				pages[i].Words = p.Words
			}
			u := r.Stages.Understand(pages)
			return pipeline.Result{File: path, DocType: u.Class.Type, DocTypeConfidence: u.Class.Confidence,
				Fields: u.Fields, NeedsReview: u.NeedsReview, ReviewReasons: u.Reasons, Pages: pages}
		}
	}
	res := inproc.File(ctx, r.Stages, path, r.MaxFileBytes)
	if res.Error == "" {
		cp := make([]cachedPage, len(res.Pages))
		for i, p := range res.Pages {
			cp[i] = cachedPage{Page: p, Words: p.Words}
		}
		if data, err := json.Marshal(cp); err == nil {
			os.MkdirAll(r.Cache, 0o755)
			os.WriteFile(at, data, 0o644)
		}
	}
	return res
}

var taxonomy = sync.OnceValue(record.MustTaxonomy)

func toPrediction(file string, r pipeline.Result, d time.Duration) eval.Prediction {
	p := eval.Prediction{File: file, Err: r.Error, DocType: r.DocType, NeedsReview: r.NeedsReview, Duration: d, Fields: map[string]string{}}
	for _, rs := range r.ReviewReasons {
		p.SentForOther = p.SentForOther || rs.Code != extract.ReasonLowConfidence
		p.Reasons = append(p.Reasons, strings.TrimSpace(rs.Code+" "+rs.Field))
	}
	dt, _ := taxonomy().Type(r.DocType)
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

// rawBaseline runs the tesseract command on every file of the set, workers at once, and
// returns each file's page texts.
func rawBaseline(ctx context.Context, dir string, truth []eval.Truth, workers int, lang string) map[string][]string {
	out := make(map[string][]string, len(truth))
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, workers))
	for _, t := range truth {
		g.Go(func() error {
			texts, err := eval.RawTesseract(gctx, filepath.Join(dir, t.File), lang)
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

// normalizeTruth puts the truth's page text in the tone-placement convention (hòa, thủy) the
// OCR post-processing writes, so both sides of the comparison spell alike.
func normalizeTruth(truth []eval.Truth) {
	for i := range truth {
		for j := range truth[i].Pages {
			truth[i].Pages[j].Text = ocr.Normalize(truth[i].Pages[j].Text)
		}
	}
}
