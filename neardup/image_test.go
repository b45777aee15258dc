package neardup

import (
	"image"
	"math/rand/v2"
	"testing"
)

// inkBox skips paper eight pixels at a time; it must find exactly the box a pixel-by-pixel
// count finds, wherever the ink falls against the eight-pixel words.
func TestInkBoxMatchesPixelCount(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := range 200 {
		g := image.NewGray(image.Rect(3, 5, 3+50+rng.IntN(60), 5+40+rng.IntN(60)))
		for i := range g.Pix {
			g.Pix[i] = 255
		}
		for range 100 + rng.IntN(400) {
			g.Pix[rng.IntN(len(g.Pix))] = byte(rng.IntN(inkLevel + 1)) // 128 itself is paper
		}
		got, gotOK := inkBox(g)
		want, wantOK := naiveInkBox(g)
		if got != want || gotOK != wantOK {
			t.Fatalf("trial %d: inkBox = %v %v, pixel by pixel %v %v", trial, got, gotOK, want, wantOK)
		}
	}
}

func naiveInkBox(g *image.Gray) (image.Rectangle, bool) {
	b := g.Bounds()
	rows, cols, total := make([]int, b.Dy()), make([]int, b.Dx()), 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if g.GrayAt(x, y).Y < inkLevel {
				rows[y-b.Min.Y]++
				cols[x-b.Min.X]++
				total++
			}
		}
	}
	if total < 100 {
		return image.Rectangle{}, false
	}
	y0, y1 := quantiles(rows, total)
	x0, x1 := quantiles(cols, total)
	if y1 <= y0 || x1 <= x0 {
		return image.Rectangle{}, false
	}
	return image.Rect(b.Min.X+x0, b.Min.Y+y0, b.Min.X+x1, b.Min.Y+y1), true
}
