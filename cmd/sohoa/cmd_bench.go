package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/sohoa/sohoa/bench"
	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/pipeline"
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
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	return bench.Run(ctx, bench.Options{
		Pages: *pages, Dir: *dir, SkipQueue: *skipQueue, SkipOCR: *skipOCR, SearchDocs: *searchDocs, SearchRequests: *searchRequests,
		Workers: cfg.OCRWorkers, Language: cfg.OCRLanguage, MaxFileBytes: cfg.MaxFileBytes,
		NewStages:  func() (*pipeline.Stages, *ocr.Pool, error) { return newStages(cfg) },
		Executable: exe, Redis: cfg.redisOpt(), TaskTimeout: cfg.TaskTimeout, MeiliURL: cfg.MeiliURL, MeiliKey: cfg.MeiliKey,
		Out: os.Stdout, Stderr: os.Stderr,
	})
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
