package extract

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/sohoa/sohoa/classify"
	"github.com/sohoa/sohoa/record"
)

// A property card is a legal-documents database's summary of a document ("Thuộc tính văn
// bản" on vbpl.vn and in document-management systems), printed and filed instead of the
// document: no header, no signature block, every field behind its label, the type only as
// "Loại văn bản". Its values are read as a form's, the issuer brought to the upper case a
// header prints it in.
//
// A filed card carries the receiving office's stamp like any incoming document, and on a card
// it lands on the labels: the stamp's "Ngày: 03/08/2020" ends a label's line, its "CỔNG THÔNG
// TIN ĐIỆN TỬ CHÍNH PHỦ" is read into a value, and a label is split by it ("Người" lost, "ký:"
// on a line of its own, its value on the next line). So the stamp's own labels stop a value,
// a label's last word still names it, and a value that is not what the field holds is dropped
// for review rather than filed.

var cardTypeLabel = regexp.MustCompile(`^\W*loai\s*van\s*ban\s*:`)

var cardForm = &form{
	labels: []labelDef{
		lbl("number", `so\s*hieu(?:\s*van\s*ban)?|so\s*,?\s*ky\s*hieu`),
		// "hành" is often read "bành" (an h's ascender and bowl taken for a b).
		lbl("date", `ngay\s*ban\s*[hb]anh`),
		lbl("issuer", `co\s*quan\s*ban\s*[hb]anh|noi\s*ban\s*[hb]anh`),
		lbl("signer", `nguoi\s*ky`),
		lbl("subject", `trich\s*yeu(?:\s*noi\s*dung)?`),
		lbl("stop", `loai\s*van\s*ban`), lbl("stop", `ngay\s*(?:co\s*)?hieu\s*luc`), lbl("stop", `ngay\s*het\s*hieu\s*luc`),
		lbl("stop", `tinh\s*trang(?:\s*hieu\s*luc)?`), lbl("stop", `linh\s*vuc`), lbl("stop", `chuc\s*danh`),
		lbl("stop", `ngay\s*dang\s*cong\s*bao`), lbl("stop", `ngay\s*ky\s*xac\s*thuc`), lbl("stop", `nganh\s*:`),
		// The received stamp's own fields, wherever on a line the line finder put them (a
		// label must end at a word's end, so the stamp's values are part of them).
		lbl("stop", `ngay\s*:\s*\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{2,4})?`), lbl("stop", `gio\s*:\s*\d{1,2}\s*[:h.]\s*\d{2}`),
		lbl("stop", `chuyen\s*:`),
		// A label's last word, its first words lost under a stamp: "ký:" can only end "Người
		// ký:"; "hành:" ends the issuer's or the date's label, told apart by the value (see
		// cardRows); "lực:", "hiệu:" end labels whose values are not kept.
		lbl("signer", `^\W*ky\s*:`), lbl("hanh", `(?:^|\s)hanh\s*:\s*$`), lbl("stop", `(?:^|\s)(?:luc|hieu)\s*:\s*$`),
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
	s.cardSigner()
	s.cardRows(first)
	s.cardIssuer()
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

// cardName is a signer as a card prints it: two to six words, each capitalised and the rest
// in lower case ("Nguyễn Mạnh Khương"), never in capitals as a stamp or a header is; an
// officer's rank may stand before it ("Thượng tướng Võ Minh Lương", "Đại tướng Tô Lâm").
var cardName = regexp.MustCompile(`^(?:(?:Đại|Thượng|Trung|Thiếu)\s+(?:tướng|tá|úy)\s+)?\p{Lu}\p{Ll}*(?:\s+\p{Lu}\p{Ll}*){1,5}$`)

// cardSigner drops a signer that is not a name (a stamp's words, a name half under the stamp)
// and leaves the field unread, so that the card goes to review with it named.
func (s *state) cardSigner() {
	if f, ok := s.out["signer"]; ok && f.Value != "" && !cardName.MatchString(f.Value) {
		s.out["signer"] = record.Field{Valid: false}
	}
}

// rowLines is how many lines after a label its value is looked for in when the line finder
// put the value on a line of its own (a stamp between the label and its value splits the row).
const rowLines = 8

// cardRows reads a labelled field left unread from the line printed on the label's row, right
// of it: the line finder, thrown by a stamp, may put "Lương Hồng Hương" lines after "ký:".
func (s *state) cardRows(ls []*line) {
	for i, l := range ls {
		for _, h := range findLabels(cardForm.labels, l.fold) {
			names := rowFields(h.kind)
			if len(names) == 0 {
				continue
			}
			lb, ok := spanBox(span{l: l, start: l.off[h.start], end: l.off[h.end-1] + 1})
			if !ok {
				continue
			}
			for _, v := range ls[i+1 : min(len(ls), i+1+rowLines)] {
				vb, ok := spanBox(span{l: v, start: 0, end: len(v.text)})
				if !ok || vb[0] <= lb[2] || !sameRow(lb, vb) || len(findLabels(cardForm.labels, v.fold)) > 0 {
					continue
				}
				for _, name := range names {
					if s.putRow(name, v) {
						break
					}
				}
				break
			}
		}
	}
}

// rowFields are the fields a label of kind may name, the likelier first: a date is tried
// before an issuer, which would take any text.
func rowFields(kind string) []string {
	if kind == "hanh" {
		return []string{"issued_date", "issuer"}
	}
	if name := cardForm.fields[kind]; name != "" {
		return []string{name}
	}
	return nil
}

// putRow sets name, if still unread, from the whole of line v, and reports whether it did.
func (s *state) putRow(name string, v *line) bool {
	unread, had := s.out[name]
	if had && unread.Value != "" {
		return false
	}
	a, b := trimValue(v.text, 0, len(v.text))
	if b <= a || name == "signer" && !cardName.MatchString(v.text[a:b]) {
		return false
	}
	delete(s.out, name)
	if s.set(name, span{l: v, start: a, end: b}, strengthNextLine) {
		return true
	}
	if had {
		s.out[name] = unread
	}
	return false
}

// spanBox is the box of the words of sp; ok is false when the line has no word boxes there.
func spanBox(sp span) (record.Box, bool) {
	var b record.Box
	for _, w := range sp.l.words {
		if w.end > sp.start && w.start < sp.end {
			b = b.Union(w.w.Box)
		}
	}
	return b, b != record.Box{}
}

// sameRow reports whether two boxes share most of the shorter one's height: one printed row.
func sameRow(a, b record.Box) bool {
	overlap := min(a[3], b[3]) - max(a[1], b[1])
	return 2*overlap >= min(a[3]-a[1], b[3]-b[1])
}

// cardIssuer brings the issuer to a header's upper case, without the marks OCR read in front
// of it (a stamp's "ˆ"), and corrects it to the closed vocabularies as the header's issuer is.
func (s *state) cardIssuer() {
	f, ok := s.out["issuer"]
	if !ok || f.Value == "" {
		return
	}
	fs := strings.Fields(f.Value)
	for len(fs) > 0 && !hasCased(fs[0]) {
		fs = fs[1:]
	}
	if len(fs) == 0 {
		s.out["issuer"] = record.Field{Valid: false}
		return
	}
	delete(s.out, "issuer")
	s.putIssuer(strings.ToUpper(strings.Join(fs, " ")), span{}, 1)
	g := s.out["issuer"]
	// The form measured the box and confidence on the value as read; a correction to the
	// vocabulary costs what it costs a header's issuer.
	g.Page, g.BBox, g.Valid, g.Confidence = f.Page, f.BBox, f.Valid, f.Confidence
	if g.Read != "" {
		g.Confidence = round2(f.Confidence * strengthCorrected)
	}
	s.out["issuer"] = g
}

// hasCased reports whether w holds a letter that has an upper and a lower case: a word, not a
// mark or a modifier letter read from a stamp's edge.
func hasCased(w string) bool {
	for _, r := range w {
		if unicode.IsUpper(r) || unicode.IsLower(r) {
			return true
		}
	}
	return false
}
