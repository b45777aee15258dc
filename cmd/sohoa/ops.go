package main

import (
	"context"
	"log/slog"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/metrics"
	"github.com/sohoa/sohoa/server"
	"github.com/sohoa/sohoa/store"
	"github.com/sohoa/sohoa/task"
)

// startWorkerOps registers the worker's families (tasks by stage, the queues' depth, the
// process's memory and CPU) and serves them on SOHOA_WORKER_METRICS_ADDR when it is set. The
// returned middleware wraps the worker's task handler; stop ends the listener.
func startWorkerOps(ctx context.Context, cfg Config, log *slog.Logger, db *store.SQL) (middleware func(asynq.Handler) asynq.Handler, stop func(), err error) {
	reg := metrics.NewRegistry()
	tasks := metrics.NewTasks(reg, metrics.Probes{Store: db, Split: task.TypePrepare, Decide: task.TypeExtract}, log)
	insp := asynq.NewInspector(cfg.redisOpt())
	reg.MustRegister(metrics.NewQueues(insp))
	stopListener, err := server.ListenMetrics(ctx, "SOHOA_WORKER_METRICS_ADDR", cfg.WorkerMetricsAddr, reg, log)
	if err != nil {
		insp.Close()
		return nil, nil, err
	}
	return tasks.Middleware, func() { stopListener(); insp.Close() }, nil
}
