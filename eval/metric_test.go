package eval

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestCER(t *testing.T) {
	t.Parallel()
	nguyen := "Nguyễn Thị Hương\nỦY BAN NHÂN DÂN"
	cases := []struct {
		name, ref, hyp string
		want           float64
	}{
		{"identical", "abcd", "abcd", 0},
		{"both empty", "", "", 0},
		{"empty ref, text hyp", "", "abc", 1},
		{"empty hyp", "abcd", "", 1},
		{"one substitution", "abcd", "abxd", 0.25},
		{"insertions can exceed one", "ab", "abcdef", 2},
		{"white space collapses within lines", "a  b\n\n  c\t", "a b\nc", 0},
		{"line break counts", "a b", "a\nb", 1.0 / 3},
		{"NFD equals NFC", nguyen, norm.NFD.String(nguyen), 0},
		{"a lost tone mark is one rune", "Số", "Sô", 0.5},
		{"a lost breve and tone mark is one rune", "Đắk", "Đăk", 1.0 / 3},
		{"blank-only lines dropped", "a\n \n\nb", "a\nb", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := CER(c.ref, c.hyp); math.Abs(got-c.want) > 1e-12 {
				t.Errorf("CER(%q, %q) = %v, want %v", c.ref, c.hyp, got, c.want)
			}
		})
	}
}

func TestWER(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, ref, hyp string
		want           float64
	}{
		{"identical", "một hai ba", "một hai ba", 0},
		{"both empty", "", "  ", 0},
		{"empty ref, text hyp", "", "x", 1},
		{"empty hyp", "một hai", "", 1},
		{"one wrong word of four", "một hai ba bốn", "một hai bà bốn", 0.25},
		{"reordered", "a b c", "c b a", 2.0 / 3},
		{"white space and lines ignored", "a\n\nb   c", "a b\nc", 0},
		{"NFD equals NFC", "Quyết định số", norm.NFD.String("Quyết định số"), 0},
		{"punctuation is part of the word", "Điều 1.", "Điều 1", 0.5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := WER(c.ref, c.hyp); math.Abs(got-c.want) > 1e-12 {
				t.Errorf("WER(%q, %q) = %v, want %v", c.ref, c.hyp, got, c.want)
			}
		})
	}
}

func TestBagOfWordsAccuracy(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, ref, hyp string
		want           float64
	}{
		{"identical", "a b c", "a b c", 1},
		{"order does not matter", "a b c", "c b a", 1},
		{"multiset, not set", "a a b", "a b b", 2.0 / 3},
		{"extra words cost nothing", "a b", "a x b y", 1},
		{"both empty", "", "", 1},
		{"empty ref, text hyp", "", "a", 0},
		{"empty hyp", "a b", "", 0},
		{"NFD equals NFC", "hồ sơ", norm.NFD.String("sơ hồ"), 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := BagOfWordsAccuracy(c.ref, c.hyp); math.Abs(got-c.want) > 1e-12 {
				t.Errorf("BagOfWordsAccuracy(%q, %q) = %v, want %v", c.ref, c.hyp, got, c.want)
			}
		})
	}
}

// naiveLevenshtein is the textbook full-table version the one-row version must agree with.
func naiveLevenshtein(a, b []rune) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			sub := 1
			if a[i-1] == b[j-1] {
				sub = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+sub)
		}
	}
	return d[len(a)][len(b)]
}

func TestLevenshteinMatchesFullTable(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("abcơđ ")
	randomRunes := func() []rune {
		r := make([]rune, rng.IntN(12))
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return r
	}
	for range 2000 {
		a, b := randomRunes(), randomRunes()
		if got, want := levenshtein(a, b), naiveLevenshtein(a, b); got != want {
			t.Fatalf("levenshtein(%q, %q) = %d, want %d", string(a), string(b), got, want)
		}
	}
}

// BenchmarkCER measures one comparison of two ~3000-character pages that differ in about
// one character in twenty, the size of a typical administrative page.
func BenchmarkCER(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []rune("aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặ ")
	var ref, hyp strings.Builder
	for i := range 3000 {
		r := alphabet[rng.IntN(len(alphabet))]
		if i%60 == 59 {
			ref.WriteByte('\n')
			hyp.WriteByte('\n')
			continue
		}
		ref.WriteRune(r)
		if rng.IntN(20) == 0 {
			r = alphabet[rng.IntN(len(alphabet))]
		}
		hyp.WriteRune(r)
	}
	rs, hs := ref.String(), hyp.String()
	b.ReportAllocs()
	for b.Loop() {
		CER(rs, hs)
	}
}
