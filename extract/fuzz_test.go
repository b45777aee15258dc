package extract

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// fuzzNow pins "today" for the checks that refuse dates in the future.
var fuzzNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// normFormats are the taxonomy formats normalise handles besides free text.
var normFormats = []string{"date", "id12", "id9", "mst", "vnd", "area", "int", "sex", "docnum", "bool", "text"}

var (
	isoDate  = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	isoYear  = regexp.MustCompile(`^\d{4}$`)
	digits   = regexp.MustCompile(`^\d*$`)
	amount   = regexp.MustCompile(`^(0|[1-9]\d*)$`)
	mstShape = regexp.MustCompile(`^\d{10}(-\d{3})?$`)
	decimal  = regexp.MustCompile(`^\d+(\.\d+)?$`) // the decimals as printed
)

// FuzzNormalise gives any raw text to the normaliser of every format (dates, numbers,
// money, ID and tax numbers, …) and checks that it never panics and that what it calls
// valid has the format's shape:
//   - date: YYYY-MM-DD of a real day not after today, which read back as dd/mm/yyyy gives
//     itself again; or a bare year;
//   - id12/id9: exactly 12 or 9 digits, a 12-digit one passing ValidCCCD's checks;
//   - mst: a tax code whose check digit is right; vnd: a whole number without leading zeros;
//   - area: a positive decimal with no trailing zeros; int: digits;
//   - and a valid value is valid UTF-8 whenever the input is.
func FuzzNormalise(f *testing.F) {
	for _, s := range []string{
		"ngày 05 tháng 01 năm 2020", "26/02/2003", "29-03-1988", "01011990", "năm 1975", "31/02/2020", "0l/02/2O03",
		"001090123456", "001 090 123 456", "123.456.789", "0101234567", "0101234567-001", "MST: 0312345678",
		"1.500.000 đồng", "2,000,000", "108,0 m²", "1.855,3", "1,855.3", "Nam", "Nữ", "12/QĐ-UBND", "123/2024/NĐ-CP", "true",
	} {
		for i := range normFormats {
			f.Add(uint8(i), s)
		}
	}
	e := &Extractor{}
	f.Fuzz(func(t *testing.T, format uint8, raw string) {
		fm := normFormats[int(format)%len(normFormats)]
		v, valid, found := e.normalise(fm, raw, fuzzNow)
		if utf8.ValidString(raw) && !utf8.ValidString(v) {
			t.Fatalf("%s %q: value %q is not valid UTF-8", fm, raw, v)
		}
		if !valid {
			return
		}
		if !found {
			t.Fatalf("%s %q: valid but not found", fm, raw)
		}
		switch fm {
		case "date":
			checkDate(t, raw, v)
		case "id12":
			if len(v) != 12 || !digits.MatchString(v) || validCCCDAt(v, fuzzNow) != nil {
				t.Fatalf("id12 %q: valid %q", raw, v)
			}
		case "id9":
			if len(v) != 9 || !digits.MatchString(v) {
				t.Fatalf("id9 %q: valid %q", raw, v)
			}
		case "mst":
			if !mstShape.MatchString(v) || !ValidMST(v) {
				t.Fatalf("mst %q: valid %q", raw, v)
			}
		case "vnd":
			if !amount.MatchString(v) {
				t.Fatalf("vnd %q: valid %q", raw, v)
			}
		case "area":
			if x, err := strconv.ParseFloat(v, 64); err != nil || x <= 0 || !decimal.MatchString(v) {
				t.Fatalf("area %q: valid %q", raw, v)
			}
		case "int":
			if v == "" || !digits.MatchString(v) {
				t.Fatalf("int %q: valid %q", raw, v)
			}
		case "sex":
			if v != "Nam" && v != "Nữ" {
				t.Fatalf("sex %q: valid %q", raw, v)
			}
		}
	})
}

func checkDate(t *testing.T, raw, v string) {
	t.Helper()
	if isoYear.MatchString(v) {
		if y, _ := strconv.Atoi(v); y > fuzzNow.Year() {
			t.Fatalf("date %q: year %q after today", raw, v)
		}
		return
	}
	if !isoDate.MatchString(v) {
		t.Fatalf("date %q: valid %q, want YYYY-MM-DD or YYYY", raw, v)
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil || d.After(fuzzNow) || d.Year() < 1800 {
		t.Fatalf("date %q: valid %q is not a past calendar day (%v)", raw, v, err)
	}
	back := strings.Join([]string{v[8:10], v[5:7], v[:4]}, "/")
	if again, ok, _ := parseDate(back, fuzzNow); again != v || !ok {
		t.Fatalf("date %q: %q written %q reads back as %q (valid %v)", raw, v, back, again, ok)
	}
}
