// Package loadtest is `sohoa load`: it uploads generated pages as one batch through the API of
// a running serve and worker (with package client, as any API client would), follows the
// batch to the end while timing the GET requests a clerk's screen makes, and reads the
// worker's RSS and CPU time from its /metrics. It fails when a document fails or the
// worker's memory grows after warm-up.
//
// It talks to the services over HTTP only (it uses api's answer types, nothing that opens a
// store, a queue or an index, and none of the stages).
package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/sohoa/sohoa/api"
	"github.com/sohoa/sohoa/client"
	"github.com/sohoa/sohoa/fixtures"
)

// Options are the flags of `sohoa load`.
type Options struct {
	Pages         int           // generated one-page documents uploaded as one batch
	Server        string        // API base URL
	Key           string        // API key with the clerk (or admin) role
	WorkerMetrics string        // the worker's /metrics URL, or "" to leave memory and CPU out
	Dir           string        // where the generated pages are kept (sohoa-load-SEED-N/)
	Seed          int64         // generator seed
	Sample        time.Duration // how often the worker's RSS is sampled
	GetEvery      time.Duration // pause between the timed GET requests
	MaxRSSDrift   float64       // largest growth of the worker's RSS after warm-up
	Out           io.Writer     // the report
}

// Run uploads the batch, follows it and reports; the error joins every reason the run failed.
func Run(ctx context.Context, o Options) error {
	files, err := GeneratePages(ctx, o.Out, filepath.Join(o.Dir, fmt.Sprintf("sohoa-load-%d-%d", o.Seed, o.Pages)), o.Seed, o.Pages)
	if err != nil {
		return err
	}
	c := client.New(o.Server, o.Key, &http.Client{Timeout: 30 * time.Minute})
	var mem *rssSampler
	var cpu0 float64
	if o.WorkerMetrics != "" {
		mem = &rssSampler{url: o.WorkerMetrics}
		if cpu0, _, err = mem.read(); err != nil {
			return fmt.Errorf("reading the worker's metrics: %w", err)
		}
	}

	dossier := fmt.Sprintf("000.00.15.H29-%s-%04d", time.Now().Format("060102"), o.Seed%10000)
	fmt.Fprintf(o.Out, "sohoa load: %d pages in one batch to %s\n", len(files), c.Base)
	start := time.Now()
	res, err := c.Upload(ctx, dossier, files)
	if err != nil {
		return err
	}
	uploaded := time.Since(start)
	fmt.Fprintf(o.Out, "upload acknowledged after %s (%d items)\n", uploaded.Round(time.Millisecond), len(res.Items))
	var docIDs []string
	for _, it := range res.Items {
		if it.DocumentID != "" {
			docIDs = append(docIDs, it.DocumentID)
		}
	}
	if len(docIDs) == 0 {
		return errors.New("the upload stored no document")
	}

	run, stopRun := context.WithCancel(ctx)
	defer stopRun()
	timer := &getTimer{}
	var wg sync.WaitGroup
	wg.Go(func() { timer.loop(run, c, res.Batch.ID, docIDs, o.GetEvery) })
	progress := &batchCounter{}
	if mem != nil {
		wg.Go(func() { mem.loop(run, o.Out, o.Sample, start, progress) })
	}
	p, err := followBatch(ctx, c, res.Batch.ID, progress)
	elapsed := time.Since(start)
	stopRun()
	wg.Wait()
	if err != nil {
		return err
	}

	failed := p.Counts["failed"]
	fmt.Fprintf(o.Out, "\nbatch done: %d documents, %d indexed, %d failed, in %s\n", p.Total, p.Counts["indexed"], failed, elapsed.Round(time.Second))
	fmt.Fprintf(o.Out, "throughput: %.1f pages/min (upload start to the last document done)\n", float64(len(files))/elapsed.Minutes())
	timer.print(o.Out)
	var errs []error
	if mem != nil {
		cpu1, _, err := mem.read()
		if err == nil {
			fmt.Fprintf(o.Out, "worker CPU: %.1f s user+system, %.2f s per page\n", cpu1-cpu0, (cpu1-cpu0)/float64(len(files)))
		}
		if err := mem.print(o.Out, o.MaxRSSDrift); err != nil {
			errs = append(errs, err)
		}
	}
	if failed > 0 {
		errs = append(errs, fmt.Errorf("%d of %d documents failed", failed, p.Total))
	}
	if !p.Done {
		errs = append(errs, errors.New("the batch did not finish"))
	}
	return errors.Join(errs...)
}

