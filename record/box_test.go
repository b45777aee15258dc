package record

import "testing"

func TestBoxIntersect(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		a, b Box
		want Box
		ok   bool
	}{
		{Box{0, 0, 10, 10}, Box{5, 5, 20, 20}, Box{5, 5, 10, 10}, true},
		{Box{0, 0, 10, 10}, Box{2, 3, 4, 5}, Box{2, 3, 4, 5}, true},
		{Box{0, 0, 10, 10}, Box{10, 0, 20, 10}, Box{10, 0, 10, 10}, false}, // touching edges
		{Box{0, 0, 10, 10}, Box{15, 2, 20, 8}, Box{15, 2, 10, 8}, false},   // apart: negative width
	} {
		got, ok := c.a.Intersect(c.b)
		if got != c.want || ok != c.ok {
			t.Errorf("%v.Intersect(%v) = %v, %v; want %v, %v", c.a, c.b, got, ok, c.want, c.ok)
		}
	}
}
