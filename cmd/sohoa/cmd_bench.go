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
	"github.com/sohoa/sohoa/inproc"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/store"
	"github.com/sohoa/sohoa/task"
)

func runBench(ctx context.Context, cfg Config, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	pages := fs.Int("pages", 40, "generated A4 pages at 300 DPI to run through each path")
	dir := fs.String("dir", envOr("SOHOA_BENCH_DIR", os.TempDir()), "directory under which the bench keeps its pages and store (in sohoa-bench/)")
	skipQueue := fs.Bool("skip-queue", false, "leave out the queue path (no Redis or Meilisearch needed)")
	skipOCR := fs.Bool("skip-ocr", false, "run only the search benchmark")
	searchDocs := fs.Int("search-docs", 10000, "generated documents indexed for the search benchmark (0 leaves it out; it needs Meilisearch)")
	searchRequests := fs.Int("search-requests", 300, "timed GET /v1/search requests per role and query set")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: sohoa bench [--pages N] [--dir DIR] [--skip-queue] [--skip-ocr] [--search-docs N]\n\nPages per minute of (a) the in-process pipeline, (b) the queue path through Redis with `sohoa worker`,\n(c) the raw tesseract command with OMP_THREAD_LIMIT=1, one process per OCR worker, on the same pages;\nand the CPU seconds (user+system) each spent per page, which other work on the machine disturbs less\n(the queue path's is the worker's alone, without Redis and Meilisearch).\nThen the search benchmark: the indexing rate of generated documents, and p50/p95 of GET /v1/search\nthrough the API (reader and clerk, with and without diacritics).")
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
	if !*skipOCR {
		if err := benchOCR(ctx, cfg, work, *pages, *skipQueue); err != nil {
			return err
		}
	}
	if *searchDocs > 0 {
		return benchSearch(ctx, cfg, filepath.Join(work, "search"), *searchDocs, *searchRequests)
	}
	return nil
}

// benchOCR runs the pages through the three OCR paths.
func benchOCR(ctx context.Context, cfg Config, work string, pages int, skipQueue bool) error {
	setDir := filepath.Join(work, "pages")
	truths, err := fixtures.Generate(ctx, setDir, fixtures.Options{Seed: 40, Count: pages, Degrade: true, DPI: 300, Formats: []string{"png"}})
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

	raw, err := benchRaw(ctx, files, workers, cfg.OCRLanguage)
	if err != nil {
		return err
	}
	inProc, err := benchInProcess(ctx, cfg, files)
	if err != nil {
		return err
	}
	fmt.Printf("%-34s %s\n", "(c) raw tesseract, "+fmt.Sprint(workers)+" processes", raw.line(n))
	fmt.Printf("%-34s %s   a/c = %s\n", "(a) in-process pipeline", inProc.line(n), inProc.ratio(raw))
	if skipQueue {
		return nil
	}
	q, rss, err := benchQueue(ctx, cfg, work, files)
	if err != nil {
		return fmt.Errorf("queue path: %w", err)
	}
	fmt.Printf("%-34s %s   b/c = %s\n", "(b) queue path (sohoa worker)", q.line(n), q.ratio(raw))
	fmt.Printf("%-34s %8.0f MB\n", "worker peak RSS", float64(rss)/1024)
	return nil
}

// cost is what one path took for the whole set: wall time and CPU time (user+system).
type cost struct {
	wall, cpu time.Duration
}

func (c cost) line(pages int) string {
	return fmt.Sprintf("%8.1f pages/min %6.2f CPU s/page", float64(pages)/c.wall.Minutes(), c.cpu.Seconds()/float64(pages))
}

// ratio is c's throughput over the baseline's, then the baseline's CPU per page over c's:
// above 1 means c does better.
func (c cost) ratio(base cost) string {
	return fmt.Sprintf("%.2f (CPU %.2f)", base.wall.Seconds()/c.wall.Seconds(), base.cpu.Seconds()/c.cpu.Seconds())
}

// cpuTime is the user+system time of this process (syscall.RUSAGE_SELF) or of its
// children that have ended (syscall.RUSAGE_CHILDREN).
func cpuTime(who int) time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(who, &u); err != nil {
		return 0
	}
	return rusageCPU(&u)
}

func rusageCPU(u *syscall.Rusage) time.Duration {
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// benchRaw runs the tesseract command on each page, as many processes at once as OCR workers.
func benchRaw(ctx context.Context, files []string, workers int, lang string) (cost, error) {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	start, cpu := time.Now(), cpuTime(syscall.RUSAGE_CHILDREN)
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
		return cost{}, err
	}
	return cost{time.Since(start), cpuTime(syscall.RUSAGE_CHILDREN) - cpu}, nil
}

