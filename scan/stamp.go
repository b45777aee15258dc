package scan

import "image"

// Received copies carry box stamps over the text: the incoming-mail stamp (ĐẾN, Số, Giờ,
// Ngày, Chuyển) and the portal's "Cổng thông tin điện tử Chính phủ" box. In colour the red
// dropout takes them (gray.go); on a gray scan or a photocopy they stay, Tesseract reads
// their lines into the body ("Giờ: 07:29" between two lines of a decree) and loses the
// words they cross. A stamp's ink is lighter than printed text even in gray (stamp pad
// ink against toner), so a stamp is found by its frame, a thin rectangle of a stamp's size
// in light ink, and within the frame all light ink is whitened while the darker print,
// and the stamp ink right against it, stays. A frame with no light core (a stamp copied as
// dark as the print, or blurred) is found by its shape instead (see frame.go).
const (
	stampMinWMM, stampMaxWMM = 15.0, 110.0 // frame widths of the stamps in use
	stampMinHMM, stampMaxHMM = 8.0, 70.0   // and heights
	stampSideCover           = 0.6         // share of each side the frame's ink covers
	stampInnerShare          = 0.5         // a frame, not a blot of light ink
	stampLineMM              = 1.2         // a frame's side, grown by lightGrid, is no thicker
	stampThinShare           = 0.25        // share of a frame's sides where it is that thin (see thinSides)
	stampMinLevel            = 50          // ink darker than this is print, not a stamp's
	stampCellMM              = 0.35        // grid on which a frame's cuts are bridged
	stampGapMM               = 4.0         // and the longest cut a side may have
)

// removeStamps whitens the box stamps of g (a prepared page at dpi, paper near 255, ink
// near 0) and returns how many it found: those in light ink whole, the frames of the others.
//
// The frame is looked for in the light ink only (see lightInk): print crossing a stamp joins
// its frame to the heading, rule or lines it crosses, but has no light core of its own, so
// without it the frame stands alone, cut where print crossed it. The cuts are bridged on a
// grid of stampCell pixels.
func removeStamps(g *image.Gray, dpi float64) int {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	sg, ok := newStampGrid(g, dpi)
	if !ok {
		return 0
	}
	cell, gw, gh, mm := sg.cell, sg.gw, sg.gh, sg.mm
	minW, maxW, minH, maxH := sg.minW, sg.maxW, sg.minH, sg.maxH
	grid := lightGrid(g, cell, gw, gh)
	seen := make([]bool, gw*gh)
	var stack, region []int32
	found := 0
	for i := range grid {
		if !grid[i] || seen[i] {
			continue
		}
		stack, region = fillCells(grid, seen, gw, gh, int32(i), stack, region)
		if len(region) < minW+minH {
			continue
		}
		b := bounds(region, gw)
		if b.Dx() < minW || b.Dx() > maxW || b.Dy() < minH || b.Dy() > maxH || !frameShaped(region, grid, gw, b, int(stampGapMM*mm), int(stampLineMM*mm+0.5)) {
			continue
		}
		// The component may have lost a side cut to pieces (see frameShaped): clear a
		// margin around it as deep as the bands its sides were looked for in.
		b = b.Inset(-max(2, min(b.Dx(), b.Dy())/4))
		r := image.Rect(b.Min.X*cell, b.Min.Y*cell, b.Max.X*cell, b.Max.Y*cell).Intersect(image.Rect(0, 0, w, h))
		if clearStamp(g, r, stampMinLevel) {
			found++
		}
	}
	// What is left is a stamp copied or blurred past a light core: its frame is found by
	// its shape (see findFrames).
	return found + removeFramedStamps(g, dpi)
}

// stampGrid is the grid a page's stamps are looked for on: cells of stampCellMM square, and
// a stamp frame's sizes in cells.
type stampGrid struct {
	cell, gw, gh           int
	mm                     float64 // cells per millimetre
	minW, maxW, minH, maxH int
}

