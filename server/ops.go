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
	"github.com/hibiken/asynqmon"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sohoa/sohoa/api"
	"github.com/sohoa/sohoa/index"
	"github.com/sohoa/sohoa/metrics"
	"github.com/sohoa/sohoa/store"
)

// readyChecks are the dependencies serve's GET /readyz reports on. The store and the blob
// store are essential: without them nothing can be accepted. Redis and Meilisearch only
// degrade serve (an upload is queued later, search answers 503), so a load balancer keeps
// sending it uploads while they are down.
func (o *serveOps) readyChecks(db *store.SQL, blobs store.Blobs, ix *index.Index) []api.ReadyCheck {
	// A read of a blob nobody stored: "not found" is an answer, so the store is reachable.
	probe := store.RefOf([]byte("sohoa readiness probe"))
	return []api.ReadyCheck{
		{Name: "store", Essential: true, Check: db.Ping},
		{Name: "blobs", Essential: true, Check: func(ctx context.Context) error {
			if _, err := blobs.Get(ctx, probe); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			return nil
		}},
		{Name: "redis", Check: func(context.Context) error { _, err := o.insp.Queues(); return err }},
		{Name: "search", Check: ix.Healthy},
	}
}

// serveOps is what serve gives operators: the API's request metrics and the queues'
// depth on one registry, answered at /metrics to admin keys (and on SOHOA_METRICS_ADDR
// without a key), and asynqmon's queue monitor under /monitoring/, to admins only.
type serveOps struct {
	Requests *metrics.Requests
	Metrics  http.Handler
	Monitor  http.Handler
	insp     *asynq.Inspector
	close    func()
}

// startServeOps builds the operators' views of serve and starts the SOHOA_METRICS_ADDR
// listener when one is set; Close releases their Redis connections.
func startServeOps(ctx context.Context, cfg Config) (*serveOps, error) {
	log := cfg.Log
	reg := metrics.NewRegistry()
	insp := asynq.NewInspector(cfg.Redis)
	reg.MustRegister(metrics.NewQueues(insp))
	// Read-only: deleting or archiving a task from the monitor would drop a page of a record
	// that exists on paper only once. Operators retry through the pipeline instead.
	mon := asynqmon.New(asynqmon.Options{RootPath: "/monitoring", RedisConnOpt: cfg.Redis, ReadOnly: true})
	// Task errors shown by the monitor may name a file, and files are named after applicants:
	// kept out of browser and proxy caches like the API's answers.
	noStore := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		mon.ServeHTTP(w, r)
	})
	ops := &serveOps{Requests: metrics.NewRequests(reg), Metrics: metrics.Handler(reg), Monitor: noStore, insp: insp}
	stop, err := ListenMetrics(ctx, "SOHOA_METRICS_ADDR", cfg.MetricsAddr, reg, log)
	if err != nil {
		mon.Close()
		insp.Close()
		return nil, err
	}
	ops.close = func() {
		stop()
		mon.Close()
		insp.Close()
	}
	return ops, nil
}

// Close stops the metrics listener and closes the Redis connections; safe to call twice.
func (o *serveOps) Close() {
	if o.close != nil {
		o.close()
		o.close = nil
	}
}

// ListenMetrics answers GET /metrics on addr without authentication, for a Prometheus that
// scrapes with no browser session; addr belongs on loopback or a private network. Metrics
// carry counts and timings only, never a document ID or a field value. An empty addr
// serves nothing. name is the variable addr came from, for the error when it is taken; stop
// ends the listener. The worker serves its metrics with it too.
func ListenMetrics(ctx context.Context, name, addr string, reg *prometheus.Registry, log *slog.Logger) (stop func(), err error) {
	if addr == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s=%s: %w", name, addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics.Handler(reg))
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics listener stopped", "addr", addr, "err", err)
		}
	}()
	log.Info("serving metrics", "addr", "http://"+ln.Addr().String()+"/metrics")
	return func() {
		shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		hs.Shutdown(shutdown)
	}, nil
}
