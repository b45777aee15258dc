package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/sohoa/sohoa/fixtures"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/store"
)

func runBench(ctx context.Context, cfg Config, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	pages := fs.Int("pages", 40, "generated A4 pages at 300 DPI to run through each path")
	dir := fs.String("dir", envOr("SOHOA_BENCH_DIR", os.TempDir()), "directory under which the bench keeps its pages and store (in sohoa-bench/)")
	skipQueue := fs.Bool("skip-queue", false, "leave out the queue path (no Redis or Meilisearch needed)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: sohoa bench [--pages N] [--dir DIR]\n\nPages per minute of (a) the in-process pipeline, (b) the queue path through Redis with `sohoa worker`,\n(c) the raw tesseract command with OMP_THREAD_LIMIT=1, one process per OCR worker, on the same pages.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	// Only the bench's own subdirectory is cleared: the directory given may hold other things
	// (make bench passes the profile directory, where Redis and Meilisearch keep their data).
	work := filepath.Join(*dir, "sohoa-bench")
	if err := os.RemoveAll(work); err != nil {
		return err
	}
	setDir := filepath.Join(work, "pages")
	truths, err := fixtures.Generate(ctx, setDir, fixtures.Options{Seed: 40, Count: *pages, Degrade: true, DPI: 300, Formats: []string{"png"}})
	if err != nil {
		return err
	}
	files := make([]string, len(truths))
	n := 0
	for i, t := range truths {
		files[i] = filepath.Join(setDir, t.File)
		n += len(t.Pages)
	}
	workers := cfg.OCRWorkers
	fmt.Printf("sohoa bench: %d pages (A4, 300 DPI, degraded), %d OCR workers, OCR model %s\n\n", n, workers, cfg.OCRLanguage)

	rawPPM, err := benchRaw(ctx, files, n, workers, cfg.OCRLanguage)
	if err != nil {
		return err
	}
	inPPM, err := benchInProcess(ctx, cfg, files, n)
	if err != nil {
		return err
	}
	fmt.Printf("%-34s %8.1f pages/min\n", "(c) raw tesseract, "+fmt.Sprint(workers)+" processes", rawPPM)
	fmt.Printf("%-34s %8.1f pages/min   a/c = %.2f\n", "(a) in-process pipeline", inPPM, inPPM/rawPPM)
	if *skipQueue {
		return nil
	}
	qPPM, rss, err := benchQueue(ctx, cfg, work, files, n)
	if err != nil {
		return fmt.Errorf("queue path: %w", err)
	}
	fmt.Printf("%-34s %8.1f pages/min   b/c = %.2f\n", "(b) queue path (sohoa worker)", qPPM, qPPM/rawPPM)
	fmt.Printf("%-34s %8.0f MB\n", "worker peak RSS", float64(rss)/1024)
	return nil
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func perMinute(pages int, d time.Duration) float64 { return float64(pages) / d.Minutes() }

// benchRaw runs the tesseract command on each page, as many processes at once as OCR workers.
func benchRaw(ctx context.Context, files []string, pages, workers int, lang string) (float64, error) {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	start := time.Now()
	for _, f := range files {
		g.Go(func() error {
			cmd := exec.CommandContext(gctx, "tesseract", f, "stdout", "-l", lang, "--psm", "3")
			cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
			if out, err := cmd.CombinedOutput(); err != nil {
				return fmt.Errorf("tesseract %s: %v: %s", f, err, out)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return 0, err
	}
	return perMinute(pages, time.Since(start)), nil
}

func benchInProcess(ctx context.Context, cfg Config, files []string, pages int) (float64, error) {
	stages, pool, err := newStages(cfg)
	if err != nil {
		return 0, err
	}
	defer pool.Close()
	start := time.Now()
	for _, r := range processFiles(ctx, stages, files, cfg.OCRWorkers, cfg.MaxFileBytes) {
		if r.Error != "" {
			return 0, fmt.Errorf("%s: %s", r.File, r.Error)
		}
	}
	return perMinute(pages, time.Since(start)), nil
}

// benchQueue starts `sohoa worker` as a child process on the configured Redis and
// Meilisearch, stores the pages as documents, queues them, and waits until all are indexed.
// It returns pages per minute and the worker's peak RSS in KB.
func benchQueue(ctx context.Context, cfg Config, dir string, files []string, pages int) (float64, int64, error) {
	cfg.DataDir = filepath.Join(dir, "data")
	cfg.DatabaseURL = filepath.Join(cfg.DataDir, "sohoa.db")
	cfg.MeiliIndex = fmt.Sprintf("bench_%d", time.Now().Unix())
	db, blobs, err := openStores(ctx, cfg)
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	exe, err := os.Executable()
	if err != nil {
		return 0, 0, err
	}
	worker := exec.Command(exe, "worker")
	worker.Env = append(os.Environ(), "SOHOA_DATA_DIR="+cfg.DataDir, "SOHOA_DATABASE="+cfg.DatabaseURL,
		"SOHOA_MEILI_INDEX="+cfg.MeiliIndex, "SOHOA_LOG_LEVEL=warn", "OMP_THREAD_LIMIT=1")
	worker.Stdout, worker.Stderr = os.Stderr, os.Stderr
	if err := worker.Start(); err != nil {
		return 0, 0, err
	}
	stopped := false
	stop := func() (int64, error) {
		if stopped {
			return 0, nil
		}
		stopped = true
		worker.Process.Signal(syscall.SIGTERM)
		err := worker.Wait()
		var rss int64
		if u, ok := worker.ProcessState.SysUsage().(*syscall.Rusage); ok {
			rss = u.Maxrss
		}
		return rss, err
	}
	defer stop()

	queue := pipeline.NewQueue(cfg.redisOpt(), cfg.TaskTimeout)
	defer queue.Close()
	batch, err := db.CreateBatch(ctx, store.Batch{ID: fmt.Sprintf("bench%d", time.Now().UnixNano()), DossierID: "000.00.00.H29-261122-0001"})
	if err != nil {
		return 0, 0, err
	}
	start := time.Now()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return 0, 0, err
		}
		ref, err := blobs.Put(ctx, data)
		if err != nil {
			return 0, 0, err
		}
		doc, _, err := db.AddDocument(ctx, store.Document{DossierID: batch.DossierID, BatchID: batch.ID, FileName: filepath.Base(f), Blob: ref, Size: int64(len(data))})
		if err != nil {
			return 0, 0, err
		}
		if err := queue.Enqueue(ctx, pipeline.TypePrepare, pipeline.Payload{DocID: doc.ID}); err != nil {
			return 0, 0, err
		}
	}
	for {
		docs, err := db.BatchDocuments(ctx, batch.ID)
		if err != nil {
			return 0, 0, err
		}
		left, failed := 0, []string{}
		for _, d := range docs {
			switch d.Status {
			case store.StatusIndexed:
			case store.StatusFailed:
				failed = append(failed, d.FileName+": "+d.Error)
			default:
				left++
			}
		}
		if len(failed) > 0 {
			return 0, 0, errors.New(strings.Join(failed, "; "))
		}
		if left == 0 {
			break
		}
		select {
		case <-ctx.Done():
			return 0, 0, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	ppm := perMinute(pages, time.Since(start))
	rss, _ := stop()
	return ppm, rss, nil
}
