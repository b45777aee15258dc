package scan

import (
	"context"
	"fmt"
	"image"
	"math"

	"github.com/sohoa/sohoa/internal/inkband"
)

// Tesseract's orientation detection (OSD) looks at the shapes of a few hundred letters; on
// small, heavily inked or noisy print it can be unsure, and then it is often wrong. Over the
// 35 pages of generated seed 11 it answered with a confidence under 5 on 5 pages and was
// wrong on 2 of them (0.73 and 1.86, the second an upside-down ID card read at 87% CER),
// and an earlier upright page came back upside down at 2.05. Reading decides where OSD
// cannot: Tesseract reads upright text with word confidences around 90 and upside-down
// text far lower, so an unsure answer is settled by reading one band of text in each of
// the two turns of the lines' axis. It costs two band readings (a sixth of the page each)
// on the pages that need it and nothing on the others.

// bandShare is the band's share of the page's length: a handful of text lines on any page.
const bandShare = 6

// orient returns the clockwise quarter turn that makes g upright, or 0 when opt has no
// Orienter. A page of running text whose ink plainly says upright is taken as it is (see
// plainLean); then a sure glance that the page's text lines agree with (see inkTurn); else a confident OSD answer is taken as it is, and for an unsure one the text
// lines say whether they run across or down the page and reading decides which way up.
// settled is true when the ink of the lines or a reading has already had its say.
func orient(ctx context.Context, g, small *image.Gray, c coarseSkew, dpi float64, opt Options) (turn int, settled bool, err error) {
	if opt.Orienter == nil {
		return 0, false, nil
	}
	ink, lean, lines, ok := inkVote(small, c)
	if ok && ink == 0 && lean >= plainLean && lines >= plainLines {
		return 0, true, nil
	}
	if ok {
		rot, sure, err := opt.Orienter.Glance(ctx, g)
		if err != nil {
			return 0, false, err
		}
		if sure && rot == ink {
			return rot, true, nil
		}
	}
	rot, conf, err := opt.Orienter.Orientation(ctx, g)
	if err != nil {
		return 0, false, err
	}
	rot = ((rot % 360) + 360) % 360
	if rot%90 != 0 {
		rot, conf = 0, 0
	}
	if conf >= opt.SureOrientConfidence {
		return rot, false, nil
	}
	down := rot%180 != 0
	if d, ok := linesRunDown(small); ok {
		down = d
	}
	// Reading alone cannot tell a page on its side from an upright one: Tesseract finds
	// vertical lines of text and reads them turned, as confidently as upright ones. It
	// does not read upside-down text, so it decides between the two turns of one axis.
	turns := []int{0, 180}
	if down {
		turns = []int{90, 270}
	}
	if rot == turns[1] {
		turns[0], turns[1] = turns[1], turns[0]
	}
	turn, err = readBest(ctx, g, dpi, opt.Orienter, turns)
	return turn, true, err
}

// inkTurn is the quarter turn that makes small upright as its text lines' ink says it: the
// axis the lines run along (linesRunDown), then which way up they lean (upness). ok is false
// when either is unclear. Alone it is not to be trusted: ID cards, with their photo, boxes
// and machine-readable lines, leaned the wrong way on four of 358 generated pages; OSD is
// wrong on other pages, so orient takes a quick OSD answer only where both agree.
func inkTurn(small *image.Gray) (turn int, ok bool) {
	turn, _, _, ok = inkVote(small, coarseSkewOf(small))
	return turn, ok
}

// inkVote is inkTurn with the evidence: lean is |upness| of the lines turned upright, lines
// how many text lines (summed over upness's strips) voted. c is small's coarse skew.
func inkVote(small *image.Gray, c coarseSkew) (turn int, lean float64, lines int, ok bool) {
	down, ok := linesRunDown(small)
	if !ok {
		return 0, 0, 0, false
	}
	skew, ok := c.deg, c.ok
	if down {
		small = turnGray(small, 90)
		skew, ok = skewOfReduced(small)
	}
	if !ok {
		return 0, 0, 0, false
	}
	up, lines := upness(small, skew)
	lean = math.Abs(up)
	if lines < minUpLines || lean < minInkLean {
		return 0, lean, lines, false
	}
	switch {
	case down && up > 0:
		return 90, lean, lines, true
	case down:
		return 270, lean, lines, true
	case up > 0:
		return 0, lean, lines, true
	}
	return 180, lean, lines, true
}

