package scan

import (
	"image"
	"math"
)

// Dust on the glass, toner specks and the pepper noise of old scanners scatter dark dots
// over a page. Tesseract takes a dot beside a word for punctuation or a tone mark and
// a field of them for text, and at low resolution the dots grow with the page when it is
// scaled up. removeSpecks whitens every dark blob that fits in a small square and has
// only paper around it.
//
// The square is smaller than the smallest mark of text: at 300 dpi the dot of an i or of
// dấu nặng in 6-point type is about 3 pixels across, so specks up to 2 pixels (scaled
// with the resolution) go and every letter and mark stays. A blob touching a letter is left,
// as Tesseract copes with a bump on a stroke far better than with lost diacritics.
const (
	speckAt300 = 2.0 // largest speck side removed, in pixels at 300 dpi
	speckInk   = 128 // darker than this is ink, on the stretched page (paper 255, ink 0)
)

// removeSpecks whitens isolated dark blobs up to speckSide(dpi) pixels across in place.
func removeSpecks(g *image.Gray, dpi float64) {
	k := speckSide(dpi)
	w, h := g.Rect.Dx(), g.Rect.Dy()
	for y := 1; y < h-k; y++ {
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		for x := 1; x < w-k; x++ {
			if row[x] >= speckInk {
				continue
			}
			// (x, y) is the first ink met in reading order of its blob, so it lies in the
			// top row of any square around the blob; try each column position of it.
			for dx := 0; dx < k; dx++ {
				if x0 := x - dx; x0 >= 1 && isolated(g, x0, y, k) {
					whiten(g, x0, y, k)
					break
				}
			}
		}
	}
}

// speckSide is the side of the largest speck removed at dpi, at least one pixel.
func speckSide(dpi float64) int {
	return max(1, int(math.Round(speckAt300*dpi/300)))
}

// isolated reports whether the k×k square at (x0, y0) has no ink on the ring of pixels
// around it. The caller keeps the ring inside the image.
func isolated(g *image.Gray, x0, y0, k int) bool {
	top := g.Pix[(y0-1)*g.Stride:]
	bottom := g.Pix[(y0+k)*g.Stride:]
	for x := x0 - 1; x <= x0+k; x++ {
		if top[x] < speckInk || bottom[x] < speckInk {
			return false
		}
	}
	for y := y0; y < y0+k; y++ {
		row := g.Pix[y*g.Stride:]
		if row[x0-1] < speckInk || row[x0+k] < speckInk {
			return false
		}
	}
	return true
}

func whiten(g *image.Gray, x0, y0, k int) {
	for y := y0; y < y0+k; y++ {
		row := g.Pix[y*g.Stride:]
		for x := x0; x < x0+k; x++ {
			row[x] = 255
		}
	}
}
