package extract

import (
	"strings"
	"unicode"

	"github.com/sohoa/sohoa/spell"
)

// strengthMended discounts a free-text value in which the language model changed a mark: the
// change is nearly always right on the texts measured, but OCR did not read it so.
const strengthMended = 0.9

// putMended records a free-text value assembled from read lines, with the diacritic slips
// the syllable model is sure of mended ("cán bệ, công chức" → "cán bộ, công chức"); the
// reading is kept on the field when anything changed.
func (s *state) putMended(name, text string, sp span, strength float64) {
	if fixed, ok := mend(text); ok {
		s.putCorrected(name, fixed, text, sp, strength*strengthMended)
		return
	}
	s.putText(name, text, sp, strength)
}

// mend returns text mended by the embedded syllable model, and whether it changed.
func mend(text string) (string, bool) {
	m, err := spell.Default()
	if err != nil {
		return text, false // the embedded model is checked by spell's tests
	}
	return m.Mend(text)
}

// suspect reports whether the embedded syllable model suspects a diacritic slip in text that
// it is not sure enough of to mend ("Hội nghị tống kết"). It judges a trích yếu only: the
// model is counted from legal prose, and the names of places and bodies in an address or a
// place of registration, rare in it, would look suspect too.
func suspect(text string) bool {
	m, err := spell.Default()
	if err != nil {
		return false
	}
	return m.Suspect(text)
}

// splitSyllable reports whether text holds a syllable split by a space before its final
// consonant ("thủ tụ c hành chính" for tục): a lone consonant letter that, joined to the
// word before it, makes a syllable the counted texts know. A list's letter ("điểm c khoản 2")
// makes none with its word.
func splitSyllable(text string) bool {
	m, err := spell.Default()
	if err != nil {
		return false
	}
	ws := strings.Fields(text)
	for i := 1; i < len(ws); i++ {
		r := []rune(ws[i])
		if len(r) != 1 || !unicode.IsLower(r[0]) || strings.ContainsRune("aăâeêioôơuưy", r[0]) {
			continue
		}
		if prev := ws[i-1]; hasDiacritics(prev) && m.Known(prev+ws[i]) {
			return true
		}
	}
	return false
}

// maxEndShare is the share of its occurrences in legal text under which a syllable is taken
// never to end a phrase (see spell.Model.EndShare): "và" 0.7%, "của" 0.6%, "các" 0.1%, while
// the least such last word of the dev sets' trích yếu, "hình", ends 4%.
const maxEndShare = 0.01

// cutShort reports whether a trích yếu ends where no title ends: on a comma ("… tại các cơ
// quan," whose last line the stamp hid; the titles vbpl lists with one are cut too), or on a
// word the counted legal texts almost never end a phrase with ("… trong các").
func cutShort(text string) bool {
	text = strings.TrimSpace(text)
	if strings.HasSuffix(text, ",") {
		return true
	}
	ws := strings.Fields(text)
	m, err := spell.Default()
	if len(ws) == 0 || err != nil {
		return false
	}
	share, ok := m.EndShare(ws[len(ws)-1])
	return ok && share < maxEndShare
}

// mendedFormFields are the free-text fields of forms, read by their label, that the syllable
// model mends ("Ủy ban nhần dần xã …" where the registration was made); names, numbers, dates
// and addresses never are.
var mendedFormFields = map[string]bool{"registration_place": true, "request": true, "use_form": true}

// putFormText is putText for a form's field, mended when it is one of mendedFormFields.
func (s *state) putFormText(name, text string, sp span, strength float64) {
	if mendedFormFields[name] {
		s.putMended(name, text, sp, strength)
		return
	}
	s.putText(name, text, sp, strength)
}

// setForm is set for a form's field, mended when it is one of mendedFormFields; it reports
// whether the field was recorded.
func (s *state) setForm(name string, sp span, strength float64) bool {
	if !mendedFormFields[name] {
		return s.set(name, sp, strength)
	}
	if _, done := s.out[name]; done {
		return false
	}
	s.putMended(name, sp.text(), sp, strength)
	_, ok := s.out[name]
	return ok
}
