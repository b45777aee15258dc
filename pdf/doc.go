// Package pdf writes searchable archival PDFs: each page is the prepared page image with an
// invisible text layer built from the OCR words already stored for it, so viewers show the
// scan while search, copy and pdftotext return the recognised Vietnamese text.
//
// It re-runs no OCR and needs no Tesseract at run time: the PDF is written by hand (objects,
// cross-reference table, trailer) the way Tesseract's own PDF renderer does it, with the
// glyph-less TrueType font Tesseract ships (glyphless.ttf, embedded in the binary) as a
// Type0/Identity-H font whose character codes are the UTF-16 code units of the text and whose
// ToUnicode CMap maps every code to itself, but for one code that stands for a gap between
// words (see text.go: how the layer is laid out so that pdftotext reads it in OCR's order).
//
// It is pure Go and depends only on record. It must not import cgo code (Tesseract), the
// queue, the database, the search client or HTTP packages.
package pdf
