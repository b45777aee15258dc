package neardup

import (
	"encoding/binary"
	"image"
	"math"
	"math/bits"
	"slices"
)

const (
	// inkLevel is the gray level under which a prepared page's pixel is ink: preparation
	// stretches contrast so that paper is near 255 and print near 0.
	inkLevel = 128
	// trim is the share of ink left out at each side when the printed area is found, so
	// that a speck, a punch hole's remains or a cut-off line at the edge does not move it.
	trim = 0.01
	// grid is the side of the thumbnail the DCT runs on; lowFreq the side of the block of
	// lowest frequencies whose signs make the hash (pHash's usual 32 and 8).
	grid    = 32
	lowFreq = 8
)

// paper8 is eight pixels' top bits: a word of pixels all at or above inkLevel has them all.
const paper8 = 0x8080808080808080

// ImageHash is a 64-bit perceptual hash (pHash) of the printed area of a prepared page: the
// area holding all but 1% of the ink on each side, shrunk to 32×32 by averaging, then one bit
// per low-frequency DCT coefficient (above or below their median). Cropping to the ink
// instead of hashing the whole sheet is what makes two scans with different margins, border
// removal or DPI comparable: the printed area is the same paper region in both. A page
// without ink hashes to 0.
func ImageHash(g *image.Gray) uint64 {
	box, ok := inkBox(g)
	if !ok {
		return 0
	}
	return hashThumb(shrink(g, box))
}

// hashThumb is the pHash of a printed area already shrunk to the grid.
func hashThumb(thumb [grid][grid]float64) uint64 {
	coef := dct2(thumb)
	// The 64 coefficients of the 8×8 low-frequency block, with the DC term (the page's
	// mean darkness) replaced by the next horizontal frequency.
	vals := make([]float64, 0, 64)
	for v := range lowFreq {
		for u := range lowFreq {
			if u == 0 && v == 0 {
				continue
			}
			vals = append(vals, coef[v][u])
		}
	}
	vals = append(vals, coef[0][lowFreq])
	sorted := slices.Clone(vals)
	slices.Sort(sorted)
	median := (sorted[31] + sorted[32]) / 2
	var h uint64
	for i, c := range vals {
		if c > median {
			h |= 1 << i
		}
	}
	return h
}

// ImageDistance is the number of bits in which two image hashes differ (0–64).
func ImageDistance(a, b uint64) int { return bits.OnesCount64(a ^ b) }

// inkBox is the rectangle holding the page's ink but the outer trim share on each side.
func inkBox(g *image.Gray) (image.Rectangle, bool) {
	rows, cols, total := inkCounts(g)
	if total < 100 {
		return image.Rectangle{}, false
	}
	y0, y1 := quantiles(rows, total)
	x0, x1 := quantiles(cols, total)
	if y1 <= y0 || x1 <= x0 {
		return image.Rectangle{}, false
	}
	b := g.Bounds()
	return image.Rect(b.Min.X+x0, b.Min.Y+y0, b.Min.X+x1, b.Min.Y+y1), true
}

// inkCounts counts the ink pixels of each row and column of g, and of the whole page.
func inkCounts(g *image.Gray) (rows, cols []int, total int) {
	b := g.Bounds()
	rows, cols = make([]int, b.Dy()), make([]int, b.Dx())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		line := g.Pix[g.PixOffset(b.Min.X, y):][:b.Dx()]
		for x := 0; x < len(line); x++ {
			// Most of a page is paper: skip eight pixels at a time while all are at or above
			// inkLevel (128, the top bit of every byte set).
			if x+8 <= len(line) && binary.LittleEndian.Uint64(line[x:])&paper8 == paper8 {
				x += 7
				continue
			}
			if line[x] < inkLevel {
				rows[y-b.Min.Y]++
				cols[x]++
				total++
			}
		}
	}
	return rows, cols, total
}

// quantiles returns the first index where the running sum of counts passes trim of total,
// and one past the index where it passes 1-trim.
func quantiles(counts []int, total int) (lo, hi int) {
	low, high := int(trim*float64(total)), int((1-trim)*float64(total))
	sum := 0
	lo, hi = -1, len(counts)
	for i, n := range counts {
		sum += n
		if lo < 0 && sum > low {
			lo = i
		}
		if sum >= high {
			hi = i + 1
			break
		}
	}
	return max(lo, 0), hi
}

// shrink averages the box of g into a grid×grid thumbnail of darkness (0 paper, 1 ink).
// Sums are integers (exact), and each column's cell is looked up, not divided for: this and
// inkBox read every pixel of the page, the hash's whole cost.
func shrink(g *image.Gray, box image.Rectangle) [grid][grid]float64 {
	var sum [grid][grid]int
	var n [grid][grid]int
	w, h := box.Dx(), box.Dy()
	cell := make([]int, w)
	var width [grid]int // columns per thumbnail column
	for x := range cell {
		cell[x] = x * grid / w
		width[cell[x]]++
	}
	for y := box.Min.Y; y < box.Max.Y; y++ {
		cy := (y - box.Min.Y) * grid / h
		row := &sum[cy]
		line := g.Pix[g.PixOffset(box.Min.X, y):][:w]
		for x, p := range line {
			row[cell[x]] += 255 - int(p)
		}
		for cx := range grid {
			n[cy][cx] += width[cx]
		}
	}
	var out [grid][grid]float64
	for y := range grid {
		for x := range grid {
			if n[y][x] > 0 {
				out[y][x] = float64(sum[y][x]) / (255 * float64(n[y][x]))
			}
		}
	}
	return out
}

// dct2 is the two-dimensional DCT-II of the thumbnail, rows then columns (unnormalised: only
// the coefficients' order against their median matters).
func dct2(in [grid][grid]float64) [grid][grid]float64 {
	var cos [grid][grid]float64
	for k := range grid {
		for i := range grid {
			cos[k][i] = math.Cos(math.Pi / grid * (float64(i) + 0.5) * float64(k))
		}
	}
	var rows, out [grid][grid]float64
	for y := range grid {
		for k := range grid {
			s := 0.0
			for x := range grid {
				s += in[y][x] * cos[k][x]
			}
			rows[y][k] = s
		}
	}
	for x := range grid {
		for k := range grid {
			s := 0.0
			for y := range grid {
				s += rows[y][x] * cos[k][y]
			}
			out[k][x] = s
		}
	}
	return out
}
