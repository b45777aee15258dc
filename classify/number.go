package classify

import (
	"regexp"
	"strings"

	"github.com/sohoa/sohoa/record"
)

// Number is a số và ký hiệu printed in a document header ("Số: 12/QĐ-UBND",
// "Luật số: 64/2025/QH15"), with where it was found.
type Number struct {
	// Value is the number as printed without spaces, e.g. "13/2023/NĐ-CP". Cyrillic look-alike
	// letters are mapped to Latin ones; Đ is not restored here (see Restore).
	Value string
	Seq   string // "13"
	Year  string // "2023", empty for administrative (non-normative) numbers
	// KyHieu is the part after the number and year: "NĐ-CP", "UBND-VX", "QH15".
	KyHieu string
	// Abbr is the first segment of KyHieu with a trailing legislature number removed:
	// "NĐ", "UBND", "QH", "UBTVQH".
	Abbr string
	// Label is the folded document-type word printed before "số" ("luat", "nghi quyet"), if any.
	Label string
	Page  int // 1-based page number
	Line  int // line index in the page text
	// Start and End are the byte offsets of Value's text in the original line.
	Start, End int
}

// numberPattern matches the number label and the number on one line. The label tolerates the
// usual OCR readings of "Số" (So, Sô, S0 …) and an optional type word before it.
var numberPattern = regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}])(((?:lu[aâậạ]t|ngh[iịìí]\s*quy[eếêệ]t|ph[aá]p\s*l[eệêẹ]nh)\s*)?s[oóòỏõọôốồổỗộơớờởỡợ0])\s*([:;.,]?)\s*(\d{1,5}(?:\.\d{1,3})?)\s*/\s*(?:((?:19|20)\d{2})\s*/\s*)?((?:[\p{L}]|[0158][\p{L}])[\p{L}\p{N}&]*(?:\s?-\s?[\p{L}\p{N}&]+)*)`)

// homoglyphs maps Cyrillic letters that OCR and copy-paste put into ký hiệu to Latin ones.
var homoglyphs = strings.NewReplacer("А", "A", "В", "B", "С", "C", "Е", "E", "Н", "H", "К", "K",
	"М", "M", "О", "O", "Р", "P", "Т", "T", "Х", "X", "У", "Y")

// headLines is how many lines of a page are searched for the header number: the number sits in
// the header, and numbers cited further down ("Nghị định số 58/2017/NĐ-CP") must not count.
const headLines = 40

// FindNumber returns the first số và ký hiệu in the header of the first pages. A match counts
// when "Số" opens its line or is followed by a colon, so citations in the body are skipped.
func FindNumber(pages []record.Page) (Number, bool) {
	for _, p := range pages {
		lines := strings.Split(p.Text, "\n")
		for i, line := range lines {
			if i >= headLines || bodyBegins(line) {
				break
			}
			n, ok := parseNumberLine(line, i < bareLabelLines)
			if !ok && colonLabel.MatchString(line) {
				// "Số: 57" / "/2025/TT-BXD", or a number cut into fragments one per line by
				// text extraction; offsets are kept within the first line.
				joined := line
				for j := i + 1; j < len(lines) && j <= i+5 && !ok; j++ {
					joined += strings.TrimSpace(lines[j])
					if n, ok = parseNumberLine(joined, false); ok {
						n.Start, n.End = min(n.Start, len(line)), min(n.End, len(line))
					}
				}
			}
			if ok {
				n.Page, n.Line = p.Number, i
				return n, true
			}
		}
		if strings.TrimSpace(p.Text) != "" {
			// Only the first page with text carries the header.
			break
		}
	}
	return Number{}, false
}

// kyHieuPattern is a header number whose digits OCR could not read, for its ký hiệu: the
// label with its colon ("Số:", "Số hiệu:", the S read as § or $), a few characters of
// anything where the digits were (a handwritten "7 /0", "4 8 $", "Ô2"), then the slash and
// the ký hiệu.
var kyHieuPattern = regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}])[s§$][oóòỏõọôốồổỗộơớờởỡợ0]\s*(?:hi[eệẹê]u\s*)?[:;]\s*[^/\n]{0,12}(?:/[^/\p{L}\n]{0,6})*/\s*((?:[\p{L}]|[0158][\p{L}])[\p{L}\p{N}&]*(?:\s?-\s?[\p{L}\p{N}&]+)*)`)

