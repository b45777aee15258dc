package scan

import "testing"

// TestInsideSpanWithinStaysInRange: whatever the line, the span returned lies within
// [lo, hi] and holds exactly the X inside the limit (a span outside once indexed past a row).
func TestInsideSpanWithinStaysInRange(t *testing.T) {
	t.Parallel()
	const one = 1 << 16
	for _, c := range []struct {
		v, d, limit int64
		lo, hi      int
	}{
		{v: -5000 * one, d: one, limit: 100 * one, lo: 0, hi: 2512},   // inside only far right
		{v: 9000 * one, d: -one, limit: 100 * one, lo: 0, hi: 2512},   // inside only beyond hi
		{v: -9000 * one, d: -one, limit: 100 * one, lo: 0, hi: 2512},  // never inside
		{v: 50 * one, d: 0, limit: 100 * one, lo: 3, hi: 10},          // constant inside
		{v: 200 * one, d: 0, limit: 100 * one, lo: 3, hi: 10},         // constant outside
		{v: 10 * one, d: one / 3, limit: 800 * one, lo: 100, hi: 120}, // sub-range
		{v: 3000 * one, d: -one, limit: 2511 * one, lo: 0, hi: 2512},  // the eval panic's shape
	} {
		start, end := insideSpanWithin(c.v, c.d, c.limit, c.lo, c.hi)
		if start < c.lo || end > c.hi || start > end {
			t.Errorf("%+v: span [%d, %d) outside [%d, %d]", c, start, end, c.lo, c.hi)
			continue
		}
		for X := c.lo; X < c.hi; X++ {
			p := c.v + int64(X)*c.d
			in := p >= 0 && p < c.limit
			if in != (X >= start && X < end) {
				t.Errorf("%+v: X=%d inside=%v but span is [%d, %d)", c, X, in, start, end)
				break
			}
		}
	}
}
