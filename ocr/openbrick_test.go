package ocr

import (
	"context"
	"fmt"
	"testing"
)

// TestOpenBrickAgrees checks openbrick.c's opening against Leptonica's, bit for bit, on
// random images: the bricks Tesseract's line finder uses at 70, 300 and 400 dpi, even and
// odd sizes (the origin moves with them), bricks longer than the image, and widths that do
// not fill the last 32-bit word of a row.
func TestOpenBrickAgrees(t *testing.T) {
	t.Parallel()
	bricks := [][2]int{{75, 1}, {1, 75}, {15, 15}, {17, 1}, {1, 17}, {3, 3}, {100, 1}, {1, 100},
		{20, 20}, {2, 1}, {1, 2}, {2, 2}, {4, 7}, {64, 1}, {33, 5}, {1, 63}}
	sizes := [][2]int{{97, 61}, {128, 64}, {33, 200}, {250, 31}, {5, 5}, {1, 40}, {40, 1}}
	densities := []int{0, 3, 30, 70, 100}
	seed := uint32(1)
	for _, b := range bricks {
		for _, s := range sizes {
			for _, d := range densities {
				seed++
				if !openBrickAgrees(s[0], s[1], b[0], b[1], d, seed) {
					t.Errorf("opening a %dx%d image (%d%% ink, seed %d) by a %dx%d brick differs from Leptonica's", s[0], s[1], d, seed, b[0], b[1])
				}
			}
		}
	}
}

// TestOpenBrickAgreesOnPages checks pages of A4 size at 300 dpi with the line finder's
// bricks.
func TestOpenBrickAgreesOnPages(t *testing.T) {
	t.Parallel()
	for i, b := range [][2]int{{75, 1}, {1, 75}, {15, 15}} {
		t.Run(fmt.Sprintf("%dx%d", b[0], b[1]), func(t *testing.T) {
			t.Parallel()
			if !openBrickAgrees(2480, 3508, b[0], b[1], 4, uint32(100+i)) {
				t.Errorf("opening an A4 page by a %dx%d brick differs from Leptonica's", b[0], b[1])
			}
		})
	}
}

// TestOpenBrickThroughGosseract recognises a page with a rule through the pool's clients
// and checks that their Tesseract's line finder opened it here: it fails if the dynamic
// linker binds libtesseract's pixOpenBrick to Leptonica's.
func TestOpenBrickThroughGosseract(t *testing.T) {
	p := testPool(t)
	g := render(t, 900, 200, 300, []textLine{{text: "Độc lập - Tự do - Hạnh phúc", x: 20, y: 60, size: 13}})
	for x := 20; x < 880; x++ {
		for y := 120; y < 124; y++ {
			g.Pix[y*g.Stride+x] = 0
		}
	}
	before := fastOpenings()
	if _, err := p.Recognize(context.Background(), g, 300); err != nil {
		t.Fatal(err)
	}
	if fastOpenings() == before {
		t.Error("recognising a page opened no image through openbrick.c")
	}
}
