package classify

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/sohoa/sohoa/record"
)

// heading is a type heading as folded words ("quyet dinh"), with the type it names.
type heading struct {
	words   []string
	compact string // the words joined without spaces, for OCR that splits or joins words
	code    string
	// prefix headings name the type with their first words and go on with more
	// ("GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU …", "ĐƠN ĐỀ NGHỊ …").
	prefix bool
}

// extraHeadings are headings other than the taxonomy names. An empty code marks a heading that
// looks like a known type but is not one (a medical death notice is not a trích lục khai tử).
var extraHeadings = []struct {
	text   string
	code   string
	prefix bool
}{
	{"bộ luật", "luat", false},
	{"nghị quyết liên tịch", "nghi_quyet", false},
	{"giấy khai sinh", "giay_khai_sinh", true},
	{"trích lục khai sinh", "giay_khai_sinh", true},
	{"bản sao giấy khai sinh", "giay_khai_sinh", true},
	{"giấy chứng nhận kết hôn", "giay_chung_nhan_ket_hon", true},
	{"trích lục kết hôn", "giay_chung_nhan_ket_hon", true},
	{"trích lục khai tử", "trich_luc_khai_tu", true},
	{"giấy báo tử", "", true},
	{"giấy chứng tử", "", true},
	{"xác nhận thông tin về cư trú", "xac_nhan_cu_tru", true},
	{"giấy xác nhận thông tin về cư trú", "xac_nhan_cu_tru", true},
	{"căn cước công dân", "can_cuoc", true},
	{"căn cước", "can_cuoc", true},
	{"citizen identity card", "can_cuoc", true},
	{"identity card", "can_cuoc", true},
	{"giấy chứng minh nhân dân", "cmnd", true},
	{"chứng minh nhân dân", "cmnd", true},
	{"giấy chứng nhận quyền sử dụng đất", "gcn_quyen_su_dung_dat", true},
	{"giấy chứng nhận quyền sở hữu nhà ở và quyền sử dụng đất", "gcn_quyen_su_dung_dat", true},
	{"giấy chứng nhận đăng ký doanh nghiệp", "gcn_dang_ky_doanh_nghiep", true},
	{"giấy chứng nhận đăng ký kinh doanh", "gcn_dang_ky_doanh_nghiep", true},
	{"tờ khai", "don", true},
}

// personalTypes have no Decree 30 number; their heading is trusted on its own.
var personalTypes = map[string]bool{
	"giay_khai_sinh": true, "giay_chung_nhan_ket_hon": true, "trich_luc_khai_tu": true,
	"xac_nhan_cu_tru": true, "can_cuoc": true, "cmnd": true, "gcn_quyen_su_dung_dat": true,
	"gcn_dang_ky_doanh_nghiep": true, "don": true,
}

func newHeading(text, code string, prefix bool) heading {
	w := foldWords(text)
	return heading{words: w, compact: strings.Join(w, ""), code: code, prefix: prefix}
}

func buildHeadings(tax *record.Taxonomy) []heading {
	var hs []heading
	for _, t := range tax.Types {
		if t.Code == record.Unknown || personalTypes[t.Code] {
			continue
		}
		hs = append(hs, newHeading(t.Name, t.Code, false))
	}
	for _, e := range extraHeadings {
		if e.code != "" {
			if _, ok := tax.Type(e.code); !ok {
				continue
			}
		}
		hs = append(hs, newHeading(e.text, e.code, e.prefix))
	}
	return hs
}

// foldWords folds s and splits it into words of letters and digits.
func foldWords(s string) []string {
	return strings.FieldsFunc(record.Fold(s), func(r rune) bool { return !isLetterOrDigit(r) })
}

func isLetter(r rune) bool { return unicode.IsLetter(r) }

// upperLine reports whether most letters of line are upper-case, as a type heading is printed.
func upperLine(line string) bool {
	var up, all int
	for _, r := range line {
		if unicode.IsLetter(r) {
			all++
			if unicode.IsUpper(r) {
				up++
			}
		}
	}
	return all >= 2 && up*4 >= all*3
}

// headingMatch is a heading found on a line.
type headingMatch struct {
	code  string
	line  int
	fuzzy bool
}

// matchHeading returns the heading that line is, if any. A received copy's stamp (Decree 30,
// Phụ lục IV: ĐẾN, Số:, Ngày:, Giờ:) may be printed over the heading and read on its line:
// up to three such words before it ("Lên TỜ TRÌNH", "Giờ: 14:57 BÁO CÁO") or a stamp's
// labelled entry after it ("BÁO CÁO Số: 5685") leave a heading that must then match exactly.
func matchHeading(hs []heading, line string) (headingMatch, bool) {
	if m, ok := matchHeadingText(hs, line); ok {
		return m, true
	}
	ws := strings.Fields(line)
	if end := stampTail(ws); end < len(ws) {
		ws = ws[:end]
		if m, ok := matchHeadingText(hs, strings.Join(ws, " ")); ok && !m.fuzzy {
			return m, true
		}
	}
	for i := 1; i <= 3 && i < len(ws) && stampWord(ws[i-1]); i++ {
		if m, ok := matchHeadingText(hs, strings.Join(ws[i:], " ")); ok && !m.fuzzy {
			return m, true
		}
	}
	return headingMatch{}, false
}

