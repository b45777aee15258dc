package scan

import (
	"image"
	"math"
)

// Skew is found by projection profiles: the dark pixels of a reduced, binarised copy of the
// page are projected onto lines at a candidate angle, and the angle at which text lines
// line up gives the most uneven profile (the sum of squared differences of adjacent bins,
// as Leptonica scores it). A coarse sweep over ±15° picks the peak, a fine sweep around it
// refines it, and a parabola through the best three fine scores gives the final fraction.
// Pages with little text are refined once more on the full-resolution page (see pageSkew).

const (
	maxSkewDeg     = 15.0
	coarseStepDeg  = 0.25
	fineStepDeg    = 0.025
	fineSpanDeg    = 0.4
	skewLongSide   = 1600 // pixels along the long side of the analysis copy
	maxSkewPoints  = 300_000
	minSkewPoints  = 200
	minSkewQuality = 1.6 // best/median coarse score; below it the page has no clear lines
	// sparseSkewPoints is the count of dark points in the analysis copy under which a page
	// is refined at full resolution. A full A4 page of text has 35–50 thousand; the short
	// second pages (a signature block, a list of recipients) that have under 10 thousand were
	// the worst measured: up to 0.33° off at about 136 dpi.
	sparseSkewPoints = 20_000
	refineSpanDeg    = 0.3
	refineStepDeg    = 0.0125
)

// FindSkew returns the skew of g in degrees (CCW positive) within ±15°. Text rising to the
// right is positive; rotating the page by the opposite angle straightens it. A page without
// clear text lines (blank, a photo) returns 0.
func FindSkew(g *image.Gray) float64 {
	deg, _ := findSkew(g)
	return deg
}

// findSkew also says whether the answer is meaningful.
func findSkew(g *image.Gray) (float64, bool) {
	small := analysisCopy(g)
	return pageSkew(g, small, coarseSkewOf(small))
}

// pageSkew is the skew of g, found on small (its analysis copy) and, on a page with little
// text, refined on g itself: a few lines give the profile too few points at the analysis
// copy's resolution to place the peak within a tenth of a degree. Over 423 generated pages
// (seeds 7, 11, 12, 31 and 2026) the refinement took the largest error from 0.33° to 0.09°;
// on every page it would halve the mean error (0.02° to 0.01°), but at about twice the
// time of the whole search on a full page, which the mean does not need.
func pageSkew(g, small *image.Gray, c coarseSkew) (float64, bool) {
	deg, ok := c.deg, c.ok
	if !ok || c.points >= sparseSkewPoints || g == small {
		return deg, ok
	}
	xs, ys := darkPoints(g)
	if len(xs) < minSkewPoints {
		return deg, ok
	}
	p := newProfiler(xs, ys, g.Rect.Dx(), g.Rect.Dy())
	return clampSkew(peakNear(p, deg, refineSpanDeg, refineStepDeg)), true
}

// analysisCopy reduces g to about skewLongSide pixels along its long side (about 100 dpi
// for A4), enough to see text lines and much faster to work on.
func analysisCopy(g *image.Gray) *image.Gray {
	return reduceGray(g, max(1, (max(g.Rect.Dx(), g.Rect.Dy())+skewLongSide-1)/skewLongSide))
}

// coarseSkew is the skew found on an analysis copy and the number of dark points it was
// found from (skewOfReducedN): orientation and deskewing both start from it, so Prepare
// finds it once.
type coarseSkew struct {
	deg    float64
	points int
	ok     bool
}

func coarseSkewOf(small *image.Gray) coarseSkew {
	deg, points, ok := skewOfReducedN(small)
	return coarseSkew{deg, points, ok}
}

func skewOfReduced(small *image.Gray) (float64, bool) {
	deg, _, ok := skewOfReducedN(small)
	return deg, ok
}

// skewOfReducedN also returns the number of dark points the profiles were made of.
func skewOfReducedN(small *image.Gray) (deg float64, points int, ok bool) {
	if small.Rect.Dx() < 16 || small.Rect.Dy() < 16 {
		return 0, 0, false
	}
	xs, ys := darkPoints(small)
	if len(xs) < minSkewPoints {
		return 0, len(xs), false
	}
	sw, sh := small.Rect.Dx(), small.Rect.Dy()
	p := newProfiler(xs, ys, sw, sh)

	// The coarse sweep only has to land near the peak: a third of the points will do.
	cp := p
	if len(xs) >= 3*minSkewPoints {
		cxs, cys := make([]int32, 0, len(xs)/3+1), make([]int32, 0, len(xs)/3+1)
		for i := 0; i < len(xs); i += 3 {
			cxs, cys = append(cxs, xs[i]), append(cys, ys[i])
		}
		cp = &profiler{xs: cxs, ys: cys, bins: p.bins, off: p.off}
	}
	n := int(math.Round(maxSkewDeg / coarseStepDeg))
	coarse := make([]float64, 2*n+1)
	best := 0
	for i := range coarse {
		coarse[i] = cp.score(float64(i-n) * coarseStepDeg)
		if coarse[i] > coarse[best] {
			best = i
		}
	}
	// A peak at the end of the range is no peak: the profile only keeps sharpening
	// towards it, which lines of text do not do (noise or a dark band did, on a faint page).
	if coarse[best] < minSkewQuality*median(coarse) || best == 0 || best == len(coarse)-1 {
		return 0, len(xs), false
	}
	center := float64(best-n) * coarseStepDeg
	return clampSkew(peakNear(p, center, fineSpanDeg, fineStepDeg)), len(xs), true
}

