package ocr

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sohoa/sohoa/record"
)

func TestFixRomanHeadings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		got, want []string // first words of the lines; each line has a second word
	}{
		{"right already", []string{"I.", "a)", "II.", "III.", "IV."}, []string{"I.", "a)", "II.", "III.", "IV."}},
		{"merged strokes", []string{"I.", "H.", "HI."}, []string{"I.", "II.", "III."}},
		{"a lost stroke repeats the last", []string{"I.", "II.", "II.", "IV."}, []string{"I.", "II.", "III.", "IV."}},
		{"V keeps its place", []string{"I.", "II.", "III.", "IV.", "V.", "VI.", "VH."}, []string{"I.", "II.", "III.", "IV.", "V.", "VI.", "VII."}},
		{"nothing before I.", []string{"H.", "1.", "Điều"}, []string{"H.", "1.", "Điều"}},
		{"arabic lists untouched", []string{"I.", "1.", "2.", "2.", "II."}, []string{"I.", "1.", "2.", "2.", "II."}},
		{"not a stroke misreading", []string{"I.", "HX.", "Ha."}, []string{"I.", "HX.", "Ha."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var lines [][]record.Word
			for _, w := range tc.got {
				lines = append(lines, []record.Word{{Text: w}, {Text: "KẾT"}})
			}
			fixRomanHeadings(lines)
			var got []string
			for _, l := range lines {
				got = append(got, l[0].Text)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	// A numeral alone on its line is not a heading.
	lines := [][]record.Word{{{Text: "I."}, {Text: "A"}}, {{Text: "H."}}}
	fixRomanHeadings(lines)
	if got := lines[1][0].Text; !strings.EqualFold(got, "H.") {
		t.Errorf("lone numeral changed to %q", got)
	}
}
