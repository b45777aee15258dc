package scan

import (
	"image"
	"slices"
)

// Tesseract's orientation detection is weakest between upright and upside down: on a blurred,
// over-inked page under uneven light it answered 180° with confidence 2.05 for an upright page
// (and 0° with 1.12 for the same page turned), and OCR of the turned page had 83% CER. A
// second opinion that needs no model settles half turns: in Vietnamese, as in every Latin
// script, a line of text carries much more ink above its x-height band (capitals, ascenders
// b d h k l t, and the tone and vowel marks over most syllables) than below it (descenders
// g p q y and the dot of dấu nặng). Projected across the lines, each line's profile therefore
// has a heavy top tail and a light bottom one; turned half a turn, the tails swap.
const (
	// minUpLines is how many text lines the vote needs; fewer (a photo, a page of boxes)
	// say nothing.
	minUpLines = 4
	// minUpLean is the |upness| below which the page is called undecided. Upright pages of
	// the generated sets and Tesseract's and sbrunner's real test scans score 0.25 to 0.7.
	minUpLean = 0.12
	upStrips  = 6 // vertical strips of the page, each profiled on its own
)

// looksUpsideDown reports whether enough text lines of small lean clearly upside down.
func looksUpsideDown(small *image.Gray, skewDeg float64) bool {
	up, lines := upness(small, skewDeg)
	return lines >= minUpLines && up < -minUpLean
}

// upness says how upright the text lines of small are: the ink in the lines' top tails minus
// the ink in their bottom tails, over both, in [-1, 1] (positive: upright, negative: upside
// down). small is the analysis copy; skewDeg is its skew as skewOfReduced found it, so
// that lines are projected along their own slope. lines is how many text lines voted.
func upness(small *image.Gray, skewDeg float64) (score float64, lines int) {
	xs, ys := darkPoints(small)
	if len(xs) < minSkewPoints {
		return 0, 0
	}
	// Columns of text rarely share baselines, and one profile across the whole width would
	// blur their lines together (a two-column magazine scan scored −0.31 that way). Narrow
	// strips each see the lines of one column.
	w, h := small.Rect.Dx(), small.Rect.Dy()
	sw := (w + upStrips - 1) / upStrips
	sx, sy := make([][]int32, upStrips), make([][]int32, upStrips)
	for i, x := range xs {
		s := int(x) / sw
		sx[s], sy[s] = append(sx[s], x-int32(s*sw)), append(sy[s], ys[i])
	}
	var top, bottom int64
	for s := range sx {
		if len(sx[s]) == 0 {
			continue
		}
		p := newProfiler(sx[s], sy[s], sw, h)
		p.score(skewDeg) // fills p.bins with the profile across the lines
		t, b, n := profileTails(p.bins)
		top, bottom, lines = top+t, bottom+b, lines+n
	}
	if top+bottom == 0 {
		return 0, lines
	}
	return float64(top-bottom) / float64(top+bottom), lines
}

// profileTails finds text lines in a projection profile (bin i holds the ink at distance i
// from the top, across the lines) and sums their top and bottom tails. A line is a run of
// bins above a tenth of a typical line peak, so that specks between lines do not join them;
// its core is where the ink is at least half its own peak (the x-height band, where every
// letter has ink); the tails are the rest of the run above and below the core.
func profileTails(bins []int32) (top, bottom int64, lines int) {
	var nonzero []int32
	for _, b := range bins {
		if b > 0 {
			nonzero = append(nonzero, b)
		}
	}
	if len(nonzero) == 0 {
		return 0, 0, 0
	}
	slices.Sort(nonzero)
	typical := nonzero[len(nonzero)*9/10]
	floor := max(2, typical/10)
	for i := 0; i < len(bins); {
		if bins[i] < floor {
			i++
			continue
		}
		start := i
		peak := int32(0)
		for i < len(bins) && bins[i] >= floor {
			peak = max(peak, bins[i])
			i++
		}
		end := i // the line is bins[start:end]
		if end-start < 4 || peak < typical/4 {
			continue // a rule, a row of dots or the tops of a few capitals: no line shape
		}
		c0, c1 := start, end-1
		for bins[c0]*2 < peak {
			c0++
		}
		for bins[c1]*2 < peak {
			c1--
		}
		for _, b := range bins[start:c0] {
			top += int64(b)
		}
		for _, b := range bins[c1+1 : end] {
			bottom += int64(b)
		}
		lines++
	}
	return top, bottom, lines
}
