package metrics

import (
	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
)

// Inspector reads the queues' state; *asynq.Inspector implements it.
type Inspector interface {
	Queues() ([]string, error)
	GetQueueInfo(queue string) (*asynq.QueueInfo, error)
}

// Queues reports the asynq queues as they are in Redis at each scrape: tasks by state
// (pending, active, scheduled, retry, archived), the age of the oldest pending task, and the
// cumulative processed and failed counts. Every process sharing the Redis reports the same
// values; aggregate them with max, not sum. When Redis cannot be read, sohoa_queue_up is 0
// and the other series are left out rather than reported as zero.
type Queues struct {
	insp                       Inspector
	up, tasks, latency         *prometheus.Desc
	processedTotal, failedTotl *prometheus.Desc
}

// NewQueues returns the collector; register it on a registry.
func NewQueues(insp Inspector) *Queues {
	return &Queues{
		insp:           insp,
		up:             prometheus.NewDesc("sohoa_queue_up", "1 when the queues could be read from Redis at this scrape, else 0.", nil, nil),
		tasks:          prometheus.NewDesc("sohoa_queue_tasks", "Tasks in an asynq queue by state; state=retry are the tasks waiting to be retried.", []string{"queue", "state"}, nil),
		latency:        prometheus.NewDesc("sohoa_queue_latency_seconds", "Age of the queue's oldest pending task.", []string{"queue"}, nil),
		processedTotal: prometheus.NewDesc("sohoa_queue_processed_total", "Tasks processed from the queue since it was created (asynq's count, successes and failures).", []string{"queue"}, nil),
		failedTotl:     prometheus.NewDesc("sohoa_queue_failed_total", "Task runs from the queue that failed since it was created (asynq's count, retried ones included).", []string{"queue"}, nil),
	}
}

// Describe implements prometheus.Collector.
func (q *Queues) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{q.up, q.tasks, q.latency, q.processedTotal, q.failedTotl} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (q *Queues) Collect(ch chan<- prometheus.Metric) {
	names, err := q.insp.Queues()
	if err != nil {
		ch <- prometheus.MustNewConstMetric(q.up, prometheus.GaugeValue, 0)
		return
	}
	var infos []*asynq.QueueInfo
	for _, name := range names {
		info, err := q.insp.GetQueueInfo(name)
		if err != nil {
			ch <- prometheus.MustNewConstMetric(q.up, prometheus.GaugeValue, 0)
			return
		}
		infos = append(infos, info)
	}
	ch <- prometheus.MustNewConstMetric(q.up, prometheus.GaugeValue, 1)
	for _, info := range infos {
		for state, n := range map[string]int{
			"pending": info.Pending, "active": info.Active, "scheduled": info.Scheduled, "retry": info.Retry, "archived": info.Archived,
		} {
			ch <- prometheus.MustNewConstMetric(q.tasks, prometheus.GaugeValue, float64(n), info.Queue, state)
		}
		ch <- prometheus.MustNewConstMetric(q.latency, prometheus.GaugeValue, info.Latency.Seconds(), info.Queue)
		ch <- prometheus.MustNewConstMetric(q.processedTotal, prometheus.CounterValue, float64(info.ProcessedTotal), info.Queue)
		ch <- prometheus.MustNewConstMetric(q.failedTotl, prometheus.CounterValue, float64(info.FailedTotal), info.Queue)
	}
}
