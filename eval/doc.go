// Package eval scores what the pipeline produced on a labelled set against the ground truth
// written by the fixture generator: OCR character and word error rates, deskew and
// orientation error, classification accuracy with its confusion matrix, per-field precision
// and recall, how well the review flag catches mistakes, throughput, and how all of that
// compares with raw Tesseract on the unprocessed pages.
//
// It is a measuring instrument, so it must not import the stages it measures (scan, ocr,
// classify, extract, pipeline) nor the queue, database, search or HTTP packages, and it uses
// no cgo: the raw-Tesseract baseline runs the tesseract command, not the engine under test.
// It may import record.
package eval