func benchInProcess(ctx context.Context, cfg Config, files []string) (cost, error) {
	stages, pool, err := newStages(cfg)
	if err != nil {
		return cost{}, err
	}
	defer pool.Close()
	start, cpu := time.Now(), cpuTime(syscall.RUSAGE_SELF)
	for _, r := range inproc.Files(ctx, stages, files, cfg.OCRWorkers, cfg.MaxFileBytes) {
		if r.Error != "" {
			return cost{}, fmt.Errorf("%s: %s", r.File, r.Error)
		}
	}
	return cost{time.Since(start), cpuTime(syscall.RUSAGE_SELF) - cpu}, nil
}

// benchQueue starts `sohoa worker` as a child process on the configured Redis and
// Meilisearch, stores the pages as documents, queues them, and waits until all are indexed.
// It returns the time that took with the worker's CPU time over its whole life (start-up
// included), and the worker's peak RSS in KB.
func benchQueue(ctx context.Context, cfg Config, dir string, files []string) (cost, int64, error) {
	cfg.DataDir = filepath.Join(dir, "data")
	cfg.DatabaseURL = filepath.Join(cfg.DataDir, "sohoa.db")
	// The blobs too go under the bench's data directory, for this process and the worker
	// alike: SOHOA_BLOBS was resolved against the configured data directory.
	cfg.Blobs = blobConfig{Dir: filepath.Join(cfg.DataDir, "blobs")}
	cfg.MeiliIndex = fmt.Sprintf("bench_%d", time.Now().Unix())
	db, blobs, err := openStores(ctx, cfg)
	if err != nil {
		return cost{}, 0, err
	}
	defer db.Close()
	exe, err := os.Executable()
	if err != nil {
		return cost{}, 0, err
	}
	worker := exec.Command(exe, "worker")
	worker.Env = append(os.Environ(), "SOHOA_DATA_DIR="+cfg.DataDir, "SOHOA_DATABASE="+cfg.DatabaseURL,
		"SOHOA_MEILI_INDEX="+cfg.MeiliIndex, "SOHOA_BLOBS="+cfg.Blobs.Dir, "SOHOA_LOG_LEVEL=warn", "OMP_THREAD_LIMIT=1")
	worker.Stdout, worker.Stderr = os.Stderr, os.Stderr
	if err := worker.Start(); err != nil {
		return cost{}, 0, err
	}
	stopped := false
	stop := func() (cpu time.Duration, rss int64, err error) {
		if stopped {
			return 0, 0, nil
		}
		stopped = true
		worker.Process.Signal(syscall.SIGTERM)
		err = worker.Wait()
		if u, ok := worker.ProcessState.SysUsage().(*syscall.Rusage); ok {
			cpu, rss = rusageCPU(u), u.Maxrss
		}
		return cpu, rss, err
	}
	defer stop()

	tasks := queue.New(cfg.redisOpt(), cfg.TaskTimeout)
	defer tasks.Close()
	batch, err := db.CreateBatch(ctx, store.Batch{ID: fmt.Sprintf("bench%d", time.Now().UnixNano()), DossierID: "000.00.00.H29-261122-0001"})
	if err != nil {
		return cost{}, 0, err
	}
	start := time.Now()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return cost{}, 0, err
		}
		ref, err := blobs.Put(ctx, data)
		if err != nil {
			return cost{}, 0, err
		}
		doc, _, err := db.AddDocument(ctx, store.Document{DossierID: batch.DossierID, BatchID: batch.ID, FileName: filepath.Base(f), Blob: ref, Size: int64(len(data))})
		if err != nil {
			return cost{}, 0, err
		}
		if err := tasks.Enqueue(ctx, task.TypePrepare, task.Payload{DocID: doc.ID}); err != nil {
			return cost{}, 0, err
		}
	}
	for {
		docs, err := db.BatchDocuments(ctx, batch.ID)
		if err != nil {
			return cost{}, 0, err
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
			return cost{}, 0, errors.New(strings.Join(failed, "; "))
		}
		if left == 0 {
			break
		}
		select {
		case <-ctx.Done():
			return cost{}, 0, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	wall := time.Since(start)
	cpu, rss, _ := stop()
	return cost{wall, cpu}, rss, nil
}
