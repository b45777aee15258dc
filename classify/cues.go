package classify

import (
	"regexp"
	"strings"

	"github.com/sohoa/sohoa/record"
)

// formLabels are folded labels that forms of each type print. They name a type when its
// heading was lost to OCR, and confirm a heading that was read.
var formLabels = map[string][]string{
	"can_cuoc":                 {"full name", "date of birth", "place of origin", "place of residence", "date of expiry", "personal identification", "identity card", "can cuoc", "co gia tri den"},
	"cmnd":                     {"chung minh nhan dan", "nguyen quan", "dkhk", "dau vet rieng", "noi dang ky ho khau"},
	"giay_khai_sinh":           {"noi sinh", "ten nguoi me", "ten nguoi cha", "khai sinh", "quyen so"},
	"giay_chung_nhan_ket_hon":  {"ten vo", "ten chong", "ket hon", "nguoi vo", "nguoi chong"},
	"trich_luc_khai_tu":        {"khai tu", "da chet", "noi chet", "nguyen nhan chet", "giay bao tu"},
	"xac_nhan_cu_tru":          {"chu ho", "quan he voi chu ho", "thong tin ve cu tru", "noi thuong tru", "noi tam tru", "noi o hien tai"},
	"gcn_quyen_su_dung_dat":    {"thua dat so", "to ban do", "muc dich su dung", "thoi han su dung", "nguon goc su dung", "hinh thuc su dung", "quyen su dung dat"},
	"gcn_dang_ky_doanh_nghiep": {"ma so doanh nghiep", "von dieu le", "dai dien theo phap luat", "dang ky lan dau", "tru so chinh", "ten cong ty"},
	// An invitation's own lines (Decree 30 Phụ lục III: giấy mời), with their colons: "thời
	// gian" and "địa điểm" alone run through any plan's body.
	"giay_moi": {"tran trong kinh moi", "kinh moi:", "toi du:", "chu tri:", "thoi gian:", "dia diem:"},
	"don":      {"kinh gui", "toi ten la", "de nghi", "nguoi lam don", "xin tran trong cam on", "nguoi viet don", "lam don"},
}

// formCues counts, per type, how many of its labels occur in the folded text.
func formCues(folded string) map[string]int {
	n := make(map[string]int, len(formLabels))
	for code, labels := range formLabels {
		for _, l := range labels {
			if strings.Contains(folded, l) {
				n[code]++
			}
		}
	}
	return n
}

// bestCue returns the type with the most label hits; ties go to the first in map order
// sorted by code, so the answer does not depend on map iteration.
func bestCue(n map[string]int) (string, int) {
	best, hits := "", 0
	for code, k := range n {
		if k > hits || k == hits && code < best {
			best, hits = code, k
		}
	}
	return best, hits
}

// ownLabels are the forms whose labels no letter prints: a công văn or tờ trình may ask "đề
// nghị" under "Kính gửi", as a đơn does, but never prints "Quan hệ với chủ hộ".
var ownLabels = map[string]bool{
	"can_cuoc": true, "cmnd": true, "giay_khai_sinh": true, "giay_chung_nhan_ket_hon": true,
	"trich_luc_khai_tu": true, "xac_nhan_cu_tru": true, "gcn_quyen_su_dung_dat": true,
	"gcn_dang_ky_doanh_nghiep": true, "giay_moi": true,
}

// formCue returns the form whose labels the page prints most. On a page with a number only
// forms with ownLabels count, so a letter's "Kính gửi" and "đề nghị" make no đơn of it.
func formCue(cues map[string]int, hasNum bool) (string, int) {
	if !hasNum {
		return bestCue(cues)
	}
	own := make(map[string]int, len(cues))
	for code, n := range cues {
		if ownLabels[code] {
			own[code] = n
		}
	}
	return bestCue(own)
}

// enactedOrForm reports a body that names its type by itself: the enacting "QUYẾT ĐỊNH:" or a
// form's own labels. A number whose ký hiệu names no type is then no sign of a công văn.
func enactedOrForm(lines []string, cues map[string]int) bool {
	if _, ok := verbCue(lines); ok {
		return true
	}
	_, n := formCue(cues, true)
	return n >= minFormCueHits
}

