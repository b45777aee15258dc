package metrics

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Requests counts and times the HTTP API's answers; it is the API's request observer.
type Requests struct {
	total    *prometheus.CounterVec   // {method, route, code}
	duration *prometheus.HistogramVec // {method, route}
}

// NewRequests registers the HTTP families on reg.
func NewRequests(reg prometheus.Registerer) *Requests {
	r := &Requests{
		total: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sohoa_http_requests_total",
			Help: "HTTP requests answered, by method, matched route pattern (never the path, which holds IDs) and status code.",
		}, []string{"method", "route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "sohoa_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by method and matched route pattern.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 12), // 1 ms … 4 min
		}, []string{"method", "route"}),
	}
	reg.MustRegister(r.total, r.duration)
	return r
}

// ObserveRequest records one answered request. route is the pattern that matched ("" for
// none: counted as "unmatched"), so a scan of random paths cannot grow the series.
func (r *Requests) ObserveRequest(method, route string, status int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	switch method {
	case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS":
	default:
		method = "other"
	}
	r.total.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	r.duration.WithLabelValues(method, route).Observe(d.Seconds())
}
