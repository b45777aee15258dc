package ocr

// #cgo LDFLAGS: -ltesseract -llept -lgomp
// #include <stdlib.h>
// #include <tesseract/capi.h>
//
// typedef struct {
//     char *text;
//     float conf;
//     int x1, y1, x2, y2, block, par, line;
// } ocr_word;
//
// // ocr_words recognises the image set on h and returns its words in Tesseract's order,
// // numbering blocks, paragraphs and lines from 1 as Tesseract's TSV output does (positions
// // without a word, such as image blocks, are skipped before they are counted). *n is -1
// // when recognition failed. The caller frees each text with TessDeleteText and the array
// // with free.
// static ocr_word *ocr_words(TessBaseAPI *h, int *n) {
//     *n = -1;
//     if (TessBaseAPIRecognize(h, NULL) != 0) return NULL;
//     *n = 0;
//     TessResultIterator *it = TessBaseAPIGetIterator(h);
//     if (it == NULL) return NULL;
//     TessPageIterator *pit = TessResultIteratorGetPageIterator(it);
//     int cap = 256, block = 0, par = 0, line = 0;
//     ocr_word *w = malloc(cap * sizeof *w);
//     do {
//         char *text = TessResultIteratorGetUTF8Text(it, RIL_WORD);
//         if (text == NULL) continue;
//         if (TessPageIteratorIsAtBeginningOf(pit, RIL_BLOCK)) { block++; par = 0; line = 0; }
//         if (TessPageIteratorIsAtBeginningOf(pit, RIL_PARA)) { par++; line = 0; }
//         if (TessPageIteratorIsAtBeginningOf(pit, RIL_TEXTLINE)) line++;
//         if (*n == cap) { cap *= 2; w = realloc(w, cap * sizeof *w); }
//         ocr_word *o = &w[(*n)++];
//         o->text = text;
//         o->conf = TessResultIteratorConfidence(it, RIL_WORD);
//         TessPageIteratorBoundingBox(pit, RIL_WORD, &o->x1, &o->y1, &o->x2, &o->y2);
//         o->block = block; o->par = par; o->line = line;
//     } while (TessResultIteratorNext(it, RIL_WORD));
//     TessResultIteratorDelete(it);
//     return w;
// }
//
// // ocr_image_blocks writes the boxes (x1, y1, x2, y2) of up to max blocks that Tesseract's
// // layout took for pictures in the last recognition, and returns how many it wrote.
// static int ocr_image_blocks(TessBaseAPI *h, int *boxes, int max) {
//     TessResultIterator *it = TessBaseAPIGetIterator(h);
//     if (it == NULL) return 0;
//     TessPageIterator *pit = TessResultIteratorGetPageIterator(it);
//     int n = 0;
//     do {
//         TessPolyBlockType t = TessPageIteratorBlockType(pit);
//         if (n < max && (t == PT_FLOWING_IMAGE || t == PT_HEADING_IMAGE || t == PT_PULLOUT_IMAGE)) {
//             int *b = &boxes[4 * n++];
//             TessPageIteratorBoundingBox(pit, RIL_BLOCK, &b[0], &b[1], &b[2], &b[3]);
//         }
//     } while (TessPageIteratorNext(pit, RIL_BLOCK));
//     TessResultIteratorDelete(it);
//     return n;
// }
import "C"

import (
	"fmt"
	"image"
	"os"
	"slices"
	"unsafe"

	"github.com/sohoa/sohoa/record"
)

// engine is one Tesseract API initialised for recognition, with the number of pages it has
// recognised. It talks to Tesseract's C API directly rather than through gosseract, which
// takes images only as encoded files: Leptonica decodes a PGM byte by byte, 0.18 s of CPU
// per A4 page at 300 dpi (a tenth of the page's whole cost), where handing over the pixels
// is one copy. It must be used by one goroutine at a time.
type engine struct {
	api   *C.TessBaseAPI
	pages int
}

