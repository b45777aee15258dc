package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sohoa/sohoa/record"
)

// digitLike maps letters OCR reads in place of digits, applied only inside tokens that are
// mostly digits ("0l/02/2O03").
var digitLike = strings.NewReplacer("O", "0", "o", "0", "D", "0", "Q", "0", "l", "1", "I", "1", "i", "1", "|", "1", "!", "1", "S", "5", "s", "5", "B", "8", "Z", "2", "z", "2", "G", "6", "b", "6", "g", "9", "T", "7")

// fixDigits repairs letter-for-digit OCR slips in tokens that hold at least as many digits as
// letters.
func fixDigits(s string) string {
	fs := strings.Fields(s)
	for i, f := range fs {
		d, l := 0, 0
		for _, r := range f {
			switch {
			case r >= '0' && r <= '9':
				d++
			case isLetterRune(r):
				l++
			}
		}
		if d > 0 && d >= l {
			fs[i] = digitLike.Replace(f)
		}
	}
	return strings.Join(fs, " ")
}

func isLetterRune(r rune) bool {
	return r > '9' && (r < 0x80 && (r|0x20) >= 'a' && (r|0x20) <= 'z' || r >= 0xc0)
}

var (
	dateWords = regexp.MustCompile(`ngay\s*:?\s*(\d{1,2})\s*(?:thang|/)\s*(\d{1,2})\s*(?:nam|/|[a-z]{2,4})\s*(\d{4})`)
	dateNums  = regexp.MustCompile(`(?:^|\D)(\d{1,2})\s?[/.\-]\s?(\d{1,2})\s?[/.\-]\s?(\d{4})(?:\D|$)`)
	dateMY    = regexp.MustCompile(`(?:^|\D)(\d{1,2})\s?[/.\-]\s?(\d{4})(?:\D|$)`)
	dateDense = regexp.MustCompile(`(?:^|\D)(\d{2})(\d{2})((?:19|20)\d{2})(?:\D|$)`)
	yearOnly  = regexp.MustCompile(`(?:^|\D)((?:18|19|20)\d{2})(?:\D|$)`)
)

