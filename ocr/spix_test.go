package ocr

import (
	"bytes"
	"image"
	"image/color"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/otiai10/gosseract/v2"
	"golang.org/x/image/bmp"
)

// TestAppendSPIX compares the serialisation with what Leptonica 1.82's pixWriteMem(IFF_SPIX)
// wrote for the same 5×2 image (pixel values 1–5 and 0x10–0x14): rows padded to two
// 32-bit words, each word's bytes reversed. The image is cut out of a larger one, so the
// stride and the corner must be honoured too.
func TestAppendSPIX(t *testing.T) {
	t.Parallel()
	big := image.NewGray(image.Rect(0, 0, 9, 4))
	for i := range big.Pix {
		big.Pix[i] = 0xee
	}
	for x := range 5 {
		big.SetGray(2+x, 1, color.Gray{uint8(x + 1)})
		big.SetGray(2+x, 2, color.Gray{uint8(0x10 + x)})
	}
	g := big.SubImage(image.Rect(2, 1, 7, 3)).(*image.Gray)
	want := []byte{
		0x73, 0x70, 0x69, 0x78, 5, 0, 0, 0, 2, 0, 0, 0, 8, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0,
		4, 3, 2, 1, 0, 0, 0, 5,
		0x13, 0x12, 0x11, 0x10, 0, 0, 0, 0x14,
	}
	if diff := cmp.Diff(want, appendSPIX(nil, g)); diff != "" {
		t.Errorf("appendSPIX (-leptonica +got):\n%s", diff)
	}
}

// TestHandleOf fails if gosseract stops keeping its TessBaseAPI where capi.go looks for it,
// which would silently stop the re-read of picture blocks.
func TestHandleOf(t *testing.T) {
	t.Parallel()
	c := gosseract.NewClient()
	defer c.Close()
	if handleOf(c) == nil {
		t.Fatal("no TessBaseAPI found in gosseract.Client")
	}
}

// BenchmarkHandover measures handing an A4 page at 300 dpi to gosseract in the two
// formats Leptonica reads without a decoder worth the name: encoding in Go plus
// SetImageFromBytes (Leptonica's pixReadMem). A BMP of a gray image also comes back with
// a colour map, which Tesseract's SetImage then removes in one more pass over the pixels.
func BenchmarkHandover(b *testing.B) {
	g := render(b, 595, 842, 300, a4Page(b))
	c := gosseract.NewClient()
	defer c.Close()
	b.Run("spix", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			buf = appendSPIX(buf[:0], g)
			if err := c.SetImageFromBytes(buf); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bmp", func(b *testing.B) {
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			if err := bmp.Encode(&buf, g); err != nil {
				b.Fatal(err)
			}
			if err := c.SetImageFromBytes(buf.Bytes()); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestAppendSPIXWidths checks every way a row can end (whole 8-byte runs, a 4-byte run, a
// ragged tail) against Leptonica's rule for 8-bit pixels: pixel x of a row is byte x^3.
func TestAppendSPIXWidths(t *testing.T) {
	t.Parallel()
	for w := 1; w <= 19; w++ {
		g := image.NewGray(image.Rect(0, 0, w, 3))
		for i := range g.Pix {
			g.Pix[i] = uint8(i*7 + 1)
		}
		got := appendSPIX([]byte("prefix"), g)[len("prefix")+28:]
		wpl := (w + 3) / 4
		want := make([]byte, 4*wpl*3)
		for y := range 3 {
			for x := range w {
				want[y*4*wpl+x^3] = g.Pix[y*g.Stride+x]
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("width %d: raster (-want +got):\n%s", w, diff)
		}
	}
}
