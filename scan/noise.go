package scan

import (
	"image"
	"slices"
)

// Sensor noise on a faint page: once the contrast stretch has turned faint toner into black,
// it has multiplied the noise by as much, and a page of grain is what Tesseract sees. On a
// faint, blurred, noisy ID card it found no text at all (100% CER). Above maxNoise (gray
// levels of noiseLevel on the stretched page), a 3×3 mean filter, which divides the noise
// by three and barely touches strokes three or more pixels wide, runs on the page.
//
// Clean and mildly noisy pages measure 0–5, that card 36. Degraded seeds 11 and 12 (34 and 68
// documents), CER without the filter 1.73% and 1.24%; filtering above 12: 1.68% and 1.20%;
// above 6: 1.45% and 1.18%; above 3: 1.47% and 1.22%.
const maxNoise = 6

// noiseLevel is the median absolute difference of horizontally neighbouring pixels, sampled
// on a grid. Text edges are a small share of all pairs, so the median is the noise's.
func noiseLevel(g *image.Gray) int {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	var diffs []int
	for y := 0; y < h; y += 8 {
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		for x := 0; x+1 < w; x += 8 {
			diffs = append(diffs, abs(int(row[x])-int(row[x+1])))
		}
	}
	if len(diffs) == 0 {
		return 0
	}
	slices.Sort(diffs)
	return diffs[len(diffs)/2]
}

// meanFilter3 replaces every pixel of g by the mean of its 3×3 neighbourhood (edges
// replicated), with a running sum over rows of column sums.
func meanFilter3(g *image.Gray) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w < 3 || h < 3 {
		return
	}
	src := slices.Clone(g.Pix)
	at := func(x, y int) int32 {
		return int32(src[min(max(y, 0), h-1)*g.Stride+min(max(x, 0), w-1)])
	}
	col := make([]int32, w)
	for y := range h {
		for x := range w {
			col[x] = at(x, y-1) + at(x, y) + at(x, y+1)
		}
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		for x := range w {
			s := col[x] + col[max(x-1, 0)] + col[min(x+1, w-1)]
			row[x] = uint8((s + 4) / 9)
		}
	}
}

func abs(v int) int { return max(v, -v) }
