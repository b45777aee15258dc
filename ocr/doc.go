// Package ocr turns prepared page images into words, lines and text with Tesseract: a pool
// of reused gosseract clients (one per worker, created serially because Init writes
// process-wide parameters) handed each page in Leptonica's own serialisation (spix.go),
// Tesseract's C API only for what gosseract has no call for (capi.go: orientation detection
// through Tesseract's OSD, picture blocks), a reading order that puts the left column of
// Vietnamese administrative headers and signature areas before the right one, and the
// Vietnamese post-processing (Normalize).
//
// It is the only sohoa package that uses cgo. It must not import the queue, database,
// search, HTTP or scan packages; it depends only on gosseract, record, internal/inkband
// and internal/mrz.
//
// Run every process that uses it with OMP_THREAD_LIMIT=1 in the environment: with OpenMP
// on, Tesseract runs several times slower on a small machine (shared/notes/libraries.md §2).
// With that limit, interpose.c runs Tesseract's OpenMP regions inline instead of through
// libgomp's teams of one, which cost a system call per LSTM time step; it also spares
// Tesseract a PNG encoded and decoded for every text line. openbrick.c opens binary images
// for Tesseract's line finder in a few shifted copies where Leptonica makes one per pixel
// of the brick, with the same result.
package ocr
