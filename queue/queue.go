// Package queue schedules pipeline tasks on asynq (Redis). It is apart from task, the
// contract, so that code that only names tasks does not link the queue's client.
package queue

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/task"
)

// Queue enqueues pipeline tasks; it implements task.Enqueuer.
type Queue struct {
	client  *asynq.Client
	timeout time.Duration
}

// New returns a Queue on the Redis at opt. timeout bounds one task's run.
func New(opt asynq.RedisConnOpt, timeout time.Duration) *Queue {
	return &Queue{client: asynq.NewClient(opt), timeout: timeout}
}

// Close closes the Redis connection.
func (q *Queue) Close() error { return q.client.Close() }

// Enqueue schedules stage typ for p. Work that is already pending is not scheduled twice.
func (q *Queue) Enqueue(ctx context.Context, typ string, p task.Payload) error {
	name := task.QueueOf(typ)
	if name == "" {
		return fmt.Errorf("enqueuing %s: unknown task type", task.ID(typ, p))
	}
	_, err := q.client.EnqueueContext(ctx, asynq.NewTask(typ, p.Encode()),
		asynq.Queue(name), asynq.TaskID(task.ID(typ, p)), asynq.MaxRetry(8), asynq.Timeout(q.timeout))
	if errors.Is(err, asynq.ErrTaskIDConflict) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("enqueuing %s: %w", task.ID(typ, p), err)
	}
	return nil
}
