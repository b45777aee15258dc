package progress

import "testing"

func TestBar(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		n, total int
		want     string
	}{
		{0, 4, "[······························]"},
		{1, 4, "[███████·······················]"},
		{4, 4, "[██████████████████████████████]"},
		{0, 0, "[██████████████████████████████]"},
		{9, 4, "[██████████████████████████████]"},
	} {
		if got := Bar(c.n, c.total); got != c.want {
			t.Errorf("Bar(%d, %d) = %q, want %q", c.n, c.total, got, c.want)
		}
	}
}
