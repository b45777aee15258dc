// Package classify decides which taxonomy document type a recognised document is, from the
// text of its pages: the type heading under the Decree 30 header, the type abbreviation in
// the số và ký hiệu ("Số: 12/QĐ-UBND"), and the labels that identity, civil-status, land,
// business and application forms print.
//
// It works on OCR output, so every cue is matched on record.Fold()ed text with tolerant
// patterns. It is a pure library over record types: it must not import cgo, the OCR or scan
// stages, the queue, the database, the search index or HTTP code.
package classify