// GeneratePages generates n one-page documents into dir once, in one part per core (the
// generator is single-threaded), saying so on out; a later call with the same seed and count
// returns the same files again without generating them.
func GeneratePages(ctx context.Context, out io.Writer, dir string, seed int64, n int) ([]string, error) {
	parts := min(runtime.NumCPU(), n)
	partDir := func(i int) string { return filepath.Join(dir, fmt.Sprintf("part-%d", i)) }
	count := func(i int) int { return n/parts + btoi(i < n%parts) }
	truths := make([][]fixtures.Truth, parts)
	cached := true
	for i := range parts {
		t, err := fixtures.ReadTruth(partDir(i))
		cached = cached && err == nil && len(t) == count(i)
		truths[i] = t
	}
	if !cached {
		fmt.Fprintf(out, "generating %d pages into %s\n", n, dir)
		if err := os.RemoveAll(dir); err != nil {
			return nil, err
		}
		g, gctx := errgroup.WithContext(ctx)
		for i := range parts {
			g.Go(func() (err error) {
				truths[i], err = fixtures.Generate(gctx, partDir(i), fixtures.Options{Seed: seed*1000 + int64(i), Count: count(i), Degrade: true, DPI: 300})
				return err
			})
		}
		if err := g.Wait(); err != nil {
			return nil, err
		}
	}
	var files []string
	for i, ts := range truths {
		for _, t := range ts {
			files = append(files, filepath.Join(partDir(i), t.File))
		}
	}
	return files, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// batchCounter holds the documents done so far, for the RSS samples to say where they fell.
type batchCounter struct {
	mu          sync.Mutex
	done, total int
}

func (b *batchCounter) set(done, total int) {
	b.mu.Lock()
	b.done, b.total = done, total
	b.mu.Unlock()
}

func (b *batchCounter) get() (done, total int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.done, b.total
}

// followBatch polls the batch every two seconds until every document is indexed or failed.
func followBatch(ctx context.Context, c *client.Client, batchID string, progress *batchCounter) (api.BatchProgress, error) {
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	for {
		p, err := c.Batch(ctx, batchID)
		if err != nil {
			return p, err
		}
		progress.set(p.Counts["indexed"]+p.Counts["failed"], p.Total)
		if p.Done {
			return p, nil
		}
		select {
		case <-ctx.Done():
			return p, ctx.Err()
		case <-tick.C:
		}
	}
}

// getTimer times GET requests a clerk's screen makes while the batch runs: the batch's
// progress and a random document of it.
type getTimer struct {
	mu     sync.Mutex
	byPath map[string][]time.Duration
	errs   int
}

func (g *getTimer) loop(ctx context.Context, c *client.Client, batchID string, docIDs []string, every time.Duration) {
	g.byPath = map[string][]time.Duration{}
	for i := 0; ctx.Err() == nil; i++ {
		route, path := "GET /v1/documents/{id}", "/v1/documents/"+docIDs[rand.IntN(len(docIDs))]
		if i%2 == 1 {
			route, path = "GET /v1/batches/{id}", "/v1/batches/"+batchID
		}
		start := time.Now()
		var out any
		err := c.Get(ctx, path, &out)
		d := time.Since(start)
		g.mu.Lock()
		if err != nil {
			if ctx.Err() == nil {
				g.errs++
			}
		} else {
			g.byPath[route] = append(g.byPath[route], d)
		}
		g.mu.Unlock()
		select {
		case <-ctx.Done():
		case <-time.After(every):
		}
	}
}

func (g *getTimer) print(out io.Writer) {
	g.mu.Lock()
	defer g.mu.Unlock()
	var all []time.Duration
	routes := make([]string, 0, len(g.byPath))
	for r, ds := range g.byPath {
		routes = append(routes, r)
		all = append(all, ds...)
	}
	slices.Sort(routes)
	fmt.Fprintf(out, "GET latency during the run (wall clock, %d errors):\n", g.errs)
	for _, r := range routes {
		fmt.Fprintf(out, "  %-28s %s\n", r, quantiles(g.byPath[r]))
	}
	fmt.Fprintf(out, "  %-28s %s\n", "all GETs", quantiles(all))
}

func quantiles(ds []time.Duration) string {
	if len(ds) == 0 {
		return "no requests"
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	q := func(p float64) time.Duration { return s[min(len(s)-1, int(p*float64(len(s))))] }
	return fmt.Sprintf("n=%d p50=%s p95=%s max=%s", len(s), q(0.50).Round(100*time.Microsecond), q(0.95).Round(100*time.Microsecond), s[len(s)-1].Round(100*time.Microsecond))
}

// rssSampler reads the worker's resident memory and CPU seconds from its /metrics.
type rssSampler struct {
	url     string
	mu      sync.Mutex
	samples []rssSample
}

type rssSample struct {
	at       time.Duration
	done, of int
	rss, cpu float64
}

func (m *rssSampler) read() (cpu, rss float64, err error) {
	resp, err := http.Get(m.url)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, 0, fmt.Errorf("GET %s: %s", m.url, resp.Status)
	}
	for _, line := range strings.Split(string(body), "\n") {
		name, value, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		switch name {
		case "process_cpu_seconds_total":
			cpu, _ = strconv.ParseFloat(value, 64)
		case "process_resident_memory_bytes":
			rss, _ = strconv.ParseFloat(value, 64)
		}
	}
	if rss == 0 {
		return 0, 0, fmt.Errorf("%s has no process_resident_memory_bytes", m.url)
	}
	return cpu, rss, nil
}

func (m *rssSampler) loop(ctx context.Context, out io.Writer, every time.Duration, start time.Time, progress *batchCounter) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		cpu, rss, err := m.read()
		if err != nil {
			continue
		}
		done, of := progress.get()
		s := rssSample{at: time.Since(start), done: done, of: of, rss: rss, cpu: cpu}
		fmt.Fprintf(out, "  %6s  %4d/%d documents  worker RSS %6.1f MB  CPU %7.1f s\n", s.at.Round(time.Second), done, of, rss/1e6, cpu)
		m.mu.Lock()
		m.samples = append(m.samples, s)
		m.mu.Unlock()
	}
}

