package ocr

import (
	"strings"

	"github.com/sohoa/sohoa/record"
)

// Roman numerals number the sections of Vietnamese reports and plans ("I. KẾT QUẢ …",
// "II. NHIỆM VỤ …"), and in bold type vie loses or merges their strokes: "II." comes out as
// "H.", "III." as "II." or "HI.". On the 204 generated documents of the eval set that was
// 27 of the section numbers. A section's number is known from the one before it, so
// fixRomanHeadings repairs a line-initial numeral that is not the next one in sequence
// when it has the next one's strokes, or repeats the one before.
var romanNumerals = []string{"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"}

func fixRomanHeadings(lines [][]record.Word) {
	last := 0 // the value of the last section number read; 0 before "I."
	for _, line := range lines {
		if len(line) < 2 || last+1 >= len(romanNumerals) {
			continue
		}
		num, ok := strings.CutSuffix(line[0].Text, ".")
		if !ok || num == "" {
			continue
		}
		next := romanNumerals[last+1]
		switch {
		case num == next:
			last++
		case last > 0 && (num == romanNumerals[last] || sameStrokes(num, next)):
			line[0].Text = next + "."
			last++
		}
	}
}

// sameStrokes reports whether s could be the numeral want drawn with its vertical strokes
// misread: I, l, 1 and | are one stroke, H is two joined by its serifs, and a V stays a V.
func sameStrokes(s, want string) bool {
	if s == want || strings.Trim(s, "IlH1|V") != "" {
		return false
	}
	strokes := func(s string) (n int, v string) {
		for _, r := range s {
			switch r {
			case 'H':
				n += 2
			case 'V', 'X':
				v += string(r)
			default:
				n++
			}
		}
		return n, v
	}
	n, v := strokes(s)
	wn, wv := strokes(want)
	return n == wn && v == wv && strings.IndexAny(s, "VX") == strings.IndexAny(want, "VX")
}
