package scan

import (
	"math/rand/v2"
	"testing"
)

func TestNoiseFilter(t *testing.T) {
	t.Parallel()
	page := synthSmall(t)
	if n := noiseLevel(page); n > maxNoise {
		t.Errorf("noise level of a clean page %d, want ≤ %d", n, maxNoise)
	}
	g := cloneGray(page)
	r := rand.New(rand.NewPCG(3, 4))
	for i, v := range g.Pix {
		g.Pix[i] = uint8(min(255, max(0, int(v)+int(r.NormFloat64()*30))))
	}
	before := noiseLevel(g)
	if before <= maxNoise {
		t.Fatalf("noise level of a grainy page %d, want > %d", before, maxNoise)
	}
	meanFilter3(g)
	if after := noiseLevel(g); 2*after > before {
		t.Errorf("noise level %d after the mean filter, want at most half of %d", after, before)
	}
	// The filter keeps the page: every pixel stays near the clean one's 3×3 mean.
	clean := cloneGray(page)
	meanFilter3(clean)
	far := 0
	for i := range g.Pix {
		if abs(int(g.Pix[i])-int(clean.Pix[i])) > 40 {
			far++
		}
	}
	if far > len(g.Pix)/100 {
		t.Errorf("%d pixels far from the filtered clean page", far)
	}
}
