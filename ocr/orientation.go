package ocr

import (
	"context"
	"fmt"
	"image"
	"unicode/utf8"
)

// Orientation detects how far g is turned from upright with Tesseract's OSD and returns
// the clockwise quarter-turn (0, 90, 180, 270) that makes it upright, with Tesseract's
// confidence. The confidence is the margin of the best orientation over the next one,
// not a probability: on the Tesseract test pages it was above 10 for clear text; below
// about 2 treat the answer as a guess. A page with too little text for OSD gives 0, 0 and
// no error. It satisfies scan.Orienter.
func (p *Pool) Orientation(ctx context.Context, g *image.Gray) (rotationCW int, confidence float64, err error) {
	if err := checkImage(g); err != nil {
		return 0, 0, fmt.Errorf("detecting orientation: %w", err)
	}
	h, err := p.osd.get(ctx, p.done)
	if err != nil {
		return 0, 0, fmt.Errorf("detecting orientation: %w", err)
	}
	if h == nil {
		p.initMu.Lock()
		h, err = newOSDHandle(p.cfg.TessdataDir)
		p.initMu.Unlock()
		if err != nil {
			p.osd.put(nil)
			return 0, 0, fmt.Errorf("detecting orientation: %w", err)
		}
	}
	deg, conf, ok, err := detectSafely(h, g)
	if err != nil {
		h.close()
		p.osd.put(nil)
		return 0, 0, fmt.Errorf("detecting orientation: %w", err)
	}
	p.osd.put(h)
	if !ok {
		return 0, 0, nil
	}
	return rotationFromOSD(deg), conf, nil
}

func detectSafely(h *osdHandle, g *image.Gray) (deg int, conf float64, ok bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v: %w", r, ErrEngine)
		}
	}()
	deg, conf, ok = h.detect(g, DefaultDPI)
	return deg, conf, ok, nil
}

// rotationFromOSD converts Tesseract's orientation, the clockwise angle by which the
// content is turned (phototest-rotated-R.png, turned a quarter clockwise, reports 90 per
// shared/data/tesseract-test/orientation.csv), into the clockwise turn that undoes it.
func rotationFromOSD(deg int) int { return (360 - deg%360) % 360 }

// ReadConfidence recognises g at dpi and returns the confidence of the reading: the mean
// word confidence weighted by word length, so that the short fragments Tesseract makes of
// turned text count for little. It satisfies scan.Orienter.
func (p *Pool) ReadConfidence(ctx context.Context, g *image.Gray, dpi int) (float64, error) {
	res, err := p.Recognize(ctx, g, dpi)
	if err != nil {
		return 0, err
	}
	var sum, n float64
	for _, w := range res.Words {
		k := float64(utf8.RuneCountInString(w.Text))
		sum += w.Confidence * k
		n += k
	}
	if n == 0 {
		return 0, nil
	}
	return sum / n, nil
}
