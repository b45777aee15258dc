package neardup

import (
	"image"
	"math/rand/v2"
	"slices"
	"testing"
)

// inkCounts skips paper eight pixels at a time; it must count exactly what a pixel-by-pixel
// count finds, wherever the ink falls against the eight-pixel words.
func TestInkCountsMatchPixelCount(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := range 200 {
		g := image.NewGray(image.Rect(3, 5, 3+50+rng.IntN(60), 5+40+rng.IntN(60)))
		for i := range g.Pix {
			g.Pix[i] = 255
		}
		for range 100 + rng.IntN(400) {
			g.Pix[rng.IntN(len(g.Pix))] = byte(rng.IntN(inkLevel + 1)) // 128 itself is paper
		}
		rows, cols, total := inkCounts(g)
		b := g.Bounds()
		wantRows, wantCols, wantTotal := make([]int, b.Dy()), make([]int, b.Dx()), 0
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				if g.GrayAt(x, y).Y < inkLevel {
					wantRows[y-b.Min.Y]++
					wantCols[x-b.Min.X]++
					wantTotal++
				}
			}
		}
		if !slices.Equal(rows, wantRows) || !slices.Equal(cols, wantCols) || total != wantTotal {
			t.Fatalf("trial %d: inkCounts differs from a pixel-by-pixel count (total %d, want %d)", trial, total, wantTotal)
		}
	}
}
