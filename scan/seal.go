package scan

import (
	"image"
	"math"
	"slices"
)

// Seals (con dấu) are stamped over the signer's title and name. Red ones go with the red
// dropout (gray.go), but a photocopied or gray-scanned seal has no colour left to tell it by,
// and its ring, crossing the lines of the signature block, made Tesseract lose the words under
// it ("an-xiẾ Dung" for "Phan Thị Dung", a signer's name gone altogether). A seal is known by
// its shape instead: a ring (one or two concentric circles of even stroke) of a seal's size.
// findRings finds rings on the prepared page; suppressRings whitens their strokes and keeps
// the strokes of the text that cross them.
const (
	// Seals of Vietnamese agencies are 32–42 mm across (Decree 99/2016 and the common
	// makes); the radii looked for take in smaller stamps and a photocopy's shrink.
	minSealRadiusMM, maxSealRadiusMM = 11.0, 24.0
	// sealAnalysisDPI is the resolution rings are looked for at: a seal's double ring is
	// still two strokes there, and a page's edges are few enough to vote cheaply.
	sealAnalysisDPI = 75
	// sealEdge is the least Sobel magnitude of an edge that votes for ring centres: the
	// edge of a light gray ring on paper gives twice as much at the analysis resolution.
	sealEdge = 120
	// sealInk is the level below which a pixel counts as the ring's ink: a gray seal on a
	// stretched page lies at 110–160, paper at 240–255.
	sealInk = 200
	// minRingCover is the share of a circle's points that must be ink at the ring's radius:
	// a ring is whole, while the text lines a circle crosses cover well under half of it.
	minRingCover = 0.75
	// ringBandCover is the share from which a radius next to the ring's belongs to its
	// band of strokes (the two circles of a double ring and the gap between them).
	ringBandCover = 0.5
	// maxRings bounds the rings looked at on one page.
	maxRings = 4
	// darkRingLevel is the ring level below which a ring is as dark as the text: its
	// crossings with text cannot be told apart by level and are left as they are.
	darkRingLevel = 60
)

// ring is a seal's ring on a page: its centre and the band of radii its strokes fill, in
// pixels.
type ring struct {
	cx, cy float64
	r0, r1 float64
}

// removeSeals finds the seal rings on g (a prepared page at dpi) and whitens them, keeping
// the text that crosses them. It returns how many rings it removed.
func removeSeals(g *image.Gray, dpi float64) int {
	rings := findRings(g, dpi)
	for _, r := range rings {
		suppressRing(g, r, dpi)
	}
	return len(rings)
}

// findRings returns the seal rings on g: centres voted for by the page's edges along their
// gradients (a circular Hough transform at sealAnalysisDPI), each kept only when a circle
// about it is almost all ink (minRingCover), then placed to the pixel on g itself.
func findRings(g *image.Gray, dpi float64) []ring {
	if dpi <= 0 {
		return nil
	}
	k := max(1, int(math.Round(dpi/sealAnalysisDPI)))
	s := reduceGray(g, k)
	sdpi := dpi / float64(k)
	rmin, rmax := minSealRadiusMM*sdpi/25.4, maxSealRadiusMM*sdpi/25.4
	if s.Rect.Dx() < int(2*rmin) || s.Rect.Dy() < int(2*rmin) {
		return nil
	}
	acc := voteCentres(s, rmin, rmax)
	var out []ring
	for _, c := range peaks(acc, s.Rect.Dx(), s.Rect.Dy(), int(rmin), int(2*math.Pi*rmin)) {
		cx, cy := float64(c.X)+0.5, float64(c.Y)+0.5
		r, ok := bestRadius(s, cx, cy, rmin, rmax)
		if !ok {
			continue
		}
		f := float64(k)
		if rg, ok := placeRing(g, cx*f, cy*f, r*f, f, dpi); ok {
			out = append(out, rg)
		}
		if len(out) == maxRings {
			break
		}
	}
	return out
}

// voteCentres returns, for every pixel of s, how many edge pixels point at it from a
// distance between rmin and rmax, one way or the other along their gradient: the edges of
// a ring all point at its centre, those of text at no one place.
func voteCentres(s *image.Gray, rmin, rmax float64) []int32 {
	w, h := s.Rect.Dx(), s.Rect.Dy()
	acc := make([]int32, w*h)
	px := func(x, y int) int { return int(s.Pix[y*s.Stride+x]) }
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			gx := px(x+1, y-1) + 2*px(x+1, y) + px(x+1, y+1) - px(x-1, y-1) - 2*px(x-1, y) - px(x-1, y+1)
			gy := px(x-1, y+1) + 2*px(x, y+1) + px(x+1, y+1) - px(x-1, y-1) - 2*px(x, y-1) - px(x+1, y-1)
			// Most pixels are paper or inside strokes: skip them before the square root.
			if gx*gx+gy*gy < sealEdge*sealEdge {
				continue
			}
			m := math.Hypot(float64(gx), float64(gy))
			if m < sealEdge {
				continue
			}
			ux, uy := float64(gx)/m, float64(gy)/m
			fx, fy := float64(x), float64(y)
			for r := rmin; r <= rmax; r++ {
				// Both ways: a stroke's inner edge points at the centre, its outer edge away.
				dx, dy := r*ux, r*uy
				vote(acc, w, h, int(fx-dx+0.5), int(fy-dy+0.5))
				vote(acc, w, h, int(fx+dx+0.5), int(fy+dy+0.5))
			}
		}
	}
	return acc
}

