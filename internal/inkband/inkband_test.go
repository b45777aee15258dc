package inkband

import (
	"image"
	"testing"
)

func TestDensest(t *testing.T) {
	g := image.NewGray(image.Rect(10, 20, 110, 320)) // offset origin, as sub-images have
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	for y := 200; y < 240; y++ { // a block of "text" rows 200–239, columns 40–69
		for x := 40; x < 70; x++ {
			g.Pix[g.PixOffset(x, y)] = 0
		}
	}
	// Every other row is sampled, so the band may stop a row short of the block.
	if got := Densest(g, 6, false); min(got.Max.Y, 240)-max(got.Min.Y, 200) < 39 || got.Dx() != 100 || got.Dy() != 50 {
		t.Errorf("rows: band %v, want 50 full-width rows covering 200–239 (one row short at most)", got)
	}
	if got := Densest(g, 4, true); got.Min.X < 40 || got.Max.X > 70 || got.Dy() != 300 || got.Dx() != 25 {
		t.Errorf("columns: band %v, want 25 full-height columns inside 40–69", got)
	}
}
