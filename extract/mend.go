package extract

// A value is mended after extraction when a rule of its field's kind says how it was printed
// better than OCR read it: the surname of a person's name, a company's foreign name, the
// unit words and province of an address, a value from a closed list. Each mend keeps what was read on the field and
// discounts the raw score, so a mended value is never surer than the reading was.

// mender mends the values of the fields it applies to.
type mender struct {
	applies  func(s *state, name string) bool
	mend     func(name, v string) (string, bool)
	strength float64 // the raw score's discount when the value changed
}

// anyField adapts a mend that is the same for every field it applies to.
func anyField(mend func(v string) (string, bool)) func(name, v string) (string, bool) {
	return func(_, v string) (string, bool) { return mend(v) }
}

var menders = []mender{
	{personName, anyField(mendDoubledVowel), strengthCorrected},
	{personName, anyField(mendSurname), strengthSurnameMended},
	{func(_ *state, name string) bool { return foreignNameFields[name] }, anyField(foreignName), strengthCorrected},
	{func(_ *state, name string) bool { return addressFields[name] }, anyField(mendAddress), strengthCorrected},
	{closedField, snapClosed, strengthCorrected},
}

// personName reports whether field name holds a person's name (or a company's, which the
// surname mender leaves alone).
func personName(s *state, name string) bool {
	format, _ := s.dt.Format(name)
	return Kind(Family(name, format)) == FamilyName
}

// mendValues applies every mender to the values read.
func (s *state) mendValues() {
	for name, f := range s.out {
		for _, m := range menders {
			if !m.applies(s, name) {
				continue
			}
			fixed, changed := m.mend(name, f.Value)
			if !changed {
				continue
			}
			if f.Read == "" {
				f.Read = f.Value
			}
			f.Value = fixed
			f.Confidence = round2(f.Confidence * m.strength)
		}
		s.out[name] = f
	}
}
