package ocr

import (
	"context"
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

// TestInterposedThroughGosseract recognises a line through the pool's gosseract clients and
// checks that their Tesseract called both replacements while doing so. It runs alone, as
// other tests' recognitions would add to the counts; they only ever add.
func TestInterposedThroughGosseract(t *testing.T) {
	if os.Getenv("OMP_THREAD_LIMIT") != "1" {
		t.Skip("OMP_THREAD_LIMIT=1 is not set: regions may run in a team")
	}
	p := testPool(t)
	g := render(t, 500, 60, 300, []textLine{{text: "Độc lập - Tự do - Hạnh phúc", x: 20, y: 40, size: 13}})
	regions, lines := interposedCalls()
	if _, err := p.Recognize(context.Background(), g, 300); err != nil {
		t.Fatal(err)
	}
	regions2, lines2 := interposedCalls()
	if regions2 == regions {
		t.Error("recognising a line ran no OpenMP region inline")
	}
	if lines2 == lines {
		t.Error("recognising a line kept no line image unencoded")
	}
}
