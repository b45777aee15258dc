package queue

import (
	"context"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/sohoa/sohoa/internal/testenv"
	"github.com/sohoa/sohoa/task"
)

// queueRedisDB is this package's Redis database, apart from the other tests'.
const queueRedisDB = 8

// TestEnqueue puts tasks on the test Redis and reads them back: each type in its queue, the
// payload as sent, and the same work enqueued twice while pending stored once.
func TestEnqueue(t *testing.T) {
	addr := testenv.Redis(t)
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: addr, DB: queueRedisDB})
	defer rdb.Close()
	if err := rdb.FlushDB(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	opt := asynq.RedisClientOpt{Addr: addr, DB: queueRedisDB}
	q := New(opt, time.Minute)
	defer q.Close()
	work := map[string]task.Payload{
		task.TypePrepare: {DocID: "d1"}, task.TypeOCR: {DocID: "d1", Page: 2},
		task.TypeClassify: {DocID: "d1"}, task.TypeIndex: {DocID: "d1"},
	}
	for typ, p := range work {
		for range 2 {
			if err := q.Enqueue(ctx, typ, p); err != nil {
				t.Fatalf("Enqueue(%s, %+v): %v", typ, p, err)
			}
		}
	}
	if err := q.Enqueue(ctx, "reticulate", task.Payload{DocID: "d1"}); err == nil {
		t.Error("an unknown task type was enqueued")
	}
	insp := asynq.NewInspector(opt)
	defer insp.Close()
	for typ, p := range work {
		info, err := insp.GetTaskInfo(task.QueueOf(typ), task.ID(typ, p))
		if err != nil {
			t.Errorf("%s not in queue %s: %v", task.ID(typ, p), task.QueueOf(typ), err)
			continue
		}
		if got, err := task.Decode(info.Payload); err != nil || got != p || info.Type != typ {
			t.Errorf("%s stored as type %s payload %+v (%v)", task.ID(typ, p), info.Type, got, err)
		}
	}
	for _, name := range []string{task.QueuePrepare, task.QueueOCR, task.QueueDoc, task.QueueIndex} {
		info, err := insp.GetQueueInfo(name)
		if err != nil || info.Pending != 1 {
			t.Errorf("queue %s: %+v, %v; want 1 pending", name, info, err)
		}
	}
}