// newEngine creates and initialises an engine, then recognises a small image once so that
// what Tesseract sets up lazily is in place before the first page. The caller holds
// Pool.initMu.
func newEngine(cfg Config) (*engine, error) {
	api := C.TessBaseAPICreate()
	if api == nil {
		return nil, fmt.Errorf("creating tesseract client: %w", ErrEngine)
	}
	e := &engine{api: api}
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

// init loads the models and sets the variables.
func (e *engine) init(cfg Config) error {
	var dir *C.char
	if cfg.TessdataDir != "" {
		dir = C.CString(cfg.TessdataDir)
		defer C.free(unsafe.Pointer(dir))
	}
	lang := C.CString(cfg.Language)
	defer C.free(unsafe.Pointer(lang))
	if rc := C.TessBaseAPIInit3(e.api, dir, lang); rc != 0 {
		return fmt.Errorf("initialising tesseract for %q (code %d): %w", cfg.Language, int(rc), ErrEngine)
	}
	// PSM 3, fully automatic page segmentation, finds the blocks of a multi-column header
	// itself, which orderWords then reads left column first.
	C.TessBaseAPISetPageSegMode(e.api, C.PSM_AUTO)
	vars := map[string]string{
		// Tesseract 5 recognises every line a second time inverted (white on black) when
		// its confidence is low; scans of administrative records are dark text on a light
		// page, and on the eval sets turning that off cost no accuracy (it gained a little
		// on degraded pages, where the inverted reading of a noisy line sometimes won).
		"tessedit_do_invert": "0",
		// Tesseract's warnings go to debug_file instead of the shared stderr.
		"debug_file": os.DevNull,
	}
	for k, v := range cfg.vars {
		vars[k] = v
	}
	for k, v := range vars {
		if err := e.setVariable(k, v); err != nil {
			return err
		}
	}
	return nil
}

func (e *engine) setVariable(k, v string) error {
	ck, cv := C.CString(k), C.CString(v)
	defer C.free(unsafe.Pointer(ck))
	defer C.free(unsafe.Pointer(cv))
	if C.TessBaseAPISetVariable(e.api, ck, cv) == 0 {
		return fmt.Errorf("setting tesseract variable %s=%q: %w", k, v, ErrEngine)
	}
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
	e.setImage(g, dpi)
	defer C.TessBaseAPIClear(e.api)
	words, err := e.words()
	if err != nil {
		return nil, err
	}
	// Pictures, crossed columns, weak and uncovered lines first: their re-reads use the page image
	// set here, which the number columns' re-read replaces with cut-outs. Word boxes are
	// relative to g's corner, and the cut-outs are cut in the same coordinates.
	page := record.Box{0, 0, g.Rect.Dx(), g.Rect.Dy()}
	if words, err = e.rereadPictures(words, e.imageBlocks(), page); err != nil {
		return nil, err
	}
	if words, err = e.rereadCrossed(words, page); err != nil {
		return nil, err
	}
	if words, err = e.rereadWeak(words, page); err != nil {
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

// imageBlocks returns the blocks the last recognition's layout took for pictures.
func (e *engine) imageBlocks() []record.Box {
	var boxes [4 * maxPictures]C.int
	n := int(C.ocr_image_blocks(e.api, &boxes[0], maxPictures))
	out := make([]record.Box, n)
	for i := range out {
		b := boxes[4*i:]
		out[i] = record.Box{int(b[0]), int(b[1]), int(b[2]), int(b[3])}
	}
	return out
}

// rereadPictures reads again, on their own, the blocks that the page's layout took for
// pictures and that could hold lines of text (textBlocks). An ID card's photo, its gray
// placeholder or a seal's halo can make Tesseract take the text beside it for part of one
// picture, and the text is then not read at all: a card lost 20 of its 29 lines that way.
// Read on its own, the block's layout finds the lines and leaves the picture.
func (e *engine) rereadPictures(words []tessWord, pictures []record.Box, page record.Box) ([]tessWord, error) {
	for _, b := range textBlocks(pictures, page) {
		got, err := e.readRect(b, C.PSM_AUTO)
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
func (e *engine) rereadWeak(words []tessWord, page record.Box) ([]tessWord, error) {
	for _, l := range weakLines(words, page) {
		got, err := e.readRect(l.rect, C.PSM_SINGLE_BLOCK)
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
func (e *engine) rereadCrossed(words []tessWord, page record.Box) ([]tessWord, error) {
	const pad = 10 // pixels of margin round a column's words (under a millimetre at 300 dpi)
	for _, cols := range crossedColumns(words) {
		for _, b := range cols {
			old := meanConfidence(wordsIn(words, b))
			if old >= crossedSure {
				continue
			}
			got, err := e.readRect(grow(b, pad, page), C.PSM_SINGLE_BLOCK)
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
		got, err := e.readRect(withLinesAround(grow(b, typical/3, page), words), C.PSM_SINGLE_BLOCK)
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

// readRect recognises rectangle r of the page image set on the engine with page
// segmentation mode psm, and restores automatic segmentation for the next page.
func (e *engine) readRect(r record.Box, psm C.TessPageSegMode) ([]tessWord, error) {
	C.TessBaseAPISetPageSegMode(e.api, psm)
	defer C.TessBaseAPISetPageSegMode(e.api, C.PSM_AUTO)
	C.TessBaseAPISetRectangle(e.api, C.int(r[0]), C.int(r[1]), C.int(r[2]-r[0]), C.int(r[3]-r[1]))
	return e.words()
}

// setImage hands g to Tesseract, which copies the pixels: the Go memory is not kept past
// the call, and the row stride lets a sub-image be passed as it is.
func (e *engine) setImage(g *image.Gray, dpi int) {
	pix := unsafe.Pointer(&g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y)])
	C.TessBaseAPISetImage(e.api, (*C.uchar)(pix), C.int(g.Rect.Dx()), C.int(g.Rect.Dy()), 1, C.int(g.Stride))
	C.TessBaseAPISetSourceResolution(e.api, C.int(dpi))
}

// words recognises the image (or rectangle) set on the engine and returns its words.
func (e *engine) words() ([]tessWord, error) {
	var n C.int
	cw := C.ocr_words(e.api, &n)
	if n < 0 {
		return nil, fmt.Errorf("recognition failed: %w", ErrEngine)
	}
	defer C.free(unsafe.Pointer(cw))
	words := make([]tessWord, n)
	for i, w := range unsafe.Slice(cw, int(n)) {
		words[i] = tessWord{
			Text:       C.GoString(w.text),
			Confidence: float64(w.conf),
			Box:        record.Box{int(w.x1), int(w.y1), int(w.x2), int(w.y2)},
			Block:      int(w.block),
			Par:        int(w.par),
			Line:       int(w.line),
		}
		C.TessDeleteText(w.text)
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
	C.TessBaseAPISetPageSegMode(e.api, C.PSM_SINGLE_BLOCK)
	defer C.TessBaseAPISetPageSegMode(e.api, C.PSM_AUTO)
	dpi := int(C.TessBaseAPIGetSourceYResolution(e.api))
	for _, col := range cols {
		cut, at, replaced := rereadImage(g, words, col)
		e.setImage(cut, dpi)
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
	if e == nil || e.api == nil {
		return
	}
	C.TessBaseAPIEnd(e.api)
	C.TessBaseAPIDelete(e.api)
	e.api = nil
}
