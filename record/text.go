package record

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// NFC returns s in Unicode normal form C, the form Decree 30 (TCVN 6909:2001) prescribes and
// every stored or compared string in sohoa uses.
func NFC(s string) string { return norm.NFC.String(s) }

// Fold returns s lower-cased with Vietnamese diacritics removed and đ mapped to d, for
// matching labels and queries typed without diacritics ("Số hồ sơ" → "so ho so").
// Folding works rune by rune, so byte offsets differ from s; use it only for matching.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			b.WriteRune('d')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// CollapseSpace trims s and replaces every run of white space with one space.
func CollapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// MaskID hides the middle of an identifier for logs and for readers without the pii
// permission: "001090123456" → "001*******56". Values of four characters or fewer are fully masked.
func MaskID(id string) string {
	r := []rune(id)
	if len(r) <= 4 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:3]) + strings.Repeat("*", len(r)-5) + string(r[len(r)-2:])
}
