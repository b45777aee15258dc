package model

import (
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/sohoa/sohoa/record"
)

// The lexicon is the word pairs of the values clerks confirmed or corrected (and of generated
// sets' truth). OCR's commonest undetectable slip is a diacritic that makes another real
// syllable ("chỉ tiết" for "chi tiết", "tôn đọng" for "tồn đọng"): each word is valid alone,
// but the pair was never seen in a right value. Unfamiliar counts such pairs, and the
// calibration learns what an unfamiliar pair costs in each field family.

// maxUnfamiliar caps the count: past it a value is simply unlike anything seen.
const maxUnfamiliar = 3

// Bigrams returns the adjacent word pairs of value: lower-cased, NFC, punctuation trimmed,
// diacritics kept (they are what goes wrong).
func Bigrams(value string) []string {
	words := strings.FieldsFunc(strings.ToLower(record.NFC(value)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	})
	out := make([]string, 0, max(len(words)-1, 0))
	for i := 1; i < len(words); i++ {
		out = append(out, words[i-1]+" "+words[i])
	}
	return out
}

// BuildLexicon returns the sorted distinct word pairs of values.
func BuildLexicon(values []string) []string {
	set := map[string]bool{}
	for _, v := range values {
		for _, b := range Bigrams(v) {
			set[b] = true
		}
	}
	out := make([]string, 0, len(set))
	for b := range set {
		out = append(out, b)
	}
	slices.Sort(out)
	return out
}

// Unfamiliar returns how many of value's word pairs are not in the model's lexicon, at most
// maxUnfamiliar; 0 when the model has no lexicon.
func (m *Model) Unfamiliar(value string) float64 {
	if len(m.Lexicon) == 0 {
		return 0
	}
	n := 0
	for _, b := range Bigrams(value) {
		if _, ok := slices.BinarySearch(m.Lexicon, b); !ok {
			n++
		}
	}
	return float64(min(n, maxUnfamiliar))
}

// Field records: how often each field of each type was right as the machine read it, in the
// documents training saw. Some fields fail for a reason no evidence shows (a land certificate's
// issuer read from the wrong block); clerks' corrections reveal that, and the calibration
// learns how much such a record counts.

// Record is how often a field was right: Right of Seen.
type Record struct {
	Right int `json:"right"`
	Seen  int `json:"seen"`
}

// recordPrior is the share of right values assumed before any is seen, and recordWeight how
// many values it counts as: a field seen a few times moves little from it.
const (
	recordPrior  = 0.9
	recordWeight = 5
)

// FieldRate returns the logit of the smoothed share of right values of field of type typ,
// less that of recordPrior: 0 for a field never seen, negative for one often corrected.
func (m *Model) FieldRate(typ, field string) float64 {
	r, ok := m.Records[typ+"/"+field]
	if !ok {
		return 0
	}
	p := (float64(r.Right) + recordPrior*recordWeight) / (float64(r.Seen) + recordWeight)
	return math.Log(p/(1-p)) - math.Log(recordPrior/(1-recordPrior))
}
