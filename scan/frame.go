package scan

import (
	"cmp"
	"image"
	"math"
	"slices"
)

// A stamp's frame is found in stamp.go by its light ink. A photocopy darkens a stamp's ink
// towards the print's (toner gain on every pass), and blur spreads a frame's thin line into a
// smear with no light core clear of darker pixels: either way the frame leaves no light ink,
// and its sides cut the lines of print they cross into columns for Tesseract, which reads the
// page out of order (on the html dev sets, six such stamps made over a third of the
// character errors). Such a frame is found by its shape: four thin straight lines of a
// stamp's size meeting at right angles a few degrees askew, whatever their ink, that are not
// a table's (no rule runs on past the corners or across the inside).
const (
	frameInk        = 160  // a cell with a pixel darker than this holds ink, a faint frame's included
	frameRunMM      = 3.0  // a side's pieces run thin and straight at least this far (a letter's strokes are shorter)
	frameSeedMM     = 8.0  // one side of a frame has a piece this long, longer than any letter's stem
	frameCheckMM    = 1.5  // the thin runs a side found is checked against are at least this long
	frameSlope      = 0.09 // a stamp is pressed at most about 5° askew
	frameCornMM     = 2.5  // how far a side may lie from where its facing side and corners put it
	frameRuleOut    = 3.0  // a table's rules run on at least this far past a cell's corner
	frameFacing     = 0.4  // share of their joint length two sides of a frame face each other
	frameMinSide    = 0.4  // share of each side a thin line covers: print may run along one side
	frameCover      = 0.75 // and of the four sides on average
	frameRuled      = 0.9  // share of a frame's width or height a table's inner rule crosses
	frameStraightMM = 4.5  // one of each pair of a frame's sides runs unbroken this far at least
	frameWords      = 0.1  // share of the cells inside a frame that hold ink, at least: a stamp's words

	frameLineInk = 200 // a frame's line is whitened down to this, its blurred edges too
	frameBandMM  = 1.5 // a frame's line is whitened this far either side of where it was found
	frameAlongMM = 2.5 // and where it runs thin this far along it: a letter's stem crossing it is shorter
	frameNearMM  = 0.5 // the line is left this near print it meets
	frameLighter = 40  // levels a frame lighter than the print, at least, for the stamp's words to go
)

// inkCells marks the cells (cell pixels square, gw×gh) of g that hold a pixel darker than
// level.
func inkCells(g *image.Gray, cell, gw, gh int, level uint8) []bool {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	ink := make([]bool, gw*gh)
	for y := range h {
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		cells := ink[(y/cell)*gw:][:gw]
		for cx := range cells {
			if cells[cx] {
				continue
			}
			for _, v := range row[cx*cell : min((cx+1)*cell, w)] {
				if v < level {
					cells[cx] = true
					break
				}
			}
		}
	}
	return ink
}

// axis walks a gw×gh grid along rows (across = false: i along x, j along y) or columns.
type axis struct {
	gw, gh int
	down   bool // along columns: i runs down y, j across x
}

func (a axis) n() (along, across int) {
	if a.down {
		return a.gh, a.gw
	}
	return a.gw, a.gh
}

func (a axis) at(i, j int) int {
	if a.down {
		return i*a.gw + j
	}
	return j*a.gw + i
}

// thinLines returns the cells of ink on straight thin lines along a: a cell is thin when the
// run of ink across a through it is at most thin cells, and on a line when it lies on a run of
// at least run cells along a of thin cells in its row or the rows either side (a line a few
// degrees askew steps from row to row), with gaps of one cell.
func thinLines(ink []bool, a axis, thin, run int) []bool {
	along, across := a.n()
	th := make([]bool, len(ink))
	for i := range along {
		for j := 0; j < across; {
			if !ink[a.at(i, j)] {
				j++
				continue
			}
			k := j
			for k < across && ink[a.at(i, k)] {
				k++
			}
			if k-j <= thin {
				for m := j; m < k; m++ {
					th[a.at(i, m)] = true
				}
			}
			j = k
		}
	}
	out := make([]bool, len(ink))
	near := func(i, j int) bool {
		for d := -1; d <= 1; d++ {
			if jj := j + d; jj >= 0 && jj < across && th[a.at(i, jj)] {
				return true
			}
		}
		return false
	}
	for j := range across {
		for i := 0; i < along; {
			if !near(i, j) {
				i++
				continue
			}
			k, last := i, i
			for k < along && (near(k, j) || k+1 < along && near(k+1, j)) {
				if near(k, j) {
					last = k
				}
				k++
			}
			if last-i+1 >= run {
				for m := i; m <= last; m++ {
					if th[a.at(m, j)] {
						out[a.at(m, j)] = true
					}
				}
			}
			i = k + 1
		}
	}
	return out
}

