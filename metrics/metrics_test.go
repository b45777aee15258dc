package metrics

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/sohoa/sohoa/internal/testenv"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
)

// fakeResults is a store holding one document of three pages, two recognised.
type fakeResults struct{}

func (fakeResults) Document(ctx context.Context, id string) (store.Document, error) {
	return store.Document{ID: id, PageCount: 3, ReviewState: store.ReviewNeeded}, nil
}

func (fakeResults) Pages(ctx context.Context, id string) ([]store.PageRecord, error) {
	return []store.PageRecord{
		{Recognised: true, Page: record.Page{Number: 1, MeanConfidence: 91}},
		{Recognised: true, Page: record.Page{Number: 2, MeanConfidence: 45}},
		{Recognised: true, Page: record.Page{Number: 3, Blank: true}},
	}, nil
}

// TestTasksMiddlewareOnRealQueue runs tasks through a real asynq server on the test Redis
// with the middleware around the handlers, and checks every family moved as the outcomes
// say, and that the queue collector sees the task waiting to be retried.
func TestTasksMiddlewareOnRealQueue(t *testing.T) {
	t.Parallel()
	opt := asynq.RedisClientOpt{Addr: testenv.Redis(t), DB: 11}
	queue := fmt.Sprintf("metrics_test_%d", time.Now().UnixNano())
	insp := asynq.NewInspector(opt)
	t.Cleanup(func() {
		insp.DeleteQueue(queue, true)
		insp.Close()
	})

	reg := NewRegistry()
	tasks := NewTasks(reg, Probes{Store: fakeResults{}, Split: "prepare", Decide: "extract"}, nil)
	reg.MustRegister(NewQueues(insp))

	mux := asynq.NewServeMux()
	ok := func(ctx context.Context, t *asynq.Task) error { return nil }
	mux.HandleFunc("prepare", ok)
	mux.HandleFunc("ocr", ok)
	mux.HandleFunc("extract", ok)
	mux.HandleFunc("index", func(ctx context.Context, t *asynq.Task) error { return errors.New("search down") })
	mux.HandleFunc("classify", func(ctx context.Context, t *asynq.Task) error { return fmt.Errorf("unreadable: %w", asynq.SkipRetry) })
	srv := asynq.NewServer(opt, asynq.Config{
		Concurrency: 2, Queues: map[string]int{queue: 1}, Logger: quietLogger{},
		// The failed index task stays in the retry set while the test looks at it.
		RetryDelayFunc: func(int, error, *asynq.Task) time.Duration { return time.Hour },
	})
	if err := srv.Start(tasks.Middleware(mux)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)

	client := asynq.NewClient(opt)
	defer client.Close()
	enqueue := func(typ, payload string, opts ...asynq.Option) {
		if _, err := client.Enqueue(asynq.NewTask(typ, []byte(payload)), append(opts, asynq.Queue(queue))...); err != nil {
			t.Fatal(err)
		}
	}
	enqueue("prepare", `{"doc_id":"d1"}`)
	enqueue("ocr", `{"doc_id":"d1","page":1}`)
	enqueue("ocr", `{"doc_id":"d1","page":2}`)
	enqueue("extract", `{"doc_id":"d1"}`)
	enqueue("index", `{"doc_id":"d1"}`, asynq.MaxRetry(5))
	enqueue("classify", `{"doc_id":"d2"}`, asynq.MaxRetry(5))

	deadline := time.Now().Add(60 * time.Second)
	for testutil.ToFloat64(tasks.retries.WithLabelValues(queue, "index")) < 1 ||
		testutil.ToFloat64(tasks.docs.WithLabelValues("classify", "failed")) < 1 ||
		testutil.CollectAndCount(tasks.duration) < 5 || testutil.ToFloat64(tasks.review.WithLabelValues("needs_review")) < 1 {
		if time.Now().After(deadline) {
			t.Fatal("tasks not all run within a minute")
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"ocr pages done", testutil.ToFloat64(tasks.pages.WithLabelValues("ocr", "done")), 2},
		{"pages produced by prepare", testutil.ToFloat64(tasks.pages.WithLabelValues("prepare", "done")), 3},
		{"documents prepared", testutil.ToFloat64(tasks.docs.WithLabelValues("prepare", "done")), 1},
		{"documents given up at classify", testutil.ToFloat64(tasks.docs.WithLabelValues("classify", "failed")), 1},
		{"index retries", testutil.ToFloat64(tasks.retries.WithLabelValues(queue, "index")), 1},
		{"index not counted failed before its last retry", testutil.ToFloat64(tasks.docs.WithLabelValues("index", "failed")), 0},
		{"review share", tasks.reviewShare(), 1},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}

	// The exposition, as Prometheus scrapes it.
	rec := httptest.NewRecorder()
	Handler(reg).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		"sohoa_ocr_page_confidence_count 2", // the blank page is left out
		`sohoa_ocr_page_confidence_bucket{le="50"} 1`,
		`sohoa_queue_tasks{queue="` + queue + `",state="retry"} 1`,
		"sohoa_queue_up 1",
		`sohoa_stage_duration_seconds_count{result="error",stage="index"} 1`,
		"process_resident_memory_bytes",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("exposition lacks %q", want)
		}
	}
}

// TestQueuesDownReportsUp0 checks an unreachable Redis shows as sohoa_queue_up 0.
func TestQueuesDownReportsUp0(t *testing.T) {
	t.Parallel()
	insp := asynq.NewInspector(asynq.RedisClientOpt{Addr: "127.0.0.1:1", DialTimeout: 200 * time.Millisecond})
	defer insp.Close()
	reg := NewRegistry()
	reg.MustRegister(NewQueues(insp))
	rec := httptest.NewRecorder()
	Handler(reg).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if body := rec.Body.String(); !strings.Contains(body, "sohoa_queue_up 0") || strings.Contains(body, "sohoa_queue_tasks") {
		t.Errorf("with Redis unreachable the exposition has:\n%s", body)
	}
}

type quietLogger struct{}

func (quietLogger) Debug(...any) {}
func (quietLogger) Info(...any)  {}
func (quietLogger) Warn(...any)  {}
func (quietLogger) Error(...any) {}
func (quietLogger) Fatal(...any) {}
