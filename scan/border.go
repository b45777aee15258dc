package scan

import "image"

// A page scanned on a dark platen, or skewed or smaller than the glass, comes with dark bands
// along its edges, and a page punched for a binder with dark disks beside them. Tesseract
// reads both as text: a border becomes a column of "|" and "I", a hole a letter "O" or "•",
// and a dark band also pulls the page's one global threshold. removeBorders whitens them:
//   - a dark region that comes within edgeMarginMM of the image's edge and runs along at
//     least a third of a side;
//   - a solid dark disk, 4 to 9 mm across, in the outer eighth of the page, where binder
//     holes are punched (ISO 838: 6 mm holes, 12 mm from the edge).
//
// Text that touches the image's edge (a page cropped too tightly) is left, as it is short,
// and so is text that touches a border or a toner streak running down the page: of such a
// region only the pixels on a straight run of borderRunMM or more, across or down, are
// whitened (whitenRuns). Whitened whole, a streak took every letter it touched with it.
const (
	borderRun     = 3    // a border runs along at least 1/borderRun of the side it touches
	holeMarginDiv = 8    // holes lie within 1/holeMarginDiv of the page from an edge
	holeMinMM     = 4.0  // smallest hole diameter
	holeMaxMM     = 9.0  // largest hole diameter
	holeMinFill   = 0.65 // share of its bounding box a disk fills (π/4 ≈ 0.79)
	edgeMarginMM  = 2.0  // a border may start this far inside the image's edge
	borderRunMM   = 6.0  // a border's ink lies on straight runs at least this long
)

// removeBorders whitens dark borders and punch holes of g, a page at dpi with paper near 255
// and ink near 0, in place.
func removeBorders(g *image.Gray, dpi float64) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w < 3 || h < 3 {
		return
	}
	// A bit per pixel, not a bool: the page-sized bool slice was fresh memory on every page,
	// and faulting its pages in cost more than the fills that set it.
	seen := newBitmap(w * h)
	var stack, region []int32
	// fill collects the dark region around i; it gives up (and returns false) past limit
	// pixels, leaving the rest of the region unseen but harmless.
	fill := func(i int32, limit int) bool {
		stack, region = append(stack[:0], i), region[:0]
		seen.set(i)
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			region = append(region, p)
			if len(region) > limit {
				return false
			}
			x, y := int(p)%w, int(p)/w
			for _, d := range [4][2]int{{-1, 0}, {1, 0}, {0, -1}, {0, 1}} {
				nx, ny := x+d[0], y+d[1]
				if nx < 0 || ny < 0 || nx >= w || ny >= h {
					continue
				}
				q := int32(ny*w + nx)
				if !seen.has(q) && g.Pix[ny*g.Stride+nx] < speckInk {
					seen.set(q)
					stack = append(stack, q)
				}
			}
		}
		return true
	}
	whiten := func() {
		for _, p := range region {
			g.Pix[int(p)/w*g.Stride+int(p)%w] = 255
		}
	}

	// Borders: regions reached from the edge, or from within edgeMarginMM of it: a
	// photocopy's dark band often ends short of the image's edge, with a strip of white
	// beyond it (the copy's own margin), and a fill started at the edge alone never
	// reaches it.
	edge := func(x, y int) {
		i := int32(y*w + x)
		if seen.has(i) || g.Pix[y*g.Stride+x] >= speckInk {
			return
		}
		fill(i, w*h)
		if b := bounds(region, w); b.Dx() >= w/borderRun || b.Dy() >= h/borderRun {
			whitenRuns(g, region, w, b, int(borderRunMM*dpi/25.4))
		}
	}
	m := min(int(edgeMarginMM*dpi/25.4), w/2, h/2)
	for d := range m + 1 {
		for x := range w {
			edge(x, d)
			edge(x, h-1-d)
		}
		for y := range h {
			edge(d, y)
			edge(w-1-d, y)
		}
	}

	// Punch holes: solid disks of the right size near an edge.
	pxPerMM := dpi / 25.4
	minD, maxD := int(holeMinMM*pxPerMM), int(holeMaxMM*pxPerMM)
	mx, my := w/holeMarginDiv, h/holeMarginDiv
	for y := range h {
		for x := 0; x < w; x++ {
			if x == mx && y >= my && y < h-my {
				// The page's middle holds no holes (and took half this function's time on
				// an A4 page to pass over): on to the right margin.
				if x = w - mx; x >= w {
					break
				}
			}
			i := int32(y*w + x)
			if seen.has(i) || g.Pix[y*g.Stride+x] >= speckInk {
				continue
			}
			if !fill(i, maxD*maxD) {
				continue
			}
			b := bounds(region, w)
			d := max(b.Dx(), b.Dy())
			if d >= minD && d <= maxD && 4*b.Dx() >= 3*b.Dy() && 4*b.Dy() >= 3*b.Dx() &&
				float64(len(region)) >= holeMinFill*float64(b.Dx()*b.Dy()) {
				whiten()
			}
		}
	}
}

// bitmap is a set of pixel indices, a bit each.
type bitmap []uint64

func newBitmap(n int) bitmap      { return make(bitmap, (n+63)/64) }
func (b bitmap) has(i int32) bool { return b[i>>6]&(1<<(i&63)) != 0 }
func (b bitmap) set(i int32)      { b[i>>6] |= 1 << (i & 63) }

// bounds is the bounding box of pixel indices of a w-wide image.
func bounds(region []int32, w int) image.Rectangle {
	var r image.Rectangle
	for k, p := range region {
		x, y := int(p)%w, int(p)/w
		if k == 0 {
			r = image.Rect(x, y, x+1, y+1)
			continue
		}
		r.Min.X, r.Min.Y = min(r.Min.X, x), min(r.Min.Y, y)
		r.Max.X, r.Max.Y = max(r.Max.X, x+1), max(r.Max.Y, y+1)
	}
	return r
}

// whitenRuns whitens the pixels of region (indices of a w-wide image, bounded by b) that lie
// on a run of at least n region pixels along a row or a column: the band or streak itself,
// not the letters that touch it.
func whitenRuns(g *image.Gray, region []int32, w int, b image.Rectangle, n int) {
	const in, long = 1, 2
	bw := b.Dx()
	mark := make([]uint8, bw*b.Dy())
	for _, p := range region {
		mark[(int(p)/w-b.Min.Y)*bw+int(p)%w-b.Min.X] = in
	}
	markRuns(mark, 0, 1, bw, b.Dy(), bw, n)
	markRuns(mark, 0, bw, b.Dy(), bw, 1, n)
	for k, m := range mark {
		if m&long != 0 {
			g.Pix[(b.Min.Y+k/bw)*g.Stride+b.Min.X+k%bw] = 255
		}
	}
}

// markRuns flags (with 2) the cells of mark on runs of at least n cells flagged 1, along
// lines of length cells taken step apart; lines start at start, start+across, …
func markRuns(mark []uint8, start, step, length, lines, across, n int) {
	for l := range lines {
		first := start + l*across
		run := 0
		for i := 0; i <= length; i++ {
			if i < length && mark[first+i*step]&1 != 0 {
				run++
				continue
			}
			if run >= n {
				for j := i - run; j < i; j++ {
					mark[first+j*step] |= 2
				}
			}
			run = 0
		}
	}
}
