// Package pipeline chains the stages — prepare, OCR, classify, extract, index — in two ways
// that share one implementation: in process for `sohoa process` and `sohoa eval`, and as asynq
// tasks for `sohoa worker`. Task payloads carry IDs, never bytes; task IDs are deterministic
// and every handler overwrites the same stored rows, so a task that runs twice gives the same
// result.
//
// Only this package, queue (which enqueues) and cmd import asynq; the task contract
// (types, queues, payload) is in package task, which the API uses without linking the
// stages.
package pipeline

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/png"
	"time"

	"github.com/klauspost/compress/zlib"

	"github.com/sohoa/sohoa/classify"
	"github.com/sohoa/sohoa/extract"
	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/scan"
)

// Recognizer is the OCR engine; *ocr.Pool implements it.
type Recognizer interface {
	Recognize(ctx context.Context, g *image.Gray, dpi int) (ocr.Result, error)
}

// Stages holds the stage implementations both ways of running the pipeline use.
type Stages struct {
	Limits     scan.Limits
	Scan       scan.Options
	OCR        Recognizer
	Classifier *classify.Classifier
	Extractor  *extract.Extractor
	// KeepWhole turns off splitting a file that holds several documents in the in-process
	// runner (`sohoa process --no-split`); the worker reads the upload's option instead.
	KeepWhole bool
}

// NewStages wires the stages around an OCR pool, which also detects page orientation. With
// a nil pool only classification and extraction are usable: a worker serving only the light
// queues never opens Tesseract.
func NewStages(pool *ocr.Pool, lim scan.Limits) (*Stages, error) {
	tax, err := record.LoadTaxonomy()
	if err != nil {
		return nil, err
	}
	s := &Stages{Limits: lim, Classifier: classify.New(tax), Extractor: extract.New(tax)}
	if pool != nil {
		// Tesseract's OSD margin is about 9–11 on clear pages; below 2 the guess is too weak to
		// turn a page that is most likely already upright.
		s.Scan = scan.Options{Orienter: pool, SureOrientConfidence: 5}
		s.OCR = pool
	}
	return s, nil
}

// Recognize runs OCR on a prepared page and returns it as a record.Page.
func (s *Stages) Recognize(ctx context.Context, number int, p scan.Prepared) (record.Page, error) {
	b := p.Image.Bounds()
	page := record.Page{
		Number: number, Width: b.Dx(), Height: b.Dy(),
		Rotation: p.Rotation, SkewDegrees: p.SkewDegrees, Blank: p.Blank,
	}
	if p.Blank {
		return page, nil
	}
	res, err := s.OCR.Recognize(ctx, p.Image, int(p.DPI+0.5))
	if err != nil {
		return page, fmt.Errorf("recognising page %d: %w", number, err)
	}
	page.Text, page.Words, page.MeanConfidence = res.Text, res.Words, res.MeanConfidence
	return page, nil
}

// Understanding is what classification and extraction made of a document's pages.
type Understanding struct {
	Class       record.Classification
	Fields      record.Fields
	NeedsReview bool
	Reasons     []extract.Reason // why it needs review; none when it does not
	Timings     map[string]time.Duration
}

// Understand classifies the document and extracts its type's fields.
func (s *Stages) Understand(pages []record.Page) Understanding {
	t0 := time.Now()
	c := s.Classifier.Classify(pages)
	t1 := time.Now()
	f := s.Extractor.Extract(c.Type, pages)
	t2 := time.Now()
	reasons := extract.Reasons(nil, c, f)
	return Understanding{
		Class: c, Fields: f, NeedsReview: len(reasons) > 0, Reasons: reasons,
		Timings: map[string]time.Duration{"classify": t1.Sub(t0), "extract": t2.Sub(t1)},
	}
}

// encodePage stores a prepared page as an 8-bit gray PNG whose rows are all unfiltered,
// deflated at zlib's best speed. image/png tries every filter on every row, which on
// prepared A4 pages at 300 dpi (clean white paper, black ink) made files no smaller
// (1.56 MB against 1.58) and took 135 ms to write and 60 ms to read back, against 56 and
// 38 ms here; the page is written once per prepare task and read once per OCR task.
// The deflater is klauspost/compress's (already linked by the S3 client) rather than the
// standard library's: on the 20 prepared pages of `sohoa bench` it spent 57-59 ms of CPU a
// page against 80-87 ms, for files 2% smaller (1.64 MB against 1.67), which image/png
// reads back to the same pixels. The queue path pays this on every page; the in-process
// path does not.
func encodePage(g *image.Gray) ([]byte, error) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	var idat bytes.Buffer
	zw, err := zlib.NewWriterLevel(&idat, zlib.BestSpeed)
	if err != nil {
		return nil, fmt.Errorf("encoding page image: %w", err)
	}
	row := make([]byte, 1+w) // row[0] = 0: filter type None
	for y := range h {
		copy(row[1:], g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y+y):][:w])
		if _, err := zw.Write(row); err != nil {
			return nil, fmt.Errorf("encoding page image: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("encoding page image: %w", err)
	}
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8] = 8 // bits per sample; colour type 0 (gray), deflate, no filter method, no interlace
	var buf bytes.Buffer
	buf.Grow(idat.Len() + 64)
	buf.WriteString("\x89PNG\r\n\x1a\n")
	writePNGChunk(&buf, "IHDR", ihdr[:])
	writePNGChunk(&buf, "IDAT", idat.Bytes())
	writePNGChunk(&buf, "IEND", nil)
	return buf.Bytes(), nil
}

// writePNGChunk appends one chunk: length, type, data and the CRC of type and data.
func writePNGChunk(buf *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	buf.Write(n[:])
	buf.WriteString(typ)
	buf.Write(data)
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	buf.Write(n[:])
}

// decodePage reads back a page stored by encodePage.
func decodePage(data []byte) (*image.Gray, error) {
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decoding page image: %w", err)
	}
	if g, ok := img.(*image.Gray); ok {
		return g, nil
	}
	b := img.Bounds()
	g := image.NewGray(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			g.Set(x, y, img.At(x, y))
		}
	}
	return g, nil
}