// side is a straight line of a frame's, in cells of a grid walked along an axis: where it
// starts and ends along the axis, where it lies across it at each end, and how much of its
// length its pieces cover.
type side struct {
	a0, a1 int // extent along
	c0, c1 int // position across at a0 and at a1
	cover  int
	piece  int // its longest piece
}

func (s side) c() int { return (s.c0 + s.c1) / 2 }

// lineSides gathers the pieces of line (components of the cells of a thin line along a) into
// sides: pieces end to end, apart by at most gap cells along and as far across as a line
// askew by frameSlope drifts over the gap, are one side that print crossed.
func lineSides(line []bool, a axis, gap int) []side {
	gw, gh := a.gw, a.gh
	seen := make([]bool, len(line))
	var stack, region []int32
	var pieces []side
	for i, on := range line {
		if !on || seen[i] {
			continue
		}
		stack, region = fillCells(line, seen, gw, gh, int32(i), stack, region)
		b := bounds(region, gw)
		lo, hi := b.Min.X, b.Max.X
		if a.down {
			lo, hi = b.Min.Y, b.Max.Y
		}
		// Where the piece lies across at its two ends.
		var c0, n0, c1, n1 int
		for _, p := range region {
			al, ac := int(p)%gw, int(p)/gw
			if a.down {
				al, ac = ac, al
			}
			if al == lo {
				c0, n0 = c0+ac, n0+1
			}
			if al == hi-1 {
				c1, n1 = c1+ac, n1+1
			}
		}
		pieces = append(pieces, side{a0: lo, a1: hi, c0: c0 / n0, c1: c1 / n1, cover: hi - lo, piece: hi - lo})
	}
	slices.SortFunc(pieces, func(p, q side) int { return p.a0 - q.a0 })
	var sides []side
	used := make([]bool, len(pieces))
	for i := range pieces {
		if used[i] {
			continue
		}
		s := pieces[i]
		for j := i + 1; j < len(pieces); j++ {
			p := pieces[j]
			if used[j] || p.a0 < s.a1 || p.a0-s.a1 > gap {
				continue
			}
			if abs(p.c0-s.c1) > 2+int(frameSlope*float64(p.a0-s.a1+1)) {
				continue
			}
			s.a1, s.c1, s.cover, s.piece = p.a1, p.c1, s.cover+p.cover, max(s.piece, p.piece)
			used[j] = true
		}
		sides = append(sides, s)
	}
	return sides
}

// tilted is a rectangle turned by a small angle about its centre: a stamp pressed askew.
// Units are those of the grid or image it was found on.
type tilted struct {
	cx, cy, hw, hh float64 // centre and half the sides
	sin, cos       float64 // of the angle its top side makes with the x axis (y down)
	// How far each side (top, bottom, left, right) lies from where the rectangle puts it,
	// at its start and its end (left to right, top to bottom), across it: a stamp's frame
	// is drawn by hand or pressed unevenly, and found from pieces, so its sides are not quite
	// a rectangle's (see refine).
	bend [4][2]float64
}

// side is where side k of r lies across it at position t along it (u for the top and the
// bottom, v for the left and the right), and its slope in r's axes.
func (r tilted) side(k int, t float64) (at, slope float64) {
	half, nominal := r.hw, []float64{-r.hh, r.hh, -r.hw, r.hw}[k]
	if k >= 2 {
		half = r.hh
	}
	b := r.bend[k]
	slope = (b[1] - b[0]) / (2 * max(half, 1))
	return nominal + b[0] + slope*(t+half), slope
}

// local is (x, y) in the rectangle's own axes: u along its top side, v down its left side.
func (r tilted) local(x, y float64) (u, v float64) {
	dx, dy := x-r.cx, y-r.cy
	return dx*r.cos + dy*r.sin, -dx*r.sin + dy*r.cos
}

// at is the point of local coordinates (u, v).
func (r tilted) at(u, v float64) (x, y float64) {
	return r.cx + u*r.cos - v*r.sin, r.cy + u*r.sin + v*r.cos
}

