// Package pii finds personal identifiers (CCCD and CMND numbers, an ID card's machine-readable
// zone) in OCR output and hides them from readers without the pii permission: in text, in
// word lists and, through the boxes it returns, in page images.
//
// It is a leaf: it knows record's types and nothing of HTTP, storage or search.
package pii

import (
	"regexp"

	"github.com/sohoa/sohoa/record"
)

// idNumber finds 9- and 12-digit numbers (CMND, CCCD) in free text.
var idNumber = regexp.MustCompile(`\d{12}|\d{9}`)

// MaskText hides the middle of every ID number in s the way record.MaskID hides a field.
func MaskText(s string) string { return idNumber.ReplaceAllStringFunc(s, record.MaskID) }
