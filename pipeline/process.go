package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/sohoa/sohoa/extract"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/scan"
	"github.com/sohoa/sohoa/split"
)

// Result is the outcome of the whole pipeline on one file: the `sohoa process --json`
// contract of DESIGN.md.
type Result struct {
	File              string           `json:"file"`
	DossierID         string           `json:"dossier_id,omitempty"`
	Error             string           `json:"error,omitempty"`
	DocType           string           `json:"doc_type,omitempty"`
	DocTypeConfidence float64          `json:"doc_type_confidence,omitempty"`
	NeedsReview       bool             `json:"needs_review"`
	ReviewReasons     []extract.Reason `json:"review_reasons,omitempty"`
	Fields            record.Fields    `json:"fields"`
	Pages             []record.Page    `json:"pages,omitempty"`
	TimingsMS         map[string]int64 `json:"timings_ms,omitempty"`
	// Parts lists the documents found in a file that holds several (a whole hồ sơ scanned
	// as one file), each with its own type and fields; the fields above are then the first
	// part's, as the uploaded document of `sohoa serve` keeps the first part. Empty for a
	// file of one document.
	Parts []PartResult `json:"parts,omitempty"`
}

// PartResult is one document of a file that holds several: the file's pages it covers and
// what classification and extraction made of them.
type PartResult struct {
	FirstPage         int              `json:"first_page"`
	LastPage          int              `json:"last_page"`
	Reason            string           `json:"reason"`
	DocType           string           `json:"doc_type,omitempty"`
	DocTypeConfidence float64          `json:"doc_type_confidence,omitempty"`
	NeedsReview       bool             `json:"needs_review"`
	ReviewReasons     []extract.Reason `json:"review_reasons,omitempty"`
	Fields            record.Fields    `json:"fields"`
}

// Process runs every stage on one file in this process. A file that cannot be read gives a
// Result with Error set (and IsBadInput(err) true for the returned error); other files are
// not affected.
func (s *Stages) Process(ctx context.Context, name string, data []byte) (res Result, err error) {
	// A defect in a stage must cost one file, never the whole run.
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("%w: %v", ErrInternal, v)
			res = Result{File: name, Error: err.Error()}
		}
	}()
	return s.process(ctx, name, data)
}

// ErrInternal marks a failure that is sohoa's fault, not the input's (a recovered panic).
var ErrInternal = errors.New("internal error while processing the file; please report it")

func (s *Stages) process(ctx context.Context, name string, data []byte) (Result, error) {
	res := Result{File: name, TimingsMS: map[string]int64{}}
	var (
		mu       sync.Mutex
		pages    []record.Page
		ocrTotal time.Duration
		codes    = map[int]string{} // barcodes of possible separator sheets, by page
	)
	// OCR of page n overlaps preparation of page n+1; the pool bounds how many run at once
	// and the semaphore bounds how many prepared pages wait in memory.
	g, gctx := errgroup.WithContext(ctx)
	sem := make(chan struct{}, 4)
	var prepTotal time.Duration
	err := scan.Pages(gctx, name, data, s.Limits, func(raw scan.Raw) error {
		tp := time.Now()
		prep, err := scan.Prepare(gctx, raw, s.Scan)
		prepTotal += time.Since(tp)
		if err != nil {
			return err
		}
		select {
		case sem <- struct{}{}:
		case <-gctx.Done():
			return gctx.Err()
		}
		g.Go(func() (err error) {
			defer func() { <-sem }()
			defer func() {
				if v := recover(); v != nil {
					err = fmt.Errorf("%w: page %d: %v", ErrInternal, raw.Number, v)
				}
			}()
			to := time.Now()
			p, err := s.Recognize(gctx, raw.Number, prep)
			code := ""
			if err == nil && !s.KeepWhole && split.MayBeSeparator(p) {
				code = split.ReadBarcode(prep.Image)
			}
			mu.Lock()
			if code != "" {
				codes[raw.Number] = code
			}
			defer mu.Unlock()
			ocrTotal += time.Since(to)
			pages = append(pages, p)
			return err
		})
		return nil
	})
	if werr := g.Wait(); err == nil {
		err = werr
	}
	if err != nil {
		res.Error = err.Error()
		return res, err
	}
	if len(pages) == 0 {
		err := &scan.InputError{Err: scan.ErrEmpty, Detail: "the file has no pages"}
		res.Error = err.Error()
		return res, err
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].Number < pages[j].Number })
	var found []split.Part
	if !s.KeepWhole {
		found = split.New(s.Classifier).Parts(pages, codes)
	}
	if len(found) > 1 {
		return s.understandParts(res, pages, found, prepTotal, ocrTotal), nil
	}
	u := s.Understand(pages)
	res.DocType, res.DocTypeConfidence = u.Class.Type, u.Class.Confidence
	res.Fields, res.NeedsReview, res.ReviewReasons, res.Pages = u.Fields, u.NeedsReview, u.Reasons, pages
	if res.Fields == nil {
		res.Fields = record.Fields{}
	}
	res.TimingsMS["prepare"] = prepTotal.Milliseconds()
	res.TimingsMS["ocr"] = ocrTotal.Milliseconds()
	for k, d := range u.Timings {
		res.TimingsMS[k] = d.Milliseconds()
	}
	return res, nil
}

// IsBadInput reports whether err is the input's fault (unreadable, encrypted, too large …)
// rather than the system's: retrying cannot help, and the message is for a clerk.
func IsBadInput(err error) bool {
	var ie *scan.InputError
	return errors.As(err, &ie)
}

// understandParts classifies and extracts each part of a file that holds several documents.
func (s *Stages) understandParts(res Result, pages []record.Page, found []split.Part, prep, ocr time.Duration) Result {
	res.Pages = pages
	res.TimingsMS["prepare"] = prep.Milliseconds()
	res.TimingsMS["ocr"] = ocr.Milliseconds()
	for _, f := range found {
		var in []record.Page
		for _, p := range pages {
			if p.Number >= f.First && p.Number <= f.Last {
				in = append(in, p)
			}
		}
		u := s.Understand(in)
		pr := PartResult{FirstPage: f.First, LastPage: f.Last, Reason: f.Reason, DocType: u.Class.Type, DocTypeConfidence: u.Class.Confidence,
			NeedsReview: u.NeedsReview, ReviewReasons: u.Reasons, Fields: u.Fields}
		if pr.Fields == nil {
			pr.Fields = record.Fields{}
		}
		res.Parts = append(res.Parts, pr)
		for k, d := range u.Timings {
			res.TimingsMS[k] += d.Milliseconds()
		}
	}
	first := res.Parts[0]
	res.DocType, res.DocTypeConfidence, res.NeedsReview, res.ReviewReasons, res.Fields =
		first.DocType, first.DocTypeConfidence, first.NeedsReview, first.ReviewReasons, first.Fields
	return res
}
