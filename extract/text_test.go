package extract

import "testing"

func TestTrimValue(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, in, want string }{
		{"leader after a number", "035143542099...", "035143542099"},
		{"leader after a number, ellipsis sign", "035143542099……", "035143542099"},
		{"a sentence's stop", "Tôi đề nghị Quý cơ quan xem xét cấp lại.", "Tôi đề nghị Quý cơ quan xem xét cấp lại"},
		{"an ellipsis after words", "các cơ quan, đơn vị...", "các cơ quan, đơn vị..."},
		{"label's separator", ": Bệnh già;", "Bệnh già"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			a, b := trimValue(c.in, 0, len(c.in))
			if got := c.in[a:b]; got != c.want {
				t.Errorf("trimValue(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}
