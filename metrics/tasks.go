package metrics

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sohoa/sohoa/internal/logctx"
	"github.com/sohoa/sohoa/store"
)

// Results reads back what a finished stage decided; *store.SQL implements it.
type Results interface {
	Document(ctx context.Context, id string) (store.Document, error)
	Pages(ctx context.Context, docID string) ([]store.PageRecord, error)
}

// Probes name the task types after which the middleware reads the store for what the task
// type alone cannot say. Each read happens once per document, never once per page.
type Probes struct {
	Store Results
	// Split is the type that splits a document into pages: after it, the document's page
	// count is added to the pages done at that stage.
	Split string
	// Decide is the type that decides whether a document needs review: after it, the review
	// state and the OCR confidence of the document's recognised pages are observed.
	Decide string
}

// Tasks counts and times the pipeline's asynq tasks. Its Middleware wraps the worker's
// handler; one Tasks serves every asynq server of a process.
type Tasks struct {
	pages, docs *prometheus.CounterVec   // {stage, result}
	retries     *prometheus.CounterVec   // {queue, stage}
	duration    *prometheus.HistogramVec // {stage, result}
	confidence  prometheus.Histogram
	review      *prometheus.CounterVec // {state}
	reviewed    atomic.Int64
	needReview  atomic.Int64
	probes      Probes
	log         *slog.Logger
}

// NewTasks registers the task families on reg. log receives one line per task, carrying its
// task ID; it may be nil.
func NewTasks(reg prometheus.Registerer, probes Probes, log *slog.Logger) *Tasks {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	t := &Tasks{
		pages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sohoa_pages_total",
			Help: "Pages a stage finished (result=done) or gave up on after its last retry (result=failed): OCR counts its tasks, one per page; the splitting stage counts the pages it produced.",
		}, []string{"stage", "result"}),
		docs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sohoa_documents_total",
			Help: "Documents a document-level stage finished (result=done) or gave up on after its last retry or a permanent error (result=failed).",
		}, []string{"stage", "result"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sohoa_task_retries_total",
			Help: "Task runs that failed and were handed back to asynq to be retried later.",
		}, []string{"queue", "stage"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "sohoa_stage_duration_seconds",
			Help:    "Run time of one task of a stage, every attempt (result=ok or error).",
			Buckets: secondsBuckets,
		}, []string{"stage", "result"}),
		confidence: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "sohoa_ocr_page_confidence",
			Help:    "Mean word confidence (0-100, Tesseract's scale) of each recognised, non-blank page, observed when its document is decided.",
			Buckets: prometheus.LinearBuckets(10, 10, 9), // 10 … 90, and +Inf
		}),
		review: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sohoa_review_decisions_total",
			Help: "Documents decided by extraction, by review state (auto, needs_review).",
		}, []string{"state"}),
		probes: probes,
		log:    log,
	}
	share := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "sohoa_review_share",
		Help: "Share of the documents this process decided since it started that were sent to review (0 before any).",
	}, t.reviewShare)
	reg.MustRegister(t.pages, t.docs, t.retries, t.duration, t.confidence, t.review, share)
	return t
}

func (t *Tasks) reviewShare() float64 {
	n := t.reviewed.Load()
	if n == 0 {
		return 0
	}
	return float64(t.needReview.Load()) / float64(n)
}

// Middleware wraps a worker's handler: each task's run is timed, counted by stage and
// outcome, and logged with its task ID, which also goes into the context so the handler's
// own context-aware log lines carry it.
func (t *Tasks) Middleware(next asynq.Handler) asynq.Handler {
	return asynq.HandlerFunc(func(ctx context.Context, task *asynq.Task) error {
		id, _ := asynq.GetTaskID(ctx)
		queue, _ := asynq.GetQueueName(ctx)
		retried, _ := asynq.GetRetryCount(ctx)
		ctx = logctx.With(ctx, slog.String("task_id", id))
		// An operator (and TestCluster) sees which worker holds a task now;
		// asynq's own view of it, the server heartbeat, is up to five seconds old.
		t.log.LogAttrs(ctx, slog.LevelInfo, "task started", slog.String("type", task.Type()), slog.String("queue", queue), slog.Int("retried", retried))
		start := time.Now()
		err := next.ProcessTask(ctx, task)
		elapsed := time.Since(start)
		t.observe(ctx, task, queue, retried, elapsed, err)
		attrs := []slog.Attr{slog.String("type", task.Type()), slog.String("queue", queue),
			slog.Int("retried", retried), slog.Int64("duration_ms", elapsed.Milliseconds())}
		switch {
		case err == nil:
			t.log.LogAttrs(ctx, slog.LevelInfo, "task done", attrs...)
		case final(ctx, err):
			t.log.LogAttrs(ctx, slog.LevelError, "task given up", append(attrs, slog.String("err", err.Error()))...)
		default:
			t.log.LogAttrs(ctx, slog.LevelWarn, "task failed; will retry", append(attrs, slog.String("err", err.Error()))...)
		}
		return err
	})
}

// final reports whether asynq will not run the task again after err: its last retry was
// used, or the handler marked the error permanent.
func final(ctx context.Context, err error) bool {
	if errors.Is(err, asynq.SkipRetry) {
		return true
	}
	retried, _ := asynq.GetRetryCount(ctx)
	maxRetry, ok := asynq.GetMaxRetry(ctx)
	return ok && retried >= maxRetry
}

func (t *Tasks) observe(ctx context.Context, task *asynq.Task, queue string, retried int, elapsed time.Duration, err error) {
	stage := task.Type()
	// The pipeline's payloads address a document and, for per-page work, a page: the page
	// number is what tells a page's task from a document's.
	var p struct {
		DocID string `json:"doc_id"`
		Page  int    `json:"page"`
	}
	_ = json.Unmarshal(task.Payload(), &p)
	unit := t.docs
	if p.Page > 0 {
		unit = t.pages
	}
	if err != nil {
		t.duration.WithLabelValues(stage, "error").Observe(elapsed.Seconds())
		if final(ctx, err) {
			unit.WithLabelValues(stage, "failed").Inc()
		} else {
			t.retries.WithLabelValues(queue, stage).Inc()
		}
		return
	}
	t.duration.WithLabelValues(stage, "ok").Observe(elapsed.Seconds())
	unit.WithLabelValues(stage, "done").Inc()
	if p.DocID == "" || t.probes.Store == nil {
		return
	}
	switch stage {
	case t.probes.Split:
		if d, err := t.probes.Store.Document(ctx, p.DocID); err == nil {
			t.pages.WithLabelValues(stage, "done").Add(float64(d.PageCount))
		}
	case t.probes.Decide:
		t.observeDecision(ctx, p.DocID)
	}
}

func (t *Tasks) observeDecision(ctx context.Context, docID string) {
	d, err := t.probes.Store.Document(ctx, docID)
	if err != nil || d.ReviewState == "" {
		return
	}
	t.review.WithLabelValues(d.ReviewState).Inc()
	t.reviewed.Add(1)
	if d.ReviewState == store.ReviewNeeded {
		t.needReview.Add(1)
	}
	pages, err := t.probes.Store.Pages(ctx, docID)
	if err != nil {
		return
	}
	for _, pg := range pages {
		if pg.Recognised && !pg.Blank {
			t.confidence.Observe(pg.MeanConfidence)
		}
	}
}