// A page whose ink says upright with a large lean and many lines is taken as upright
// without asking OSD: a page of running text (a legal text, a letter) carries its capitals,
// ascenders and tone marks above the lines on every line, and OSD's quick glance costs
// about a tenth of such a page's CPU (150 ms of 1.4 s on the rendered vbpl pages). The ink
// test was wrong only on ID cards (boxes, a photo, the machine-readable zone in capitals),
// which hold few lines: on the pages of generated seeds 11, 12 and 40, each also turned
// through the four quarter turns (432 images), ID cards voted with at most 59 lines and the
// one turned copy the ink took for upright leaned 0.28 with 50 lines. Upright pages of
// text lean 0.3–0.8 with 80–190 lines. Both bounds keep a margin over the ID cards.
// The margin on lines is thin, and the bounds are not to be loosened to save more glances:
// over the 166 single-image pages of generated seeds 11, 12, 40 (native) and 1818–1820
// (html), each in the four quarter turns, the ink took six turned html pages for upright,
// one upside-down invitation leaning 0.63 with 70 lines and a letter 0.60 with 58; the
// rule as it is took 65 of the 166 upright pages and no turned one.
const (
	plainLean  = 0.35
	plainLines = 80
)

// minInkLean is the |upness| from which inkTurn answers, above looksUpsideDown's minUpLean:
// on 358 generated pages it left 14 undecided, and upright text scores 0.25–0.7.
const minInkLean = 0.2

// Text lines are far more regular along their direction than across it: projected along
// the lines, the ink gives a profile of sharp peaks (lines) and gaps (leading); projected
// across, a blur. The axis whose best profile within ±15° is at least axisMargin times
// sharper than the other's is the direction of the lines. On the pages of generated seeds 11
// and 12 that OSD was unsure of, the down/across ratio was 0.08–0.46 for pages lying as
// they should (ID cards the highest) and 5.3 for a page on its side.
const (
	axisStepDeg = 0.5
	axisMargin  = 1.5
)

// linesRunDown reports whether the text lines of small (an analysis copy) run down the
// page; ok is false when neither direction stands out (no text, a photo, a grid).
func linesRunDown(small *image.Gray) (down, ok bool) {
	xs, ys := textPoints(small)
	if len(xs) < minSkewPoints {
		return false, false
	}
	w, h := small.Rect.Dx(), small.Rect.Dy()
	across := bestScore(newProfiler(xs, ys, w, h))
	along := bestScore(newProfiler(ys, xs, h, w))
	switch {
	case along >= axisMargin*across:
		return true, true
	case across >= axisMargin*along:
		return false, true
	}
	return false, false
}

// textPoints are the dark points of small in short runs both across and down the page, as
// darkPoints finds them along rows. Long runs are rules, frames and borders; a frame's
// sides would otherwise sharpen the profile of one axis only and decide it (an ID card's
// frame outweighed its lines of text).
func textPoints(small *image.Gray) (xs, ys []int32) {
	w := small.Rect.Dx()
	rowXs, rowYs := darkPoints(small)
	colXs, colYs := darkPoints(turnGray(small, 90))
	// Turned a quarter clockwise, the pixel (x, y) of small is at (h-1-y, x).
	h := small.Rect.Dy()
	inCol := make([]bool, w*h)
	for i, cx := range colXs {
		x, y := int(colYs[i]), h-1-int(cx)
		inCol[y*w+x] = true
	}
	for i, x := range rowXs {
		if inCol[int(rowYs[i])*w+int(x)] {
			xs, ys = append(xs, x), append(ys, rowYs[i])
		}
	}
	return xs, ys
}

// bestScore is the sharpest profile of p over ±15° in axisStepDeg steps.
func bestScore(p *profiler) float64 {
	best := 0.0
	for a := -maxSkewDeg; a <= maxSkewDeg; a += axisStepDeg {
		best = max(best, p.score(a))
	}
	return best
}

// readBest reads the densest band of text of g in each candidate turn and returns the turn
// Tesseract read with the highest confidence; the first candidate wins ties.
func readBest(ctx context.Context, g *image.Gray, dpi float64, o Orienter, turns []int) (int, error) {
	best, bestConf := turns[0], -1.0
	for _, t := range turns {
		band := straighten(turnGray(g.SubImage(inkband.Densest(g, bandShare, t%180 != 0)).(*image.Gray), t))
		conf, err := o.ReadConfidence(ctx, band, int(dpi+0.5))
		if err != nil {
			return 0, fmt.Errorf("reading a band turned %d°: %w", t, err)
		}
		if conf > bestConf {
			best, bestConf = t, conf
		}
	}
	return best, nil
}

// straighten removes the skew of a band before it is read: Tesseract's layout analysis
// took a band of text skewed by 8° for an empty page, whichever way up it was.
func straighten(band *image.Gray) *image.Gray {
	if skew, ok := skewOfReduced(analysisCopy(band)); ok && math.Abs(skew) >= minSkewToFix {
		return affine(band, -skew, 1)
	}
	return band
}
