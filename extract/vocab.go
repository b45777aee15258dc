package extract

import (
	"strings"

	"github.com/sohoa/sohoa/record"
)

// strengthCorrected discounts a value that was corrected to the nearest entry of a closed
// vocabulary: the correction is usually right, but the OCR did not say so.
const strengthCorrected = 0.95

// putCorrected records fixed, the closed-vocabulary entry or language-model reading that
// replaced the recognised text read, and keeps read on the field for the clerk.
func (s *state) putCorrected(name, fixed, read string, sp span, strength float64) {
	s.putText(name, fixed, sp, strength)
	if f, ok := s.out[name]; ok && f.Value != record.CollapseSpace(read) {
		f.Read = record.CollapseSpace(read)
		s.out[name] = f
	}
}

// upperTitles are the known titles as printed in a signature block.
var upperTitles = func() []string {
	out := make([]string, len(titles))
	for i, t := range titles {
		out[i] = strings.ToUpper(t)
	}
	return out
}()

// snapTitle returns the known title t was meant to be: t itself when known, else the unique
// known title within one edit (on letters with their marks, hyphens read as spaces) of t or of
// its leading words (a title followed by its unit). ok is false when there is none or more
// than one, so a value is never corrected to a guess.
func snapTitle(t string) (string, bool) {
	norm := record.CollapseSpace(strings.ReplaceAll(strings.ToUpper(t), "-", " "))
	for _, k := range upperTitles {
		// The marks OCR changed ("PHÓ GIAM ĐÓC") are restored from the one title that folds alike.
		if record.Fold(norm) == record.Fold(k) {
			return k, true
		}
	}
	if knownTitle(t) {
		return t, true
	}
	if knownTitle(norm) {
		return norm, true
	}
	best, n := "", 0
	for _, k := range upperTitles {
		if editDistance(norm, k) <= 1 {
			if best != k {
				n++
			}
			best = k
		}
	}
	if n != 1 || len([]rune(norm)) < 6 {
		return "", false
	}
	return best, true
}

// editDistance is the Levenshtein distance between a and b in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := prev[j-1]
			if ra[i-1] != rb[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