// peakNear sweeps p within span of center in steps and returns the sharpest angle, to a
// fraction of a step by a parabola through the best score and its neighbours.
func peakNear(p *profiler, center, span, step float64) float64 {
	m := int(math.Round(span / step))
	scores := make([]float64, 2*m+1)
	best := 0
	for i := range scores {
		scores[i] = p.score(center + float64(i-m)*step)
		if scores[i] > scores[best] {
			best = i
		}
	}
	deg := center + float64(best-m)*step
	if best > 0 && best < len(scores)-1 {
		a, b, c := scores[best-1], scores[best], scores[best+1]
		if d := a - 2*b + c; d < 0 {
			deg += step * 0.5 * (a - c) / d
		}
	}
	return deg
}

func clampSkew(deg float64) float64 { return math.Max(-maxSkewDeg, math.Min(maxSkewDeg, deg)) }

// profiler holds the dark points and a reusable histogram.
type profiler struct {
	xs, ys []int32
	bins   []int32
	off    int
}

func newProfiler(xs, ys []int32, w, h int) *profiler {
	// y·cosθ + x·sinθ stays within [-w, w+h] for |θ| ≤ 90°.
	return &profiler{xs: xs, ys: ys, bins: make([]int32, 2*w+h+2), off: w + 1}
}

// score projects the points along lines rising at deg (counter-clockwise, y pointing down):
// a point on a text line with that slope keeps y·cosθ + x·sinθ constant.
func (p *profiler) score(deg float64) float64 {
	s, c := math.Sincos(deg * math.Pi / 180)
	si, ci := int32(math.Round(s*65536)), int32(math.Round(c*65536))
	bins := p.bins
	clear(bins)
	off := int32(p.off)
	ys := p.ys[:len(p.xs)]
	for i, x := range p.xs {
		bins[(ys[i]*ci+x*si+1<<15)>>16+off]++
	}
	var sum int64
	for i := 1; i < len(bins); i++ {
		d := int64(bins[i] - bins[i-1])
		sum += d * d
	}
	return float64(sum)
}

// darkPoints binarises with Otsu's threshold and returns the coordinates of dark pixels in
// horizontal runs no longer than a few letters. Long runs are the scanner's black
// background around the paper, punch holes and filled boxes: their edges are strong but
// follow the paper or the scanner, not the text, and a black border can outweigh the text.
// The points are thinned evenly when there are too many (a dark photo would otherwise
// dominate the time).
func darkPoints(g *image.Gray) (xs, ys []int32) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	var hist [256]int
	for y := 0; y < h; y++ {
		for _, v := range g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y+y):][:w] {
			hist[v]++
		}
	}
	t := uint8(otsu(&hist))
	dark := 0
	for v := 0; v < int(t); v++ {
		dark += hist[v]
	}
	if dark == 0 {
		return nil, nil
	}
	maxRun := max(8, w/25)
	step := max(1, (dark+maxSkewPoints-1)/maxSkewPoints)
	xs = make([]int32, 0, dark/step+1)
	ys = make([]int32, 0, dark/step+1)
	i := 0
	for y := 0; y < h; y++ {
		row := g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y+y):][:w]
		for x := 0; x < w; {
			if row[x] >= t {
				x++
				continue
			}
			end := x + 1
			for end < w && row[end] < t {
				end++
			}
			if end-x <= maxRun {
				for ; x < end; x++ {
					if i%step == 0 {
						xs = append(xs, int32(x))
						ys = append(ys, int32(y))
					}
					i++
				}
			}
			x = end
		}
	}
	return xs, ys
}

// otsu returns the threshold t that best splits the histogram into dark (< t) and light.
func otsu(hist *[256]int) int {
	var total, sumAll float64
	for v, n := range hist {
		total += float64(n)
		sumAll += float64(v * n)
	}
	var wB, sumB, bestVar float64
	best := 128
	for t := 0; t < 256; t++ {
		wB += float64(hist[t])
		if wB == 0 {
			continue
		}
		wF := total - wB
		if wF == 0 {
			break
		}
		sumB += float64(t * hist[t])
		mB, mF := sumB/wB, (sumAll-sumB)/wF
		if v := wB * wF * (mB - mF) * (mB - mF); v > bestVar {
			bestVar, best = v, t+1
		}
	}
	return best
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	// Insertion sort: the slices here have about a hundred values.
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s[len(s)/2]
}

// reduceGray averages k×k blocks; a partial block at the right or bottom edge is dropped.
func reduceGray(g *image.Gray, k int) *image.Gray {
	if k <= 1 {
		return g
	}
	w, h := g.Rect.Dx()/k, g.Rect.Dy()/k
	out := image.NewGray(image.Rect(0, 0, w, h))
	acc := make([]uint32, w)
	area := uint32(k * k)
	for y := 0; y < h; y++ {
		clear(acc)
		for dy := 0; dy < k; dy++ {
			row := g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y+y*k+dy):][:w*k]
			// The reductions Prepare makes (3 for the analysis copy of an A4 page at 300
			// dpi, 4 for the background) get loops the compiler keeps free of bounds checks:
			// the general loop took a tenth of a clean page's preparation.
			switch k {
			case 3:
				for x := range acc {
					r := row[3*x : 3*x+3 : 3*x+3]
					acc[x] += uint32(r[0]) + uint32(r[1]) + uint32(r[2])
				}
			case 4:
				for x := range acc {
					r := row[4*x : 4*x+4 : 4*x+4]
					acc[x] += uint32(r[0]) + uint32(r[1]) + uint32(r[2]) + uint32(r[3])
				}
			default:
				for x := range acc {
					var s uint32
					for _, v := range row[x*k : x*k+k] {
						s += uint32(v)
					}
					acc[x] += s
				}
			}
		}
		dst := out.Pix[y*out.Stride:]
		for x, s := range acc {
			dst[x] = uint8((s + area/2) / area)
		}
	}
	return out
}