// bodyAgrees reports whether the body confirms code, the type a ký hiệu named: by its
// enacting formula, or by two of its form's own labels.
func bodyAgrees(code string, lines []string, cues map[string]int) bool {
	if v, ok := enactingLine(lines); ok && v == code {
		return true
	}
	if v, ok := enactingSentence(lines); ok && v == code {
		return true
	}
	return ownLabels[code] && cues[code] >= formAgreeMinHits
}

var (
	vvLine      = regexp.MustCompile(`^[^a-z0-9]*v\s*/\s*v(?:[^a-z]|$)`)
	kinhGuiLine = regexp.MustCompile(`^[^a-z0-9]*kinh\s*gui`)
)

// congVanCue reports the trích yếu "V/v …" or a "Kính gửi:" line, which a công văn carries
// instead of a type heading.
func congVanCue(folded []string) bool {
	for _, l := range folded {
		if vvLine.MatchString(l) || kinhGuiLine.MatchString(l) {
			return true
		}
	}
	return false
}

// vvCue reports a trích yếu line "V/v …".
func vvCue(folded []string) bool {
	for _, l := range folded {
		if vvLine.MatchString(l) {
			return true
		}
	}
	return false
}

// enactingTypes are the types whose enacting sentence names them after "ban hành" (Luật Ban
// hành văn bản quy phạm pháp luật: "Chính phủ ban hành Nghị định …", "Bộ trưởng Bộ Y tế ban
// hành Thông tư …"), longest first.
var enactingTypes = []struct{ words, code string }{
	{"ban hanh thong tu lien tich", "thong_tu_lien_tich"},
	{"ban hanh nghi dinh", "nghi_dinh"},
	{"ban hanh thong tu", "thong_tu"},
}

// enactingSentence finds the sentence that enacts a decree or circular in lines, which
// survives when both heading and number were lost. A citation of one ("Căn cứ …", "… ban
// hành Thông tư số 12 …", "… Thông tư 12/2020/TT-BYT") is not it.
func enactingSentence(lines []string) (string, bool) {
	text := record.Fold(strings.Join(lines, " "))
	for _, sentence := range strings.FieldsFunc(text, func(r rune) bool { return r == ';' || r == '.' }) {
		s := strings.Join(foldWords(sentence), " ")
		for _, e := range enactingTypes {
			i := strings.Index(s, e.words)
			if i < 0 || strings.Contains(s[:i], "can cu") {
				continue
			}
			if next := strings.Fields(s[i+len(e.words):]); len(next) > 0 && (next[0] == "so" || strings.ContainsAny(next[0][:1], "0123456789")) {
				continue
			}
			return e.code, true
		}
	}
	return "", false
}

// verbCue recognises the enacting line of a decision or resolution ("QUYẾT ĐỊNH:",
// "QUYẾT NGHỊ:") or the enacting sentence of a decree or circular, which survive when the
// heading above them was not read.
func verbCue(lines []string) (string, bool) {
	if code, ok := enactingLine(lines); ok {
		return code, true
	}
	return enactingSentence(lines)
}

// enactingLine recognises the enacting line of a decision or resolution.
func enactingLine(lines []string) (string, bool) {
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if !strings.HasSuffix(t, ":") || !upperLine(t) {
			continue
		}
		switch strings.Join(foldWords(t), " ") {
		case "quyet dinh":
			return "quyet_dinh", true
		case "quyet nghi":
			return "nghi_quyet", true
		}
	}
	return "", false
}

// partyDocument reports a page framed by ĐẢNG CỘNG SẢN VIỆT NAM without the quốc hiệu.
func partyDocument(folded []string) bool {
	party, state := false, false
	for _, l := range folded {
		if strings.Contains(l, "dang cong san viet nam") {
			party = true
		}
		if strings.Contains(l, "chu nghia viet nam") {
			state = true
		}
	}
	return party && !state
}
