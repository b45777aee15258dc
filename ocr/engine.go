package ocr

import (
	"fmt"
	"image"
	"os"
	"strconv"

	"github.com/otiai10/gosseract/v2"
	"github.com/sohoa/sohoa/record"
)

// psmAuto is Tesseract's fully automatic page segmentation (PSM 3): it finds the blocks
// of a multi-column header itself, which orderWords then reads left column first.
const psmAuto = "3"

// engine is one gosseract client with the number of pages it has recognised.
type engine struct {
	c     *gosseract.Client
	pages int
}

// newEngine creates a client and runs a first recognition on a small image, because
// gosseract only initialises Tesseract (loads the model) on the first recognition. The
// caller holds Pool.initMu.
func newEngine(cfg Config) (e *engine, err error) {
	c := gosseract.NewClient()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("initialising tesseract: panic: %v: %w", r, ErrEngine)
		}
		if err != nil {
			_ = c.Close()
		}
	}()
	if cfg.TessdataDir != "" {
		if err := c.SetTessdataPrefix(cfg.TessdataDir); err != nil {
			return nil, fmt.Errorf("setting tessdata directory: %w", err)
		}
	}
	if err := c.SetLanguage(cfg.languages()...); err != nil {
		return nil, fmt.Errorf("setting language: %w", err)
	}
	// SetPageSegMode before the first recognition is lost (gosseract#167); variables are
	// applied after Init. Tesseract's warnings go to debug_file instead of the shared stderr.
	// Tesseract 5 recognises every line a second time inverted (white on black) when its
	// confidence is low; scans of administrative records are dark text on a light page,
	// and on the eval sets turning that off cost no accuracy (it gained a little on
	// degraded pages, where the inverted reading of a noisy line sometimes won).
	for k, v := range map[gosseract.SettableVariable]string{
		"tessedit_pageseg_mode": psmAuto,
		"tessedit_do_invert":    "0",
		"user_defined_dpi":      strconv.Itoa(DefaultDPI),
		gosseract.DEBUG_FILE:    os.DevNull,
	} {
		if err := c.SetVariable(k, v); err != nil {
			return nil, fmt.Errorf("setting %s: %w", k, err)
		}
	}
	for k, v := range cfg.vars {
		if err := c.SetVariable(gosseract.SettableVariable(k), v); err != nil {
			return nil, fmt.Errorf("setting %s: %w", k, err)
		}
	}
	e = &engine{c: c}
	if _, err := e.run(warmUpImage(), DefaultDPI); err != nil {
		return nil, fmt.Errorf("warming up: %w", err)
	}
	return e, nil
}

// warmUpImage is a short black bar on white: enough for Tesseract to load everything it
// loads for a real page, and quick to recognise.
func warmUpImage() *image.Gray {
	g := image.NewGray(image.Rect(0, 0, 120, 40))
	for i := range g.Pix {
		g.Pix[i] = 0xff
	}
	for y := 15; y < 25; y++ {
		for x := 10; x < 110; x++ {
			g.Pix[y*g.Stride+x] = 0
		}
	}
	return g
}

// recognize runs one recognition pass over g and returns Tesseract's words.
func (e *engine) recognize(g *image.Gray, dpi int) ([]tessWord, error) {
	words, err := e.run(g, dpi)
	if err != nil {
		return nil, fmt.Errorf("recognizing with tesseract: %w", err)
	}
	return words, nil
}

// run is recognize without the wrapping, shared with the warm-up. A panic inside gosseract
// becomes ErrEngine so the caller replaces the client.
func (e *engine) run(g *image.Gray, dpi int) (words []tessWord, err error) {
	defer func() {
		if r := recover(); r != nil {
			words, err = nil, fmt.Errorf("panic: %v: %w", r, ErrEngine)
		}
	}()
	if err := e.c.SetVariable("user_defined_dpi", strconv.Itoa(dpi)); err != nil {
		return nil, fmt.Errorf("setting resolution: %w", err)
	}
	if err := e.c.SetImageFromBytes(encodePGM(g)); err != nil {
		return nil, fmt.Errorf("setting image: %w: %w", err, ErrEngine)
	}
	// One pass: GetBoundingBoxesVerbose runs Recognize itself, and Text() would run it again.
	boxes, err := e.c.GetBoundingBoxesVerbose()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", err, ErrEngine)
	}
	words = make([]tessWord, 0, len(boxes))
	for _, b := range boxes {
		words = append(words, tessWord{
			Text:       b.Word,
			Confidence: b.Confidence,
			Box:        record.Box{b.Box.Min.X, b.Box.Min.Y, b.Box.Max.X, b.Box.Max.Y},
			Block:      b.BlockNum,
			Par:        b.ParNum,
			Line:       b.LineNum,
		})
	}
	return words, nil
}

func (e *engine) close() {
	if e != nil && e.c != nil {
		_ = e.c.Close()
		e.c = nil
	}
}
