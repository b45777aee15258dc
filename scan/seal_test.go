package scan

import (
	"image"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// sealPage draws, at 300 dpi, lines of "text" (black bars broken into words) and, when
// level < 255, a double seal ring of that gray level about (cx, cy) with radius r (mm), laid
// over the text as a gray seal is: where it covers text, the text shows through darker than
// the ring.
func sealPage(level uint8, cx, cy, rmm float64) *image.Gray {
	const dpi = 300
	g := image.NewGray(image.Rect(0, 0, 1600, 1400))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	text := func(x, y int) bool {
		// Lines 40 px tall every 90 px; words 120 px long with 30 px gaps; strokes 6 px wide.
		if y < 200 || y%90 >= 40 || x < 100 || x > 1500 || x%150 >= 120 {
			return false
		}
		return x%12 < 6 || y%90 < 6 || y%90 >= 34
	}
	r := rmm * dpi / 25.4
	band := 0.1 * dpi / 3 // each of the two circles is a third of 2.5 mm
	for y := range g.Rect.Dy() {
		for x := range g.Rect.Dx() {
			v := uint8(255)
			if text(x, y) {
				v = 0
			}
			d := math.Hypot(float64(x)-cx, float64(y)-cy)
			inRing := d >= r-3*band && d < r-2*band || d >= r-band && d < r
			if level < 255 && inRing {
				// 0.75 of the ring's ink over what is beneath.
				v = uint8(0.75*float64(level) + 0.25*float64(v))
			}
			g.Pix[y*g.Stride+x] = v
		}
	}
	return g
}

func TestFindRings(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		level  uint8
		cx, cy float64
		rmm    float64
		want   int
	}{
		{"gray seal over text", 119, 800, 700, 18, 1},
		{"smaller seal near the edge", 140, 400, 450, 14, 1},
		{"dark seal", 10, 900, 800, 20, 1},
		{"text only", 255, 0, 0, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			g := sealPage(c.level, c.cx, c.cy, c.rmm)
			rings := findRings(g, 300)
			if len(rings) != c.want {
				t.Fatalf("found %d rings %+v, want %d", len(rings), rings, c.want)
			}
			if c.want == 0 {
				return
			}
			rg := rings[0]
			r := c.rmm * 300 / 25.4
			if math.Hypot(rg.cx-c.cx, rg.cy-c.cy) > 3 {
				t.Errorf("centre (%.1f, %.1f), want (%.0f, %.0f)", rg.cx, rg.cy, c.cx, c.cy)
			}
			// The band holds both circles: from r-25 px to r.
			if rg.r0 > r-24 || rg.r0 < r-30 || rg.r1 < r-2 || rg.r1 > r+3 {
				t.Errorf("band %.1f–%.1f, want about %.1f–%.1f", rg.r0, rg.r1, r-25, r)
			}
		})
	}
}

func TestSuppressRingKeepsText(t *testing.T) {
	t.Parallel()
	const cx, cy, rmm = 800.0, 700.0, 18.0
	clean := sealPage(255, 0, 0, 0)
	for _, c := range []struct {
		name  string
		level uint8
		// textKept is the least share of the text's pixels under the ring that must stay ink.
		textKept float64
	}{
		{"gray ring", 119, 0.95},
		{"light ring", 160, 0.95},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			g := sealPage(c.level, cx, cy, rmm)
			if n := removeSeals(g, 300); n != 1 {
				t.Fatalf("removed %d rings, want 1", n)
			}
			r := rmm * 300 / 25.4
			var ringLeft, text, textKept int
			for y := range g.Rect.Dy() {
				for x := range g.Rect.Dx() {
					d := math.Hypot(float64(x)-cx, float64(y)-cy)
					if d < r-27 || d > r+2 {
						continue
					}
					v, want := g.Pix[y*g.Stride+x], clean.Pix[y*clean.Stride+x]
					switch {
					case want == 0:
						text++
						if v < 128 {
							textKept++
						}
					case v < 200:
						ringLeft++
					}
				}
			}
			if ringLeft > 0 {
				t.Errorf("%d pixels of the ring left on paper", ringLeft)
			}
			if float64(textKept) < c.textKept*float64(text) {
				t.Errorf("kept %d of %d text pixels under the ring", textKept, text)
			}
		})
	}
}

// TestPeaksAgreeWithSorting checks peaks against its definition, taken literally: every
// point's 3×3 sum, those over least sorted strongest first, each kept when it is at least
// apart from every one kept before it.
func TestPeaksAgreeWithSorting(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 50 {
		w, h := 20+rng.IntN(60), 20+rng.IntN(60)
		acc := make([]int32, w*h)
		for range 1 + rng.IntN(6) { // a few blobs of votes over noise
			cx, cy, n := rng.IntN(w), rng.IntN(h), 50+rng.IntN(400)
			for range n {
				x, y := cx+rng.IntN(5)-2, cy+rng.IntN(5)-2
				if x >= 0 && y >= 0 && x < w && y < h {
					acc[y*w+x]++
				}
			}
		}
		for i := range acc {
			// Distinct sums: a tie may be broken either way by the two.
			acc[i] = acc[i]*1000 + int32(rng.IntN(100))
		}
		apart, least := 3+rng.IntN(15), 20000+rng.IntN(200000)
		got, want := peaks(acc, w, h, apart, least), peaksBySort(acc, w, h, apart, least)
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d (%d×%d, apart %d, least %d): peaks = %v, want %v", trial, w, h, apart, least, got, want)
		}
	}
}

func peaksBySort(acc []int32, w, h, apart, least int) []image.Point {
	type peak struct {
		p image.Point
		v int
	}
	var cands []peak
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			v := 0
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					v += int(acc[(y+dy)*w+x+dx])
				}
			}
			if v >= least {
				cands = append(cands, peak{image.Pt(x, y), v})
			}
		}
	}
	slices.SortFunc(cands, func(a, b peak) int { return b.v - a.v })
	var out []image.Point
	for _, c := range cands {
		far := true
		for _, o := range out {
			if d := c.p.Sub(o); d.X*d.X+d.Y*d.Y < apart*apart {
				far = false
			}
		}
		if far && len(out) < 2*maxRings {
			out = append(out, c.p)
		}
	}
	return out
}
