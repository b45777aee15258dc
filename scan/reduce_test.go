package scan

import (
	"fmt"
	"image"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReduceGray checks every reduction factor, those with loops of their own included,
// against block means computed the plain way, on a sub-image whose size is no multiple of
// the factor.
func TestReduceGray(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	big := image.NewGray(image.Rect(0, 0, 61, 47))
	for i := range big.Pix {
		big.Pix[i] = uint8(rng.IntN(256))
	}
	g := big.SubImage(image.Rect(3, 2, 60, 45)).(*image.Gray)
	for k := 1; k <= 6; k++ {
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			t.Parallel()
			w, h := g.Rect.Dx()/k, g.Rect.Dy()/k
			want := make([]uint8, w*h)
			for y := range h {
				for x := range w {
					s := 0
					for dy := range k {
						for dx := range k {
							s += int(g.GrayAt(g.Rect.Min.X+x*k+dx, g.Rect.Min.Y+y*k+dy).Y)
						}
					}
					want[y*w+x] = uint8((s + k*k/2) / (k * k))
				}
			}
			got := reduceGray(g, k)
			if k == 1 {
				got = &image.Gray{Pix: make([]uint8, w*h), Stride: w, Rect: image.Rect(0, 0, w, h)}
				for y := range h {
					copy(got.Pix[y*w:], g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y+y):][:w])
				}
			}
			if diff := cmp.Diff(want, got.Pix[:w*h]); diff != "" {
				t.Errorf("reduceGray(g, %d) (-want +got):\n%s", k, diff)
			}
		})
	}
}

// BenchmarkReduceGray is the analysis copy of an A4 page at 300 dpi (factor 3) and the
// background's reduction (factor 4).
func BenchmarkReduceGray(b *testing.B) {
	g := image.NewGray(image.Rect(0, 0, 2480, 3508))
	for _, k := range []int{3, 4} {
		b.Run(fmt.Sprint(k), func(b *testing.B) {
			for b.Loop() {
				reduceGray(g, k)
			}
		})
	}
}