// newStampGrid lays the grid over g at dpi; ok is false when the page is smaller than the
// smallest stamp.
func newStampGrid(g *image.Gray, dpi float64) (s stampGrid, ok bool) {
	s.cell = max(1, int(stampCellMM*dpi/25.4+0.5))
	s.gw, s.gh = (g.Rect.Dx()+s.cell-1)/s.cell, (g.Rect.Dy()+s.cell-1)/s.cell
	s.mm = dpi / 25.4 / float64(s.cell)
	s.minW, s.maxW = int(stampMinWMM*s.mm), int(stampMaxWMM*s.mm)
	s.minH, s.maxH = int(stampMinHMM*s.mm), int(stampMaxHMM*s.mm)
	return s, s.gw >= s.minW && s.gh >= s.minH
}

// lightGrid marks the cells of g (cell pixels square, gw×gh of them) that hold light ink,
// each grown by one cell so that a frame cut by a stroke of print stays whole.
func lightGrid(g *image.Gray, cell, gw, gh int) []bool {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	has := make([]bool, gw*gh)
	for y := 1; y < h-1; y++ {
		row := g.Pix[y*g.Stride : y*g.Stride+w-1]
		base := (y / cell) * gw
		for x := 1; x < len(row); x++ {
			// Most pixels are paper or print: test them before calling lightInk.
			if v := row[x]; v < speckInk && v >= stampMinLevel && lightInk(g, x, y) {
				has[base+x/cell] = true
			}
		}
	}
	grown := make([]bool, gw*gh)
	for cy := range gh {
		for cx := range gw {
			if !has[cy*gw+cx] {
				continue
			}
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					if nx, ny := cx+dx, cy+dy; nx >= 0 && ny >= 0 && nx < gw && ny < gh {
						grown[ny*gw+nx] = true
					}
				}
			}
		}
	}
	return grown
}

// lightInk reports whether the pixel (x, y) of value v is the core of a light stroke: ink,
// but lighter than print (stampMinLevel) and with no print beside it, which the edge of a
// printed stroke always has.
func lightInk(g *image.Gray, x, y int) bool {
	if v := g.Pix[y*g.Stride+x]; v >= speckInk || v < stampMinLevel {
		return false
	}
	for dy := -1; dy <= 1; dy++ {
		row := g.Pix[(y+dy)*g.Stride:]
		for dx := -1; dx <= 1; dx++ {
			if row[x+dx] < stampMinLevel {
				return false
			}
		}
	}
	return true
}

// fillCells collects into region the cells of grid 8-connected to i, marking them seen;
// stack and region are reused buffers, returned for the next call.
func fillCells(grid, seen []bool, gw, gh int, i int32, stack, region []int32) ([]int32, []int32) {
	stack, region = append(stack[:0], i), region[:0]
	seen[i] = true
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		region = append(region, p)
		x, y := int(p)%gw, int(p)/gw
		for dy := -1; dy <= 1; dy++ {
			for dx := -1; dx <= 1; dx++ {
				nx, ny := x+dx, y+dy
				if nx < 0 || ny < 0 || nx >= gw || ny >= gh {
					continue
				}
				if q := int32(ny*gw + nx); grid[q] && !seen[q] {
					seen[q] = true
					stack = append(stack, q)
				}
			}
		}
	}
	return stack, region
}

// frameShaped reports whether the component region of grid (cell indices, gw cells a row,
// bounded by b) is a rectangle's outline: light ink of grid runs along most of each of b's
// four sides (with cuts of up to gap cells), within a quarter of the shorter side from it
// (a stamp pressed a few degrees askew still does), the sides are lines of at most line
// cells (see thinSides), and at most half of region lies inside. The sides are taken from
// the whole grid, not from region alone: where print runs along a side, it cuts the side
// into pieces that are components of their own.
//
// The stamp's own words (ĐẾN, Số, Giờ, Ngày) sit a millimetre or two inside the frame and
// join its component, up to two fifths of it on the received copies of the html dev sets; a
// word or a block of light print has sides as deep as its letters.
func frameShaped(region []int32, grid []bool, gw int, b image.Rectangle, gap, line int) bool {
	depth := max(2, min(b.Dx(), b.Dy())/4)
	top := make([]bool, b.Dx())
	bottom := make([]bool, b.Dx())
	left := make([]bool, b.Dy())
	right := make([]bool, b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if !grid[y*gw+x] {
				continue
			}
			i, j := x-b.Min.X, y-b.Min.Y
			if j < depth {
				top[i] = true
			}
			if j >= b.Dy()-depth {
				bottom[i] = true
			}
			if i < depth {
				left[j] = true
			}
			if i >= b.Dx()-depth {
				right[j] = true
			}
		}
	}
	for _, s := range [][]bool{top, bottom, left, right} {
		if float64(covered(s, gap)) < stampSideCover*float64(len(s)) {
			return false
		}
	}
	if !thinSides(grid, gw, b, depth, line) {
		return false
	}
	inner := 0
	for _, p := range region {
		i, j := int(p)%gw-b.Min.X, int(p)/gw-b.Min.Y
		if i >= depth && i < b.Dx()-depth && j >= depth && j < b.Dy()-depth {
			inner++
		}
	}
	return float64(inner) <= stampInnerShare*float64(len(region))
}

