// Package pii finds personal identifiers (CCCD and CMND numbers, an ID card's machine-readable
// zone) in OCR output and hides them from readers without the pii permission: in text, in
// word lists and, through the boxes it returns, in page images.
//
// Masking only ever replaces an ASCII letter or digit by "*", so a masked text keeps the
// byte offsets of the original (search highlights and word boxes stay valid).
//
// It is a leaf: it knows record's types and nothing of HTTP, storage or search.
package pii

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaskText hides, the way record.MaskID hides a field, every CCCD (12-digit) and CMND
// (9-digit) number in s, however its digit groups are separated, and every digit and letter
// of the data lines of an ID card's machine-readable zone.
func MaskText(s string) string {
	// A pass can leave digits that read as an ID number on their own: what an MRZ-like
	// stretch leaves of an 11-digit number it cuts, say. Masking again until nothing changes
	// makes MaskText idempotent (FuzzMaskText checks it); each pass only turns characters
	// into "*", so it hides more and never less, and texts without numbers take one pass.
	for range 8 {
		masked, _ := conceal(s)
		if masked == nil || string(masked) == s {
			break
		}
		s = string(masked)
	}
	return s
}

// kind says what a span of text holds.
type kind int

const (
	idNumber kind = iota
	mrzLine1      // document code, number and the 12-digit ID
	mrzLine2      // birth date, sex, expiry, nationality
)

// span is a personal identifier at bytes [start, end) of a text.
type span struct {
	start, end int
	kind       kind
}

// conceal returns s with every identifier masked, and where they were; masked is nil when
// s holds none, which saves the copy on the many texts without digits.
func conceal(s string) (masked []byte, spans []span) {
	if strings.IndexAny(s, "0123456789") < 0 {
		// Every ID number has digits, and so has every MRZ data line.
		return nil, nil
	}
	spans = append(mrzSpans(s), numberSpans(s)...)
	if len(spans) == 0 {
		return nil, nil
	}
	masked = []byte(s)
	// Spans may overlap (a CCCD inside MRZ line 1, or two readings of one digit run); each
	// only ever hides bytes, so together they show no more than the strictest of them.
	for _, sp := range spans {
		if sp.kind == idNumber {
			hideNumber(masked, s, sp)
		} else {
			hideMRZ(masked, s, sp)
		}
	}
	return masked, spans
}

// hideNumber masks the digits of sp except its first three and last two, as record.MaskID
// does; separators stay where they were.
func hideNumber(b []byte, s string, sp span) {
	n := 0
	for i := sp.start; i < sp.end; i++ {
		if isDigit(s[i]) {
			n++
		}
	}
	// The digits kept at an end must not make, with the groups the chain goes on with,
	// another ID-shaped number ("000000000 0000000" would show "00 0000000", nine digits):
	// such an end is hidden too, so masking the masked text again finds nothing more.
	keepHead := !joinsAnother(s, sp.start, -1, 3, 0)
	keepTail := !joinsAnother(s, sp.end, 1, 2, s[sp.end-2])
	k := 0
	for i := sp.start; i < sp.end; i++ {
		if !isDigit(s[i]) {
			continue
		}
		if !(k < 3 && keepHead || k >= n-2 && keepTail) {
			b[i] = '*'
		}
		k++
	}
}

// joinsAnother reports whether kept digits at one end of a masked number (the end at byte
// at; dir 1 for the tail, -1 for the head) and the digit groups the chain goes on with, each
// of two or more digits as windows take them, add up to an ID number's 9 digits, or 12 from
// a 0 (lead, the tail's first digit; for the head, the farthest group's).
func joinsAnother(s string, at, dir, kept int, lead byte) bool {
	digits := kept
	for {
		sep := 0
		for _, j := range []string{" ", ".", "-", "_", "\u00a0"} {
			if dir > 0 && strings.HasPrefix(s[at:], j) || dir < 0 && strings.HasSuffix(s[:at], j) {
				sep = len(j)
				break
			}
		}
		if sep == 0 {
			return false
		}
		n := 0
		if dir > 0 {
			for at += sep; at < len(s) && isDigit(s[at]); at++ {
				n++
			}
		} else {
			for at -= sep; at > 0 && isDigit(s[at-1]); at-- {
				n++
			}
			if n > 0 {
				lead = s[at]
			}
		}
		if n < 2 {
			return false
		}
		digits += n
		if digits == 9 || digits == 12 && lead == '0' {
			return true
		}
		if digits > 12 {
			return false
		}
	}
}

