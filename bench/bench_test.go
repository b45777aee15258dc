package bench

import (
	"testing"
	"time"
)

// median takes each figure's median over the rounds on its own, so one round spoilt by other
// work on the machine moves none of them.
func TestMedian(t *testing.T) {
	t.Parallel()
	rd := func(a, b time.Duration, ba float64) round {
		return round{inProc: cost{wall: a, cpu: a}, queue: cost{wall: b, cpu: b}, ratioBA: ratio{ba, ba}, hasQueue: true}
	}
	m := median([]round{rd(10*time.Second, 11*time.Second, 0.91), rd(30*time.Second, 12*time.Second, 0.40), rd(12*time.Second, 13*time.Second, 0.92)})
	if m.inProc.wall != 12*time.Second || m.queue.wall != 12*time.Second || m.ratioBA.speed != 0.91 || !m.hasQueue {
		t.Errorf("median = a %v, b %v, b/a %v", m.inProc.wall, m.queue.wall, m.ratioBA.speed)
	}
}
