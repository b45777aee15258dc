package pii

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// idFormats are the ways people write an ID number, as digit group lengths.
var idFormats = [][]int{
	{12}, {3, 3, 3, 3}, {4, 4, 4}, {3, 3, 6}, {6, 6}, {3, 9}, // CCCD
	{9}, {3, 3, 3}, {3, 6}, // CMND
}

// FuzzMaskText puts an ID number, written in one of idFormats with separators the fuzzer
// picks, between any two texts, and checks that
//   - no more than 5 of its digits are left, and so no run of 9 or more digits;
//   - the masked text has the length of the original and differs only where a letter or
//     digit became "*";
//   - masking again changes nothing, so no ID-shaped number is left anywhere in it.
//
// Deliberate exception: a 9-digit number with a non-zero lead grouped "123.456.789" is an
// amount unless an ID label precedes it, so the test labels it.
func FuzzMaskText(f *testing.F) {
	f.Fuzz(func(t *testing.T, before, digits, seps, after string, format uint8) {
		if !utf8.ValidString(before) || !utf8.ValidString(after) {
			t.Skip()
		}
		groups := idFormats[int(format)%len(idFormats)]
		id := fuzzedID(digits, groups, seps)
		// The number must stand apart from digits and separators around it, or it is
		// another, longer number.
		open, end := ": ", "\n"
		if len(groups) == 3 && groups[0] == 3 && strings.Count(id, ".") == 2 && id[0] != '0' {
			open = " CMND số "
		}
		in := before + open + id + end + after
		out := MaskText(in)
		start := len(before) + len(open)
		if n := countDigits(out[start : start+len(id)]); n > 5 {
			t.Fatalf("MaskText(%q) = %q: %d digits of %q left", in, out, n, id)
		}
		if len(out) != len(in) {
			t.Fatalf("MaskText(%q) = %q: length %d, want %d", in, out, len(out), len(in))
		}
		for i := range in {
			if in[i] != out[i] && (out[i] != '*' || !isASCIIAlnum(in[i])) {
				t.Fatalf("MaskText(%q) = %q: byte %d %q became %q", in, out, i, in[i], out[i])
			}
		}
		if again := MaskText(out); again != out {
			t.Fatalf("MaskText not idempotent on %q:\n%q\n%q", in, out, again)
		}
	})
}

// fuzzedID writes an ID number from the digits of digits (padded, a CCCD starting with 0)
// in groups, each separator taken from seps.
func fuzzedID(digits string, groups []int, seps string) string {
	total := 0
	for _, g := range groups {
		total += g
	}
	var d []byte
	if total == 12 {
		d = append(d, '0')
	}
	for i := 0; i < len(digits) && len(d) < total; i++ {
		if isDigit(digits[i]) {
			d = append(d, digits[i])
		}
	}
	for len(d) < total {
		d = append(d, byte('0'+len(d)*7%10))
	}
	var b strings.Builder
	for k, g := range groups {
		if k > 0 {
			sep := byte(' ')
			if k-1 < len(seps) {
				sep = " .-_"[seps[k-1]%4]
			}
			b.WriteByte(sep)
		}
		b.Write(d[:g])
		d = d[g:]
	}
	return b.String()
}

func isASCIIAlnum(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
