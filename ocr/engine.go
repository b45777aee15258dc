package ocr

import (
	"fmt"
	"image"
	"os"
	"slices"
	"strconv"

	"github.com/otiai10/gosseract/v2"

	"github.com/sohoa/sohoa/record"
)

// engine is one gosseract client initialised for recognition, with the number of pages it
// has recognised. Images go to it in Leptonica's own serialisation (spix.go), which costs
// one copy of the pixels, where an encoded file would cost a decode. It must be used by one
// goroutine at a time.
type engine struct {
	c     *gosseract.Client
	pages int
	dpi   int    // the resolution Tesseract was last told (user_defined_dpi)
	buf   []byte // the serialised image, reused from page to page
}

// newEngine creates and initialises an engine, then recognises a small image once so that
// the model is loaded (gosseract initialises on first use) and what Tesseract sets up
// lazily is in place before the first page. The caller holds Pool.initMu.
func newEngine(cfg Config) (*engine, error) {
	e := &engine{c: gosseract.NewClient()}
	if err := e.init(cfg); err != nil {
		e.close()
		return nil, err
	}
	if _, err := e.run(warmUpImage(), DefaultDPI); err != nil {
		e.close()
		return nil, fmt.Errorf("warming up: %w", err)
	}
	return e, nil
}

// init sets the models and variables that gosseract applies when it initialises the
// client, on the warm-up's recognition.
func (e *engine) init(cfg Config) error {
	if cfg.TessdataDir != "" {
		if err := e.c.SetTessdataPrefix(cfg.TessdataDir); err != nil {
			return fmt.Errorf("setting tessdata directory: %w", err)
		}
	}
	if err := e.c.SetLanguage(cfg.languages()...); err != nil {
		return fmt.Errorf("setting language %q: %w", cfg.Language, err)
	}
	vars := map[string]string{
		// PSM 3, fully automatic page segmentation, finds the blocks of a multi-column
		// header itself, which orderWords then reads left column first. It is a variable
		// because gosseract's SetPageSegMode before the first recognition is lost in Init.
		"tessedit_pageseg_mode": strconv.Itoa(int(gosseract.PSM_AUTO)),
		// Tesseract 5 recognises every line a second time inverted (white on black) when
		// its confidence is low; scans of administrative records are dark text on a light
		// page, and on the eval sets turning that off cost no accuracy (it gained a little
		// on degraded pages, where the inverted reading of a noisy line sometimes won).
		"tessedit_do_invert": "0",
		// Tesseract's warnings go to debug_file instead of the shared stderr.
		"debug_file": os.DevNull,
		// The serialised image carries no resolution; setImage sets the page's.
		"user_defined_dpi": strconv.Itoa(DefaultDPI),
	}
	for k, v := range cfg.vars {
		vars[k] = v
	}
	for k, v := range vars {
		// Before the first recognition gosseract only records the variable; an unknown
		// name fails that recognition, the warm-up.
		if err := e.c.SetVariable(gosseract.SettableVariable(k), v); err != nil {
			return fmt.Errorf("setting tesseract variable %s=%q: %w", k, v, ErrEngine)
		}
	}
	e.dpi = DefaultDPI
	return nil
}

// warmUpImage is a short black bar on white: enough for Tesseract to set up everything it
// sets up for a real page, and quick to recognise.
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

// recognize runs one recognition pass over g, with a re-read of any column of numbers that
// Tesseract's layout turned sideways (rereadColumns), and returns Tesseract's words.
func (e *engine) recognize(g *image.Gray, dpi int) ([]tessWord, error) {
	words, err := e.run(g, dpi)
	if err != nil {
		return nil, fmt.Errorf("recognizing with tesseract: %w", err)
	}
	return words, nil
}

// run is recognize without the wrapping, shared with the warm-up. The image and the results
// are cleared afterwards, so an idle engine holds only its models.
func (e *engine) run(g *image.Gray, dpi int) ([]tessWord, error) {
	if err := e.setImage(g, dpi); err != nil {
		return nil, err
	}
	defer e.release()
	words, err := e.words()
	if err != nil {
		return nil, err
	}
	// Pictures, crossed columns, weak and uncovered lines first: their re-reads use the page image
	// set here, which the number columns' re-read replaces with cut-outs. Word boxes are
	// relative to g's corner, and the cut-outs are cut in the same coordinates.
	page := record.Box{0, 0, g.Rect.Dx(), g.Rect.Dy()}
	if words, err = e.rereadPictures(g, words, pictureBlocks(e.c, maxPictures), page); err != nil {
		return nil, err
	}
	if words, err = e.rereadCrossed(g, words, page); err != nil {
		return nil, err
	}
	if words, err = e.rereadWeak(g, words, page); err != nil {
		return nil, err
	}
	if words, err = e.rereadUncovered(words, g, page); err != nil {
		return nil, err
	}
	origin := &image.Gray{Pix: g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y):], Stride: g.Stride, Rect: image.Rect(0, 0, g.Rect.Dx(), g.Rect.Dy())}
	if words, err = e.rereadColumns(origin, words); err != nil {
		return nil, err
	}
	return dropDoubles(words), nil
}