// vote counts one vote for (cx, cy) when it lies on the w×h grid of acc.
func vote(acc []int32, w, h, cx, cy int) {
	if cx >= 0 && cy >= 0 && cx < w && cy < h {
		acc[cy*w+cx]++
	}
}

// peaks returns the points whose 3×3 sum of votes is at least least, the strongest first,
// each at least apart from every stronger one. It takes the strongest point left, then rules
// out the disc of radius apart about it, and so on: what sorting every point over least and
// keeping those far from the ones kept gives, without the sort (on a page of text, hundreds
// of thousands of points are over least).
func peaks(acc []int32, w, h, apart, least int) []image.Point {
	sums := make([]int32, w*h)
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			var v int32
			for dy := -1; dy <= 1; dy++ {
				for _, a := range acc[(y+dy)*w+x-1 : (y+dy)*w+x+2] {
					v += a
				}
			}
			sums[y*w+x] = v
		}
	}
	var out []image.Point
	for len(out) < 2*maxRings {
		best, at := int32(least)-1, -1
		for i, v := range sums {
			if v > best {
				best, at = v, i
			}
		}
		if at < 0 {
			break
		}
		p := image.Pt(at%w, at/w)
		out = append(out, p)
		ruleOut(sums, w, h, p, apart)
	}
	return out
}

// ruleOut sets to -1 the points of sums (a w×h grid) closer than apart to p.
func ruleOut(sums []int32, w, h int, p image.Point, apart int) {
	for y := max(0, p.Y-apart); y < min(h, p.Y+apart+1); y++ {
		for x := max(0, p.X-apart); x < min(w, p.X+apart+1); x++ {
			if dx, dy := x-p.X, y-p.Y; dx*dx+dy*dy < apart*apart {
				sums[y*w+x] = -1
			}
		}
	}
}

// unitCircle is n points evenly spaced on the unit circle.
type unitCircle [][2]float64

func newUnitCircle(n int) unitCircle {
	c := make(unitCircle, n)
	for i := range c {
		a := 2 * math.Pi * float64(i) / float64(n)
		c[i] = [2]float64{math.Cos(a), math.Sin(a)}
	}
	return c
}

// cover returns the share of the points of circle, scaled to radius r about (cx, cy) on g,
// that are darker than level; points off the page count as not ink.
func cover(g *image.Gray, cx, cy, r float64, circle unitCircle, level uint8) float64 {
	ink := 0
	w, h := g.Rect.Dx(), g.Rect.Dy()
	for _, p := range circle {
		x, y := int(cx+r*p[0]), int(cy+r*p[1])
		if x >= 0 && y >= 0 && x < w && y < h && g.Pix[y*g.Stride+x] < level {
			ink++
		}
	}
	return float64(ink) / float64(len(circle))
}

// bestRadius returns the radius between rmin and rmax at which the circle about (cx, cy) on
// the analysis copy s is most nearly all ink, if that is a ring's (minRingCover). The centre
// voted for can be a pixel off, so the cover is taken as the best over the centres around.
func bestRadius(s *image.Gray, cx, cy, rmin, rmax float64) (float64, bool) {
	best, at := 0.0, 0.0
	circle := newUnitCircle(180)
	for r := rmin; r <= rmax; r += 0.5 {
		for dy := -1.0; dy <= 1; dy++ {
			for dx := -1.0; dx <= 1; dx++ {
				if c := cover(s, cx+dx, cy+dy, r, circle, sealInk); c > best {
					best, at = c, r
				}
			}
		}
	}
	return at, best >= minRingCover
}

