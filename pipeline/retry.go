package pipeline

import (
	"errors"
	"math/rand/v2"
	"time"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/index"
)

// RetryDelay is the workers' asynq RetryDelayFunc: asynq's default back-off (n⁴+15 s plus
// jitter), except for two failures that are not the task's own.
//   - A task whose worker died (its lease expired) runs again at once: by the time asynq
//     notices, a minute has already passed since the worker last renewed the lease.
//   - A task that found the search index unavailable tries again every 10–20 s, which
//     IsFailure keeps from growing, so indexing catches up soon after Meilisearch is back.
func RetryDelay(n int, err error, t *asynq.Task) time.Duration {
	switch {
	case errors.Is(err, asynq.ErrLeaseExpired):
		return time.Second
	case errors.Is(err, index.ErrUnavailable):
		return 10*time.Second + rand.N(10*time.Second)
	}
	return asynq.DefaultRetryDelayFunc(n, err, t)
}

// IsFailure is the workers' asynq IsFailure: an unavailable search index does not count
// against a task's retries. Counted, eight of them (about two and a half hours of asynq's
// back-off) would mark finished documents failed during a long Meilisearch outage, where
// indexing should wait for as long as it lasts.
func IsFailure(err error) bool { return !errors.Is(err, index.ErrUnavailable) }