// scaled is r with every length multiplied by k (from grid cells to pixels).
func (r tilted) scaled(k float64) tilted {
	r.cx, r.cy, r.hw, r.hh = r.cx*k, r.cy*k, r.hw*k, r.hh*k
	for i := range r.bend {
		r.bend[i][0] *= k
		r.bend[i][1] *= k
	}
	return r
}

// bounds is the upright rectangle around r grown by m.
func (r tilted) bounds(m float64) image.Rectangle {
	ex := r.hw*abs64(r.cos) + r.hh*abs64(r.sin) + m
	ey := r.hw*abs64(r.sin) + r.hh*abs64(r.cos) + m
	return image.Rect(int(r.cx-ex), int(r.cy-ey), int(r.cx+ex+1), int(r.cy+ey+1))
}

func abs64(v float64) float64 { return max(v, -v) }

// frameGrids are the thin straight lines of a page on a grid of cells, hLine across and
// vLine down, with runs of at least frameCheckMM: what a frame's sides are checked against.
type frameGrids struct {
	gw, gh       int
	ink          []bool // the cells holding ink
	hLine, vLine []bool
	straight     int // cells a frame's side runs unbroken at least, in one of each pair (frameStraightMM)
}

// edgeHits samples the edge of r from local (u0, v0) to (u1, v1) cell by cell: whether the
// thin lines of line pass within slack cells of it there.
func edgeHits(line []bool, gw, gh int, r tilted, u0, v0, u1, v1 float64, slack int) []bool {
	n := int(math.Hypot(u1-u0, v1-v0)) + 1
	// Across the edge in local axes: the unit normal.
	nu, nv := -(v1 - v0), u1-u0
	l := math.Hypot(nu, nv)
	nu, nv = nu/l, nv/l
	s := make([]bool, n)
	for k := range n {
		t := float64(k) / float64(max(1, n-1))
		u, v := u0+(u1-u0)*t, v0+(v1-v0)*t
		for d := -slack; d <= slack && !s[k]; d++ {
			x, y := r.at(u+nu*float64(d), v+nv*float64(d))
			if xi, yi := int(x), int(y); xi >= 0 && yi >= 0 && xi < gw && yi < gh && line[yi*gw+xi] {
				s[k] = true
			}
		}
	}
	return s
}

// edgeShare is how much of an edge (see edgeHits) thin lines cover, counting cuts of up to
// gap cells as covered: a frame's side is cut wherever print crosses it.
func edgeShare(line []bool, gw, gh int, r tilted, u0, v0, u1, v1 float64, slack, gap int) float64 {
	s := edgeHits(line, gw, gh, r, u0, v0, u1, v1, slack)
	return float64(covered(s, gap)) / float64(len(s))
}

// edgeRun is the longest stretch of an edge (see edgeHits), in cells, that thin lines cover
// without a cut.
func edgeRun(line []bool, gw, gh int, r tilted, u0, v0, u1, v1 float64, slack int) int {
	best, run := 0, 0
	for _, hit := range edgeHits(line, gw, gh, r, u0, v0, u1, v1, slack) {
		if !hit {
			run = 0
			continue
		}
		run++
		best = max(best, run)
	}
	return best
}

