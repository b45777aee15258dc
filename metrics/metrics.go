// Package metrics is sohoa's Prometheus instrumentation: what the pipeline's workers did
// (tasks per stage and their latency, retries, pages and documents done or given up, the OCR
// confidence of pages, the share of documents sent to review), the depth of the asynq queues,
// and the HTTP API's requests. It watches from outside, through an asynq middleware, a
// request observer and collectors, so the stage code and the API handlers know nothing of it.
//
// Labels are bounded sets (stages, queues, route patterns, result classes): never a document
// ID, a path or a field value, which would make a series per record and could carry
// personal data to the monitoring system.
//
// It must not import the api or pipeline packages: they are instrumented from cmd/sohoa.
package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// NewRegistry returns a registry holding the Go runtime's and the process's collectors (heap,
// goroutines, RSS, CPU seconds), which every sohoa process exposes beside its own families.
func NewRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// Handler serves what reg gathers in the Prometheus exposition format.
func Handler(reg *prometheus.Registry) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg})
}

// secondsBuckets span a light stage's few milliseconds to a large page's OCR of minutes.
var secondsBuckets = prometheus.ExponentialBuckets(0.005, 2.5, 12) // 5 ms … 19 min