// stampWord reports a word that is no part of an upper-case heading and may be a stamp's:
// one with a lower-case letter, the stamp's ĐẾN, a time or a number ("14:57"), or marks
// alone. An enumerator ("1.", "II.") is not one, so a body's numbered section heading does not
// pass for a type heading.
func stampWord(w string) bool {
	switch {
	case hasLower(w) || record.Fold(w) == "den":
		return true
	case enumerator.MatchString(w):
		return false
	}
	return strings.ContainsFunc(w, unicode.IsDigit) || !strings.ContainsFunc(w, unicode.IsLetter)
}

var enumerator = regexp.MustCompile(`^(?:\d{1,2}|[IVXLC]{1,5}|[a-zđ])[.)]$`)

// stampLabel is a received stamp's labelled entry ("Số:", "Ngày:", "Giờ:", "ĐẾN").
var stampLabel = regexp.MustCompile(`^(?:so|ngay|gio|den|chuyen)\W*$`)

// stampTail returns where a received stamp's entry begins among the words ws of a line: the
// first stamp label that follows two words at least; len(ws) when there is none.
func stampTail(ws []string) int {
	for i := 2; i < len(ws); i++ {
		if stampLabel.MatchString(record.Fold(ws[i])) && (strings.HasSuffix(ws[i], ":") || record.Fold(ws[i]) == "den" || i+1 < len(ws) && strings.ContainsFunc(ws[i+1], unicode.IsDigit)) {
			return i
		}
	}
	return len(ws)
}

// hasLower reports whether w has a lower-case letter.
func hasLower(w string) bool { return strings.ContainsFunc(w, unicode.IsLower) }

// matchHeadingText returns the heading that the whole of line is, if any.
func matchHeadingText(hs []heading, line string) (headingMatch, bool) {
	t := strings.TrimSpace(line)
	// A bilingual card title ("CĂN CƯỚC CÔNG DÂN Citizen Identity Card") is upper-case only
	// in its first words.
	orig := strings.FieldsFunc(t, func(r rune) bool { return !isLetterOrDigit(r) })
	if len(orig) > 4 {
		orig = orig[:4]
	}
	if !upperLine(strings.Join(orig, " ")) || strings.HasSuffix(t, ":") {
		return headingMatch{}, false
	}
	words := foldWords(t)
	if len(words) == 0 {
		return headingMatch{}, false
	}
	compact := strings.Join(words, "")
	var best heading
	found := false
	// Exact and prefix matches: the longest heading wins (THÔNG TƯ LIÊN TỊCH over THÔNG TƯ).
	for _, h := range hs {
		ok := compact == h.compact
		if !ok && h.prefix && len(words) > len(h.words) && equalWords(words[:len(h.words)], h.words) {
			ok = true
		}
		if ok && (!found || len(h.compact) > len(best.compact)) {
			best, found = h, true
		}
	}
	if found {
		return headingMatch{code: best.code}, true
	}
	if isApplication(words) {
		return headingMatch{code: "don"}, true
	}
	// One OCR slip in a long heading ("QUYÉT ĐINH" reads fine folded, "QUYEI DINH" does not).
	var hit []heading
	for _, h := range hs {
		if len(h.compact) < 8 {
			continue
		}
		c := compact
		if h.prefix && len(c) > len(h.compact)+1 {
			c = c[:len(h.compact)]
		}
		limit := 1
		if len(h.compact) >= 16 {
			limit = 2
		}
		if editDistance(c, h.compact, limit) <= limit {
			hit = append(hit, h)
		}
	}
	if len(hit) == 1 {
		return headingMatch{code: hit[0].code, fuzzy: true}, true
	}
	return headingMatch{}, false
}

// isApplication recognises the "ĐƠN …" headings of citizens' applications: ĐƠN ĐỀ NGHỊ,
// ĐƠN XIN …, ĐƠN KHIẾU NẠI … but not ĐƠN VỊ (a unit).
func isApplication(words []string) bool {
	if len(words) < 2 || words[0] != "don" {
		return false
	}
	switch words[1] {
	case "vi", "gia", "le", "hang":
		return false
	}
	return true
}

// applicationWord reports a line that is only the word an application's title opens with,
// ĐƠN or TỜ KHAI, printed large on a line of its own above what is asked ("ĐỀ NGHỊ CẤP …").
func applicationWord(line string) bool {
	switch strings.Join(foldWords(line), " ") {
	case "don", "to khai":
		return true
	}
	return false
}

func equalWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// editDistance is the Levenshtein distance of a and b (bytes), or limit+1 once it is known to
// exceed limit.
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
