package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/pipeline"
)

func runWorker(ctx context.Context, cfg Config, args []string) error {
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: sohoa worker\n\nRuns the pipeline's queue workers until interrupted. OCR concurrency is SOHOA_OCR_WORKERS.")
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := newLogger(cfg)
	db, blobs, err := openStores(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	// Indexing tasks retry until Meilisearch is back; the other stages need not wait.
	ix := readyIndex(ctx, cfg, log, "index tasks will retry")
	stages, pool, err := newStages(cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	queue := pipeline.NewQueue(cfg.redisOpt(), cfg.TaskTimeout)
	defer queue.Close()
	w := &pipeline.Worker{Stages: stages, Store: db, Blobs: blobs, Index: ix, Queue: queue, Log: log}

	srv := asynq.NewServer(cfg.redisOpt(), asynq.Config{
		// One task per OCR client, plus room for the light stages so they never wait behind OCR.
		Concurrency:     cfg.OCRWorkers + 2,
		Queues:          pipeline.Queues,
		ShutdownTimeout: 30 * time.Second,
		Logger:          asynqLogger{log},
		ErrorHandler:    asynq.ErrorHandlerFunc(func(ctx context.Context, t *asynq.Task, err error) { w.GaveUp(ctx, t, err) }),
	})
	log.Info("worker started", "redis", cfg.RedisAddr, "ocr_workers", cfg.OCRWorkers, "ocr_lang", cfg.OCRLanguage)
	if err := srv.Start(w.Mux()); err != nil {
		return fmt.Errorf("starting worker: %w", err)
	}
	<-ctx.Done()
	srv.Shutdown()
	log.Info("worker stopped")
	return nil
}