// hypothesis turns two roughly parallel sides p and q (found along a, p before q across it)
// into the rectangle they would bound, or false when they are not of a stamp's size or do
// not face each other over most of their length.
func hypothesis(p, q side, a axis, along, apart [2]int) (tilted, bool) {
	lo, hi := min(p.a0, q.a0), max(p.a1, q.a1)
	if hi-lo < along[0] || hi-lo > along[1] || float64(min(p.a1, q.a1)-max(p.a0, q.a0)) < frameFacing*float64(hi-lo) {
		return tilted{}, false
	}
	// The slope both sides share, weighted by their lengths.
	sum, n := 0.0, 0.0
	for _, s := range []side{p, q} {
		if l := float64(s.a1 - s.a0 - 1); l > 0 {
			sum += float64(s.c1 - s.c0)
			n += l
		}
	}
	slope := 0.0
	if n > 0 {
		slope = sum / n
	}
	if abs64(slope) > frameSlope {
		return tilted{}, false
	}
	m := float64(lo+hi) / 2
	cp := float64(p.c0) + slope*(m-float64(p.a0))
	cq := float64(q.c0) + slope*(m-float64(q.a0))
	if cq-cp < float64(apart[0]) || cq-cp > float64(apart[1]) {
		return tilted{}, false
	}
	cos := 1 / math.Sqrt(1+slope*slope)
	r := tilted{cos: cos}
	if a.down {
		// Sides down the page: x = c + slope·y, so the top side turns by -atan(slope).
		r.sin = -slope * cos
		r.cx, r.cy = (cp+cq)/2+0.5, m
	} else {
		r.sin = slope * cos
		r.cx, r.cy = m, (cp+cq)/2+0.5
	}
	// The sides' ends in the rectangle's own axes: askew, the two sides start and end at
	// different places along a, and their span along a overstates the rectangle's.
	ulo, uhi, nearC, farC := math.Inf(1), math.Inf(-1), 0.0, 0.0
	for k, s := range []side{p, p, q, q} {
		al, ac := float64(s.a0), float64(s.c0)
		if k%2 == 1 {
			al, ac = float64(s.a1-1), float64(s.c1)
		}
		x, y := al+0.5, ac+0.5
		if a.down {
			x, y = y, x
		}
		u, v := r.local(x, y)
		along, across := u, v
		if a.down {
			along, across = v, u
		}
		ulo, uhi = min(ulo, along), max(uhi, along)
		if k < 2 {
			nearC += across / 2
		} else {
			farC += across / 2
		}
	}
	mid, half, acrossMid, acrossHalf := (ulo+uhi)/2, (uhi-ulo+1)/2, (nearC+farC)/2, (farC-nearC)/2
	if a.down {
		r.cx, r.cy = r.at(acrossMid, mid)
		r.hw, r.hh = acrossHalf, half
	} else {
		r.cx, r.cy = r.at(mid, acrossMid)
		r.hw, r.hh = half, acrossHalf
	}
	return r, true
}

// framed checks a hypothesis on the page's thin lines: each of its four sides covered by a
// line along it (frameMinSide of its length, frameCover on average), neither pair of
// opposite sides running on past the same end, as a table's rules do past a cell's corner,
// and no rule across it (see ruled). It returns the mean cover of the sides.
func (fg frameGrids) framed(r tilted, slack, gap, ruleOut int) (float64, bool) {
	w, h := r.hw, r.hh
	sides := []struct {
		line           []bool
		u0, v0, u1, v1 float64
	}{
		{fg.hLine, -w, -h, w, -h}, {fg.hLine, -w, h, w, h},
		{fg.vLine, -w, -h, -w, h}, {fg.vLine, w, -h, w, h},
	}
	sum := 0.0
	var runs [4]int
	for k, s := range sides {
		c := edgeShare(s.line, fg.gw, fg.gh, r, s.u0, s.v0, s.u1, s.v1, slack, gap)
		if c < frameMinSide {
			return 0, false
		}
		sum += c
		runs[k] = edgeRun(s.line, fg.gw, fg.gh, r, s.u0, s.v0, s.u1, s.v1, slack)
	}
	if sum/4 < frameCover {
		return 0, false
	}
	// Bridged over cuts, the stems of letters in lines of print can line up into a side;
	// a frame's line runs on unbroken between the lines of print it crosses, on one side of
	// each pair at least.
	if max(runs[0], runs[1]) < fg.straight || max(runs[2], runs[3]) < fg.straight {
		return 0, false
	}
	if fg.inkInside(r, slack) < frameWords {
		return 0, false
	}
	out := float64(ruleOut)
	past := func(line []bool, u0, v0, u1, v1 float64) bool {
		return edgeShare(line, fg.gw, fg.gh, r, u0, v0, u1, v1, slack, 0) > 2.0/3
	}
	gapc := float64(slack + 1) // start beyond the corner's own ink
	if past(fg.hLine, -w-gapc-out, -h, -w-gapc, -h) && past(fg.hLine, -w-gapc-out, h, -w-gapc, h) ||
		past(fg.hLine, w+gapc, -h, w+gapc+out, -h) && past(fg.hLine, w+gapc, h, w+gapc+out, h) ||
		past(fg.vLine, -w, -h-gapc-out, -w, -h-gapc) && past(fg.vLine, w, -h-gapc-out, w, -h-gapc) ||
		past(fg.vLine, -w, h+gapc, -w, h+gapc+out) && past(fg.vLine, w, h+gapc, w, h+gapc+out) {
		return 0, false
	}
	if fg.ruled(r, slack, gap) {
		return 0, false
	}
	return sum / 4, true
}

