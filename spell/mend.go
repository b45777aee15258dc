package spell

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/record"
)

// changeCost is the log-odds against OCR having changed a mark: a syllable is replaced only
// when its context makes the other reading this many times likelier (e^10 ≈ 22,000) than the
// one read. It is set high on purpose: a slip left is a field a clerk corrects; a right word
// made wrong is a field nobody checks.
const changeCost = 10.0

// vowelCost is what a reading with another vowel (bệ for bộ) costs beyond changeCost.
const vowelCost = 3.0

// minCandidate is how often a syllable must occur in the counted text to be offered as a
// reading: a syllable seen once or twice may be a typo of the source itself.
const minCandidate = 5

// Mend returns text with the syllables whose marks OCR misread restored from their context,
// and whether it changed anything. A syllable is considered only when it is lower-case (or a
// capitalised word between lower-case ones), has two letters or more, is not part of a
// hyphenated loan word, and does not already form a pair the model has seen with each
// neighbour; its candidates are the known syllables with the same letters and other marks
// (and, at a higher cost, another of a, e, o). The readings of a whole value are chosen
// together (Viterbi), so two slips in a row ("chuyến đối số") mend each other, and a reading
// is kept only when it pairs, as counted, with a neighbouring syllable. Everything else
// (spacing, punctuation, numbers, case) is kept as read.
func (m *Model) Mend(text string) (string, bool) { return m.mendAt(text, changeCost) }

// suspectCost is the change cost under which Suspect flags a reading: the other reading only
// e^5 (about 150) times likelier. Too weak to change a value nobody checks, it is enough to
// have a clerk look ("Hội nghị tống kết" for "tổng kết", at 0.99 on the dev sets).
const suspectCost = 5.0

// Suspect reports whether Mend would change text were its evidence half as strong: a
// diacritic slip likely enough to send the value to review, not to mend it.
func (m *Model) Suspect(text string) bool {
	_, changed := m.mendAt(text, suspectCost)
	return changed
}

// mendAt is Mend with the given cost of changing a mark.
func (m *Model) mendAt(text string, cost float64) (string, bool) {
	text = record.NFC(text)
	toks := tokenize(text)
	if len(toks) == 0 || !markedText(toks) {
		return text, false
	}
	ids := make([]int32, len(toks))
	for i, t := range toks {
		ids[i] = m.lookup(t.text)
	}
	cands := make([][]int32, len(toks))
	for i := range toks {
		cands[i] = m.candidates(text, toks, ids, i)
	}
	words := make([]string, len(toks))
	for i, t := range toks {
		words[i] = t.text
	}
	best := m.viterbi(ids, words, cands, cost)
	m.keepUnattested(ids, best)
	var b strings.Builder
	last, changed := 0, false
	for i, t := range toks {
		if best[i] == ids[i] {
			continue
		}
		b.WriteString(text[last:t.start])
		b.WriteString(matchCase(m.words[best[i]], text[t.start:t.end]))
		last, changed = t.end, true
	}
	if !changed {
		return text, false
	}
	b.WriteString(text[last:])
	return b.String(), true
}

// markedText reports whether at least a quarter of the syllables carry a mark: text typed
// without marks ("Quy dinh chi tiet") is printed so, and is kept as printed.
func markedText(toks []token) bool {
	var words, marked int
	for _, t := range toks {
		if t.text == numToken || t.text == breakToken {
			continue
		}
		words++
		if strings.IndexFunc(t.text, func(r rune) bool { return r > unicode.MaxASCII }) >= 0 {
			marked++
		}
	}
	return marked*4 >= words && marked > 0
}

// candidates returns the readings offered for token i: itself first, then the known
// syllables that fold alike (vowelKey), or only itself when the token is not to be touched.
func (m *Model) candidates(text string, toks []token, ids []int32, i int) []int32 {
	self := []int32{ids[i]}
	t := toks[i]
	if t.text == numToken || t.text == breakToken || utf8.RuneCountInString(t.text) < 2 || !isWord(t.text) {
		return self
	}
	if !m.editableCase(text, toks, i) || hyphenated(text, t) {
		return self
	}
	// A syllable that pairs with both its neighbours as read is a reading the texts attest.
	left := i == 0 || m.seen(ids[i-1], ids[i])
	right := i == len(toks)-1 || m.seen(ids[i], ids[i+1])
	if left && right {
		return self
	}
	for _, c := range m.vowels[vowelKey(record.Fold(t.text))] {
		if c != ids[i] && m.uni[c] >= minCandidate && !sameSpoken(m.words[c], t.text) {
			self = append(self, c)
		}
	}
	return self
}

