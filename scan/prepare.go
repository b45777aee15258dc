package scan

import (
	"context"
	"fmt"
	"image"
	"math"
)

// Orienter finds the quarter turn that makes a page upright. The OCR package implements it
// with Tesseract's orientation detection and recognition; scan only applies the answer.
type Orienter interface {
	// Orientation returns the clockwise quarter turn (0/90/180/270) that makes g upright.
	Orientation(ctx context.Context, g *image.Gray) (rotationCW int, confidence float64, err error)
	// Glance is a quicker, less certain Orientation: sure is false when it cannot tell.
	// Prepare takes a sure glance only where the page's text lines agree with it.
	Glance(ctx context.Context, g *image.Gray) (rotationCW int, sure bool, err error)
	// ReadConfidence reads g, a band of text at dpi, and returns how confident the reading
	// is (0–100): high for upright text, low for text on its side or upside down.
	ReadConfidence(ctx context.Context, g *image.Gray, dpi int) (float64, error)
}

// Options tune Prepare. Zero values mean the defaults in brackets.
type Options struct {
	Orienter  Orienter // nil: no orientation fix
	TargetDPI float64  // rescale low-res scans to about this [300]
	// SureOrientConfidence is the confidence from which the Orienter's answer is taken as
	// it is; below it, the candidate turns are read to decide (see orient) [0: always taken].
	// Its scale is the Orienter's.
	SureOrientConfidence float64
	// KeepRed keeps red ink instead of whitening it [false: red seals are removed].
	KeepRed bool
}

// Prepared is a page ready for OCR and for display to clerks: word boxes found on Image
// are in its pixels.
type Prepared struct {
	Image       *image.Gray
	DPI         float64
	Rotation    int     // clockwise quarter turn applied (0,90,180,270)
	SkewDegrees float64 // skew found in the input, counter-clockwise positive (text rising to the right = positive); the page was rotated by the opposite angle
	Blank       bool
}

const (
	defaultTargetDPI = 300
	lowDPI           = 200 // below this, pages are scaled up to the target
	highDPI          = 450 // from this, pages are scaled down by an integer factor
	maxUpscale       = 3.0
	maxPreparedPx    = 60_000_000 // no upscale beyond this many output pixels
	minSkewToFix     = 0.05       // degrees; less than a pixel across an A4 line at 300 dpi
)

// Prepare makes a page upright, straight and clean for OCR.
//
// Steps, in order: gray conversion with red seals dropped (taken from the red channel); a
// box-filter reduction for scans of 450 dpi and more; blank-page detection (blank pages stop
// here); division by the paper's brightness, which evens out uneven light; contrast stretch
// from the paper to the ink; removal of dark borders, punch holes (see removeBorders) and
// specks (see removeSpecks); orientation through opt.Orienter (unsure answers checked by
// reading, see orient), with half turns checked against the text lines' own ink (see
// upness); skew detection; one resampling pass that removes the skew and scales pages below
// 200 dpi up to TargetDPI; last, the rings of seals that kept no colour (gray or
// photocopied) are whitened where they do not cross text (see removeSeals), and so are the
// frames of box stamps, and their words where their ink is lighter than the print (see
// removeStamps).
func Prepare(ctx context.Context, raw Raw, opt Options) (Prepared, error) {
	if raw.Image == nil {
		return Prepared{}, fmt.Errorf("preparing page %d: no image", raw.Number)
	}
	if err := ctx.Err(); err != nil {
		return Prepared{}, err
	}
	target := opt.TargetDPI
	if target <= 0 {
		target = defaultTargetDPI
	}
	g, red := pageGray(raw, !opt.KeepRed)
	dpi := raw.DPI
	if dpi <= 0 {
		dpi = pageDPI(0, g.Rect.Dx(), g.Rect.Dy())
	}
	if dpi >= highDPI {
		if k := int(math.Round(dpi / target)); k >= 2 {
			g = reduceGray(g, k)
			if red != nil {
				red = reduceGray(red, k)
			}
			dpi /= float64(k)
		}
	}

	p := Prepared{Image: g, DPI: dpi}
	small := analysisCopy(g)
	if isBlank(small) {
		p.Blank = true
		return p, nil
	}
	flattenBackground(g)
	addRed(g, red)
	stretchContrast(g)
	if noiseLevel(g) > maxNoise {
		meanFilter3(g)
	}
	removeBorders(g, dpi)
	removeSpecks(g, dpi)
	// Orientation and skew look at the cleaned page: on the raw one, uneven light gives
	// Otsu's threshold half the paper as ink (a faint, shadowed ID card read as skewed 15°).
	small = analysisCopy(g)

	coarse := coarseSkewOf(small)
	rot, settled, err := orient(ctx, g, small, coarse, dpi, opt)
	if err != nil {
		return Prepared{}, fmt.Errorf("finding orientation of page %d: %w", raw.Number, err)
	}
	if rot != 0 {
		g = turnGray(g, rot)
		small = analysisCopy(g)
		coarse = coarseSkewOf(small)
		p.Rotation = rot
	}
	if err := ctx.Err(); err != nil {
		return Prepared{}, err
	}

	skew, ok := pageSkew(g, small, coarse)
	if ok && opt.Orienter != nil && !settled && looksUpsideDown(small, skew) {
		// The lines' ink disagrees with a sure OSD answer; reading settles it. On seed 7
		// an upright page OSD turned over (83% CER) came back to 0.2%; on seed 12 an ID
		// card whose boxes fooled the ink test (91% CER when flipped) stays upright. A half
		// turn keeps the slope of the lines, so the skew found stays right.
		t, err := readBest(ctx, g, dpi, opt.Orienter, []int{0, 180})
		if err != nil {
			return Prepared{}, fmt.Errorf("finding orientation of page %d: %w", raw.Number, err)
		}
		if t == 180 {
			g = turnGray(g, 180)
			p.Rotation = (p.Rotation + 180) % 360
		}
	}
	if !ok || math.Abs(skew) < minSkewToFix {
		skew = 0
	}
	p.SkewDegrees = skew
	scale := 1.0
	if dpi < lowDPI {
		scale = math.Min(target/dpi, maxUpscale)
		if px := float64(g.Rect.Dx()) * float64(g.Rect.Dy()) * scale * scale; px > maxPreparedPx {
			scale = math.Max(1, math.Sqrt(maxPreparedPx/(float64(g.Rect.Dx())*float64(g.Rect.Dy()))))
		}
	}
	if skew != 0 || scale != 1 {
		g = affine(g, -skew, scale)
		dpi *= scale
	}
	removeSeals(g, dpi)
	removeStamps(g, dpi)
	p.Image, p.DPI = g, math.Round(dpi*100)/100
	return p, nil
}

