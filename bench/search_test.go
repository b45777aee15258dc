package bench

import (
	"testing"
	"time"
)

func TestFoldVietnamese(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Đông Hưng":         "Dong Hung",
		"quyền sử dụng đất": "quyen su dung dat",
		"ủy ban nhân dân":   "uy ban nhan dan",
	} {
		if got := foldVietnamese(in); got != want {
			t.Errorf("foldVietnamese(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPercentile(t *testing.T) {
	t.Parallel()
	var d []time.Duration
	for i := 100; i >= 1; i-- {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	if p50, p95, p100 := ms(d, 50), ms(d, 95), ms(d, 100); p50 != 50 || p95 != 95 || p100 != 100 {
		t.Errorf("percentiles of 1..100 ms = %v %v %v, want 50 95 100", p50, p95, p100)
	}
}