// keepUnattested puts back what was read wherever the chosen reading forms no pair the model
// has seen with a chosen neighbour syllable (a break inside the value, a bracket or a dash,
// is no evidence): a change needs a counted pair, not only a read syllable the model finds
// unlikely.
func (m *Model) keepUnattested(read, best []int32) {
	for i := range best {
		if best[i] == read[i] {
			continue
		}
		left := i > 0 && best[i-1] != m.brk && m.seen(best[i-1], best[i])
		right := i < len(best)-1 && best[i+1] != m.brk && m.seen(best[i], best[i+1])
		if !left && !right {
			best[i] = read[i]
		}
	}
}

// sameSpoken reports whether a and b are one syllable with its tone mark placed on another
// vowel (the old "hoá", "uỷ" against the new "hóa", "ủy"): both are right, so neither is
// mended into the other.
func sameSpoken(a, b string) bool {
	ta, ka := splitTone(a)
	tb, kb := splitTone(b)
	return ta == tb && ka == kb
}

// splitTone returns w without its tone mark, and the mark (0 for the level tone).
func splitTone(w string) (string, rune) {
	var b strings.Builder
	var tone rune
	for _, r := range norm.NFD.String(w) {
		switch r {
		case '\u0300', '\u0301', '\u0303', '\u0309', '\u0323':
			tone = r
		default:
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String()), tone
}

// hyphenated reports whether t is joined to a neighbour by a hyphen ("ăng-ten", "Đô-la"):
// a foreign word spelt by syllables, which the model's pairs say nothing about.
func hyphenated(text string, t token) bool {
	return strings.HasPrefix(text[t.end:], "-") || strings.HasSuffix(text[:t.start], "-")
}

// isWord reports whether w is made of letters only.
func isWord(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) {
			return false
		}
	}
	return true
}

// editableCase reports whether token i's case allows a change: lower-case, or capitalised
// with no capitalised syllable beside it (a capital run is a name, an open set the model
// cannot know). All-capital words are never changed.
func (m *Model) editableCase(text string, toks []token, i int) bool {
	switch caseOf(text[toks[i].start:toks[i].end]) {
	case lowerCase:
		return true
	case titleCase:
		for _, j := range []int{i - 1, i + 1} {
			if j >= 0 && j < len(toks) && toks[j].text != breakToken && toks[j].text != numToken &&
				caseOf(text[toks[j].start:toks[j].end]) != lowerCase {
				return false
			}
		}
		return true
	}
	return false
}

type letterCase int

const (
	lowerCase letterCase = iota
	titleCase
	otherCase
)

func caseOf(w string) letterCase {
	r, n := utf8.DecodeRuneInString(w)
	if rest := w[n:]; strings.ToLower(rest) != rest {
		return otherCase
	}
	if unicode.IsUpper(r) {
		return titleCase
	}
	return lowerCase
}

// matchCase gives w the case of read: its first letter upper-case when read's is.
func matchCase(w, read string) string {
	r, _ := utf8.DecodeRuneInString(read)
	if !unicode.IsUpper(r) {
		return w
	}
	f, n := utf8.DecodeRuneInString(w)
	return string(unicode.ToUpper(f)) + w[n:]
}

// changeCost is the log-odds against reading c where OCR read the syllable read (index r,
// -1 when unknown): 0 for itself, cost for another mark, more for another vowel.
func (m *Model) changeCost(r, c int32, read string, cost float64) float64 {
	switch {
	case c == r:
		return 0
	case record.Fold(m.words[c]) == record.Fold(read):
		return -cost
	}
	return -cost - vowelCost
}

// viterbi returns the likeliest reading of each token: the pair probabilities of the chosen
// readings, less cost for each reading that is not what was read.
func (m *Model) viterbi(read []int32, words []string, cands [][]int32, cost float64) []int32 {
	type cell struct {
		score float64
		from  int
	}
	cells := make([][]cell, len(cands))
	for i, cs := range cands {
		cells[i] = make([]cell, len(cs))
		for k, c := range cs {
			emit := m.changeCost(read[i], c, words[i], cost)
			if i == 0 {
				cells[i][k] = cell{score: emit + m.logProb(-1, c)}
				continue
			}
			best := cell{score: math.Inf(-1)}
			for p, pc := range cands[i-1] {
				if s := cells[i-1][p].score + m.logProb(pc, c); s > best.score {
					best = cell{score: s, from: p}
				}
			}
			cells[i][k] = cell{score: best.score + emit, from: best.from}
		}
	}
	out := make([]int32, len(cands))
	last := len(cands) - 1
	k := 0
	for j := range cells[last] {
		if cells[last][j].score > cells[last][k].score {
			k = j
		}
	}
	for i := last; i >= 0; i-- {
		out[i] = cands[i][k]
		k = cells[i][k].from
	}
	return out
}