// crossedSure is the mean confidence of a column read across at and above which it is not
// read again: printed text Tesseract reads well comes out at 96–97, and on the generated
// sets the columns whose re-read helped were at 66–92.
const crossedSure = 93

// crossedSlack is how much less confident, in points of mean confidence, a column read on
// its own may be than the same column read across and still replace it.
const crossedSlack = 5

// maxPictures bounds the picture blocks read again on one page.
const maxPictures = 16

// rereadPictures reads again, on their own, the blocks that the page's layout took for
// pictures and that could hold lines of text (textBlocks). An ID card's photo, its gray
// placeholder or a seal's halo can make Tesseract take the text beside it for part of one
// picture, and the text is then not read at all: a card lost 20 of its 29 lines that way.
// Read on its own, the block's layout finds the lines and leaves the picture.
func (e *engine) rereadPictures(g *image.Gray, words []tessWord, pictures []record.Box, page record.Box) ([]tessWord, error) {
	for _, b := range textBlocks(pictures, page) {
		got, err := e.readRect(g, b, gosseract.PSM_AUTO)
		if err != nil {
			return nil, err
		}
		words = replace(words, got, inside(b))
	}
	return words, nil
}

// rereadWeak reads again, as one block, each line read badly or stripped of its accents
// (weakLines). The new reading
// replaces the line if it is more confident and no longer the symbols of a mark (its mean
// confidence reaches minMarkConfidence): a signature's strokes read again are still junk,
// only a little surer of itself. Only the new words within the line's own box are kept, the
// padding being there for the LSTM's sake, not to read the lines around again. It runs
// after rereadCrossed, whose column re-reads mend most lines of a header or signature block
// at once.
func (e *engine) rereadWeak(g *image.Gray, words []tessWord, page record.Box) ([]tessWord, error) {
	for _, l := range weakLines(words, page) {
		got, err := e.readRect(g, l.rect, gosseract.PSM_SINGLE_BLOCK)
		if err != nil {
			return nil, err
		}
		got = wordsIn(got, l.box)
		inLine := func(w tessWord) bool { return keyOf(w) == l.key }
		// A line read with confidence (its accents taken) keeps its words if the new
		// reading has fewer letters: it has lost some.
		sure := l.confidence >= weakConfidence
		if c := meanConfidence(got); c > l.confidence && c >= minMarkConfidence && (!sure || letterCount(got) >= l.letters) {
			words = replace(words, got, inLine)
		}
	}
	return words, nil
}

// rereadCrossed reads again, each on its own, the two columns of every run that Tesseract
// read as lines across both (crossedColumns). Where the columns' lines do not line up (a
// header's three lines beside two, a list of recipients in a smaller type beside the
// signer's title), the lines across both hold parts of several printed lines, which the
// LSTM reads as nonsense or not at all. A column's new reading is kept unless it is less
// confident than the old by more than crossedSlack: read as one block, a column that was
// noise on a dark scan edge comes out as a screen of low-confidence junk, while a line the
// old reading lost comes back at the confidence of its neighbours.
func (e *engine) rereadCrossed(g *image.Gray, words []tessWord, page record.Box) ([]tessWord, error) {
	const pad = 10 // pixels of margin round a column's words (under a millimetre at 300 dpi)
	for _, cols := range crossedColumns(words) {
		for _, b := range cols {
			old := meanConfidence(wordsIn(words, b))
			if old >= crossedSure {
				continue
			}
			got, err := e.readRect(g, grow(b, pad, page), gosseract.PSM_SINGLE_BLOCK)
			if err != nil {
				return nil, err
			}
			got = dropScribbles(got)
			if meanConfidence(got) >= old-crossedSlack {
				words = replace(words, got, inside(b))
			}
		}
	}
	return words, nil
}

// rereadUncovered reads again each uncovered line of g (uncoveredLines), in a rectangle
// that takes in whole the lines read around it (a line cut through reads as junk and spoils
// the reading of its neighbour), and adds each line of words read in it, where no word
// stands already, when it is read surely enough (uncoveredSure).
func (e *engine) rereadUncovered(words []tessWord, g *image.Gray, page record.Box) ([]tessWord, error) {
	typical := typicalLineHeight(groupLines(words))
	for _, b := range uncoveredLines(g, words, typical) {
		got, err := e.readRect(g, withLinesAround(grow(b, typical/3, page), words), gosseract.PSM_SINGLE_BLOCK)
		if err != nil {
			return nil, err
		}
		got = slices.DeleteFunc(dropScribbles(wordsIn(got, b)), func(w tessWord) bool {
			return w.Text == "" || overlapsAny(w.Box, words)
		})
		for _, l := range groupLines(got) {
			if textLength(l) >= 3 && meanConfidence(l) >= uncoveredSure {
				words = replace(words, l, func(tessWord) bool { return false })
			}
		}
	}
	return words, nil
}

