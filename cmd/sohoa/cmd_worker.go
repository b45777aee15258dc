package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/index"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/task"
)

func runWorker(ctx context.Context, cfg Config, args []string) error {
	fs := newFlags("worker", "usage: sohoa worker [--queues prepare,ocr]\n\nRuns the pipeline's queue workers until interrupted. OCR concurrency is SOHOA_OCR_WORKERS.\nA host can serve only some queues (its role): only ocr, only the light doc and index, or all.\nTesseract is opened only where prepare or ocr is served.")
	queuesFlag := fs.String("queues", "", "comma-separated queues to serve: "+strings.Join(task.Queues, ", ")+" (default SOHOA_WORKER_QUEUES, else all)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	queues := cfg.WorkerQueues
	if *queuesFlag != "" {
		var err error
		if queues, err = task.ParseQueues(*queuesFlag); err != nil {
			return fmt.Errorf("--queues: %w", err)
		}
	}
	if len(queues) == 0 { // a Config not made by LoadConfig
		queues = task.Queues
	}
	log := newLogger(cfg)
	db, blobs, err := openStores(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	// The index's settings are applied while the Tesseract pool loads: the one waits for
	// Meilisearch, the other for the CPU. Indexing tasks retry until Meilisearch is back; the
	// other stages need not wait.
	ready := make(chan *index.Index, 1)
	go func() { ready <- readyIndex(ctx, cfg, log, "index tasks will retry") }()
	stages, pool, err := newWorkerStages(cfg, queues)
	ix := <-ready
	if err != nil {
		return err
	}
	if pool != nil {
		defer pool.Close()
	}
	tasks := queue.New(cfg.redisOpt(), cfg.TaskTimeout)
	defer tasks.Close()
	w := &pipeline.Worker{Stages: stages, Store: db, Blobs: blobs, Index: ix, Queue: tasks, Log: log, Pages: pageCache(queues)}
	// Every task passes through the metrics middleware, which also logs it with its task ID.
	instrument, stopOps, err := startWorkerOps(ctx, cfg, log, db)
	if err != nil {
		return err
	}
	defer stopOps()

	// The busy stages run one task per OCR client: more at once only share the cores, and
	// each prepare task holds a decoded page, 35 MB in colour at A4 300 dpi. With two more,
	// the Go heap reached 300 MB on `sohoa bench` and the worker's peak RSS 604 MB, against
	// 527–565 MB without them, for the same CPU time per page. The light stages have tasks
	// of their own, so that they never wait behind OCR.
	var servers []*asynq.Server
	if busy := weights(queues, true); len(busy) > 0 {
		servers = append(servers, newAsynqServer(cfg, log, w, cfg.OCRWorkers, busy))
	}
	if light := weights(queues, false); len(light) > 0 {
		servers = append(servers, newAsynqServer(cfg, log, w, 2, light))
	}
	log.Info("worker started", "redis", cfg.RedisAddr, "queues", strings.Join(queues, ","), "ocr", pool != nil,
		"ocr_workers", cfg.OCRWorkers, "ocr_lang", cfg.OCRLanguage)
	for i, srv := range servers {
		if err := srv.Start(instrument(w.Mux())); err != nil {
			for _, started := range servers[:i] {
				started.Shutdown()
			}
			return fmt.Errorf("starting worker: %w", err)
		}
	}
	<-ctx.Done()
	for _, srv := range servers {
		srv.Shutdown()
	}
	log.Info("worker stopped")
	return nil
}

// taskCheckInterval is how long an asynq server waits before asking Redis again after
// finding its queues empty (it sleeps between half and one and a half of it, and starts
// nothing meanwhile, even when a task arrives). asynq's default of 1 s made every hand-off
// between stages a wait of up to 1.5 s: on `sohoa bench` a page's classify, extract and
// index tasks each started 0.6-0.7 s on average after the stage before had queued them,
// 2-3 s at the end of every batch. At 100 ms an idle worker asks Redis some 40 times a
// second (two servers, two queues each): over 30 idle seconds that cost Redis 0.09 s and
// the worker 0.32 s of CPU more than at 1 s, about 1% of a core in all.
const taskCheckInterval = 100 * time.Millisecond

// newAsynqServer serves queues with the pipeline's handlers, concurrency tasks at a time.
func newAsynqServer(cfg Config, log *slog.Logger, w *pipeline.Worker, concurrency int, queues map[string]int) *asynq.Server {
	return asynq.NewServer(cfg.redisOpt(), asynq.Config{
		Concurrency:       concurrency,
		Queues:            queues,
		TaskCheckInterval: taskCheckInterval,
		ShutdownTimeout:   30 * time.Second,
		RetryDelayFunc:    pipeline.RetryDelay,
		IsFailure:         pipeline.IsFailure,
		Logger:            asynqLogger{log},
		ErrorHandler:      asynq.ErrorHandlerFunc(func(ctx context.Context, t *asynq.Task, err error) { w.GaveUp(ctx, t, err) }),
	})
}

// weights are the asynq priority weights of those of queues that are busy (or light).
func weights(queues []string, busy bool) map[string]int {
	m := map[string]int{}
	for _, q := range queues {
		if task.Busy(q) == busy {
			m[q] = task.Weight(q)
		}
	}
	return m
}
