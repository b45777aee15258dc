package server

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/metrics"
)

// TestMetricsAddrTaken checks a metrics address already in use stops the start with the
// variable's name, rather than a worker running without the metrics an operator expects.
func TestMetricsAddrTaken(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	stop, err := ListenMetrics(context.Background(), "SOHOA_WORKER_METRICS_ADDR", ln.Addr().String(), metrics.NewRegistry(), slog.New(slog.DiscardHandler))
	if err == nil {
		stop()
		t.Fatal("listening on a taken address succeeded")
	}
	if !strings.Contains(err.Error(), "SOHOA_WORKER_METRICS_ADDR="+ln.Addr().String()) {
		t.Errorf("error %q does not name the variable and address", err)
	}
}