// parseDate finds the first date in s: "ngày 05 tháng 01 năm 2020", "26/02/2003",
// "29-03-1988", "01011990", or a bare year. It returns the ISO form (YYYY-MM-DD or YYYY)
// and whether it is a real calendar date not after now.
func parseDate(s string, now time.Time) (string, bool, bool) {
	f := fixDigits(record.Fold(s))
	var m []string
	if m = dateWords.FindStringSubmatch(f); m == nil {
		if m = dateNums.FindStringSubmatch(f); m == nil {
			m = dateDense.FindStringSubmatch(f)
		}
	}
	if m != nil {
		d, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		y, _ := strconv.Atoi(m[3])
		iso := strconv.Itoa(y) + "-" + pad2(mo) + "-" + pad2(d)
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		valid := t.Day() == d && int(t.Month()) == mo && t.Year() == y && y >= 1800 && !t.After(now)
		return iso, valid, true
	}
	if m = dateMY.FindStringSubmatch(f); m != nil {
		y, _ := strconv.Atoi(m[2])
		return m[2], y >= 1800 && y <= now.Year(), true
	}
	if m = yearOnly.FindStringSubmatch(f); m != nil {
		y, _ := strconv.Atoi(m[1])
		return m[1], y <= now.Year(), true
	}
	return "", false, false
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// digitRuns find a run of exactly 9 or 12 digits: old and new identity numbers.
var digitRuns = map[int]*regexp.Regexp{
	9:  regexp.MustCompile(`(?:^|\D)(\d{9})(?:\D|$)`),
	12: regexp.MustCompile(`(?:^|\D)(\d{12})(?:\D|$)`),
}

// digitRun finds a run of exactly n digits (OCR slips repaired), or returns the digits of s.
func digitRun(s string, n int) (string, bool) {
	f := fixDigits(s)
	re := digitRuns[n]
	if m := re.FindStringSubmatch(f); m != nil {
		return m[1], true
	}
	// Spaced groups: "001 090 123 456".
	compact := strings.Map(func(r rune) rune {
		if r == ' ' || r == '.' {
			return -1
		}
		return r
	}, f)
	if m := re.FindStringSubmatch(compact); m != nil {
		return m[1], true
	}
	return onlyDigits(f), false
}

func onlyDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

var mstPattern = regexp.MustCompile(`(?:^|\D)(\d{10})(?:\s*-\s*(\d{3}))?(?:\D|$)`)

func normMST(s string) (string, bool) {
	f := fixDigits(s)
	if m := mstPattern.FindStringSubmatch(f); m != nil {
		v := m[1]
		if m[2] != "" {
			v += "-" + m[2]
		}
		return v, ValidMST(v)
	}
	return onlyDigits(f), false
}

var vndPattern = regexp.MustCompile(`\d{1,3}(?:[.,\s]\d{3})+|\d+`)

// normVND reads an amount of đồng written with "." (or "," or space) thousands groups.
func normVND(s string) (string, bool) {
	m := vndPattern.FindString(fixDigits(s))
	if m == "" {
		return "", false
	}
	v := strings.TrimLeft(onlyDigits(m), "0")
	if v == "" {
		v = "0"
	}
	return v, true
}

var areaPattern = regexp.MustCompile(`\d[\d.,]*`)

// normArea reads an area in m²: "108,0" and "1.855,3" (Vietnamese) and "1,855.3" (English).
// A separator followed by exactly three digits groups thousands; any other is the decimal mark.
// The decimals are kept as printed ("108,0" → "108.0"): a certificate states its area to the
// tenth of a square metre, and the record says what the certificate says.
func normArea(s string) (string, bool) {
	m := strings.TrimRight(areaPattern.FindString(fixDigits(s)), ".,")
	if m == "" {
		return "", false
	}
	var intPart, frac string
	lastSep := strings.LastIndexAny(m, ".,")
	if lastSep >= 0 && len(m)-lastSep-1 != 3 {
		intPart, frac = m[:lastSep], m[lastSep+1:]
	} else {
		intPart = m
	}
	intPart = onlyDigits(intPart)
	v := intPart
	if frac != "" {
		v += "." + frac
	}
	f, err := strconv.ParseFloat(v, 64)
	return v, err == nil && f > 0
}

// normSex maps the printed sex to "Nam" or "Nữ".
func normSex(s string) (string, bool) {
	f := strings.Fields(record.Fold(s))
	if len(f) == 0 {
		return "", false
	}
	switch strings.Trim(f[0], ".,;:/") {
	case "nam", "male", "m":
		return "Nam", true
	case "nu", "female", "f":
		return "Nữ", true
	}
	return record.CollapseSpace(s), false
}

// docnumPattern is the shape of a normalised số và ký hiệu.
var docnumPattern = regexp.MustCompile(`^\d{1,5}(?:\.\d{1,3})?(?:/\d{4})?/[\p{L}][\p{L}\p{N}&.]*(?:-[\p{L}\p{N}&.]+)*$|^\d{1,6}(?:/\d{4})?$`)

// normalise turns a raw value into the taxonomy format and validates it.
func (e *Extractor) normalise(format, raw string, now time.Time) (string, bool, bool) {
	raw = record.CollapseSpace(record.NFC(raw))
	if raw == "" {
		return "", false, false
	}
	switch format {
	case "date":
		return parseDate(raw, now)
	case "id12":
		v, ok := digitRun(raw, 12)
		return v, ok && validCCCDAt(v, now) == nil, v != ""
	case "id9":
		v, ok := digitRun(raw, 9)
		return v, ok, v != ""
	case "mst":
		v, ok := normMST(raw)
		return v, ok, v != ""
	case "vnd":
		v, ok := normVND(raw)
		return v, ok, ok
	case "area":
		v, ok := normArea(raw)
		return v, ok, v != ""
	case "int":
		v := onlyDigits(fixDigits(strings.Fields(raw)[0]))
		return v, v != "", v != ""
	case "sex":
		v, ok := normSex(raw)
		return v, ok, true
	case "docnum":
		v := strings.Join(strings.Fields(raw), "")
		return v, docnumPattern.MatchString(v), true
	case "bool":
		return raw, raw == "true" || raw == "false", true
	default: // text, name
		return raw, true, true
	}
}
