package spell

import (
	"bufio"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/sohoa/sohoa/record"
)

//go:generate go run ./cmd/countvbpl -src ../../shared/data/vbpl/vbpl_dev.jsonl.gz -out syllables.gz

// syllablesGz is the counted model (see cmd/countvbpl and the header lines of the file).
//
//go:embed syllables.gz
var syllablesGz []byte

// discount is the absolute discount taken from every seen pair to leave room for unseen ones
// (the usual value for counts this size).
const discount = 0.75

// Model is a syllable bigram model with absolute discounting: the probability of a syllable
// after another is its discounted pair count, plus the mass the discount freed times the
// syllable's own frequency.
type Model struct {
	words []string
	id    map[string]int32
	uni   []float64 // count of each syllable
	total float64   // all counts, for the unigram probability
	pairs map[uint64]float64
	// backoff[p] is the mass left to unseen followers of p: what pruning dropped plus the
	// discounts of the pairs kept.
	backoff []float64
	// folds lists the syllables that share letters once marks are removed ("chi" → chi, chí,
	// chỉ, chị …), the candidates for a syllable read with a wrong mark.
	folds map[string][]int32
	// vowels lists the syllables that share letters once marks are removed and a, e, o are
	// taken for one another ("be" → bộ, bệ, bế …): a slip of the vowel's stroke under its
	// mark, rarer, so it costs more (vowelCost).
	vowels map[string][]int32
	brk    int32 // the index of breakToken
}

var (
	defaultOnce  sync.Once
	defaultModel *Model
	defaultErr   error
)

// Default returns the embedded model, decoded on first use.
func Default() (*Model, error) {
	defaultOnce.Do(func() {
		defaultModel, defaultErr = Read(strings.NewReader(string(syllablesGz)))
	})
	return defaultModel, defaultErr
}

// Read decodes a model that Counts.Write wrote.
func Read(r io.Reader) (*Model, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("reading language model: %w", err)
	}
	sc := bufio.NewScanner(zr)
	m := &Model{id: map[string]int32{}, pairs: map[uint64]float64{}, folds: map[string][]int32{}, vowels: map[string][]int32{}}
	inPairs := false
	var kept []float64
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "#"):
			continue
		case line == "":
			inPairs = true
			kept = make([]float64, len(m.words))
			m.backoff = make([]float64, len(m.words))
			continue
		}
		f := strings.Fields(line)
		if !inPairs {
			c, err := parseCount(f, 2, 1)
			if err != nil {
				return nil, fmt.Errorf("reading language model line %d: %w", n, err)
			}
			i := int32(len(m.words))
			m.words = append(m.words, f[0])
			m.id[f[0]] = i
			m.uni = append(m.uni, c)
			m.total += c
			if f[0] != numToken && f[0] != breakToken {
				k := record.Fold(f[0])
				m.folds[k] = append(m.folds[k], i)
				m.vowels[vowelKey(k)] = append(m.vowels[vowelKey(k)], i)
			}
			continue
		}
		c, err := parseCount(f, 3, 2)
		if err != nil {
			return nil, fmt.Errorf("reading language model line %d: %w", n, err)
		}
		a, err1 := strconv.Atoi(f[0])
		b, err2 := strconv.Atoi(f[1])
		if err1 != nil || err2 != nil || a < 0 || b < 0 || a >= len(m.words) || b >= len(m.words) {
			return nil, fmt.Errorf("reading language model line %d: bad syllable index", n)
		}
		m.pairs[pairKey(int32(a), int32(b))] = c
		kept[a] += c
		m.backoff[a] += discount
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading language model: %w", err)
	}
	m.brk = m.lookup(breakToken)
	for p := range m.backoff {
		m.backoff[p] = (m.uni[p] - kept[p] + m.backoff[p]) / m.uni[p]
	}
	return m, nil
}

func parseCount(f []string, n, at int) (float64, error) {
	if len(f) != n {
		return 0, fmt.Errorf("want %d fields, have %d", n, len(f))
	}
	c, err := strconv.Atoi(f[at])
	if err != nil || c <= 0 {
		return 0, fmt.Errorf("bad count %q", f[at])
	}
	return float64(c), nil
}

func pairKey(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

// lookup returns the index of a syllable, or -1 for one the model has not seen.
func (m *Model) lookup(w string) int32 {
	if i, ok := m.id[w]; ok {
		return i
	}
	return -1
}

// Known reports whether w, in lower case, is a syllable the counted texts hold often enough
// to be offered as a reading (minCandidate times).
func (m *Model) Known(w string) bool {
	i := m.lookup(strings.ToLower(record.NFC(w)))
	return i >= 0 && m.uni[i] >= minCandidate
}

// minEndCount is how often a syllable must occur in the counted text for EndShare to say how
// often it ends a phrase.
const minEndCount = 100

// EndShare returns the share of the occurrences of syllable w (any case) in the counted text
// that end a run: a sentence, a clause closed by punctuation other than a comma, a paragraph.
// Function words almost never do ("các" 0.1%, "trong" 0.1%, "của" 0.6%), the last words of
// phrases often ("nước" 15%, "tế" 37%), so a title that ends on one was cut. ok is false
// for a syllable seen fewer than minEndCount times.
func (m *Model) EndShare(w string) (share float64, ok bool) {
	i := m.lookup(strings.ToLower(record.NFC(w)))
	if i < 0 || m.uni[i] < minEndCount {
		return 0, false
	}
	return m.pairs[pairKey(i, m.brk)] / m.uni[i], true
}

// unigram is the add-one probability of a syllable; an unseen one (-1) gets a single count.
func (m *Model) unigram(w int32) float64 {
	c := 1.0
	if w >= 0 {
		c += m.uni[w]
	}
	return c / (m.total + float64(len(m.words)) + 1)
}

// logProb is log P(w | prev); either may be -1 (unseen), which backs off to the unigram.
func (m *Model) logProb(prev, w int32) float64 {
	if prev < 0 {
		return math.Log(m.unigram(w))
	}
	p := m.backoff[prev] * m.unigram(w)
	if w >= 0 {
		if c, ok := m.pairs[pairKey(prev, w)]; ok {
			p += (c - discount) / m.uni[prev]
		}
	}
	return math.Log(p)
}

// seen reports whether the pair (a, b) was kept in the model.
func (m *Model) seen(a, b int32) bool {
	if a < 0 || b < 0 {
		return false
	}
	_, ok := m.pairs[pairKey(a, b)]
	return ok
}

// vowelKey is a folded syllable with a and e written o.
func vowelKey(folded string) string { return strings.NewReplacer("a", "o", "e", "o").Replace(folded) }
