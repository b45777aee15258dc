package ocr

import (
	"os"
	"testing"
)

// The tests below fail if the dynamic linker binds Tesseract's calls to libgomp and
// Leptonica rather than to interpose.c (the executable no longer exporting its functions,
// say), which would bring back a futex system call per LSTM time step and a PNG encoded and
// decoded per text line. That the output stays the same is what every recognition test checks.

func TestOpenMPInline(t *testing.T) {
	if os.Getenv("OMP_THREAD_LIMIT") != "1" {
		t.Skip("OMP_THREAD_LIMIT=1 is not set: libgomp may run a team of several threads")
	}
	if !openMPInline() {
		t.Fatal("Tesseract's OpenMP regions go through libgomp")
	}
}

func TestLineImagesRaw(t *testing.T) {
	if !lineImagesRaw() {
		t.Fatal("Tesseract's line images go through Leptonica's PNG encoder")
	}
}
