package extract

import (
	"regexp"
	"strings"

	"github.com/sohoa/sohoa/classify"
)

// A property card is a legal-documents database's summary of a document ("Thuộc tính văn
// bản" on vbpl.vn and in document-management systems), printed and filed instead of the
// document: no header, no signature block, every field behind its label, the type only as
// "Loại văn bản". Its values are read as a form's, the issuer brought to the upper case a
// header prints it in.

var cardTypeLabel = regexp.MustCompile(`^\W*loai\s*van\s*ban\s*:`)

var cardForm = &form{
	labels: []labelDef{
		lbl("number", `so\s*hieu(?:\s*van\s*ban)?|so\s*,?\s*ky\s*hieu`),
		lbl("date", `ngay\s*ban\s*hanh`),
		lbl("issuer", `co\s*quan\s*ban\s*hanh|noi\s*ban\s*hanh`),
		lbl("signer", `nguoi\s*ky`),
		lbl("subject", `trich\s*yeu(?:\s*noi\s*dung)?`),
		lbl("stop", `loai\s*van\s*ban`), lbl("stop", `ngay\s*(?:co\s*)?hieu\s*luc`), lbl("stop", `ngay\s*het\s*hieu\s*luc`),
		lbl("stop", `tinh\s*trang(?:\s*hieu\s*luc)?`), lbl("stop", `linh\s*vuc`), lbl("stop", `chuc\s*danh`),
		lbl("stop", `ngay\s*dang\s*cong\s*bao`),
	},
	fields: map[string]string{
		"number": "number", "date": "issued_date", "issuer": "issuer", "signer": "signer", "subject": "subject",
	},
	multiline: map[string]bool{"subject": true, "issuer": true},
}

// card reads a property card and reports whether the page was one.
func (s *state) card() bool {
	first := s.firstPage()
	isCard := false
	for i, l := range first {
		if i < headerLines && cardTypeLabel.MatchString(l.fold) {
			isCard = true
			break
		}
	}
	if !isCard {
		return false
	}
	s.form(cardForm)
	if f, ok := s.out["issuer"]; ok {
		f.Value = strings.ToUpper(f.Value)
		s.out["issuer"] = f
	}
	if f, ok := s.out["number"]; ok {
		for _, a := range s.dt.Abbr {
			f.Value = classify.Restore(f.Value, a)
		}
		f.Valid = docnumPattern.MatchString(f.Value)
		s.out["number"] = f
		normative := "false"
		if yearSegment.MatchString(f.Value) {
			normative = "true"
		}
		n := f
		n.Value, n.Valid = normative, true
		s.out["normative"] = n
	}
	return true
}

// yearSegment is the year of a legal-normative number (12/2024/NĐ-CP).
var yearSegment = regexp.MustCompile(`^\d+/(?:19|20)\d{2}/`)
