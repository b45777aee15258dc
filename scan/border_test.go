package scan

import (
	"image"
	"math"
	"testing"
)

func TestRemoveBorders(t *testing.T) {
	t.Parallel()
	page := synthSmall(t) // 150 dpi, 1240×1754
	g := cloneGray(page)
	w, h := g.Rect.Dx(), g.Rect.Dy()
	// A dark platen along the left side, wider at the bottom (a skewed page), and along the top.
	for y := range h {
		for x := range 20 + y/60 {
			g.Pix[y*g.Stride+x] = 10
		}
	}
	for y := range 15 {
		for x := range w {
			g.Pix[y*g.Stride+x] = 20
		}
	}
	// Two binder holes, 6 mm across, 12 mm from the left edge.
	r := 6.0 / 25.4 * 150 / 2
	for _, cy := range []float64{float64(h) / 3, 2 * float64(h) / 3} {
		cx := 12.0/25.4*150 + r
		for y := int(cy - r); y <= int(cy+r); y++ {
			for x := int(cx - r); x <= int(cx+r); x++ {
				if math.Hypot(float64(x)-cx, float64(y)-cy) <= r {
					g.Pix[y*g.Stride+x] = 0
				}
			}
		}
	}
	removeBorders(g, 150)
	if n := changed(page, g); n != 0 {
		t.Errorf("%d pixels differ from the page without borders and holes", n)
	}

	t.Run("a band short of the edge", func(t *testing.T) {
		t.Parallel()
		// A copy of a copy: the dark band of the first copy's platen lies a few pixels
		// inside the second copy's edge, with white beyond it.
		g := cloneGray(page)
		for y := 5; y < h-30; y++ {
			for x := 4; x < 30; x++ {
				g.Pix[y*g.Stride+x] = 50
			}
		}
		for y := h - 28; y < h-3; y++ {
			for x := 40; x < w-5; x++ {
				g.Pix[y*g.Stride+x] = 60
			}
		}
		removeBorders(g, 150)
		if n := changed(page, g); n != 0 {
			t.Errorf("%d pixels differ from the page without its inset borders", n)
		}
	})
	t.Run("a toner streak goes, the letters it touches stay", func(t *testing.T) {
		t.Parallel()
		g := cloneGray(page)
		const x0, x1 = 600, 604
		for y := 3; y < h-3; y++ {
			for x := x0; x < x1; x++ {
				g.Pix[y*g.Stride+x] = 40
			}
		}
		removeBorders(g, 150)
		streak, letters := 0, 0
		for y := range h {
			for x := range w {
				i := y*g.Stride + x
				switch {
				case x >= x0 && x < x1 && g.Pix[i] < speckInk:
					streak++
				case (x < x0 || x >= x1) && g.Pix[i] != page.Pix[i]:
					letters++
				}
			}
		}
		if streak != 0 || letters != 0 {
			t.Errorf("%d pixels of the streak left, %d pixels of the letters beside it changed", streak, letters)
		}
	})
	t.Run("text is left", func(t *testing.T) {
		t.Parallel()
		g := cloneGray(page)
		removeBorders(g, 150)
		if n := changed(page, g); n != 0 {
			t.Errorf("%d pixels of a clean page changed", n)
		}
	})
	t.Run("a short mark at the edge is left", func(t *testing.T) {
		t.Parallel()
		g := image.NewGray(image.Rect(0, 0, 300, 400))
		for i := range g.Pix {
			g.Pix[i] = 255
		}
		for y := 100; y < 130; y++ { // a letter cut by the edge
			for x := range 8 {
				g.Pix[y*g.Stride+x] = 0
			}
		}
		want := cloneGray(g)
		removeBorders(g, 150)
		if n := changed(want, g); n != 0 {
			t.Errorf("%d pixels of a mark at the edge removed", n)
		}
	})
}
