// Package spell mends the diacritic slips OCR makes in free text: a mark misread so that a
// syllable becomes another real one ("cán bệ, công chức" for "cán bộ, công chức"). Each
// syllable is valid alone; the pair is not Vietnamese. A syllable bigram model counted from
// real administrative texts picks, among the syllables with the same letters, the reading its
// neighbours make overwhelmingly likelier, and leaves the text alone otherwise: names,
// numbers, codes and words the model does not know are never touched.
//
// The counts (syllables.gz, embedded) come from the bodies of Vietnamese legal documents of
// vbpl.vn, through phanbasongtoan112-art/vbpl-layout-detection (MIT); legal texts are not
// protected by copyright (IP Law art. 15). `go generate ./spell` rebuilds them from
// ../shared/data/vbpl; building and testing never read ../shared.
//
// It imports only the standard library, golang.org/x/text and record.
package spell
