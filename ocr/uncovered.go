package ocr

import (
	"cmp"
	"image"
	"slices"

	"github.com/sohoa/sohoa/record"
)

// Tesseract's page layout sometimes reads no word at all of a printed line: a line of small
// print under a heading in its block (an ID card's expiry date under "Có giá trị đến:"), or
// a line a pen signature runs through. Nothing in its output says a line is missing, but
// the page does: dark ink that no word box covers, in a run as tall as a line of text.
// uncoveredLines finds such runs; rereadUncovered reads each as a block of its own.
const (
	// inkLevel is the gray level below which a pixel of the prepared page is ink: its paper
	// is white and its print stretched towards black.
	inkLevel = 128
	// cellsPerLine sets the grid the ink is looked at in: cells of a typical line's height
	// divided by this.
	cellsPerLine = 8
	// Runs of uncovered ink between these multiples of a typical line's height are taken for
	// lines: lower is a rule or a stroke, higher a signature or a picture.
	minUncoveredHeight, maxUncoveredHeight = 0.35, 1.6
	// minUncoveredWidth, in typical line heights, leaves out specks and single marks.
	minUncoveredWidth = 2.0
	// maxUncovered bounds the runs read again on one page, the widest first.
	maxUncovered = 8
	// uncoveredSure is the mean confidence a run's reading needs to be added to the page:
	// the lines lost on the generated sets came back at 90–96, the strokes of a signature
	// read as text at under 60.
	uncoveredSure = 80
)

// uncoveredLines returns the boxes, in pixels of g, of runs of ink that no word covers and
// that are shaped like a line of text (see the constants above), the widest first; typical
// is the page's typicalLineHeight. Words without text count as covering: they are the rules
// and frames Tesseract found.
func uncoveredLines(g *image.Gray, words []tessWord, typical int) []record.Box {
	if typical == 0 {
		return nil
	}
	cell := max(2, typical/cellsPerLine)
	grid := newInkGrid(g, cell)
	for _, w := range words {
		grid.cover(w.Box)
	}
	// Letters of a line lie apart by less than a typical line height; smearing each row of
	// uncovered ink across such gaps joins a line into one run.
	grid.smear(typical / cell)
	var out []record.Box
	for _, b := range grid.runs() {
		w, h := float64(b[2]-b[0]), float64(b[3]-b[1])
		t := float64(typical)
		if h >= minUncoveredHeight*t && h <= maxUncoveredHeight*t && w >= minUncoveredWidth*t {
			out = append(out, b)
		}
	}
	slices.SortStableFunc(out, func(a, b record.Box) int { return cmp.Compare(b[2]-b[0], a[2]-a[0]) })
	return out[:min(len(out), maxUncovered)]
}

// typicalLineHeight is the median height of the lines (groupLines) that Tesseract read with
// confidence, 0 when fewer than three.
func typicalLineHeight(lines [][]tessWord) int {
	var heights []int
	for _, l := range lines {
		if meanConfidence(l) >= 80 {
			b := lineBox(l)
			heights = append(heights, b[3]-b[1])
		}
	}
	if len(heights) < 3 {
		return 0
	}
	slices.Sort(heights)
	return heights[len(heights)/2]
}

// inkGrid is a page seen in square cells of cell pixels: a cell is set when it holds ink
// that no word covers, covered when a word does.
type inkGrid struct {
	cell, w, h   int
	set, covered []bool
}

func newInkGrid(g *image.Gray, cell int) *inkGrid {
	b := g.Rect
	gr := &inkGrid{cell: cell, w: (b.Dx() + cell - 1) / cell, h: (b.Dy() + cell - 1) / cell}
	gr.set = make([]bool, gr.w*gr.h)
	gr.covered = make([]bool, gr.w*gr.h)
	for y := 0; y < b.Dy(); y++ {
		row := g.Pix[g.PixOffset(b.Min.X, b.Min.Y+y):][:b.Dx()]
		cells := gr.set[(y/cell)*gr.w:][:gr.w]
		for cx := range cells {
			if cells[cx] {
				continue // a row above in this cell had ink
			}
			for _, v := range row[cx*cell : min((cx+1)*cell, len(row))] {
				if v < inkLevel {
					cells[cx] = true
					break
				}
			}
		}
	}
	return gr
}

// cover marks covered, and clears, the cells that box b (in pixels) touches and those next
// to them: a word's box can leave out a stroke of its letters.
func (gr *inkGrid) cover(b record.Box) {
	x0, y0 := max(0, b[0]/gr.cell-1), max(0, b[1]/gr.cell-1)
	x1, y1 := min(gr.w, (b[2]+gr.cell-1)/gr.cell+1), min(gr.h, (b[3]+gr.cell-1)/gr.cell+1)
	for y := y0; y < y1; y++ {
		row := y * gr.w
		clear(gr.set[row+x0 : row+x1])
		for x := x0; x < x1; x++ {
			gr.covered[row+x] = true
		}
	}
}

// smear sets, in every row, the cells of gaps of at most gap cells between set cells, but
// not across a covered cell: the scraps of ink left beside the words of a line read are
// not a line.
func (gr *inkGrid) smear(gap int) {
	for y := range gr.h {
		row, covered := gr.set[y*gr.w:][:gr.w], gr.covered[y*gr.w:][:gr.w]
		last := -1
		for x := range row {
			if covered[x] {
				last = -1
				continue
			}
			if !row[x] {
				continue
			}
			if last >= 0 && x-last-1 <= gap {
				for i := last + 1; i < x; i++ {
					row[i] = true
				}
			}
			last = x
		}
	}
}

// runs returns the pixel boxes of the 8-connected groups of set cells.
func (gr *inkGrid) runs() []record.Box {
	seen := make([]bool, len(gr.set))
	var out []record.Box
	var stack []int
	for i, on := range gr.set {
		if !on || seen[i] {
			continue
		}
		seen[i] = true
		stack = append(stack[:0], i)
		box := record.Box{gr.w, gr.h, 0, 0}
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := j%gr.w, j/gr.w
			box = record.Box{min(box[0], x), min(box[1], y), max(box[2], x+1), max(box[3], y+1)}
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= gr.w || ny >= gr.h {
						continue
					}
					k := ny*gr.w + nx
					if gr.set[k] && !seen[k] {
						seen[k] = true
						stack = append(stack, k)
					}
				}
			}
		}
		c := gr.cell
		out = append(out, record.Box{box[0] * c, box[1] * c, box[2] * c, box[3] * c})
	}
	return out
}

// overlapsAny reports whether b shares more than a third of its area with a word's box.
func overlapsAny(b record.Box, words []tessWord) bool {
	area := (b[2] - b[0]) * (b[3] - b[1])
	for _, w := range words {
		if i, ok := b.Intersect(w.Box); ok && 3*(i[2]-i[0])*(i[3]-i[1]) > area {
			return true
		}
	}
	return false
}

// withLinesAround grows r to hold whole every line of words that it cuts.
func withLinesAround(r record.Box, words []tessWord) record.Box {
	out := r
	for _, l := range groupLines(words) {
		b := lineBox(l)
		if _, ok := r.Intersect(b); ok {
			out = out.Union(b)
		}
	}
	return out
}