// inkInside is the share of the cells inside r, slack cells clear of its sides, that hold
// ink: a stamp has its words inside, a form's empty box (a photo's, a fingerprint's) none.
func (fg frameGrids) inkInside(r tilted, slack int) float64 {
	b := r.bounds(0).Intersect(image.Rect(0, 0, fg.gw, fg.gh))
	in, all := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if u, v := r.local(float64(x)+0.5, float64(y)+0.5); abs64(u) < r.hw-float64(slack) && abs64(v) < r.hh-float64(slack) {
				all++
				if fg.ink[y*fg.gw+x] {
					in++
				}
			}
		}
	}
	return float64(in) / float64(max(1, all))
}

// ruled reports whether a thin line parallel to r's sides crosses it from side to side
// (frameRuled of the way, cuts of up to gap cells bridged): a table's inner rule between its
// cells. A stamp holds words, and its dotted leader (Chuyển: ……) runs along part of its
// width only; a rule of print that a stamp lies over askew is not parallel to its frame (a
// stamp pressed square over a rule is left).
func (fg frameGrids) ruled(r tilted, slack, gap int) bool {
	w, h := r.hw, r.hh
	in := float64(2*slack + 1)
	for u := -w + in; u <= w-in; u++ {
		if edgeShare(fg.vLine, fg.gw, fg.gh, r, u, -h+in, u, h-in, 0, gap) >= frameRuled {
			return true
		}
	}
	for v := -h + in; v <= h-in; v++ {
		if edgeShare(fg.hLine, fg.gw, fg.gh, r, -w+in, v, w-in, v, 0, gap) >= frameRuled {
			return true
		}
	}
	return false
}

// findFrames returns the frames of g (a prepared page at dpi) found by shape, in pixels:
// pairs of long thin sides facing each other, of a stamp's size apart, closed at both ends
// by thin lines across (print crossing a frame may cut one pair of sides to pieces too short
// to tell, but seldom both), each frame found once.
func findFrames(g *image.Gray, dpi float64) []tilted {
	sg, ok := newStampGrid(g, dpi)
	if !ok {
		return nil
	}
	cell, gw, gh, mm := sg.cell, sg.gw, sg.gh, sg.mm
	minW, maxW, minH, maxH := sg.minW, sg.maxW, sg.minH, sg.maxH
	ink := inkCells(g, cell, gw, gh, frameInk)
	thin := max(2, int(stampLineMM*mm+0.5))
	across, down := axis{gw, gh, false}, axis{gw, gh, true}
	run, check := int(frameRunMM*mm), int(frameCheckMM*mm)
	fg := frameGrids{gw: gw, gh: gh, ink: ink, hLine: thinLines(ink, across, thin, check), vLine: thinLines(ink, down, thin, check),
		straight: int(frameStraightMM * mm)}
	gap := int(stampGapMM * mm)
	slack := int(frameCornMM*mm + 0.5)
	ruleOut := int(frameRuleOut * mm)
	seed := int(frameSeedMM * mm)
	type found struct {
		r     tilted
		cover float64
	}
	var cands []found
	try := func(a axis, along, apart [2]int) {
		var sides []side
		for _, s := range lineSides(thinLines(ink, a, thin, run), a, gap) {
			if s.a1-s.a0 >= along[0]/2 {
				sides = append(sides, s)
			}
		}
		for _, p := range sides {
			if p.piece < seed {
				continue
			}
			for _, q := range facing(p, sides, fg.line(a), a, apart) {
				l, r := p, q
				if r.c() < l.c() {
					l, r = r, l
				}
				f, ok := hypothesis(l, r, a, along, apart)
				if !ok {
					continue
				}
				if c, ok := fg.framed(f, slack, gap, ruleOut); ok {
					cands = append(cands, found{fg.refine(f, slack), c})
				}
			}
		}
	}
	try(down, [2]int{minH, maxH}, [2]int{minW, maxW})
	try(across, [2]int{minW, maxW}, [2]int{minH, maxH})
	// The best-covered of overlapping finds stands for the frame.
	slices.SortStableFunc(cands, func(a, b found) int { return cmp.Compare(b.cover, a.cover) })
	var out []tilted
	for _, c := range cands {
		dup := false
		for _, o := range out {
			if u, v := o.local(c.r.cx, c.r.cy); abs64(u) < o.hw && abs64(v) < o.hh {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, c.r)
		}
	}
	for i := range out {
		out[i] = out[i].scaled(float64(cell))
	}
	return out
}

