package extract

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
