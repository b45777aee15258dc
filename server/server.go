// Package server is `sohoa serve`: it wires the HTTP API, the clerk UI, the operators' views
// (metrics, the queue monitor, readiness) and the background loops of the serving side (the
// requeue sweep, webhook delivery) around a store, a blob store, an index and the queue's
// client, and serves them until its context ends.
//
// Serving must build and run without Tesseract: this package, like api and web, must not
// import the stages (scan's decoders excepted, through api), ocr, pipeline or anything that
// links C code; it only enqueues tasks, never runs them. internal/layering checks it.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/api"
	"github.com/sohoa/sohoa/events"
	"github.com/sohoa/sohoa/index"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/scan"
	"github.com/sohoa/sohoa/store"
	"github.com/sohoa/sohoa/task"
	"github.com/sohoa/sohoa/web"
)

// Config is what serve runs with; the caller opens the stores and closes them after Run.
type Config struct {
	Addr        string // SOHOA_HTTP_ADDR: the API and UI listener
	MetricsAddr string // SOHOA_METRICS_ADDR: /metrics without a key, or "" for none

	Store *store.SQL
	Blobs store.Blobs
	Index *index.Index // its settings are applied at start, if Meilisearch answers
	// Redis is where the queue's tasks go; TaskTimeout bounds each task.
	Redis       asynq.RedisClientOpt
	TaskTimeout time.Duration

	Limits         scan.Limits
	MaxFiles       int   // per batch
	MaxUploadBytes int64 // per upload request; 0 = the API's default
	// APIKeys are keys from the environment (token → role), beside those in the store.
	APIKeys  map[string]string
	Webhooks []events.Webhook // receivers of the outbox's events; none leaves them there
	// KeepEvents is how long delivered events stay in the outbox (events.Dispatcher.Keep).
	KeepEvents time.Duration
	Log        *slog.Logger
}

// ErrNoKeys is Run's answer when no API key exists: nobody could use the API.
var ErrNoKeys = errors.New("no API keys: create one with `sohoa keys create --role admin`, or set SOHOA_API_KEYS to token:role pairs (e.g. SOHOA_API_KEYS=s3cret:admin,other:reader)")

// Run serves until ctx ends, then lets the requests in flight finish (up to 15 s).
func Run(ctx context.Context, cfg Config) error {
	log, db := cfg.Log, cfg.Store
	if len(cfg.APIKeys) == 0 {
		has, err := db.HasActiveKeys(ctx)
		if err != nil {
			return err
		}
		if !has {
			return ErrNoKeys
		}
	}
	// Meilisearch being down does not stop serve.
	ix := cfg.Index
	if err := ix.EnsureSettings(ctx); err != nil {
		log.Warn("search index not ready; search answers 503 until it is", "err", err)
	}
	tasks := queue.New(cfg.Redis, cfg.TaskTimeout)
	defer tasks.Close()
	ops, err := startServeOps(ctx, cfg)
	if err != nil {
		return err
	}
	defer ops.Close()

	srv := api.New(api.Config{
		Store: db, Blobs: cfg.Blobs, Index: ix, Queue: tasks, Limits: cfg.Limits, MaxFiles: cfg.MaxFiles, MaxUploadBytes: cfg.MaxUploadBytes,
		Keys: cfg.APIKeys, Log: log, Observer: ops.Requests, Metrics: ops.Metrics, Monitoring: ops.Monitor,
		Ready: ops.readyChecks(db, cfg.Blobs, ix),
	})
	srv.UI = web.New(srv) // the UI signs clerks in through the API's keys and sessions
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listening on SOHOA_HTTP_ADDR=%s: %w", cfg.Addr, err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go requeueReceived(ctx, db, tasks, log)
	go deliverEvents(ctx, db, cfg.Webhooks, cfg.KeepEvents, log)
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		hs.Shutdown(shutdown)
	}()
	log.Info("serving", "addr", "http://"+ln.Addr().String())
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	// Serve returns as soon as Shutdown begins. Returning then would close the store and the
	// queue under the requests still running, and the process would exit in the middle of
	// an upload; wait until they have answered (or the 15 s are up).
	<-stopped
	return nil
}

// requeueReceived queues documents that were stored while Redis was unreachable, so an
// accepted upload is never left behind.
func requeueReceived(ctx context.Context, db *store.SQL, q *queue.Queue, log *slog.Logger) {
	tick := time.NewTicker(15 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		docs, err := db.DocumentsWithStatus(ctx, store.StatusReceived)
		if err != nil {
			log.Warn("requeue sweep", "err", err)
			continue
		}
		for _, d := range docs {
			if err := q.Enqueue(ctx, task.TypePrepare, task.Payload{DocID: d.ID}); err != nil {
				log.Warn("requeue sweep: queue still unavailable", "err", err)
				break
			}
			if err := db.MarkQueued(ctx, d.ID); err != nil {
				log.Warn("requeue sweep", "doc_id", d.ID, "err", err)
			}
		}
	}
}

// deliverEvents delivers the outbox to hooks until ctx ends, deleting what was delivered more
// than keep ago; without webhooks the events stay in the outbox (a receiver configured later
// gets them).
func deliverEvents(ctx context.Context, db *store.SQL, hooks []events.Webhook, keep time.Duration, log *slog.Logger) {
	if len(hooks) == 0 {
		return
	}
	log.Info("delivering events to webhooks", "endpoints", len(hooks))
	(&events.Dispatcher{Outbox: db, Hooks: hooks, Log: log, Keep: keep}).Run(ctx)
}
