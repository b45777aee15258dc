package pii

import "testing"

// TestMaskTextAgain: the digits a masked number keeps at its ends do not make, with the
// number beside it, another ID-shaped number, so masking a masked text changes nothing.
// The first and last cases are inputs FuzzMaskText found (testdata/fuzz/FuzzMaskText/).
func TestMaskTextAgain(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"000000000 0000000: 004 185 296 307\n0", "000****** 0000000: 004 *** *** *07\n0"},
		{"123456 000000000", "123456 *******00"},         // "123456 000" would be nine digits
		{"001 085 012 345 1990", "001 *** *** *45 1990"}, // a year after the number joins nothing
		// An MRZ-like stretch cuts an 11-digit number and leaves nine digits of it (719b09aa98342de6).
		{"00000000000B0000K0000000: 004 185 296307\n0", "000****00***************: 004 *** ****07\n0"},
	} {
		got := MaskText(c.in)
		if got != c.want {
			t.Errorf("MaskText(%q) = %q, want %q", c.in, got, c.want)
		}
		if again := MaskText(got); again != got {
			t.Errorf("MaskText(%q) = %q, masked again %q", c.in, got, again)
		}
	}
}
