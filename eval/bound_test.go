package eval

import (
	"math"
	"strings"
	"testing"
)

func TestUpperBound95(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		k, n int
		want float64
	}{
		{0, 300, 1 - math.Pow(0.05, 1.0/300)}, // 0.00994
		{0, 34, 1 - math.Pow(0.05, 1.0/34)},   // 0.0843
		{1, 300, 0.01570},                     // exact one-sided Clopper-Pearson
		{3, 300, 0.02564},
	} {
		if got := UpperBound95(c.k, c.n); math.Abs(got-c.want) > 2e-4 {
			t.Errorf("UpperBound95(%d, %d) = %.5f, want %.5f", c.k, c.n, got, c.want)
		}
	}
	if UpperBound95(0, 0) != 1 || UpperBound95(5, 5) != 1 {
		t.Error("no data or every document wrong bounds nothing")
	}
}

func TestWriteSideBySide(t *testing.T) {
	t.Parallel()
	a := Report{Documents: 2, Fields: FieldsScore{PerField: []FieldScore{{Field: "signer", F1: 1, Truth: 2}}}}
	b := Report{Documents: 3, Fields: FieldsScore{PerField: []FieldScore{{Field: "subject", F1: 0.5, Truth: 3}}}}
	var sb strings.Builder
	if err := WriteSideBySide(&sb, []string{"native", "html"}, []Report{a, b}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| metric | native | html |", "| signer F1 | 100.00% (2) | – |", "| subject F1 | – | 50.00% (3) |"} {
		if !strings.Contains(sb.String(), want) {
			t.Errorf("missing %q in\n%s", want, sb.String())
		}
	}
}
