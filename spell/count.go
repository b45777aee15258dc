package spell

import (
	"bufio"
	"cmp"
	"compress/gzip"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sohoa/sohoa/record"
)

// Tokens standing for what is not a syllable: a run of digits, and a break in the text (a
// line end or punctuation other than a comma) across which the model keeps no context.
const (
	numToken   = "<num>"
	breakToken = "<s>"
)

// token is one syllable, number or break of a text, with its byte range in the text.
type token struct {
	text       string // lower-case syllable, numToken or breakToken
	start, end int
}

// tokenize splits NFC text into lower-case syllables, numbers and breaks. Commas and spaces
// separate tokens without breaking context ("cán bộ, công chức" reads as four syllables in a
// row); a token mixing letters and digits ("06a", OCR's "8óàg") is a break, since no pair
// of syllables is known across it.
func tokenize(s string) []token {
	var out []token
	brk := func(at int) {
		if n := len(out); n > 0 && out[n-1].text != breakToken {
			out = append(out, token{text: breakToken, start: at, end: at})
		}
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			j, digits, letters := i, false, false
			for j < len(s) {
				r2, n := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsLetter(r2) && !unicode.IsDigit(r2) && !unicode.Is(unicode.Mn, r2) {
					break
				}
				digits = digits || unicode.IsDigit(r2)
				letters = letters || !unicode.IsDigit(r2)
				j += n
			}
			switch {
			case digits && letters:
				brk(i)
			case digits:
				out = append(out, token{text: numToken, start: i, end: j})
			default:
				out = append(out, token{text: strings.ToLower(s[i:j]), start: i, end: j})
			}
			i = j
			continue
		case r == ',' || r == ' ' || r == '\t' || unicode.Is(unicode.Mn, r):
		default:
			brk(i)
		}
		i += size
	}
	return out
}

// Counts holds how often each syllable and each pair of neighbouring tokens occurs in a text.
type Counts struct {
	Uni map[string]int
	Bi  map[[2]string]int
}

// NewCounts returns empty counts.
func NewCounts() *Counts {
	return &Counts{Uni: map[string]int{}, Bi: map[[2]string]int{}}
}

// Add counts the tokens of text (NFC-normalised first), each line its own run.
func (c *Counts) Add(text string) {
	for line := range strings.SplitSeq(record.NFC(text), "\n") {
		ts := tokenize(line)
		prev := breakToken
		for _, t := range ts {
			c.Uni[t.text]++
			if !(prev == breakToken && t.text == breakToken) {
				c.Bi[[2]string{prev, t.text}]++
			}
			prev = t.text
		}
		if prev != breakToken {
			c.Bi[[2]string{prev, breakToken}]++
		}
	}
}

// Write stores the counts as gzip-compressed text, dropping syllables seen fewer than minUni
// times and pairs seen fewer than minBi times. The header lines (starting "#") say where the
// counts come from; then "syllable count" lines sorted by count, a blank line, and
// "i j count" lines where i and j index the syllables (breaks and numbers are syllables too).
func (c *Counts) Write(w io.Writer, header []string, minUni, minBi int) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return fmt.Errorf("compressing counts: %w", err)
	}
	bw := bufio.NewWriter(zw)
	for _, h := range header {
		fmt.Fprintf(bw, "# %s\n", h)
	}
	var words []string
	for wd, n := range c.Uni {
		if n >= minUni {
			words = append(words, wd)
		}
	}
	slices.SortFunc(words, func(a, b string) int {
		return cmp.Or(cmp.Compare(c.Uni[b], c.Uni[a]), cmp.Compare(a, b))
	})
	id := make(map[string]int, len(words))
	for i, wd := range words {
		id[wd] = i
		fmt.Fprintf(bw, "%s %d\n", wd, c.Uni[wd])
	}
	fmt.Fprintln(bw)
	pairs := slices.SortedFunc(maps.Keys(c.Bi), func(a, b [2]string) int {
		return cmp.Or(cmp.Compare(id[a[0]], id[b[0]]), cmp.Compare(id[a[1]], id[b[1]]))
	})
	for _, p := range pairs {
		i, ok1 := id[p[0]]
		j, ok2 := id[p[1]]
		if n := c.Bi[p]; ok1 && ok2 && n >= minBi {
			fmt.Fprintf(bw, "%d %d %d\n", i, j, n)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing counts: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("writing counts: %w", err)
	}
	return nil
}
