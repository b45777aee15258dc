package main

import (
	"context"
	"os"

	"github.com/sohoa/sohoa/bench"
)

func runBench(ctx context.Context, cfg Config, args []string) error {
	o := bench.Options{
		Runner: cfg.inprocRunner(), Language: cfg.OCRLanguage,
		Redis: cfg.redisOpt(), TaskTimeout: cfg.TaskTimeout, MeiliURL: cfg.MeiliURL, MeiliKey: cfg.MeiliKey,
		Out: os.Stdout, Stderr: os.Stderr,
	}
	fs := newFlags("bench", "usage: sohoa bench [--pages N] [--rounds N] [--dir DIR] [--skip-queue] [--skip-ocr] [--search-docs N]\n\nPages per minute of (a) the in-process pipeline, (b) the queue path through Redis with `sohoa worker`,\n(c) the raw tesseract command with OMP_THREAD_LIMIT=1, one process per OCR worker, on the same pages, run in turn\n--rounds times with the median reported; and the CPU seconds (user+system) each spent per page, which other work on the machine disturbs less\n(the queue path's is the worker's alone, without Redis and Meilisearch).\nThen the search benchmark: the indexing rate of generated documents, and p50/p95 of GET /v1/search\nthrough the API (reader and clerk, with and without diacritics).")
	fs.IntVar(&o.Pages, "pages", 40, "generated A4 pages at 300 DPI to run through each path")
	fs.IntVar(&o.Rounds, "rounds", 3, "times the three paths run in turn; the medians are reported")
	fs.StringVar(&o.Dir, "dir", envOr("SOHOA_BENCH_DIR", os.TempDir()), "directory under which the bench keeps its pages and store (in sohoa-bench/)")
	fs.BoolVar(&o.SkipQueue, "skip-queue", false, "leave out the queue path (no Redis or Meilisearch needed)")
	fs.BoolVar(&o.SkipOCR, "skip-ocr", false, "run only the search benchmark")
	fs.IntVar(&o.SearchDocs, "search-docs", 10000, "generated documents indexed for the search benchmark (0 leaves it out; it needs Meilisearch)")
	fs.IntVar(&o.SearchRequests, "search-requests", 300, "timed GET /v1/search requests per role and query set")
	if err := fs.Parse(args); err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	o.Executable = exe
	return bench.Run(ctx, o)
}
