package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/sohoa/sohoa/api"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/store"
	"github.com/sohoa/sohoa/task"
)

func runServe(ctx context.Context, cfg Config, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: sohoa serve\n\nServes the HTTP API (/v1) and the clerk UI on SOHOA_HTTP_ADDR until interrupted.")
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
	if len(cfg.APIKeys) == 0 {
		has, err := db.HasActiveKeys(ctx)
		if err != nil {
			return err
		}
		if !has {
			return errors.New("no API keys: create one with `sohoa keys create --role admin`, or set SOHOA_API_KEYS to token:role pairs (e.g. SOHOA_API_KEYS=s3cret:admin,other:reader)")
		}
	}
	ix := readyIndex(ctx, cfg, log, "search answers 503 until it is")
	tasks := queue.New(cfg.redisOpt(), cfg.TaskTimeout)
	defer tasks.Close()
	ops, err := startServeOps(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer ops.Close()

	srv := api.New(api.Config{
		Store: db, Blobs: blobs, Index: ix, Queue: tasks, Limits: cfg.limits(), MaxFiles: cfg.MaxFiles, MaxUploadBytes: cfg.MaxUpload,
		Keys: cfg.APIKeys, Log: log, Observer: ops.Requests, Metrics: ops.Metrics, Monitoring: ops.Monitor,
		Ready: ops.readyChecks(db, blobs, ix),
	})
	srv.UI = newUI(srv) // the UI signs clerks in through the API's keys and sessions
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listening on SOHOA_HTTP_ADDR=%s: %w", cfg.HTTPAddr, err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go requeueReceived(ctx, db, tasks, log)
	go startWebhooks(ctx, cfg, db, log)
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
