package scan

import (
	"image"
	"math/rand/v2"
	"testing"
)

func TestFlattenBackground(t *testing.T) {
	t.Parallel()
	page := synthSmall(t)
	w, h := page.Rect.Dx(), page.Rect.Dy()
	// light falls from 100% at the top left to 45% at the bottom right, as in a phone photo
	// with the phone's shadow on one corner; text there is darker than paper nearby but
	// lighter than paper at the top.
	lit := image.NewGray(page.Rect)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			f := 1 - 0.55*(float64(x)/float64(w)+float64(y)/float64(h))/2
			lit.Pix[y*lit.Stride+x] = uint8(float64(page.Pix[y*page.Stride+x]) * f)
		}
	}
	// Salt noise: white specks of 3×3 pixels, one per 32×32 on average, brighter than any
	// paper under that light.
	salty := image.NewGray(lit.Rect)
	copy(salty.Pix, lit.Pix)
	rng := rand.New(rand.NewPCG(1, 2))
	for range w * h / (32 * 32) {
		x, y := rng.IntN(w-3), rng.IntN(h-3)
		for i := range 9 {
			salty.Pix[(y+i/3)*salty.Stride+x+i%3] = 255
		}
	}
	tests := []struct {
		name string
		img  *image.Gray
	}{
		{"even paper", page},
		{"uneven light", lit},
		{"uneven light, salt noise", salty},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := image.NewGray(tc.img.Rect)
			copy(g.Pix, tc.img.Pix)
			flattenBackground(g)
			// Paper: the margins, top left and bottom right, come out white.
			for _, p := range []image.Point{{20, 20}, {w - 20, h - 20}, {w / 2, 30}, {30, h / 2}} {
				if v := g.GrayAt(p.X, p.Y).Y; v < 245 {
					t.Errorf("paper at %v = %d, want ≥ 245", p, v)
				}
			}
			// Text: one global threshold finds the same ink as on the evenly lit page.
			whole := g.Rect
			got, want := darkCount(g, whole), darkCount(page, whole)
			if d := got - want; d < -want/20 || d > want/20 {
				t.Errorf("dark pixels = %d, on the original page %d", got, want)
			}
		})
	}
}

func TestCellAt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p          int
		wantCell   int
		wantWeight int64
	}{
		// Cells of 8 pixels have centres at 4, 12, 20 and 28; pixel p's centre is p+0.5.
		{0, 0, 0},    // before the first centre: the first cell alone
		{7, 0, 112},  // 7.5 is 3.5/8 of the way from 4 to 12: 112/256
		{15, 1, 112}, // the same between the second and third
		{30, 3, 0},   // past the last centre: the last cell alone
	}
	for _, tc := range tests {
		if c, wt := cellAt(tc.p, 8, 4); c != tc.wantCell || wt != tc.wantWeight {
			t.Errorf("cellAt(%d) = %d, %d; want %d, %d", tc.p, c, wt, tc.wantCell, tc.wantWeight)
		}
	}
}
