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
			mu.Lock()
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
