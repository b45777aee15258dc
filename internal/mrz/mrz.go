// Package mrz repairs the machine-readable zone of an identity card as OCR reads it: the
// three lines of 30 characters (ICAO 9303 TD1) on the back of a Vietnamese chip CCCD.
//
// Every position of the zone has a known character class, and four fields carry check
// digits, so most OCR errors there can be undone: a letter read in a digit position ("O"
// for 0, "I" for 1), a digit in a name ("D0" for DO), a lost or extra filler "<", and one
// digit misread as a similar one (0, 6, 8, 9) where a check digit then tells which.
package mrz

import "strings"

// Width is the length of each TD1 line.
const Width = 30

// Check is the ICAO 9303 check digit of s: the sum of its characters' values (digits
// themselves, A–Z 10–35, "<" 0) weighted 7, 3, 1 in turn, modulo 10.
func Check(s string) byte {
	sum := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		v := 0
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		}
		sum += v * [3]int{7, 3, 1}[i%3]
	}
	return byte('0' + sum%10)
}

// Character classes of the TD1 positions.
const (
	digit  = 'd' // 0–9
	letter = 'a' // A–Z or the filler
	alnum  = 'x' // A–Z, 0–9 or the filler
	sex    = 's' // M, F or the filler
)

// layout gives each line's class per position. Line 1: document code, issuing state,
// document number, its check digit, optional data (on a CCCD the 12-digit ID number, which
// ends in the 9 digits of the document number). Line 2: birth date, check, sex, expiry
// date, check, nationality, optional data, the composite check. Line 3: the name.
var layout = [3]string{
	"aaaaa" + "xxxxxxxxx" + "d" + "xxxxxxxxxxxxxxx",
	"dddddd" + "d" + "s" + "dddddd" + "d" + "aaa" + "xxxxxxxxxxx" + "d",
	strings.Repeat("a", Width),
}

// What OCR reads in place of a digit, and in place of a letter.
var (
	asDigit  = map[byte]byte{'O': '0', 'Q': '0', 'D': '0', 'U': '0', 'I': '1', 'L': '1', 'T': '1', 'Z': '2', 'S': '5', 'G': '6', 'B': '8'}
	asLetter = map[byte]byte{'0': 'O', '1': 'I', '2': 'Z', '5': 'S', '6': 'G', '8': 'B'}
	asSex    = map[byte]byte{'H': 'M', 'N': 'M', 'W': 'M', 'E': 'F', 'P': 'F', 'T': 'F'}
)

// similar lists the digits OCR confuses with each digit, for the check-digit repair.
var similar = map[byte]string{
	'0': "8689", '1': "74", '2': "7", '3': "8", '4': "1",
	'5': "6", '6': "058", '7': "12", '8': "06935", '9': "08",
}

// Repair returns the three lines put right, and whether every check digit holds on the
// result. Lines that cannot be brought to 30 characters are returned cleaned but otherwise
// as read, with ok false.
func Repair(lines [3]string) (out [3]string, ok bool) {
	fit := true
	for i, l := range lines {
		out[i] = clean(l)
		if i == 0 {
			out[i] = trimLead(out[i])
		}
		var good bool
		if out[i], good = fitWidth(out[i]); good {
			out[i] = coerce(out[i], layout[i])
		} else {
			fit = false
		}
	}
	if !fit {
		return out, false
	}
	l1, l2 := []byte(out[0]), []byte(out[1])
	// A card's document code starts with A, C or I; OCR reads the I of "ID" as T or L.
	if l1[0] == 'T' || l1[0] == 'L' || l1[0] == '1' {
		l1[0] = 'I'
	}
	// A CCCD number starts with the 0 of its province code (001–096, domain.md §2.1).
	if string(l1[2:5]) == "VNM" && strings.IndexByte(similar['0'], l1[15]) >= 0 {
		l1[15] = '0'
	}
	composite := func() string {
		return string(l1[5:30]) + string(l2[0:7]) + string(l2[8:15]) + string(l2[18:29])
	}
	valid := func() bool { return Check(composite()) == l2[29] }
	ok = fixCheck(l1[5:14], l1[14:15], nil, valid)
	// The optional data of line 1 has no check of its own; on a CCCD it ends with the
	// document number, which its check digit has settled.
	if ok && !valid() && sameTail(l1[15:30], l1[5:14]) {
		copyTail(l1[15:30], l1[5:14])
	}
	ok = fixCheck(l2[0:6], l2[6:7], date, valid) && ok
	ok = fixCheck(l2[8:14], l2[14:15], date, valid) && ok
	ok = ok && valid()
	out[0], out[1] = string(l1), string(l2)
	return out, ok
}

