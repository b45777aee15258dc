package eval

import (
	"strings"

	"github.com/sohoa/sohoa/record"
)

// NormalizeText returns s in the form the text metrics compare: NFC, every line trimmed
// with its runs of white space collapsed to one space, empty lines dropped, lines joined by
// "\n". Blank lines go because Tesseract separates paragraphs with them while the ground
// truth does not, and a layout choice is not a recognition error; line breaks themselves stay
// and count as characters, so reading-order mistakes still cost.
func NormalizeText(s string) string {
	lines := strings.Split(record.NFC(s), "\n")
	kept := lines[:0]
	for _, l := range lines {
		if l = record.CollapseSpace(l); l != "" {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "\n")
}

// CER is the character error rate of hyp against ref: the rune Levenshtein distance between
// the two after NormalizeText, divided by the rune count of ref. It can exceed 1 when hyp
// has many extra characters. An empty ref scores 0 against an empty hyp and 1 otherwise.
func CER(ref, hyp string) float64 {
	edits, n := charEdits(ref, hyp)
	return rate(edits, n)
}

// WER is the word error rate of hyp against ref: the Levenshtein distance over words (runs
// of non-space after NFC) divided by the word count of ref, with the same empty-ref rule as
// CER. Words compare exactly, case and punctuation included.
func WER(ref, hyp string) float64 {
	edits, n := wordEdits(ref, hyp)
	return rate(edits, n)
}

// BagOfWordsAccuracy is the share of ref's words that hyp also holds, ignoring order: the
// size of the multiset intersection of the two word lists divided by ref's word count. It
// does not punish reading-order differences, so a gap between it and 1−WER points at layout
// rather than recognition. An empty ref scores 1 against an empty hyp and 0 otherwise.
func BagOfWordsAccuracy(ref, hyp string) float64 {
	matched, n := bagMatches(words(ref), words(hyp))
	if n == 0 {
		if len(words(hyp)) == 0 {
			return 1
		}
		return 0
	}
	return float64(matched) / float64(n)
}

// rate turns an edit count over n reference units into an error rate.
func rate(edits, n int) float64 {
	if n == 0 {
		if edits == 0 {
			return 0
		}
		return 1
	}
	return float64(edits) / float64(n)
}

// charEdits returns the rune edit distance after normalisation and the reference rune count,
// the two sums a micro-averaged CER needs.
func charEdits(ref, hyp string) (edits, n int) {
	r, h := []rune(NormalizeText(ref)), []rune(NormalizeText(hyp))
	return levenshtein(r, h), len(r)
}

// wordEdits returns the word edit distance and the reference word count.
func wordEdits(ref, hyp string) (edits, n int) {
	r, h := words(ref), words(hyp)
	return levenshtein(r, h), len(r)
}

func words(s string) []string { return strings.Fields(record.NFC(s)) }

// bagMatches returns how many of ref's words hyp holds, each hyp word used at most once,
// and ref's word count.
func bagMatches(ref, hyp []string) (matched, n int) {
	left := make(map[string]int, len(ref))
	for _, w := range ref {
		left[w]++
	}
	for _, w := range hyp {
		if left[w] > 0 {
			left[w]--
			matched++
		}
	}
	return matched, len(ref)
}

// levenshtein returns the edit distance (insertions, deletions and substitutions, each
// costing 1) between a and b in O(len(a)·len(b)) time and O(min(len(a), len(b))) memory:
// only one row of the table is kept, over the shorter input. Common prefixes and suffixes are
// cut first, which makes near-identical pages cheap.
func levenshtein[T comparable](a, b []T) int {
	for len(a) > 0 && len(b) > 0 && a[0] == b[0] {
		a, b = a[1:], b[1:]
	}
	for len(a) > 0 && len(b) > 0 && a[len(a)-1] == b[len(b)-1] {
		a, b = a[:len(a)-1], b[:len(b)-1]
	}
	if len(a) < len(b) {
		a, b = b, a
	}
	if len(b) == 0 {
		return len(a)
	}
	// row[j] is the distance between the part of a done so far and b[:j].
	row := make([]int, len(b)+1)
	for j := range row {
		row[j] = j
	}
	for i, x := range a {
		diag, left := row[0], i+1
		row[0] = left
		r := row[1 : len(b)+1] // same length as b, so the compiler drops the bounds checks
		for j, y := range b {
			up := r[j]
			v := diag
			if x != y {
				v = min(diag, up, left) + 1
			}
			r[j] = v
			diag, left = up, v
		}
	}
	return row[len(b)]
}
