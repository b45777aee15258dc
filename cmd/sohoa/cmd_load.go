package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/sohoa/sohoa/loadtest"
)

func runLoad(ctx context.Context, cfg Config, args []string) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	pages := fs.Int("pages", 1000, "generated one-page documents uploaded as one batch")
	server := fs.String("server", "http://"+cfg.HTTPAddr, "sohoa API base URL")
	key := fs.String("key", cfg.ClientKey, "API key with the clerk (or admin) role: it uploads and reads (default $SOHOA_API_KEY)")
	workerMetrics := fs.String("worker-metrics", envOr("SOHOA_LOAD_WORKER_METRICS", ""), "the worker's /metrics URL, for its RSS and CPU time (the worker's SOHOA_WORKER_METRICS_ADDR)")
	dir := fs.String("dir", os.TempDir(), "directory keeping the generated pages (in sohoa-load-SEED-N/, reused by the next run)")
	seed := fs.Int64("seed", 16, "generator seed")
	sample := fs.Duration("sample", 5*time.Second, "how often the worker's RSS is sampled")
	getEvery := fs.Duration("get-every", 250*time.Millisecond, "pause between the GET requests timed during the run")
	maxRSSDrift := fs.Float64("rss-drift", 0.10, "largest growth of the worker's RSS after warm-up (a quarter of the documents done), median and peak of the last quarter of the samples against the first")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: sohoa load [--pages N] [--worker-metrics URL]\n\nUploads N generated pages as one batch through the API of a running serve and worker, follows it to\nthe end while timing GET requests, and prints pages/min, the p50/p95 of the GETs, the worker's CPU\nseconds per page and its RSS every few seconds. Fails when a document fails, or when the worker's RSS\ngrows after warm-up by more than --rss-drift. `make load` starts the services and runs it.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *key == "" {
		return errors.New("no API key: pass --key or set SOHOA_API_KEY")
	}
	return loadtest.Run(ctx, loadtest.Options{
		Pages: *pages, Server: *server, Key: *key, WorkerMetrics: *workerMetrics, Dir: *dir, Seed: *seed,
		Sample: *sample, GetEvery: *getEvery, MaxRSSDrift: *maxRSSDrift, Out: os.Stdout,
	})
}