// clean upper-cases s and keeps only the characters of the zone; a "«" is a filler.
func clean(s string) string {
	s = strings.ReplaceAll(strings.ToUpper(s), "«", "<<")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '<' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// trimLead drops up to two characters OCR put before line 1 (a speck read as a letter,
// "TIDVNM…"), when the line is too long and then starts like a document code: I, A or C
// (or T, L, 1, as OCR reads an I), then a letter or filler, then the three letters of a state.
func trimLead(s string) string {
	for cut := 1; cut <= 2 && len(s)-cut >= Width; cut++ {
		t := s[cut:]
		if strings.IndexByte("IACTL1", t[0]) >= 0 && isLetter(t[1]) && isLetter(t[2]) && isLetter(t[3]) && isLetter(t[4]) {
			return t
		}
	}
	return s
}

func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' || c == '<' }

// fitWidth brings s to 30 characters by lengthening or shortening its last run of fillers
// (OCR miscounts a long run), or by padding a name with fillers.
func fitWidth(s string) (string, bool) {
	if len(s) == Width {
		return s, true
	}
	end := strings.LastIndex(s, "<")
	if end < 0 {
		return s, false
	}
	start := strings.LastIndexFunc(s[:end+1], func(r rune) bool { return r != '<' }) + 1
	run := end + 1 - start
	if n := run + Width - len(s); n >= 1 {
		return s[:start] + strings.Repeat("<", n) + s[end+1:], true
	}
	return s, false
}

// coerce maps each character that cannot stand in its position to the one OCR most likely
// misread as it. A field that may hold letters or digits is taken for a number when at
// least two thirds of its characters other than fillers are digits (a CCCD's document
// and ID numbers are all digits).
func coerce(s, classes string) string {
	b := []byte(s)
	for i := 0; i < len(b); i++ {
		switch classes[i] {
		case digit:
			b[i] = mapped(asDigit, b[i])
		case letter:
			b[i] = mapped(asLetter, b[i])
		case sex:
			b[i] = mapped(asSex, b[i])
		case alnum:
			end := i
			for end < len(b) && classes[end] == alnum {
				end++
			}
			digits, chars := 0, 0
			for _, c := range b[i:end] {
				if c != '<' {
					chars++
				}
				if c >= '0' && c <= '9' {
					digits++
				}
			}
			if chars > 0 && 3*digits >= 2*chars {
				for j := i; j < end; j++ {
					b[j] = mapped(asDigit, b[j])
				}
			}
			i = end - 1
		}
	}
	return string(b)
}

func mapped(m map[byte]byte, c byte) byte {
	if to, ok := m[c]; ok {
		return to
	}
	return c
}

// fixCheck makes field agree with its check digit by changing one digit of either to a
// similar digit, and reports whether they agree. Of the changes that make them agree (and
// leave the field valid, where valid is given), it takes the only one, or else the only
// one after which composite holds too; the check digit alone leaves one in ten wrong
// changes standing.
func fixCheck(field, check []byte, valid func([]byte) bool, composite func() bool) bool {
	agrees := func() bool { return Check(string(field)) == check[0] && (valid == nil || valid(field)) }
	if agrees() {
		return true
	}
	type change struct {
		at  *byte
		was byte
		to  byte
	}
	var found, confirmed []change
	try := func(at *byte, to byte) {
		c := change{at, *at, to}
		*at = to
		if agrees() {
			found = append(found, c)
			if composite() {
				confirmed = append(confirmed, c)
			}
		}
		*at = c.was
	}
	for i := range field {
		for _, d := range []byte(similar[field[i]]) {
			try(&field[i], d)
		}
	}
	for _, d := range []byte(similar[check[0]]) {
		try(&check[0], d)
	}
	switch {
	case len(found) == 1:
		*found[0].at = found[0].to
	case len(confirmed) == 1:
		*confirmed[0].at = confirmed[0].to
	default:
		return false
	}
	return true
}

// date reports whether d (YYMMDD) could be a date: month 1–12, day 1–31.
func date(d []byte) bool {
	m := int(d[2]-'0')*10 + int(d[3]-'0')
	day := int(d[4]-'0')*10 + int(d[5]-'0')
	return m >= 1 && m <= 12 && day >= 1 && day <= 31
}

// sameTail reports whether the digits of opt (ID number, fillers, a digit) end, before
// their fillers, in what OCR could have read for doc: the same length, every difference
// one between similar digits.
func sameTail(opt, doc []byte) bool {
	tail := tailOf(opt, len(doc))
	if tail == nil {
		return false
	}
	for i := range doc {
		if tail[i] != doc[i] && !strings.ContainsRune(similar[doc[i]], rune(tail[i])) {
			return false
		}
	}
	return true
}

func copyTail(opt, doc []byte) { copy(tailOf(opt, len(doc)), doc) }

// tailOf returns the n characters of opt before its first filler.
func tailOf(opt []byte, n int) []byte {
	end := strings.IndexByte(string(opt), '<')
	if end < n {
		return nil
	}
	return opt[end-n : end]
}
