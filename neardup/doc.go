// Package neardup recognises the same paper scanned twice: another scan, another DPI, a copy,
// slightly different skew, crop or brightness. A page's Signature holds a perceptual hash of
// the prepared page's printed area (its layout) and a MinHash of its recognised text (its
// content); Compare decides on both, because documents made from one template share their
// layout (their image hashes are close) and differ only in their words.
//
// It works on a prepared page image and its OCR text and imports no storage, queue or HTTP
// package, so the worker computes signatures and the API decides links without Tesseract.
package neardup
