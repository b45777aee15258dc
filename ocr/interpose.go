package ocr

// #cgo LDFLAGS: -lleptonica -lgomp
// int ocr_openmp_inline(void);
// int ocr_line_images_raw(void);
// unsigned long ocr_inline_regions(void);
// unsigned long ocr_raw_lines(void);
import "C"

// openMPInline reports whether Tesseract's OpenMP regions run inline on the calling thread
// (interpose.c): true when the process runs with OMP_THREAD_LIMIT=1, as every sohoa process
// does.
func openMPInline() bool { return C.ocr_openmp_inline() != 0 }

// lineImagesRaw reports whether Tesseract keeps its line images unencoded (interpose.c).
func lineImagesRaw() bool { return C.ocr_line_images_raw() != 0 }

// interposedCalls returns how many OpenMP regions interpose.c has run inline and how many of
// Tesseract's line images it has kept unencoded since the process started.
func interposedCalls() (regions, lines uint64) {
	return uint64(C.ocr_inline_regions()), uint64(C.ocr_raw_lines())
}
