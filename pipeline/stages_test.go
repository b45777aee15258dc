package pipeline

import (
	"bytes"
	"image"
	"image/png"
	"testing"
)

// TestEncodePage reads back what encodePage wrote with the standard PNG decoder and expects
// the same pixels, for a whole image, for a sub-image whose rows are wider than it and for
// a strip of a page.
func TestEncodePage(t *testing.T) {
	t.Parallel()
	full := image.NewGray(image.Rect(0, 0, 301, 203))
	for i := range full.Pix {
		full.Pix[i] = uint8(i*7 + i/301)
	}
	// A page: white paper with lines of black strokes, long runs and repeats far apart,
	// where the deflater's matches (not its literals) carry the data.
	page := image.NewGray(image.Rect(0, 0, 2480, 400))
	for i := range page.Pix {
		x, y := i%2480, i/2480
		page.Pix[i] = 255
		if y%40 < 12 && (x/7)%5 != 0 && x%97 > 3 {
			page.Pix[i] = uint8(x * y % 40)
		}
	}
	cases := map[string]*image.Gray{
		"whole":     full,
		"sub-image": full.SubImage(image.Rect(17, 9, 250, 190)).(*image.Gray),
		"page":      page,
	}
	for name, g := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			data, err := encodePage(g)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("decoding: %v", err)
			}
			got, ok := img.(*image.Gray)
			if !ok {
				t.Fatalf("decoded a %T, want *image.Gray", img)
			}
			if got.Rect.Dx() != g.Rect.Dx() || got.Rect.Dy() != g.Rect.Dy() {
				t.Fatalf("size %v, want %v", got.Rect.Size(), g.Rect.Size())
			}
			for y := range g.Rect.Dy() {
				for x := range g.Rect.Dx() {
					if w, v := g.GrayAt(g.Rect.Min.X+x, g.Rect.Min.Y+y).Y, got.GrayAt(x, y).Y; v != w {
						t.Fatalf("pixel (%d,%d) = %d, want %d", x, y, v, w)
					}
				}
			}
		})
	}
}