// findKyHieu returns the ký hiệu of the header number of pages when FindNumber found no
// number, so that its type code still names the type. Only KyHieu, Abbr, Page and Line are set.
func findKyHieu(pages []record.Page) (Number, bool) {
	for _, p := range pages {
		if strings.TrimSpace(p.Text) == "" {
			continue
		}
		for i, line := range strings.Split(p.Text, "\n") {
			if i >= headLines || bodyBegins(line) {
				break
			}
			m := kyHieuPattern.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			kh := letterDigits(homoglyphs.Replace(strings.Join(strings.Fields(m[1]), "")))
			seg, _, _ := strings.Cut(kh, "-")
			if abbr := strings.TrimRight(seg, "0123456789"); abbr != "" {
				return Number{KyHieu: kh, Abbr: abbr, Page: p.Number, Line: i}, true
			}
		}
		break
	}
	return Number{}, false
}

// bareLabelLines is how far down a "Số" without colon may open the number line; further down
// such a line is a citation broken after "số".
const bareLabelLines = 15

// colonLabel is a line that ends in a number label whose number went to the next line.
var colonLabel = regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}])s[oóòỏõọôốồổỗộơớờởỡợ0]\s*:\s*(?:\d{1,5}\s*)?$`)

// bodyBegins reports the first line of the body ("Căn cứ …"), below which no header number
// lies.
func bodyBegins(line string) bool {
	return strings.HasPrefix(strings.TrimLeft(record.Fold(line), " -–*"), "can cu")
}

func parseNumberLine(line string, bareOK bool) (Number, bool) {
	for _, m := range numberPattern.FindAllStringSubmatchIndex(line, -1) {
		labelStart := m[2]
		colon := m[7] > m[6]
		atStart := strings.TrimFunc(line[:labelStart], func(r rune) bool { return !isLetterOrDigit(r) }) == ""
		// Without a colon only a bare "Số" opening a header line counts: "Luật số 96/2025/QH15;"
		// in a citation does not.
		if !colon && (!atStart || !bareOK || m[4] >= 0 || strings.HasSuffix(strings.TrimSpace(line), ";")) {
			continue
		}
		n := Number{Seq: line[m[8]:m[9]], KyHieu: letterDigits(homoglyphs.Replace(strings.Join(strings.Fields(line[m[12]:m[13]]), "")))}
		if m[10] >= 0 {
			n.Year = line[m[10]:m[11]]
		}
		if m[4] >= 0 {
			n.Label = strings.Join(strings.Fields(record.Fold(line[m[4]:m[5]])), " ")
		}
		n.Start, n.End = m[8], m[13]
		n.Value = n.Seq + "/"
		if n.Year != "" {
			n.Value += n.Year + "/"
		}
		n.Value += n.KyHieu
		seg, _, _ := strings.Cut(n.KyHieu, "-")
		n.Abbr = strings.TrimRight(seg, "0123456789")
		if n.Abbr == "" {
			continue
		}
		return n, true
	}
	return Number{}, false
}

// digitLetters are the digits OCR reads for letters (domain.md §7.3: S↔5, O↔0, I↔1, B↔8).
var digitLetters = map[byte]byte{'5': 'S', '0': 'O', '1': 'I', '8': 'B'}

// letterDigits restores a letter that OCR read as a digit at the start of a ký hiệu segment
// followed by a letter ("5TC-KHTC" → "STC-KHTC"). Segments are letters, so a digit there is
// a misreading; term numbers such as the 15 of QH15 follow letters and are left alone.
func letterDigits(kyHieu string) string {
	segs := strings.Split(kyHieu, "-")
	for i, seg := range segs {
		if len(seg) >= 2 && digitLetters[seg[0]] != 0 && isLetter(rune(seg[1])) {
			segs[i] = string(digitLetters[seg[0]]) + seg[1:]
		}
	}
	return strings.Join(segs, "-")
}

func isLetterOrDigit(r rune) bool {
	return ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9') || r > 0x7f && isLetter(r)
}

// abbrIndex resolves a ký hiệu type abbreviation to type codes. Case and Đ carry meaning
// (HĐ hợp đồng ≠ HD hướng dẫn), so an exact match wins; OCR loses both, so a looser match is
// used only when it names one type.
type abbrIndex struct {
	exact map[string][]string
	lower map[string][]string
	fold  map[string][]string
}

// extraAbbrs are ký hiệu segments that name a type without being in the taxonomy's abbr lists.
var extraAbbrs = map[string][]string{
	"UBTVQH": {"nghi_quyet", "phap_lenh"},
	"NQLT":   {"nghi_quyet"},
	"TLKS":   {"giay_khai_sinh"},
	"TLKT":   {"trich_luc_khai_tu"},
	"TLKH":   {"giay_chung_nhan_ket_hon"},
	"QH":     {"luat", "nghi_quyet"},
}

func newAbbrIndex(tax *record.Taxonomy) abbrIndex {
	ix := abbrIndex{exact: map[string][]string{}, lower: map[string][]string{}, fold: map[string][]string{}}
	add := func(a, code string) {
		ix.exact[a] = appendOnce(ix.exact[a], code)
		l := strings.ToLower(a)
		ix.lower[l] = appendOnce(ix.lower[l], code)
		f := record.Fold(a)
		ix.fold[f] = appendOnce(ix.fold[f], code)
	}
	for _, t := range tax.Types {
		for _, a := range t.Abbr {
			if a == "QH" {
				continue // laws and QH resolutions share it: see extraAbbrs
			}
			add(a, t.Code)
		}
	}
	for a, codes := range extraAbbrs {
		for _, c := range codes {
			if _, ok := tax.Type(c); ok {
				add(a, c)
			}
		}
	}
	return ix
}

func appendOnce(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// lookup returns the type codes an abbreviation may stand for and whether the match was exact.
func (ix abbrIndex) lookup(abbr string) ([]string, bool) {
	if c, ok := ix.exact[abbr]; ok {
		return c, true
	}
	if c, ok := ix.lower[strings.ToLower(abbr)]; ok && len(c) == 1 {
		return c, false
	}
	// Only a fold key naming one written form is trusted: "hd" is both HD and HĐ.
	f := record.Fold(abbr)
	if c, ok := ix.fold[f]; ok && len(ix.formsOf(f)) == 1 {
		return c, false
	}
	return ix.misread(abbr), false
}

// misread returns the types of the one known abbreviation that abbr is with a letter read
// twice ("QĐĐ") or an upright stroke read into it ("TIr"), as Restore forgives; none when
// abbr could be more than one.
func (ix abbrIndex) misread(abbr string) []string {
	var codes []string
	forms := 0
	for a, c := range ix.exact {
		if doubled(abbr, a) || strokeSlip(abbr, a) {
			codes = c
			forms++
		}
	}
	if forms != 1 {
		return nil
	}
	return codes
}

func (ix abbrIndex) formsOf(fold string) []string {
	var forms []string
	for a := range ix.exact {
		if record.Fold(a) == fold {
			forms = append(forms, a)
		}
	}
	return forms
}

// Restore rewrites the type abbreviation of a number to the written form of the type code,
// for OCR that dropped Đ or case: Restore("361/2025/ND-CP", "NĐ") = "361/2025/NĐ-CP". The
// number is returned unchanged when its abbreviation is not a folded form of abbr.
func Restore(number, abbr string) string {
	i := strings.LastIndex(number, "/")
	if i < 0 || abbr == "" {
		return number
	}
	kh := number[i+1:]
	seg, rest, hasRest := strings.Cut(kh, "-")
	if seg == abbr || record.Fold(seg) != record.Fold(abbr) && !doubled(seg, abbr) && !strokeSlip(seg, abbr) {
		return number
	}
	out := number[:i+1] + abbr
	if hasRest {
		out += "-" + rest
	}
	return out
}

// strokes are what OCR reads a letter's upright stroke as, or reads between two letters.
const strokes = "Il1|!i"

// strokeSlip reports whether seg is abbr with one upright stroke read in it: added ("TIB" for
// "TB") or standing for a letter ("TIr" for "TTr"). Only a stroke is forgiven, so another
// type's code ("TT" on a thông báo) is never taken for this one's.
func strokeSlip(seg, abbr string) bool {
	r, a := []rune(seg), record.Fold(abbr)
	ar := []rune(abbr)
	for i, c := range r {
		if !strings.ContainsRune(strokes, c) {
			continue
		}
		if record.Fold(string(r[:i])+string(r[i+1:])) == a {
			return true
		}
		if len(r) == len(ar) && record.Fold(string(r[:i])+string(ar[i])+string(r[i+1:])) == a {
			return true
		}
	}
	return false
}

// doubled reports whether seg is abbr with one letter read twice, as OCR reads a heavy Đ
// ("QĐĐ" for "QĐ").
func doubled(seg, abbr string) bool {
	r := []rune(seg)
	for i := 1; i < len(r); i++ {
		if r[i] == r[i-1] && record.Fold(string(r[:i])+string(r[i+1:])) == record.Fold(abbr) {
			return true
		}
	}
	return false
}