// The MRZ of a Vietnamese card is ICAO 9303 TD1 (see internal/mrz): line 1 is "IDVNM", the
// last nine digits of the ID number, a check digit, the 12-digit ID and fillers; line 2 is
// the birth date and its check digit, the sex, the expiry date and its check digit, "VNM",
// fillers and a check digit. The patterns accept what OCR makes of them: a space anywhere,
// "«" or "K" for "<<" or "<", lower-case l, i, o for 1, 1, 0, and in line 2's digit positions
// the letters OCR reads for digits (O for 0, I for 1, S for 5, B for 8 ...). Line 3 (the
// name) holds no digits and is left to the name fields' own handling.
var (
	mrzLine1Pattern = regexp.MustCompile(`[I1lLT|][DO0<] ?[VY] ?N ?[MH]` + mrzRun(9, 28))
	mrzLine2Pattern = regexp.MustCompile(spaced(strings.Repeat(mrzDigit, 7)+mrzSex+strings.Repeat(mrzDigit, 7)) + mrzRun(0, 16))
)

const (
	mrzChar  = `[0-9A-Zlio<«‹]`
	mrzDigit = `[0-9OoQDUIilLTZSBG]`
	mrzSex   = `[MFHNWEPT<«K]`
)

// mrzRun matches min to max MRZ characters, each maybe preceded by a space.
func mrzRun(min, max int) string {
	return `(?: ?` + mrzChar + `){` + strconv.Itoa(min) + `,` + strconv.Itoa(max) + `}`
}

// spaced lets a space stand before every character class of pattern but the first.
func spaced(pattern string) string {
	return strings.ReplaceAll(pattern, "][", "] ?[")
}

// mrzSpans finds MRZ data lines in s. Both patterns run over the original text, so a line 1
// that swallowed the start of line 2 (joined by a space in a snippet) does not hide line 2.
// A match must hold enough real digits, so words in capitals do not pass for a zone.
//
// Go's regexp is slow to search a whole page for a pattern that may start anywhere, so the
// patterns only run over the stretches of text made of characters they can match, which
// in Vietnamese prose (lower case, diacritics) are few and short.
func mrzSpans(s string) []span {
	var out []span
	for _, r := range mrzStretches(s) {
		t := s[r[0]:r[1]]
		for _, m := range mrzLine1Pattern.FindAllStringIndex(t, -1) {
			if countDigits(t[m[0]:m[1]]) >= 9 {
				out = append(out, span{r[0] + m[0], r[0] + m[1], mrzLine1})
			}
		}
		for _, m := range mrzLine2Pattern.FindAllStringIndex(t, -1) {
			if countDigits(t[m[0]:m[1]]) >= 6 {
				out = append(out, span{r[0] + m[0], r[0] + m[1], mrzLine2})
			}
		}
	}
	return out
}

// mrzStretches returns the byte ranges of s made only of characters that the MRZ patterns
// match, long enough to hold the shortest match (14 characters) and holding what every match
// holds: six digits and a capital or filler (line 1's N, line 2's sex).
func mrzStretches(s string) [][2]int {
	var out [][2]int
	start, digits, capitals := 0, 0, 0
	flush := func(end int) {
		if end-start >= 14 && digits >= 6 && capitals > 0 {
			out = append(out, [2]int{start, end})
		}
	}
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
			continue
		case r >= 'A' && r <= 'Z', r == '<', r == '«', r == '‹':
			capitals++
			continue
		case r == ' ', r == 'l', r == 'i', r == 'o', r == '|':
			continue
		}
		flush(i)
		start, digits, capitals = i+utf8.RuneLen(r), 0, 0
	}
	flush(len(s))
	return out
}

// hideMRZ masks every ASCII letter and digit of sp except the document code "ID" and the
// state "VNM", which say what the masked line was without saying anything about its holder.
func hideMRZ(b []byte, s string, sp span) {
	keep := make([]bool, sp.end-sp.start)
	line := s[sp.start:sp.end]
	if strings.HasPrefix(line, "IDVNM") {
		for i := range 2 {
			keep[i] = true
		}
	}
	for off := 0; ; {
		i := strings.Index(line[off:], "VNM")
		if i < 0 {
			break
		}
		for j := range 3 {
			keep[off+i+j] = true
		}
		off += i + 3
	}
	for i := sp.start; i < sp.end; i++ {
		if c := s[i]; !keep[i-sp.start] && (isDigit(c) || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			b[i] = '*'
		}
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			n++
		}
	}
	return n
}
