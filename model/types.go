package model

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/sohoa/sohoa/record"
)

// TypeModel is a multinomial naive Bayes classifier over the folded words of a document's
// first words: the words a type prints (its labels, its set phrases) without the heading the
// rules look for. It is what decides a type when no heading or number settles it.
type TypeModel struct {
	Classes []string `json:"classes"`
	Docs    []int    `json:"docs"` // training documents per class (the prior)
	// Counts holds, per word of the vocabulary, its occurrences in each class's documents.
	Counts map[string][]int `json:"counts"`
	Alpha  float64          `json:"alpha"` // additive smoothing

	logPrior []float64
	logWord  map[string][]float64
}

// TypeDoc is one labelled document for FitTypes.
type TypeDoc struct {
	Type string
	Text string
}

// maxTokens bounds the words read of a document: its first page is enough to tell its kind.
const maxTokens = 400

// Tokens returns the words a TypeModel reads of text: folded, letters and digits only, two
// characters or more, digits replaced by 0 (numbers and dates say their shape, not their
// value), the first maxTokens of them.
func Tokens(text string) []string {
	words := strings.FieldsFunc(record.Fold(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	out := make([]string, 0, min(len(words), maxTokens))
	for _, w := range words {
		if len([]rune(w)) < 2 {
			continue
		}
		w = strings.Map(func(r rune) rune {
			if unicode.IsDigit(r) {
				return '0'
			}
			return r
		}, w)
		out = append(out, w)
		if len(out) == maxTokens {
			break
		}
	}
	return out
}

// FitTypes fits a TypeModel to docs. Its vocabulary is the maxVocab words found in the most
// documents (at least two), ties broken by the word, so fitting is deterministic.
func FitTypes(docs []TypeDoc, alpha float64, maxVocab int) (*TypeModel, error) {
	classIndex := map[string]int{}
	var classes []string
	for _, d := range docs {
		if _, ok := classIndex[d.Type]; !ok {
			classIndex[d.Type] = 0
			classes = append(classes, d.Type)
		}
	}
	slices.Sort(classes)
	for i, c := range classes {
		classIndex[c] = i
	}
	df := map[string]int{}
	tokens := make([][]string, len(docs))
	for i, d := range docs {
		tokens[i] = Tokens(d.Text)
		seen := map[string]bool{}
		for _, t := range tokens[i] {
			if !seen[t] {
				seen[t] = true
				df[t]++
			}
		}
	}
	vocab := make([]string, 0, len(df))
	for t, n := range df {
		if n >= 2 {
			vocab = append(vocab, t)
		}
	}
	slices.SortFunc(vocab, func(a, b string) int {
		return cmp.Or(cmp.Compare(df[b], df[a]), cmp.Compare(a, b))
	})
	vocab = vocab[:min(len(vocab), maxVocab)]
	m := &TypeModel{Classes: classes, Docs: make([]int, len(classes)), Counts: map[string][]int{}, Alpha: alpha}
	for _, t := range vocab {
		m.Counts[t] = make([]int, len(classes))
	}
	for i, d := range docs {
		c := classIndex[d.Type]
		m.Docs[c]++
		for _, t := range tokens[i] {
			if row, ok := m.Counts[t]; ok {
				row[c]++
			}
		}
	}
	return m, m.prepare()
}

// prepare computes the log probabilities from the counts.
func (m *TypeModel) prepare() error {
	k := len(m.Classes)
	if k == 0 || len(m.Docs) != k || m.Alpha <= 0 {
		return fmt.Errorf("type model: %d classes, %d priors, alpha %v", k, len(m.Docs), m.Alpha)
	}
	totals := make([]float64, k)
	for t, row := range m.Counts {
		if len(row) != k {
			return fmt.Errorf("type model: word %q has %d counts, want %d", t, len(row), k)
		}
		for c, n := range row {
			totals[c] += float64(n)
		}
	}
	docs := 0
	for _, n := range m.Docs {
		docs += n
	}
	v := float64(len(m.Counts))
	m.logPrior = make([]float64, k)
	for c := range k {
		m.logPrior[c] = math.Log((float64(m.Docs[c]) + 1) / (float64(docs) + float64(k)))
	}
	m.logWord = make(map[string][]float64, len(m.Counts))
	for t, row := range m.Counts {
		lp := make([]float64, k)
		for c, n := range row {
			lp[c] = math.Log((float64(n) + m.Alpha) / (totals[c] + m.Alpha*v))
		}
		m.logWord[t] = lp
	}
	return nil
}

// Predict returns the most probable type of text and its posterior probability. Words outside
// the vocabulary are left out: they say nothing the training saw.
func (m *TypeModel) Predict(text string) (string, float64) {
	score := slices.Clone(m.logPrior)
	for _, t := range Tokens(text) {
		if lp, ok := m.logWord[t]; ok {
			for c := range score {
				score[c] += lp[c]
			}
		}
	}
	best := 0
	for c := range score {
		if score[c] > score[best] {
			best = c
		}
	}
	sum := 0.0
	for c := range score {
		sum += math.Exp(score[c] - score[best])
	}
	return m.Classes[best], 1 / sum
}
