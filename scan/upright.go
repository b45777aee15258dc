package scan

import (
	"context"
	"fmt"
	"image"
)

// Tesseract's orientation detection (OSD) looks at the shapes of a few hundred letters; on
// small, heavily inked or noisy print it can be unsure, and then it is often wrong. Over the
// 35 pages of generated seed 11 it answered with a confidence under 5 on 5 pages and was
// wrong on 2 of them (0.73 and 1.86, the second an upside-down ID card read at 87% CER),
// and an earlier upright page came back upside down at 2.05. Reading decides where OSD
// cannot: Tesseract reads upright text with word confidences around 90 and a turned band
// with confidences far lower, so an unsure answer is checked by reading one band of text in
// each candidate turn. It costs two band readings (a sixth of the page each) on the pages
// that need it and nothing on the others.

// bandShare is the band's share of the page's length: a handful of text lines on any page.
const bandShare = 6

// orient returns the clockwise quarter turn that makes g upright, or 0 when opt has no
// Orienter. A confident OSD answer is taken as it is; an unsure one is checked by reading.
func orient(ctx context.Context, g *image.Gray, dpi float64, opt Options) (int, error) {
	if opt.Orienter == nil {
		return 0, nil
	}
	rot, conf, err := opt.Orienter.Orientation(ctx, g)
	if err != nil {
		return 0, err
	}
	rot = ((rot % 360) + 360) % 360
	if rot%90 != 0 {
		rot, conf = 0, 0
	}
	if conf >= opt.SureOrientConfidence {
		return rot, nil
	}
	return readBest(ctx, g, dpi, opt.Orienter, candidateTurns(rot))
}

// candidateTurns lists the turns worth reading for an unsure answer: the answer itself, its
// half turn (OSD's commonest mistake) and, when the answer is a quarter turn, upright and
// upside down as well. Upright comes first among equals, the answer before its half turn.
func candidateTurns(rot int) []int {
	if rot%180 == 0 {
		return []int{rot, (rot + 180) % 360}
	}
	return []int{0, 180, rot, (rot + 180) % 360}
}

// readBest reads the densest band of text of g in each candidate turn and returns the turn
// Tesseract read with the highest confidence; the first candidate wins ties.
func readBest(ctx context.Context, g *image.Gray, dpi float64, o Orienter, turns []int) (int, error) {
	best, bestConf := turns[0], -1.0
	for _, t := range turns {
		band := turnGray(g.SubImage(textBand(g, t%180 != 0)).(*image.Gray), t)
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

// textBand is the band of g, a sixth of its length across the text lines, that holds the
// most ink: rows of the page for horizontal lines, columns when across is true (lines that
// run down the page).
func textBand(g *image.Gray, across bool) image.Rectangle {
	b := g.Rect
	n, along := b.Dy(), b.Dx()
	if across {
		n, along = b.Dx(), b.Dy()
	}
	ink := make([]int, n)
	// Every other line and every fourth pixel along it is plenty to find where the text is.
	for i := 0; i < n; i += 2 {
		for j := 0; j < along; j += 4 {
			x, y := b.Min.X+j, b.Min.Y+i
			if across {
				x, y = b.Min.X+i, b.Min.Y+j
			}
			if g.Pix[g.PixOffset(x, y)] < 128 {
				ink[i]++
			}
		}
	}
	size := max(1, n/bandShare)
	start, sum, bestSum := 0, 0, -1
	for i := range n {
		sum += ink[i]
		if i >= size {
			sum -= ink[i-size]
		}
		if i >= size-1 && sum > bestSum {
			start, bestSum = i-size+1, sum
		}
	}
	if across {
		return image.Rect(b.Min.X+start, b.Min.Y, b.Min.X+start+size, b.Max.Y)
	}
	return image.Rect(b.Min.X, b.Min.Y+start, b.Max.X, b.Min.Y+start+size)
}
