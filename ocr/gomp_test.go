package ocr

import (
	"os"
	"testing"
)

// TestOpenMPInline fails if the dynamic linker binds Tesseract's OpenMP calls to libgomp
// rather than to gomp.c (the executable no longer exporting them, say), which would bring
// back a futex system call per LSTM time step.
func TestOpenMPInline(t *testing.T) {
	if os.Getenv("OMP_THREAD_LIMIT") != "1" {
		t.Skip("OMP_THREAD_LIMIT=1 is not set: libgomp may run a team of several threads")
	}
	if !openMPInline() {
		t.Fatal("Tesseract's OpenMP regions go through libgomp")
	}
}
