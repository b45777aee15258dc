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
	"slices"
	"time"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/fixtures"
	"github.com/sohoa/sohoa/inproc"
)

// Options are the flags of `sohoa bench` and the configuration it runs with.
type Options struct {
	Pages          int    // generated A4 pages at 300 DPI through each path
	Rounds         int    // times the three paths run in turn; the figures are the medians
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

// ocr runs the pages through the three OCR paths, o.Rounds times in turn, and prints each
// round and the medians. A shared machine's speed drifts by a fifth within minutes (raw
// tesseract alone ran at 86 to 112 pages/min in one quarter of an hour); running the paths
// one after the other in every round exposes them to the same drift, and the median of each
// round's ratio leaves out a round that a burst of other work spoilt.
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
	rounds := max(1, o.Rounds)
	fmt.Fprintf(o.Out, "sohoa bench: %d pages (A4, 300 DPI, degraded), %d OCR workers, OCR model %s, %d rounds\n\n", n, o.Workers, o.Language, rounds)
	var all []round
	for r := range rounds {
		rd, err := o.round(ctx, filepath.Join(work, fmt.Sprint("round", r+1)), files)
		if err != nil {
			return err
		}
		all = append(all, rd)
		if rounds > 1 {
			fmt.Fprintf(o.Out, "round %d\n", r+1)
			rd.print(o.Out, n, o.Workers)
			fmt.Fprintln(o.Out)
		}
	}
	if rounds > 1 {
		fmt.Fprintf(o.Out, "median of %d rounds (ratios: the median of each round's)\n", rounds)
	}
	median(all).print(o.Out, n, o.Workers)
	return nil
}

// round runs the pages through each path once, the queue path's store under dir.
func (o Options) round(ctx context.Context, dir string, files []string) (round, error) {
	var rd round
	var err error
	if rd.raw, err = rawTesseract(ctx, files, o.Workers, o.Language); err != nil {
		return rd, err
	}
	if rd.inProc, err = o.inProcess(ctx, files); err != nil {
		return rd, err
	}
	rd.ratioA = ratios(rd.inProc, rd.raw)
	if o.SkipQueue {
		return rd, nil
	}
	if rd.queue, rd.rss, err = o.queue(ctx, dir, files); err != nil {
		return rd, fmt.Errorf("queue path: %w", err)
	}
	rd.hasQueue = true
	rd.ratioBC, rd.ratioBA = ratios(rd.queue, rd.raw), ratios(rd.queue, rd.inProc)
	return rd, nil
}

// round is what one round measured: the three paths' costs and their ratios.
type round struct {
	raw, inProc, queue       cost
	ratioA, ratioBC, ratioBA ratio
	rss                      int64 // the worker's peak, in KB
	hasQueue                 bool
}

func (rd round) print(w io.Writer, pages, workers int) {
	fmt.Fprintf(w, "%-34s %s\n", "(c) raw tesseract, "+fmt.Sprint(workers)+" processes", rd.raw.line(pages))
	fmt.Fprintf(w, "%-34s %s   a/c = %s\n", "(a) in-process pipeline", rd.inProc.line(pages), rd.ratioA)
	if !rd.hasQueue {
		return
	}
	fmt.Fprintf(w, "%-34s %s   b/c = %s   b/a = %s\n", "(b) queue path (sohoa worker)", rd.queue.line(pages), rd.ratioBC, rd.ratioBA)
	fmt.Fprintf(w, "%-34s %8.0f MB\n", "worker peak RSS", float64(rd.rss)/1024)
}

// median is, field by field, the median of the rounds (the upper one of an even count).
func median(rs []round) round {
	m := rs[0]
	mid := func(get func(round) float64) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = get(r)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	dur := func(get func(round) time.Duration) time.Duration {
		return time.Duration(mid(func(r round) float64 { return float64(get(r)) }))
	}
	m.raw = cost{dur(func(r round) time.Duration { return r.raw.wall }), dur(func(r round) time.Duration { return r.raw.cpu })}
	m.inProc = cost{dur(func(r round) time.Duration { return r.inProc.wall }), dur(func(r round) time.Duration { return r.inProc.cpu })}
	m.queue = cost{dur(func(r round) time.Duration { return r.queue.wall }), dur(func(r round) time.Duration { return r.queue.cpu })}
	m.ratioA = ratio{mid(func(r round) float64 { return r.ratioA.speed }), mid(func(r round) float64 { return r.ratioA.cpu })}
	m.ratioBC = ratio{mid(func(r round) float64 { return r.ratioBC.speed }), mid(func(r round) float64 { return r.ratioBC.cpu })}
	m.ratioBA = ratio{mid(func(r round) float64 { return r.ratioBA.speed }), mid(func(r round) float64 { return r.ratioBA.cpu })}
	m.rss = int64(mid(func(r round) float64 { return float64(r.rss) }))
	return m
}
