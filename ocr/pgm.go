package ocr

import (
	"fmt"
	"image"
)

// Tesseract stores coordinates in 16-bit integers and refuses larger images; a page at
// 600 dpi is about 5000×7000, so this bound never hurts a real scan.
const maxSide = 32767

// minSide keeps away from images too small for Tesseract's page layout analysis, which
// reports nothing useful below a few pixels and would only add noise.
const minSide = 3

// checkImage rejects images Tesseract cannot take. Tesseract accepts garbage
// silently and a null image would reach native code, so the check is ours to make.
func checkImage(g *image.Gray) error {
	if g == nil {
		return fmt.Errorf("checking image: nil image: %w", ErrImage)
	}
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w < minSide || h < minSide || w > maxSide || h > maxSide {
		return fmt.Errorf("checking image: %d×%d px is outside %d–%d px a side: %w", w, h, minSide, maxSide, ErrImage)
	}
	if len(g.Pix) < g.PixOffset(g.Rect.Max.X-1, g.Rect.Max.Y-1)+1 {
		return fmt.Errorf("checking image: pixel buffer shorter than %d×%d: %w", w, h, ErrImage)
	}
	return nil
}
