package extract

import (
	"regexp"
	"strings"

	"github.com/sohoa/sohoa/record"
)

// closing starts what follows a đơn's request: the applicant's commitment and thanks, and the
// signature's caption.
var closing = regexp.MustCompile(`^[^a-z0-9]*(?:toi\s*xin\s*(?:cam\s*doan|cam\s*ket|chan\s*thanh|tran\s*trong|cam\s*on)|xin\s*(?:chan\s*thanh|tran\s*trong)\s*cam\s*on|cam\s*doan|nguoi\s*(?:lam|viet)\s*don)`)

// paragraphLines bounds how far a request's paragraph is followed up and down from the
// sentence that asks.
const paragraphLines = 4

// requestParagraph widens a request read from its sentence ("Tôi đề nghị …", "Tôi làm đơn
// này kính đề nghị …") to the whole paragraph it closes: a đơn states its case and asks in
// one paragraph under the applicant's particulars ("Do sơ suất …, tôi đã làm mất giấy chứng
// nhận …" / "… Tôi làm đơn này kính đề nghị Quý cơ quan xem xét cấp lại."), and the
// paragraph ends before the applicant's commitment. The paragraph starts under the last
// particular (a labelled line or a line of a value read from one) and must open a sentence
// with a capital; otherwise the request stays as read.
func (s *state) requestParagraph(f *form) {
	if _, ok := s.out["request"]; !ok {
		return
	}
	for _, ls := range s.lines {
		for i, l := range ls {
			at := -1
			for _, h := range findLabels(f.labels, l.fold) {
				if h.kind == "reqs" {
					at = h.start
					break
				}
			}
			if at < 0 {
				continue
			}
			from := i
			for j := i - 1; j >= 0 && j >= i-paragraphLines && s.paragraphLine(f, ls[j]); j-- {
				from = j
			}
			if from < i && !startsUpper(strings.TrimSpace(ls[from].text)) {
				from = i
			}
			start, _ := l.orig(at, at)
			if from < i || caseBefore(l.text[:start]) {
				start = 0
			}
			to := i
			for j := i + 1; j < len(ls) && j <= i+paragraphLines && s.paragraphLine(f, ls[j]) && !closing.MatchString(ls[j].fold); j++ {
				to = j
			}
			parts := []string{strings.TrimSpace(ls[from].text[pick(from == i, start, 0):])}
			for j := from + 1; j <= to; j++ {
				parts = append(parts, strings.TrimSpace(ls[j].text))
			}
			text := strings.Join(parts, " ")
			if m := leadTrim.FindStringIndex(text); m != nil {
				text = text[m[1]:]
			}
			text = fixAsking(text)
			first := ls[from]
			delete(s.out, "request")
			s.putFormText("request", text, span{l: first, start: pick(from == i, start, 0), end: len(first.text)}, strengthLabel)
			return
		}
	}
}

// caseBefore reports whether text, what stands before the sentence that asks on its line,
// is the sentence that states the case ("Hồ sơ của tôi đã quá thời hạn … kết quả. Tôi đề
// nghị …"): it opens with a capital and ends with a stop.
func caseBefore(text string) bool {
	t := strings.TrimSpace(text)
	return startsUpper(t) && strings.HasSuffix(t, ".")
}

// paragraphLine reports whether l can be a line of a request's paragraph: text that holds no
// label, is not in capitals or brackets, and is no part of a value already read.
func (s *state) paragraphLine(f *form, l *line) bool {
	t := strings.TrimSpace(l.text)
	if t == "" || strings.HasPrefix(t, "(") || upperText(t) || len(findLabels(f.labels, l.fold)) > 0 || datePlace.MatchString(l.fold) {
		return false
	}
	for name, v := range s.out {
		if name != "request" && strings.Contains(v.Value, t) {
			return false
		}
	}
	return true
}

func pick(cond bool, a, b int) int {
	if cond {
		return a
	}
	return b
}

// asking is the formula a request asks with ("Tôi đề nghị", "Tôi làm đơn này kính đề
// nghị"); group 2 is the word that is "đề" there, whatever marks OCR gave it.
var asking = regexp.MustCompile(`((?:[Tt]ôi|[Kk]ính)(?:\s+làm\s+đơn\s+này)?(?:\s+kính)?\s+)(\pL+)(\s+nghị)`)

// fixAsking restores "đề" in the formula a request asks with ("Tôi để nghị" read for "Tôi
// đề nghị"): there the word can be no other.
func fixAsking(text string) string {
	m := asking.FindStringSubmatchIndex(text)
	if m == nil || record.Fold(text[m[4]:m[5]]) != "de" {
		return text
	}
	de := "đề"
	if startsUpper(text[m[4]:m[5]]) {
		de = caseAs(de, text[m[4]:m[5]])
	}
	return text[:m[4]] + de + text[m[5]:]
}
