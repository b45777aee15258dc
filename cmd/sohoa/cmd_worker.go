package main

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
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
		// A worker whose Tesseract cannot load stops here rather than fail every task.
		if err := pool.Loaded(ctx); err != nil {
			return err
		}
	}
	tasks := queue.New(cfg.redisOpt(), cfg.TaskTimeout)
	defer tasks.Close()
	w := &pipeline.Worker{Stages: stages, Store: db, Blobs: blobs, Index: ix, Queue: tasks, Log: log, Pages: pageCache(queues), Turns: turns(queues, cfg.OCRWorkers)}
	// Every task passes through the metrics middleware, which also logs it with its task ID.
	instrument, stopOps, err := startWorkerOps(ctx, cfg, log, db)
	if err != nil {
		return err
	}
	defer stopOps()

	var servers []*asynq.Server
	for _, sv := range serversFor(queues, cfg.OCRWorkers) {
		servers = append(servers, newAsynqServer(cfg, log, w, sv.concurrency, sv.queues))
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

// asynqServer is one asynq server of a worker: the queues it serves with their priority
// weights, and how many of their tasks it runs at once.
type asynqServer struct {
	queues      map[string]int
	concurrency int
}

// serversFor lays out a worker's asynq servers for the queues it serves. The busy stages
// have a server each: one task per OCR client, and beside them one page being prepared, so
// that the next page is ready when a client frees, and a core whose task waits on the store
// or the blob store (each prepared page is written and synced) has other work meanwhile.
// Where one process serves both, they compute by turns (see turns), one page per client at
// a time, as `sohoa process` does. On a host that only prepares, preparing
// takes every core. More prepare tasks at once only share the cores and hold more pages:
// each holds a decoded page, 35 MB in colour at A4 300 dpi (with two more busy tasks at
// once, the worker's peak RSS on `sohoa bench` reached 604 MB, against 527-565).
// The light stages share a server of their own, so that they never wait behind OCR.
func serversFor(queues []string, ocrWorkers int) []asynqServer {
	var out []asynqServer
	ocr := slices.Contains(queues, task.QueueOCR)
	if ocr {
		out = append(out, asynqServer{map[string]int{task.QueueOCR: 1}, ocrWorkers})
	}
	if slices.Contains(queues, task.QueuePrepare) {
		n := ocrWorkers
		if ocr {
			n = 1
		}
		out = append(out, asynqServer{map[string]int{task.QueuePrepare: 1}, n})
	}
	light := map[string]int{}
	for _, q := range queues {
		if !task.Busy(q) {
			light[q] = 1
		}
	}
	if len(light) > 0 {
		out = append(out, asynqServer{light, 2})
	}
	return out
}
