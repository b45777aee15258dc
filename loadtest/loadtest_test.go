package loadtest

import (
	"io"
	"testing"
)

// TestRSSTrend checks the load run's flatness judgement: a swing of a page or two in hand
// passes, a growing envelope (a leak) fails.
func TestRSSTrend(t *testing.T) {
	t.Parallel()
	const mb = 1e6
	swing, growing := &rssSampler{}, &rssSampler{}
	for i := range 40 {
		base := 350.0
		if i%3 == 0 {
			base += 70 // two pages in hand
		}
		swing.samples = append(swing.samples, rssSample{done: 10 + i, of: 50, rss: base * mb})
		growing.samples = append(growing.samples, rssSample{done: 10 + i, of: 50, rss: (base + 3*float64(i)) * mb})
	}
	// Before warm-up: a quarter of the documents not yet done; ignored however high.
	swing.samples = append([]rssSample{{done: 1, of: 50, rss: 100 * mb}}, swing.samples...)
	if err := swing.print(io.Discard, 0.10); err != nil {
		t.Errorf("a swinging but flat RSS was judged not flat: %v", err)
	}
	if err := growing.print(io.Discard, 0.10); err == nil {
		t.Error("an RSS growing by 3 MB a sample was judged flat")
	}
}
