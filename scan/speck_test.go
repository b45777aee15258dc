package scan

import (
	"image"
	"math/rand/v2"
	"testing"
)

func TestRemoveSpecks(t *testing.T) {
	t.Parallel()
	page := synthSmall(t) // 150 dpi: specks up to 1 px go, letters stay
	t.Run("letters and their marks stay", func(t *testing.T) {
		t.Parallel()
		g := cloneGray(page)
		removeSpecks(g, 150)
		if n := changed(page, g); n != 0 {
			t.Errorf("%d pixels of a clean page changed", n)
		}
	})
	t.Run("specks on paper go", func(t *testing.T) {
		t.Parallel()
		g := cloneGray(page)
		r := rand.New(rand.NewPCG(1, 2))
		added := 0
		for added < 500 {
			x, y := 2+r.IntN(g.Rect.Dx()-4), 2+r.IntN(g.Rect.Dy()-4)
			if !paperAround(g, x, y) { // not beside a letter or another speck
				continue
			}
			g.Pix[y*g.Stride+x] = 0
			added++
		}
		removeSpecks(g, 150)
		if n := changed(page, g); n != 0 {
			t.Errorf("%d of %d specks left", n, added)
		}
	})
	t.Run("a speck the size of a mark stays", func(t *testing.T) {
		t.Parallel()
		g := image.NewGray(image.Rect(0, 0, 20, 20))
		for i := range g.Pix {
			g.Pix[i] = 255
		}
		for y := 8; y < 11; y++ { // 3×3 px at 300 dpi: the dot of an i in small type
			for x := 8; x < 11; x++ {
				g.Pix[y*g.Stride+x] = 0
			}
		}
		want := cloneGray(g)
		removeSpecks(g, 300)
		if n := changed(want, g); n != 0 {
			t.Errorf("%d pixels of a 3×3 dot removed", n)
		}
	})
}

// paperAround reports whether the 5×5 pixels around (x, y) hold no ink on g.
func paperAround(g *image.Gray, x, y int) bool {
	for dy := -2; dy <= 2; dy++ {
		for dx := -2; dx <= 2; dx++ {
			if g.Pix[(y+dy)*g.Stride+x+dx] < speckInk {
				return false
			}
		}
	}
	return true
}

func cloneGray(g *image.Gray) *image.Gray {
	c := *g
	c.Pix = append([]uint8(nil), g.Pix...)
	return &c
}

func changed(a, b *image.Gray) int {
	n := 0
	for i := range a.Pix {
		if a.Pix[i] != b.Pix[i] {
			n++
		}
	}
	return n
}
