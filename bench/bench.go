// Package bench is `sohoa bench`: pages per minute of the in-process pipeline, of the queue
// path (a `sohoa worker` child process on Redis) and of the raw tesseract command on the same
// generated pages, with the CPU time each spent; then the search benchmark, GET /v1/search
// through the real API over a generated index.
//
// It wires the real parts together as serve and worker do (store, queue, index, api), so
// nothing else may import it; it prints its figures and asserts none.
package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/fixtures"
	"github.com/sohoa/sohoa/inproc"
)

// Options are the flags of `sohoa bench` and the configuration it runs with.
type Options struct {
	Pages          int    // generated A4 pages at 300 DPI through each path
	Dir            string // the bench works in Dir/sohoa-bench, cleared first
	SkipQueue      bool   // leave out the queue path
	SkipOCR        bool   // run only the search benchmark
	SearchDocs     int    // documents indexed for the search benchmark; 0 leaves it out
	SearchRequests int    // timed requests per role and query set

	// Runner is the in-process path (a); its Workers are also the tesseract processes run at
	// once on path (c).
	inproc.Runner
	Language    string // Tesseract language
	Executable  string // the sohoa binary whose `worker` the queue path starts
	Redis       asynq.RedisClientOpt
	TaskTimeout time.Duration
	MeiliURL    string
	MeiliKey    string

	Out    io.Writer // the figures
	Stderr io.Writer // the worker child's output
}

// Run runs the benchmarks o asks for.
func Run(ctx context.Context, o Options) error {
	// Only the bench's own subdirectory is cleared: the directory given may hold other things
	// (make bench passes the profile directory, where Redis and Meilisearch keep their data).
	work := filepath.Join(o.Dir, "sohoa-bench")
	if err := os.RemoveAll(work); err != nil {
		return err
	}
	if !o.SkipOCR {
		if err := o.ocr(ctx, work); err != nil {
			return err
		}
	}
	if o.SearchDocs > 0 {
		return o.search(ctx, filepath.Join(work, "search"))
	}
	return nil
}

// ocr runs the pages through the three OCR paths.
func (o Options) ocr(ctx context.Context, work string) error {
	setDir := filepath.Join(work, "pages")
	truths, err := fixtures.Generate(ctx, setDir, fixtures.Options{Seed: 40, Count: o.Pages, Degrade: true, DPI: 300, Formats: []string{"png"}})
	if err != nil {
		return err
	}
	files := make([]string, len(truths))
	n := 0
	for i, t := range truths {
		files[i] = filepath.Join(setDir, t.File)
		n += len(t.Pages)
	}
	workers := o.Workers
	fmt.Fprintf(o.Out, "sohoa bench: %d pages (A4, 300 DPI, degraded), %d OCR workers, OCR model %s\n\n", n, workers, o.Language)

	raw, err := rawTesseract(ctx, files, workers, o.Language)
	if err != nil {
		return err
	}
	inProc, err := o.inProcess(ctx, files)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.Out, "%-34s %s\n", "(c) raw tesseract, "+fmt.Sprint(workers)+" processes", raw.line(n))
	fmt.Fprintf(o.Out, "%-34s %s   a/c = %s\n", "(a) in-process pipeline", inProc.line(n), inProc.ratio(raw))
	if o.SkipQueue {
		return nil
	}
	q, rss, err := o.queue(ctx, work, files)
	if err != nil {
		return fmt.Errorf("queue path: %w", err)
	}
	fmt.Fprintf(o.Out, "%-34s %s   b/c = %s   b/a = %s\n", "(b) queue path (sohoa worker)", q.line(n), q.ratio(raw), q.ratio(inProc))
	fmt.Fprintf(o.Out, "%-34s %8.0f MB\n", "worker peak RSS", float64(rss)/1024)
	return nil
}