// line is the grid of thin lines along a.
func (fg frameGrids) line(a axis) []bool {
	if a.down {
		return fg.vLine
	}
	return fg.hLine
}

// facing returns the sides that may face p across a frame: the other sides found, and where
// print crossing the frame cut its far side into pieces too short to be found, a line
// parallel to p, a frame's width or height away (apart), that the thin lines of line cover
// over most of p's length (frameCover).
func facing(p side, sides []side, line []bool, a axis, apart [2]int) []side {
	var out []side
	for _, q := range sides {
		if d := abs(q.c() - p.c()); d >= apart[0] && d <= apart[1] {
			out = append(out, q)
		}
	}
	along, across := a.n()
	n := p.a1 - p.a0
	slope := float64(p.c1-p.c0) / float64(max(1, n-1))
	cover := func(d int) float64 {
		k := 0
		for i := p.a0; i < p.a1; i++ {
			c := p.c0 + d + int(math.Round(slope*float64(i-p.a0)))
			for e := -1; e <= 1; e++ {
				if cc := c + e; cc >= 0 && cc < across && i < along && line[a.at(i, cc)] {
					k++
					break
				}
			}
		}
		return float64(k) / float64(max(1, n))
	}
	for _, sign := range []int{-1, 1} {
		best, at := 0.0, 0
		for d := apart[0]; d <= apart[1]; d++ {
			if c := cover(sign * d); c > best {
				best, at = c, sign*d
			}
		}
		if best >= frameCover {
			out = append(out, side{a0: p.a0, a1: p.a1, c0: p.c0 + at, c1: p.c1 + at, cover: int(best * float64(n))})
		}
	}
	return out
}

// clearFrame whitens the stamp framed by r (pixels) on g, whose print is printInk dark (see
// printLevel), and reports whether it whitened any of it. The frame's lines go (see
// whitenFrame): they cut the lines of print the stamp lies over into columns for Tesseract,
// which then reads the page out of order. When the frame is clearly lighter than the print
// (frameLighter), ink within it lighter than halfway between the two and not beside darker
// print goes too, as clearStamp clears a light stamp. A stamp copied as dark as the print
// keeps its words: a word of the stamp and a heading of print standing alone inside the
// frame look alike.
func clearFrame(g *image.Gray, r tilted, dpi float64, printInk uint8) bool {
	px := dpi / 25.4
	area := r.bounds(2 * frameBandMM * px).Intersect(g.Rect)
	if area.Empty() {
		return false
	}
	work := cloneArea(g, area)
	inks := whitenFrame(work, r, frameBandMM*px, stampLineMM*px, frameAlongMM*px)
	if len(inks) == 0 {
		return false
	}
	slices.Sort(inks)
	// The stamp's words are in the frame's ink: when it is clearly lighter than the print,
	// what is lighter than halfway between the two goes.
	if stamp := int(inks[len(inks)/2]); stamp-int(printInk) >= frameLighter {
		clearStamp(work, r.bounds(0).Intersect(area), uint8((stamp+int(printInk))/2))
	}
	copyArea(g, work)
	return true
}

// printLevel is how dark the print of g is: the darker quarter of its ink is darker than
// this.
func printLevel(g *image.Gray) uint8 {
	var hist [256]int
	for y := range g.Rect.Dy() {
		for _, v := range g.Pix[y*g.Stride:][:g.Rect.Dx()] {
			hist[v]++
		}
	}
	ink := 0
	for v := range frameInk {
		ink += hist[v]
	}
	n := 0
	for v := range frameInk {
		if n += hist[v]; 4*n >= ink {
			return uint8(v)
		}
	}
	return 0
}

