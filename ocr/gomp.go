package ocr

// int ocr_openmp_inline(void);
import "C"

// openMPInline reports whether Tesseract's OpenMP regions run inline on the calling thread
// (gomp.c): true when the process runs with OMP_THREAD_LIMIT=1, as every sohoa process does.
func openMPInline() bool { return C.ocr_openmp_inline() != 0 }