// readRect recognises rectangle r of page image g with page segmentation mode psm, and
// restores automatic segmentation for the next page. The rectangle goes to Tesseract cut
// out, which is what Tesseract's own SetRectangle does (it thresholds and lays out the
// rectangle alone), and the words come back in g's coordinates.
func (e *engine) readRect(g *image.Gray, r record.Box, psm gosseract.PageSegMode) ([]tessWord, error) {
	cut := g.SubImage(image.Rect(r[0], r[1], r[2], r[3]).Add(g.Rect.Min)).(*image.Gray)
	if err := e.setImage(cut, e.dpi); err != nil {
		return nil, err
	}
	e.c.SetPageSegMode(psm)
	defer e.c.SetPageSegMode(gosseract.PSM_AUTO)
	got, err := e.words()
	if err != nil {
		return nil, err
	}
	for i, w := range got {
		got[i].Box = record.Box{w.Box[0] + r[0], w.Box[1] + r[1], w.Box[2] + r[0], w.Box[3] + r[1]}
	}
	return got, nil
}

// setImage hands g to the client as a serialised Leptonica image, from which Tesseract
// makes its own copy; the Go memory is not kept past the next recognition.
func (e *engine) setImage(g *image.Gray, dpi int) error {
	e.buf = appendSPIX(e.buf[:0], g)
	if err := e.c.SetImageFromBytes(e.buf); err != nil {
		return fmt.Errorf("handing the image to tesseract: %w", ErrEngine)
	}
	if dpi != e.dpi {
		// gosseract sets every recorded variable again here, the segmentation mode
		// (PSM_AUTO) among them; readRect sets its own after this.
		if err := e.c.SetVariable("user_defined_dpi", strconv.Itoa(dpi)); err != nil {
			return fmt.Errorf("setting the resolution: %w", ErrEngine)
		}
		e.dpi = dpi
	}
	return nil
}

// release frees what the engine holds of a page once it is read: Tesseract's image and
// results, gosseract's copy of the image (replaced by a one-pixel one) and the serialised
// page, so that an idle engine holds only its models (two idle A4 pages held about 90 MB
// of peak RSS more over the bench pages).
func (e *engine) release() {
	clearResults(e.c)
	e.buf = appendSPIX(nil, onePixel)
	_ = e.c.SetImageFromBytes(e.buf)
}

// onePixel is the image an idle engine holds.
var onePixel = &image.Gray{Pix: []byte{0xff}, Stride: 1, Rect: image.Rect(0, 0, 1, 1)}

// words recognises the image set on the engine and returns its words.
func (e *engine) words() ([]tessWord, error) {
	boxes, err := e.c.GetBoundingBoxesVerbose()
	if err != nil {
		return nil, fmt.Errorf("recognition failed: %v: %w", err, ErrEngine)
	}
	words := make([]tessWord, len(boxes))
	for i, b := range boxes {
		words[i] = tessWord{
			Text:       b.Word,
			Confidence: b.Confidence,
			Box:        record.Box{b.Box.Min.X, b.Box.Min.Y, b.Box.Max.X, b.Box.Max.Y},
			Block:      b.BlockNum,
			Par:        b.ParNum,
			Line:       b.LineNum,
		}
	}
	return words, nil
}

// rereadColumns reads again, as one block of horizontal lines, each narrow column that
// Tesseract's page layout took for a line of vertical text. The numbers of a numbered list
// ("1.", "2." … at the start of every item) line up in such a column, and Tesseract then
// reads them sideways as one garbled word run ("(© Œœ ¬I1 CI C2") and leaves each item
// without its number. The rectangle re-read is a small part of the page, and the words
// found there replace the column's.
func (e *engine) rereadColumns(g *image.Gray, words []tessWord) ([]tessWord, error) {
	cols := verticalLines(words)
	if len(cols) == 0 {
		return words, nil
	}
	defer e.c.SetPageSegMode(gosseract.PSM_AUTO)
	for _, col := range cols {
		cut, at, replaced := rereadImage(g, words, col)
		if err := e.setImage(cut, e.dpi); err != nil {
			return nil, err
		}
		e.c.SetPageSegMode(gosseract.PSM_SINGLE_BLOCK)
		got, err := e.words()
		if err != nil {
			return nil, err
		}
		for i, w := range got {
			got[i].Box = record.Box{w.Box[0] + at.X, w.Box[1] + at.Y, w.Box[2] + at.X, w.Box[3] + at.Y}
		}
		words = replace(words, got, replaced)
	}
	return words, nil
}

// close frees the engine; it is safe on a nil or closed engine.
func (e *engine) close() {
	if e == nil || e.c == nil {
		return
	}
	e.c.Close()
	e.c = nil
}
