package ocr

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Normalize applies the Vietnamese post-processing to recognised text:
//
//   - NFC (TCVN 6909:2001, what Decree 30 prescribes and every sohoa comparison assumes);
//   - letters outside the Vietnamese alphabet that Tesseract's vie and Vietnamese models can
//     emit are mapped where the intended letter is certain: eth (Ð ð) and African D (Ɖ) are
//     drawn like Đ đ, and ƒ Ƒ are an italic f F;
//   - combining marks that Vietnamese never uses (diaeresis, ring, caron, cedilla …) and any
//     mark on a consonant (ñ) are dropped, keeping the base letter. On the
//     shared/data/diacritics-vie sheets vie writes ä ö ï ÿ for a hook or tilde it could not
//     read (ả, ổ, ỉ, ỷ …): the base letter is right and the tone unknowable, so the text stays
//     in the Vietnamese alphabet without guessing (character error rate unchanged);
//   - one tone-placement convention: in an open syllable ending in oa, oe or uy the tone
//     goes on the o or u ("hòa", "khỏe", "thủy", "Ủy ban"), not on the last vowel ("hoà",
//     "khoẻ", "thuỷ", "Uỷ ban"). This is the spelling of Decree 30's own text and of 95 % of
//     the occurrences in shared/data/vbpl; after qu the u is part of the consonant, so
//     "quý" keeps its tone on y. Tesseract copies whichever spelling was printed, so compare
//     with ground truth only after normalising both sides.
//
// It does not correct words against a dictionary.
func Normalize(s string) string {
	d := norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(d))
	var base rune // the letter the next combining mark sits on
	for _, r := range d {
		if !unicode.Is(unicode.Mn, r) {
			base = unicode.ToLower(r)
		}
		switch {
		case unicode.Is(unicode.Mn, r) && (!vietMark(r) || !strings.ContainsRune("aeiouy", base)):
			continue
		case r == 'Ð' || r == 'Ɖ':
			b.WriteRune('Đ')
		case r == 'ð':
			b.WriteRune('đ')
		case r == 'ƒ':
			b.WriteRune('f')
		case r == 'Ƒ':
			b.WriteRune('F')
		default:
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(placeTones(b.String()))
}

// Combining marks of Vietnamese: the five tones and the three vowel marks (circumflex,
// breve, horn).
const (
	markGrave     = '\u0300'
	markAcute     = '\u0301'
	markCircum    = '\u0302'
	markTilde     = '\u0303'
	markBreve     = '\u0306'
	markHook      = '\u0309'
	markHorn      = '\u031B'
	markDotBelow  = '\u0323'
	maxSyllableRs = 16 // longer letter runs are not syllables; leave them alone
)

func vietMark(r rune) bool {
	switch r {
	case markGrave, markAcute, markTilde, markHook, markDotBelow, markCircum, markBreve, markHorn:
		return true
	}
	return false
}

func toneMark(r rune) bool {
	switch r {
	case markGrave, markAcute, markTilde, markHook, markDotBelow:
		return true
	}
	return false
}

// placeTones moves the tone of open oa/oe/uy syllables onto the o/u. s is NFD, so every
// letter is a base rune followed by its marks.
func placeTones(s string) string {
	rs := []rune(s)
	out := make([]rune, 0, len(rs))
	for i := 0; i < len(rs); {
		if !unicode.IsLetter(rs[i]) {
			out = append(out, rs[i])
			i++
			continue
		}
		j := i
		for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.Is(unicode.Mn, rs[j])) {
			j++
		}
		out = append(out, fixSyllable(rs[i:j])...)
		i = j
	}
	return string(out)
}

// fixSyllable rewrites one NFD letter run if it ends in o+a, o+e or u+y with the tone on the
// last letter and nothing else on either vowel.
func fixSyllable(w []rune) []rune {
	if len(w) > maxSyllableRs {
		return w
	}
	// Split the run into letters: base rune plus marks.
	type letter struct {
		base  rune
		marks []rune
	}
	var ls []letter
	for _, r := range w {
		if unicode.Is(unicode.Mn, r) && len(ls) > 0 {
			ls[len(ls)-1].marks = append(ls[len(ls)-1].marks, r)
			continue
		}
		ls = append(ls, letter{base: r})
	}
	n := len(ls)
	if n < 2 {
		return w
	}
	first, last := ls[n-2], ls[n-1]
	pair := string([]rune{unicode.ToLower(first.base), unicode.ToLower(last.base)})
	if pair != "oa" && pair != "oe" && pair != "uy" {
		return w
	}
	if len(first.marks) != 0 || len(last.marks) != 1 || !toneMark(last.marks[0]) {
		return w
	}
	if n >= 3 {
		prev := unicode.ToLower(ls[n-3].base)
		// After q the u is part of the consonant (quý); after another vowel the pair is
		// not the nucleus (e.g. a triphthong).
		if prev == 'q' || strings.ContainsRune("aăâeêioôơuưy", prev) {
			return w
		}
	}
	out := make([]rune, 0, len(w))
	for _, l := range ls[:n-2] {
		out = append(out, l.base)
		out = append(out, l.marks...)
	}
	return append(out, first.base, last.marks[0], last.base)
}

// stripRules removes the vertical rules of a table that Tesseract reads as "|" at the edge
// of a word ("|Kiểm", or a "|" alone): Vietnamese text has no use for the character. It is
// applied to recognised words, not to whole texts.
func stripRules(w string) string {
	return strings.Trim(w, "|")
}