// whitenFrame whitens on g the frame r's lines, and returns the ink of the pixels it followed
// along them: within band of each side, the ink whose run
// across the side is at most line long and that runs along the side, so thin, for at least
// length pixels. Print crossing the side runs further across and stays, and so
// do the short thin strokes of letters beside it.
func whitenFrame(g *image.Gray, r tilted, band, line, length float64) []uint8 {
	b := g.Rect
	maxRun, minLen := int(line+0.5), int(length+0.5)
	thinH := make([]bool, len(g.Pix)) // thin across a top or bottom side
	thinV := make([]bool, len(g.Pix))
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			i := g.PixOffset(x, y)
			if g.Pix[i] >= frameLineInk {
				continue
			}
			u, v := r.local(float64(x), float64(y))
			top, _ := r.side(0, u)
			bottom, _ := r.side(1, u)
			left, _ := r.side(2, v)
			right, _ := r.side(3, v)
			if (abs64(v-top) <= band || abs64(v-bottom) <= band) && u >= left-band && u <= right+band {
				thinH[i] = inkRun(g, x, y, 0, 1, maxRun) <= maxRun
			}
			if (abs64(u-left) <= band || abs64(u-right) <= band) && v >= top-band && v <= bottom+band {
				thinV[i] = inkRun(g, x, y, 1, 0, maxRun) <= maxRun
			}
		}
	}
	tan := r.sin / r.cos
	seen := make([]bool, len(g.Pix))
	type walked struct {
		path   []image.Point
		thin   []bool
		dx, dy int
	}
	var paths []walked
	// walk follows a thin line from (x, y) along the side's slant: one pixel along (dx, dy)
	// at a time, on the straight line of the given slope from the start, give or take a
	// pixel. Runs long enough are whitened with the lighter blur round them.
	walk := func(thin []bool, x, y, dx, dy int, slope float64) {
		var path []image.Point
		p := image.Pt(x, y)
		for k := 1; ; k++ {
			if !p.In(b) || !thin[g.PixOffset(p.X, p.Y)] || seen[g.PixOffset(p.X, p.Y)] {
				break
			}
			path = append(path, p)
			seen[g.PixOffset(p.X, p.Y)] = true
			// The next pixel along: where the slant from the start puts it, or one beside
			// that. A frame's side is straight; the stroke of a letter it meets (the bowl of
			// an o) bends away from the line within a few pixels.
			on := image.Pt(x+k*dx, y+k*dy)
			drift := int(math.Round(float64(k) * slope))
			on = on.Add(image.Pt(drift*dy, drift*dx))
			found := false
			for _, d := range []int{0, -1, 1} {
				q := on.Add(image.Pt(d*dy, d*dx))
				if q.In(b) && thin[g.PixOffset(q.X, q.Y)] && !seen[g.PixOffset(q.X, q.Y)] {
					p, found = q, true
					break
				}
			}
			if !found {
				break
			}
		}
		if len(path) < minLen {
			// Not a frame's line from here: its pixels may still lie on one found from
			// another start.
			for _, p := range path {
				seen[g.PixOffset(p.X, p.Y)] = false
			}
			return
		}
		paths = append(paths, walked{path, thin, dx, dy})
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			i := g.PixOffset(x, y)
			if thinH[i] && !seen[i] && (x == b.Min.X || !thinH[i-1]) {
				walk(thinH, x, y, 1, 0, tan+sideSlope(r, 0, 1, x, y))
			}
		}
	}
	clear(seen)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			i := g.PixOffset(x, y)
			if thinV[i] && !seen[i] && (y == b.Min.Y || !thinV[i-g.Stride]) {
				walk(thinV, x, y, 0, 1, -tan-sideSlope(r, 2, 3, x, y))
			}
		}
	}
	// The frame's line is as thick as the ink across it along most of its paths; where it
	// is thicker, a stroke of print runs along it (the bowl of a 0 a side touches) and the
	// pixel stays. Each other pixel of a path goes with the ink across the line through it
	// and a pixel of blur either side.
	var runs []int
	var inks []uint8
	for _, l := range paths {
		for _, p := range l.path {
			runs = append(runs, inkRun(g, p.X, p.Y, l.dy, l.dx, maxRun))
			inks = append(inks, g.Pix[g.PixOffset(p.X, p.Y)])
		}
	}
	if len(runs) == 0 {
		return nil
	}
	usual := slices.Clone(runs)
	slices.Sort(usual)
	thick := usual[len(usual)/2] + 1
	near := int(frameNearMM*length/frameAlongMM + 0.5)
	k := 0
	for _, l := range paths {
		dx, dy := l.dx, l.dy
		own := runs[k : k+len(l.path)]
		k += len(l.path)
		for j, p := range l.path {
			if nearPrint(own, j, thick, near) {
				continue
			}
			g.Pix[g.PixOffset(p.X, p.Y)] = 255
			for _, s := range []int{-1, 1} {
				for d := 1; d <= maxRun+1; d++ {
					q := p.Add(image.Pt(s*d*dy, s*d*dx))
					if !q.In(b) {
						break
					}
					i := g.PixOffset(q.X, q.Y)
					ink := g.Pix[i] < frameLineInk
					if ink && !l.thin[i] {
						break
					}
					g.Pix[i] = 255
					if !ink {
						break
					}
				}
			}
		}
	}
	return inks
}

