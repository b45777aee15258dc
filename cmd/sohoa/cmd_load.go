package main

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/sohoa/sohoa/loadtest"
)

func runLoad(ctx context.Context, cfg Config, args []string) error {
	o := loadtest.Options{Out: os.Stdout}
	fs := newFlags("load", "usage: sohoa load [--pages N] [--worker-metrics URL]\n\nUploads N generated pages as one batch through the API of a running serve and worker, follows it to\nthe end while timing GET requests, and prints pages/min, the p50/p95 of the GETs, the worker's CPU\nseconds per page and its RSS every few seconds. Fails when a document fails, or when the worker's RSS\ngrows after warm-up by more than --rss-drift. `make load` starts the services and runs it.")
	fs.IntVar(&o.Pages, "pages", 1000, "generated one-page documents uploaded as one batch")
	fs.StringVar(&o.Server, "server", "http://"+cfg.HTTPAddr, "sohoa API base URL")
	fs.StringVar(&o.Key, "key", cfg.ClientKey, "API key with the clerk (or admin) role: it uploads and reads (default $SOHOA_API_KEY)")
	fs.StringVar(&o.WorkerMetrics, "worker-metrics", envOr("SOHOA_LOAD_WORKER_METRICS", ""), "the worker's /metrics URL, for its RSS and CPU time (the worker's SOHOA_WORKER_METRICS_ADDR)")
	fs.StringVar(&o.Dir, "dir", os.TempDir(), "directory keeping the generated pages (in sohoa-load-SEED-N/, reused by the next run)")
	fs.Int64Var(&o.Seed, "seed", 16, "generator seed")
	fs.DurationVar(&o.Sample, "sample", 5*time.Second, "how often the worker's RSS is sampled")
	fs.DurationVar(&o.GetEvery, "get-every", 250*time.Millisecond, "pause between the GET requests timed during the run")
	fs.Float64Var(&o.MaxRSSDrift, "rss-drift", 0.10, "largest growth of the worker's RSS after warm-up (a quarter of the documents done), median and peak of the last quarter of the samples against the first")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.Key == "" {
		return errors.New("no API key: pass --key or set SOHOA_API_KEY")
	}
	return loadtest.Run(ctx, o)
}
