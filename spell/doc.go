// Package spell mends the diacritic slips OCR makes in free text: a mark misread so that a
// syllable becomes another real one ("cán bệ, công chức" for "cán bộ, công chức"). Each
// syllable is valid alone; the pair is not Vietnamese. A syllable bigram model counted from
// real administrative texts (Vietnamese legal documents from vbpl.vn, embedded compressed in
// syllables.gz, rebuilt by `go generate ./spell`) picks, among the syllables with the same
// letters, the reading its neighbours make overwhelmingly likelier, and leaves the text alone
// otherwise: names, numbers, codes and words the model does not know are never touched.
//
// It imports only the standard library and record; build and tests never read ../shared.
package spell
