package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
)

// Task types, one per stage. Each has its own queue so a worker can favour finishing the
// documents in flight (index, doc) over starting new ones (prepare).
const (
	TypePrepare  = "prepare"
	TypeOCR      = "ocr"
	TypeClassify = "classify"
	TypeExtract  = "extract"
	TypeIndex    = "index"
)

var queueOf = map[string]string{
	TypePrepare: "prepare", TypeOCR: "ocr", TypeClassify: "doc", TypeExtract: "doc", TypeIndex: "index",
}

// The asynq queues with their priority weights, in two groups that a worker serves
// separately: the stages that keep a core busy for the whole task (decoding, preparing and
// reading pages), and the light ones, which mostly wait for the store or the search index.
// Among the busy ones, OCR comes before preparing more pages, which finishes the documents
// in flight first.
var (
	BusyQueues  = map[string]int{"ocr": 3, "prepare": 1}
	LightQueues = map[string]int{"index": 1, "doc": 1}
)

// Payload addresses the work of a task: a document and, for OCR, one page.
type Payload struct {
	DocID string `json:"doc_id"`
	Page  int    `json:"page,omitempty"`
}

// TaskID is the deterministic ID of a stage's task: "stage:document[:page]". Enqueuing the
// same work twice while it is pending is refused by asynq, which makes enqueues idempotent.
func TaskID(typ string, p Payload) string {
	if p.Page > 0 {
		return fmt.Sprintf("%s:%s:%d", typ, p.DocID, p.Page)
	}
	return typ + ":" + p.DocID
}

// Queue enqueues pipeline tasks.
type Queue struct {
	client  *asynq.Client
	timeout time.Duration
}

// NewQueue returns a Queue on the Redis at opt. timeout bounds one task's run.
func NewQueue(opt asynq.RedisConnOpt, timeout time.Duration) *Queue {
	return &Queue{client: asynq.NewClient(opt), timeout: timeout}
}

// Close closes the Redis connection.
func (q *Queue) Close() error { return q.client.Close() }

// Enqueue schedules stage typ for p. Work that is already pending is not scheduled twice.
func (q *Queue) Enqueue(ctx context.Context, typ string, p Payload) error {
	body, err := json.Marshal(p)
	if err != nil {
		return err
	}
	_, err = q.client.EnqueueContext(ctx, asynq.NewTask(typ, body),
		asynq.Queue(queueOf[typ]), asynq.TaskID(TaskID(typ, p)), asynq.MaxRetry(8), asynq.Timeout(q.timeout))
	if errors.Is(err, asynq.ErrTaskIDConflict) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("enqueuing %s: %w", TaskID(typ, p), err)
	}
	return nil
}

func decodePayload(t *asynq.Task) (Payload, error) {
	var p Payload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.DocID == "" {
		return p, fmt.Errorf("decoding %s payload %q: %v: %w", t.Type(), t.Payload(), err, asynq.SkipRetry)
	}
	return p, nil
}
