// Package extract reads the fields of a classified document out of its OCR text: the số và ký
// hiệu, date, issuer, trích yếu and signature of Decree 30 and legal documents, and the
// labelled values of civil-status, identity, land, business and application forms. Each value
// is normalised to its taxonomy format, validated (calendar dates, CCCD structure, MST check
// digit …), scored from the OCR word confidences, and boxed on its page.
//
// Labels are matched on folded text (lower case, no diacritics, đ→d) so OCR that drops
// diacritics still matches; values are always taken from the original NFC text. It is a pure
// library over record types: it must not import cgo, the OCR or scan stages, the queue, the
// database, the search index or HTTP code.
package extract
