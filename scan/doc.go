// Package scan turns uploaded files into clean page images for OCR: it sniffs and decodes
// PNG, JPEG, TIFF (multi-page, G4), WebP, BMP, GIF and PDF with guards against oversized,
// corrupt and hostile input, splits them into pages, and prepares each page (upright,
// deskewed, gray, seals removed (red ones by their colour, gray ones by their ring's shape),
// normalised resolution, blank pages flagged).
//
// Every rejection of a file is an *InputError wrapping one of the Err sentinels, with a
// message a clerk can act on.
//
// Pages, Count, Unzip and Prepare hold no state and are safe to call from many goroutines;
// each works on one page at a time and on one core.
//
// It is pure Go except for an exec of poppler's pdftoppm and pdfinfo (Debian package
// poppler-utils) for PDF pages that pdfcpu cannot hand over as a single image (JBIG2, JPX,
// vector text, several images) or PDFs pdfcpu cannot parse. pdfcpu is used with a
// configuration built here, so it never reads or creates a configuration directory.
//
// It must not import cgo code (Tesseract), the queue, the database, the search client or
// HTTP packages: orientation detection comes in through the Orienter interface. (pdfcpu
// links net/http for signature revocation checks; scan runs it offline.)
package scan
