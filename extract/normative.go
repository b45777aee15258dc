package extract

import "regexp"

// legalForms are the types that are always văn bản quy phạm pháp luật, whose number
// therefore always carries its year (Law 64/2025/QH15 art. 4, and Laws 80/2015 and 17/2008
// before it: luật, pháp lệnh, nghị định, thông tư, thông tư liên tịch).
var legalForms = map[string]bool{"luat": true, "phap_lenh": true, "nghi_dinh": true, "thong_tu": true, "thong_tu_lien_tich": true}

// eitherForms are the types issued both as legal documents and as individual ones
// (nghị quyết, quyết định, and chỉ thị until Law 80/2015 dropped it from the legal forms):
// only the number's year segment tells them apart.
var eitherForms = map[string]bool{"nghi_quyet": true, "quyet_dinh": true, "chi_thi": true}

// normativeOfType returns whether a document of type code is a legal normative document
// when its type alone settles it: always for the legal forms, never for the administrative
// ones of Decree 30 (công văn, tờ trình, thông báo …), which no law lists. ok is false for
// the types that are either.
func normativeOfType(code string) (normative string, ok bool) {
	switch {
	case eitherForms[code]:
		return "", false
	case legalForms[code]:
		return "true", true
	default:
		return "false", true
	}
}

// kyHieu is the printed part of a "Số:" line whose digits were not read as a number (filled
// in by hand, misread: "Số: 1T Ô/2023/QĐ-UBND", "Số: O9/QĐ-SVHTTDL"): a slash, then a year
// segment or not, then the ký hiệu's letters.
var kyHieu = regexp.MustCompile(`^\W*so\s*:[^/]{0,12}/\s*(?:((?:19|20)\d\d)\s*/\s*)?[a-z]{1,6}\s*-\s*[a-z]`)

// normativeOfCode returns whether the document is a legal one from the printed ký hiệu of its
// number line when the number itself was not read: a legal document's number carries a year
// segment (12/2024/QĐ-UBND, see legalForms) and an individual one none (12/QĐ-UBND). ok is
// false when no such line is among ls.
func normativeOfCode(ls []*line) (normative string, sp span, ok bool) {
	for i := 0; i < len(ls) && i < headerLines; i++ {
		m := kyHieu.FindStringSubmatchIndex(ls[i].fold)
		if m == nil {
			continue
		}
		st, en := ls[i].orig(m[0], m[1])
		if m[2] >= 0 {
			return "true", span{l: ls[i], start: st, end: en}, true
		}
		return "false", span{l: ls[i], start: st, end: en}, true
	}
	return "", span{}, false
}
