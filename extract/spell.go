package extract

import "github.com/sohoa/sohoa/spell"

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