// pageGray is raw's image in gray, with the excess of red ink beside it (see grayAndRed).
// A gray page that Pages decoded is taken as it is: nothing else holds it, and copying it
// cost a page-sized allocation, faulted in afresh, on every page.
func pageGray(raw Raw, dropRed bool) (*image.Gray, *image.Gray) {
	if m, ok := raw.Image.(*image.Gray); ok && raw.owned && m.Rect.Min == (image.Point{}) && m.Stride == m.Rect.Dx() {
		return m, nil
	}
	return grayAndRed(raw.Image, dropRed)
}

// Blank detection works on the reduced copy, where scanner speckle has been averaged away:
// a page is blank when almost nothing inside its margins is much darker than the paper.
const (
	blankMargin   = 0.05   // of each side, ignored: punch holes, shadows of the scanner lid
	blankContrast = 80     // gray levels below the paper to count as ink
	blankMaxInk   = 0.0004 // fraction of the inner area
)

func isBlank(g *image.Gray) bool {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	x0, y0 := int(float64(w)*blankMargin), int(float64(h)*blankMargin)
	x1, y1 := w-x0, h-y0
	if x1 <= x0 || y1 <= y0 {
		return false
	}
	var hist [256]int
	for y := y0; y < y1; y++ {
		for _, v := range g.Pix[g.PixOffset(g.Rect.Min.X+x0, g.Rect.Min.Y+y):][:x1-x0] {
			hist[v]++
		}
	}
	total := (x1 - x0) * (y1 - y0)
	paper := percentile(&hist, total, 0.5)
	limit := paper - blankContrast
	ink := 0
	for v := 0; v < limit; v++ {
		ink += hist[v]
	}
	return float64(ink) < blankMaxInk*float64(total)
}

func percentile(hist *[256]int, total int, q float64) int {
	want := int(q * float64(total))
	n := 0
	for v, c := range hist {
		n += c
		if n > want {
			return v
		}
	}
	return 255
}

// inkLevel is the gray level mapped to black: the 0.5th percentile of the page, which lies in
// the cores of the strokes on a page of text, unless fewer than 2% of the pixels are darker
// than halfway from it to the paper. Then the page has little ink (a signature page), the
// percentile falls on shadows left in the paper, and the stretch blew them up into dark
// bands that the skew search took for lines of text (a page turned 14° the wrong way); the
// level is taken a quarter of the way into the dark pixels instead.
func inkLevel(hist *[256]int, total, paper int) int {
	lo := percentile(hist, total, 0.005)
	dark := 0
	for v := 0; v <= (lo+paper)/2; v++ {
		dark += hist[v]
	}
	return percentile(hist, total, min(0.005, 0.25*float64(dark)/float64(total)))
}

// stretchContrast maps the ink level to black and the paper level to white with one lookup
// table, which evens out yellowed paper and faint toner for OCR. Pages with little contrast
// are left alone, so that noise is not amplified. The histogram is sampled on a grid.
func stretchContrast(g *image.Gray) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	var hist [256]int
	total := 0
	for y := 0; y < h; y += 4 {
		row := g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y+y):][:w]
		for x := 0; x < w; x += 4 {
			hist[row[x]]++
			total++
		}
	}
	if total == 0 {
		return
	}
	hi := percentile(&hist, total, 0.9)
	lo := inkLevel(&hist, total, hi)
	if hi-lo < 60 || (lo <= 8 && hi >= 247) {
		return
	}
	var lut [256]uint8
	for v := range lut {
		switch {
		case v <= lo:
			lut[v] = 0
		case v >= hi:
			lut[v] = 255
		default:
			lut[v] = uint8((v - lo) * 255 / (hi - lo))
		}
	}
	for y := 0; y < h; y++ {
		row := g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y+y):][:w]
		for x, v := range row {
			row[x] = lut[v]
		}
	}
}
