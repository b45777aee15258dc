package scan

import (
	"image"
	"math"
)

// affine maps every pixel of a new page back into g and samples it bilinearly: the page is
// rotated counter-clockwise by deg (as displayed) about its centre and scaled by scale. The
// new page is just large enough to hold the whole rotated input, and what lies outside the
// input is white paper. One pass does both deskew and resolution change.
func affine(g *image.Gray, deg, scale float64) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	s, c := math.Sincos(deg * math.Pi / 180)
	as, ac := math.Abs(s), math.Abs(c)
	nw := max(1, int(math.Round((float64(w)*ac+float64(h)*as)*scale)))
	nh := max(1, int(math.Round((float64(w)*as+float64(h)*ac)*scale)))
	out := image.NewGray(image.Rect(0, 0, nw, nh))

	// Source point for destination (X, Y), with y pointing down and a CCW rotation φ:
	// src = R(-φ)·((dst - dstCentre)/scale) + srcCentre, R(-φ) = [[c, -s], [s, c]] in
	// y-down coordinates.
	cxs, cys := float64(w)/2, float64(h)/2
	cxd, cyd := float64(nw)/2, float64(nh)/2
	const one = 1 << 16
	dxX := int64(math.Round(c / scale * one)) // change of src x per dst x
	dyX := int64(math.Round(s / scale * one)) // change of src y per dst x
	maxX, maxY := int64(w-1)*one, int64(h-1)*one
	src := g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y):]
	stride := g.Stride
	for Y := 0; Y < nh; Y++ {
		// Pixel centres: sample at (X+0.5, Y+0.5) and map to source centres (x-0.5).
		ry := (float64(Y) + 0.5 - cyd) / scale
		rx := (0.5 - cxd) / scale
		sx := int64(math.Round((c*rx - s*ry + cxs - 0.5) * one))
		sy := int64(math.Round((s*rx + c*ry + cys - 0.5) * one))
		row := out.Pix[Y*out.Stride : Y*out.Stride+nw]
		x0, x1 := insideSpanWithin(sx, dxX, maxX, 0, nw)
		x0, x1 = insideSpanWithin(sy, dyX, maxY, x0, x1)
		for X := 0; X < x0; X++ {
			row[X] = edgeSample(src, stride, w, h, sx+int64(X)*dxX, sy+int64(X)*dyX)
		}
		for X := max(x1, x0); X < nw; X++ {
			row[X] = edgeSample(src, stride, w, h, sx+int64(X)*dxX, sy+int64(X)*dyX)
		}
		if x1 <= x0 {
			continue
		}
		// Inside the source: no bounds to test.
		px, py := sx+int64(x0)*dxX, sy+int64(x0)*dyX
		for X := x0; X < x1; X++ {
			ix, iy := px>>16, py>>16
			fx, fy := (px>>8)&0xff, (py>>8)&0xff
			i := int(iy)*stride + int(ix)
			p00, p01 := int64(src[i]), int64(src[i+1])
			p10, p11 := int64(src[i+stride]), int64(src[i+stride+1])
			top := p00<<8 + (p01-p00)*fx
			bot := p10<<8 + (p11-p10)*fx
			row[X] = uint8((top<<8 + (bot-top)*fy + 1<<15) >> 16)
			px += dxX
			py += dyX
		}
	}
	return out
}

// edgeSample handles the last row and column (nearest pixel) and the outside (white).
func edgeSample(src []byte, stride, w, h int, sx, sy int64) uint8 {
	const half = 1 << 15
	ix, iy := (sx+half)>>16, (sy+half)>>16
	if ix < 0 || iy < 0 || ix >= int64(w) || iy >= int64(h) {
		return 255
	}
	return src[iy*int64(stride)+ix]
}

// insideSpanWithin narrows [lo, hi) to the X for which 0 ≤ v+X·d < limit. The inside of
// a convex region along a line is one interval, so the answer is one range.
func insideSpanWithin(v, d, limit int64, lo, hi int) (int, int) {
	in := func(X int) bool { p := v + int64(X)*d; return p >= 0 && p < limit }
	if d == 0 {
		if in(lo) {
			return lo, hi
		}
		return lo, lo
	}
	// Solve 0 ≤ v + X·d < limit for X, then fix rounding at both ends by stepping.
	a := float64(-v) / float64(d)
	b := float64(limit-v) / float64(d)
	if d < 0 {
		a, b = b, a
	}
	start := max(lo, int(math.Floor(a))-1)
	end := min(hi, int(math.Ceil(b))+1)
	// An empty solution outside [lo, hi) must still come back as an empty span inside it.
	end = max(end, lo)
	start = min(start, end)
	for start < end && !in(start) {
		start++
	}
	for end > start && !in(end-1) {
		end--
	}
	return start, end
}