// placeRing places a ring found at the analysis resolution (centre and radius in g's pixels,
// to within k of them) on g itself: the centre that makes the circles sharpest, and the band
// of radii about the best one whose cover reaches ringBandCover, across the gap of a double
// ring.
func placeRing(g *image.Gray, cx, cy, r, k, dpi float64) (ring, bool) {
	lo, hi := r-2*k-0.1*dpi, r+2*k+0.1*dpi // 0.1 inch (2.5 mm): the whole of a double ring
	// The centre is searched on 360 points of each circle, every second pixel then about
	// the best of those; the band is measured on 720.
	coarse, fine := newUnitCircle(360), newUnitCircle(720)
	sharpness := func(x, y float64) float64 {
		sharp := 0.0
		for rr := lo; rr <= hi; rr++ {
			c := cover(g, x, y, rr, coarse, sealInk)
			sharp += c * c
		}
		return sharp
	}
	best, bx, by := -1.0, cx, cy
	for dy := -k; dy <= k; dy += 2 {
		for dx := -k; dx <= k; dx += 2 {
			if sh := sharpness(cx+dx, cy+dy); sh > best {
				best, bx, by = sh, cx+dx, cy+dy
			}
		}
	}
	ox, oy := bx, by
	for dy := -1.0; dy <= 1; dy++ {
		for dx := -1.0; dx <= 1; dx++ {
			if sh := sharpness(ox+dx, oy+dy); sh > best {
				best, bx, by = sh, ox+dx, oy+dy
			}
		}
	}
	var covers []float64
	peak, at := 0.0, 0
	for rr := lo; rr <= hi; rr++ {
		c := cover(g, bx, by, rr, fine, sealInk)
		if c > peak {
			peak, at = c, len(covers)
		}
		covers = append(covers, c)
	}
	if peak < minRingCover {
		return ring{}, false
	}
	// The band spreads from the best radius over every radius within a double ring's width
	// of a covered one.
	gap := int(0.04 * dpi) // 1 mm: the gap between a double ring's circles
	i0, i1 := at, at
	for i := at; i >= 0 && at-i <= int(0.1*dpi); i-- {
		if covers[i] >= ringBandCover {
			i0 = i
		} else if i0-i > gap {
			break
		}
	}
	for i := at; i < len(covers) && i-at <= int(0.1*dpi); i++ {
		if covers[i] >= ringBandCover {
			i1 = i
		} else if i-i1 > gap {
			break
		}
	}
	return ring{cx: bx, cy: by, r0: lo + float64(i0), r1: lo + float64(i1)}, true
}

// suppressRing whitens ring rg on g. Around the circle, where no ink lies just inside or just
// outside the band, only the ring is there and the band is made paper. Where ink lies beside
// the band, a stroke of text crosses it: a gray seal printed over black text leaves the text
// darker than the ring (the ring's ink lets a quarter of the text's blackness through), so
// only the band's pixels lighter than a cut between the two go. A ring as dark as the text
// (darkRingLevel) is left where text crosses it.
func suppressRing(g *image.Gray, rg ring, dpi float64) {
	margin := max(2, 0.012*dpi) // 0.3 mm of the ring's blurred edge
	look := max(3, 0.03*dpi)    // 0.75 mm beside the band where a crossing stroke shows
	in, out := rg.r0-margin, rg.r1+margin
	n := int(2 * math.Pi * out)
	crossed := make([]bool, n)
	var levels []int
	w, h := g.Rect.Dx(), g.Rect.Dy()
	at := func(a, r float64) (uint8, bool) {
		x, y := int(rg.cx+r*math.Cos(a)), int(rg.cy+r*math.Sin(a))
		if x < 0 || y < 0 || x >= w || y >= h {
			return 255, false
		}
		return g.Pix[y*g.Stride+x], true
	}
	for i := range n {
		a := 2 * math.Pi * float64(i) / float64(n)
		for r := in - look; r <= in; r++ {
			if v, _ := at(a, r); v < 128 {
				crossed[i] = true
			}
		}
		for r := out; r <= out+look; r++ {
			if v, _ := at(a, r); v < 128 {
				crossed[i] = true
			}
		}
	}
	// A stroke's edge reaches a little past where it shows beside the band.
	spread := int(math.Ceil(look))
	wide := make([]bool, n)
	for i, c := range crossed {
		if c {
			for d := -spread; d <= spread; d++ {
				wide[(i+d+n)%n] = true
			}
		}
	}
	// The ring's level is the median of its ink where nothing crosses it (anywhere, if text
	// crosses it all round).
	all := !slices.Contains(wide, false)
	for i := range n {
		if wide[i] && !all {
			continue
		}
		a := 2 * math.Pi * float64(i) / float64(n)
		for r := rg.r0; r <= rg.r1; r++ {
			if v, ok := at(a, r); ok && v < sealInk {
				levels = append(levels, int(v))
			}
		}
	}
	level := 255
	if len(levels) > 0 {
		slices.Sort(levels)
		level = levels[len(levels)/2]
	}
	keepBelow := 0 // crossings: pixels at or below this level are text
	switch {
	case level < darkRingLevel:
		keepBelow = 256 // as dark as the text: crossings stay as they are
	default:
		// Under the ring, text is darker than the ring by a quarter of the paper's
		// whiteness (64 levels on a stretched page); the cut lies halfway.
		keepBelow = level - 32
	}
	x0, x1 := max(0, int(rg.cx-out)-1), min(w, int(rg.cx+out)+2)
	y0, y1 := max(0, int(rg.cy-out)-1), min(h, int(rg.cy+out)+2)
	for y := y0; y < y1; y++ {
		row := g.Pix[y*g.Stride:][:w]
		for x := x0; x < x1; x++ {
			dx, dy := float64(x)+0.5-rg.cx, float64(y)+0.5-rg.cy
			d := math.Hypot(dx, dy)
			if d < in || d > out {
				continue
			}
			i := int(math.Round((math.Atan2(dy, dx)/(2*math.Pi))*float64(n)+float64(n))) % n
			if !wide[i] || int(row[x]) > keepBelow {
				row[x] = 255
			}
		}
	}
}