// thinSides reports whether b's sides are thin lines: going in from each side, the first
// run of inked cells met is at most line cells deep in a stampThinShare of the places along
// the sides, on average over the four. A frame is a stroke (three or four cells once grown,
// see lightGrid), cut or thickened where print or the stamp's own words touch it, while a
// word or a block of light print meets the side with letters, deeper than that almost
// everywhere. On the html dev sets' received copies the four sides of the two stamps that
// were missed gave 38% and 52%; the two words of light (blurred) print that were large
// enough to be stamps gave 10% and 13%.
func thinSides(grid []bool, gw int, b image.Rectangle, depth, line int) bool {
	// Each side as a walk in from its edge: first cell, step along the side, step inward.
	type walk struct{ x0, y0, ax, ay, ix, iy, n int }
	walks := []walk{
		{b.Min.X, b.Min.Y, 1, 0, 0, 1, b.Dx()},      // top, inward is down
		{b.Min.X, b.Max.Y - 1, 1, 0, 0, -1, b.Dx()}, // bottom
		{b.Min.X, b.Min.Y, 0, 1, 1, 0, b.Dy()},      // left
		{b.Max.X - 1, b.Min.Y, 0, 1, -1, 0, b.Dy()}, // right
	}
	share := 0.0
	for _, w := range walks {
		thin, inked := 0, 0
		for k := range w.n {
			x, y := w.x0+k*w.ax, w.y0+k*w.ay
			run, started := 0, false
			for d := 0; d < depth || started && run <= line; d++ {
				cx, cy := x+d*w.ix, y+d*w.iy
				if cx < b.Min.X || cy < b.Min.Y || cx >= b.Max.X || cy >= b.Max.Y {
					break
				}
				if grid[cy*gw+cx] {
					run++
					started = true
				} else if started {
					break
				}
			}
			if started {
				inked++
				if run <= line {
					thin++
				}
			}
		}
		if inked > 0 {
			share += float64(thin) / float64(inked)
		}
	}
	return share/4 >= stampThinShare
}

// covered is how many places of a side s are inked or lie in a gap of at most gap places
// between inked ones: where a word of print runs along a frame's side, it cuts the side's
// light ink letter by letter.
func covered(s []bool, gap int) int {
	n, last := 0, -1
	for i, v := range s {
		if !v {
			continue
		}
		n++
		if last >= 0 && i-last-1 <= gap {
			n += i - last - 1
		}
		last = i
	}
	return n
}

// clearStamp whitens, within r, every pixel lighter than print (level: stampMinLevel, or
// what the page's print and the stamp's frame tell, see clearFrame) that is not beside
// print: the stamp's strokes go, the print under them and its edges stay. It reports
// whether it whitened anything.
func clearStamp(g *image.Gray, r image.Rectangle, level uint8) bool {
	// Decide on a copy so that whitening one pixel does not change its neighbours' test.
	keep := make([]bool, r.Dx()*r.Dy())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if g.Pix[g.PixOffset(x, y)] >= level {
				continue
			}
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					if nx, ny := x+dx, y+dy; image.Pt(nx, ny).In(r) {
						keep[(ny-r.Min.Y)*r.Dx()+nx-r.Min.X] = true
					}
				}
			}
		}
	}
	changed := false
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := g.Pix[g.PixOffset(r.Min.X, y):][:r.Dx()]
		for i := range row {
			if !keep[(y-r.Min.Y)*r.Dx()+i] && row[i] < 255 {
				row[i], changed = 255, true
			}
		}
	}
	return changed
}
