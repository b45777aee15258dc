package extract

import (
	"strings"
	"unicode"
)

// handTaller is how much taller than the printed year of its line a date's day or month must
// stand to have been written by hand. Printed digits of one line share their font: on the
// development sets a printed day stood 0.96–1.02 times as tall as its year in 95% of 113
// dates (0.61–1.06 in all), while the five days filled in with a pen that were read stood
// 1.15–1.53 times as tall.
const handTaller = 1.1

// handDate reports whether the day or month of the date datePlace finds in l was filled in
// by hand: its word stands handTaller times as tall as the year's. Such digits are read with
// the print's confidence and often wrong, so the date is kept for the clerk but never as a
// sure value (issue 18).
func handDate(l *line) bool {
	g := datePlace.FindStringSubmatchIndex(l.fold)
	if g == nil || !l.hasWords {
		return false
	}
	year := l.digitsWord(g[6], g[7])
	if year == nil {
		return false
	}
	for _, k := range []int{2, 4} { // the day, the month
		w := l.digitsWord(g[k], g[k+1])
		if w != nil && w != year && float64(boxHeight(w.w.Box)) >= handTaller*float64(boxHeight(year.w.Box)) {
			return true
		}
	}
	return false
}

// digitsWord returns the word of l that holds the folded bytes fs to fe when it is digits
// alone (a dot or comma after them aside): a word that also holds "tháng" or "năm" has their
// letters' height, not the digits'.
func (l *line) digitsWord(fs, fe int) *placedWord {
	st, en := l.orig(fs, fe)
	for i := range l.words {
		w := &l.words[i]
		if w.start > st || w.end < en {
			continue
		}
		t := strings.TrimRight(w.w.Text, ".,")
		if t == "" || strings.IndexFunc(t, func(r rune) bool { return !unicode.IsDigit(r) }) >= 0 {
			return nil
		}
		return w
	}
	return nil
}

func boxHeight(b [4]int) int { return b[3] - b[1] }