// nearPrint reports whether the line at index j of a path, whose ink runs across it at
// each index are runs, is within near of a place where it is thicker than thick: where print
// meets it. Whitened there, the line would take strokes of the letters with it (the bowl of a
// 0 on the side), and a short piece of line through a word is read as it was before.
func nearPrint(runs []int, j, thick, near int) bool {
	for i := max(0, j-near); i <= min(len(runs)-1, j+near); i++ {
		if runs[i] > thick {
			return true
		}
	}
	return false
}

// sideSlope is the slope, in r's axes, of the nearer to (x, y) of r's sides a and b (top and
// bottom, or left and right).
func sideSlope(r tilted, a, b, x, y int) float64 {
	u, v := r.local(float64(x), float64(y))
	t, across := u, v
	if a >= 2 {
		t, across = v, u
	}
	pa, sa := r.side(a, t)
	pb, sb := r.side(b, t)
	if abs64(across-pa) <= abs64(across-pb) {
		return sa
	}
	return sb
}

// inkRun is the length of the run of ink through (x, y) along (dx, dy), counted up to
// limit+1.
func inkRun(g *image.Gray, x, y, dx, dy, limit int) int {
	n := 1
	for _, s := range []int{-1, 1} {
		for k := 1; n <= limit; k++ {
			p := image.Pt(x+s*k*dx, y+s*k*dy)
			if !p.In(g.Rect) || g.Pix[g.PixOffset(p.X, p.Y)] >= frameLineInk {
				break
			}
			n++
		}
	}
	return n
}

// cloneArea copies the area r of g into an image of its own with the same coordinates.
func cloneArea(g *image.Gray, r image.Rectangle) *image.Gray {
	c := image.NewGray(r)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		copy(c.Pix[c.PixOffset(r.Min.X, y):][:r.Dx()], g.Pix[g.PixOffset(r.Min.X, y):][:r.Dx()])
	}
	return c
}

// copyArea writes c back over g.
func copyArea(g, c *image.Gray) {
	r := c.Rect
	for y := r.Min.Y; y < r.Max.Y; y++ {
		copy(g.Pix[g.PixOffset(r.Min.X, y):][:r.Dx()], c.Pix[c.PixOffset(r.Min.X, y):][:r.Dx()])
	}
}

// removeFramedStamps finds the stamps' frames on g by their shape (findFrames) and clears
// them (clearFrame); it returns how many it cleared.
func removeFramedStamps(g *image.Gray, dpi float64) int {
	n := 0
	frames := findFrames(g, dpi)
	if len(frames) == 0 {
		return 0
	}
	printInk := printLevel(g)
	for _, r := range frames {
		if clearFrame(g, r, dpi, printInk) {
			n++
		}
	}
	return n
}

// refine finds each side of r where, within slack of it at either end, a thin line covers
// most of it (see tilted.bend): a frame put together from pieces cut by print has its ends,
// and so its sides, only roughly where they are. The frame is checked where it was put
// together (framed): moved, a side may snap to a rule beside it.
func (fg frameGrids) refine(r tilted, slack int) tilted {
	w, h := r.hw, r.hh
	ends := []struct {
		line           []bool
		u0, v0, u1, v1 float64
		du, dv         float64 // the way a side moves across
	}{
		{fg.hLine, -w, -h, w, -h, 0, 1}, {fg.hLine, -w, h, w, h, 0, 1},
		{fg.vLine, -w, -h, -w, h, 1, 0}, {fg.vLine, w, -h, w, h, 1, 0},
	}
	for k, e := range ends {
		top := -1.0
		for d0 := -slack; d0 <= slack; d0++ {
			for d1 := -slack; d1 <= slack; d1++ {
				a, b := float64(d0), float64(d1)
				c := edgeShare(e.line, fg.gw, fg.gh, r, e.u0+a*e.du, e.v0+a*e.dv, e.u1+b*e.du, e.v1+b*e.dv, 0, 0)
				if c > top || c == top && abs(d0)+abs(d1) < int(abs64(r.bend[k][0])+abs64(r.bend[k][1])) {
					r.bend[k], top = [2]float64{a, b}, c
				}
			}
		}
	}
	return r
}