// print reports the RSS after warm-up, the samples taken once a quarter of the documents
// were done (the OCR clients and the Go heap have reached their working size by then). Within
// a run RSS swings with the pages in hand (a colour A4 page at 300 DPI is 35 MB decoded, one
// per OCR worker), so flat is judged on the trend: the median and the peak of the last quarter
// of those samples against the first quarter's. A leak moves both up; the swing moves neither.
// It fails when either moved more than maxDrift.
func (m *rssSampler) print(out io.Writer, maxDrift float64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var after []float64
	for _, s := range m.samples {
		if s.of > 0 && s.done*4 >= s.of {
			after = append(after, s.rss)
		}
	}
	if len(after) < 8 {
		fmt.Fprintf(out, "worker RSS: %d samples after warm-up, too few to judge a trend (sample more often with --sample)\n", len(after))
		return nil
	}
	q := len(after) / 4
	first, last := slices.Clone(after[:q]), slices.Clone(after[len(after)-q:])
	slices.Sort(first)
	slices.Sort(last)
	all := slices.Sorted(slices.Values(after))
	med := func(v []float64) float64 { return v[len(v)/2] }
	medDrift := (med(last) - med(first)) / med(first)
	peakDrift := (last[len(last)-1] - first[len(first)-1]) / first[len(first)-1]
	fmt.Fprintf(out, "worker RSS after warm-up: %d samples, min %.1f MB, median %.1f MB, max %.1f MB (swing %.1f%% of the median)\n",
		len(after), all[0]/1e6, med(all)/1e6, all[len(all)-1]/1e6, 100*(all[len(all)-1]-all[0])/med(all))
	fmt.Fprintf(out, "  first quarter: median %.1f MB, peak %.1f MB; last quarter: median %.1f MB, peak %.1f MB; drift %+.1f%% (median), %+.1f%% (peak), limit %.0f%%\n",
		med(first)/1e6, first[len(first)-1]/1e6, med(last)/1e6, last[len(last)-1]/1e6, 100*medDrift, 100*peakDrift, 100*maxDrift)
	if medDrift > maxDrift || peakDrift > maxDrift {
		return fmt.Errorf("worker RSS not flat after warm-up: it grew %+.1f%% (median) and %+.1f%% (peak) from the first quarter to the last", 100*medDrift, 100*peakDrift)
	}
	return nil
}
