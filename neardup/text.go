package neardup

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"strings"
	"unicode"

	"github.com/sohoa/sohoa/record"
)

const (
	// minhashes is the length of a text's MinHash: the estimate of a Jaccard similarity J has
	// a standard error of sqrt(J(1-J)/128), about 0.04 at the similarities that matter.
	minhashes = 128
	// bandRows × bands are the first MinHash values cut into bands for finding candidates: a
	// page shares a band with another whose shingles overlap at J with probability
	// 1-(1-J^4)^16: 0.9998 at J = 0.8, 0.64 at 0.5, 0.03 at 0.2.
	bandRows = 4
	bands    = 16
)

// TextSignature is the MinHash of a page's text: its word pairs (shingles) after folding case
// and diacritics, so that a mark lost by OCR at a lower DPI changes no shingle.
type TextSignature struct {
	Shingles int // distinct shingles hashed; 0 for a page without words
	Min      [minhashes]uint32
}

// SignText computes the TextSignature of OCR text.
func SignText(text string) TextSignature {
	var s TextSignature
	for i := range s.Min {
		s.Min[i] = ^uint32(0)
	}
	seen := map[uint64]bool{}
	for _, sh := range shingles(text) {
		h := hash64(sh)
		if seen[h] {
			continue
		}
		seen[h] = true
		for i := range s.Min {
			if v := uint32(mix64(h^seeds[i]) >> 32); v < s.Min[i] {
				s.Min[i] = v
			}
		}
	}
	s.Shingles = len(seen)
	return s
}

// Similarity estimates the Jaccard similarity of two texts' shingle sets (0–1); 0 when
// either has none.
func (s TextSignature) Similarity(o TextSignature) float64 {
	if s.Shingles == 0 || o.Shingles == 0 {
		return 0
	}
	same := 0
	for i := range s.Min {
		if s.Min[i] == o.Min[i] {
			same++
		}
	}
	return float64(same) / minhashes
}

// Bands are the keys under which a page is found as a candidate: pages sharing one key are
// compared. None for a page without words.
func (s TextSignature) Bands() []int64 {
	if s.Shingles == 0 {
		return nil
	}
	out := make([]int64, bands)
	var buf [4 + 4*bandRows]byte
	for b := range bands {
		binary.LittleEndian.PutUint32(buf[:4], uint32(b))
		for r := range bandRows {
			binary.LittleEndian.PutUint32(buf[4+4*r:], s.Min[b*bandRows+r])
		}
		h := fnv.New64a()
		h.Write(buf[:])
		out[b] = int64(h.Sum64())
	}
	return out
}

// String encodes the MinHash values as hex, the form the store keeps.
func (s TextSignature) String() string {
	var buf [4 * minhashes]byte
	for i, v := range s.Min {
		binary.BigEndian.PutUint32(buf[4*i:], v)
	}
	return hex.EncodeToString(buf[:])
}

// ParseTextSignature reads back what String wrote, with the number of shingles.
func ParseTextSignature(hexMin string, shingles int) (TextSignature, error) {
	raw, err := hex.DecodeString(hexMin)
	if err != nil || len(raw) != 4*minhashes {
		return TextSignature{}, fmt.Errorf("parsing text signature: want %d hex digits, got %d (%v)", 8*minhashes, len(hexMin), err)
	}
	s := TextSignature{Shingles: shingles}
	for i := range s.Min {
		s.Min[i] = binary.BigEndian.Uint32(raw[4*i:])
	}
	return s, nil
}

// words are the text's folded words of two characters or more: one-letter "words" are
// mostly OCR noise (specks, seal fragments) that differ between two scans of one page.
func words(text string) []string {
	f := strings.FieldsFunc(record.Fold(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	out := f[:0]
	for _, w := range f {
		if len([]rune(w)) >= 2 {
			out = append(out, w)
		}
	}
	return out
}

// shingles are the text's consecutive word pairs; a text of one word is its own shingle.
func shingles(text string) []string {
	w := words(text)
	if len(w) == 1 {
		return w
	}
	out := make([]string, 0, len(w))
	for i := 1; i < len(w); i++ {
		out = append(out, w[i-1]+" "+w[i])
	}
	return out
}

func hash64(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// mix64 is SplitMix64's finaliser: it spreads each bit of x over the whole word, so that
// x ^ seed is a fresh hash function per seed.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// seeds are fixed, so signatures stored today compare with those computed later.
var seeds = func() [minhashes]uint64 {
	var s [minhashes]uint64
	x := uint64(0x736f686f61)
	for i := range s {
		x += 0x9e3779b97f4a7c15
		s[i] = mix64(x)
	}
	return s
}()
