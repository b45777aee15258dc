package pdf

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"strconv"
	"time"
	"unicode/utf16"

	"github.com/sohoa/sohoa/record"
)

// DefaultDPI is the resolution assumed for a page whose DPI is not set.
const DefaultDPI = 300

// jpegQuality keeps strokes of 8–10 pt text crisp at 300 DPI while a gray A4 page stays
// around a few hundred kilobytes.
const jpegQuality = 85

var (
	// ErrNoPages is returned when a PDF would have no page: a PDF reader needs at least one.
	ErrNoPages = errors.New("no pages to write")
	// ErrNoImage is returned for a page without an image or with an empty one.
	ErrNoImage = errors.New("page has no image")
	// ErrClosed is returned by AddPage and Close after Close.
	ErrClosed = errors.New("pdf writer already closed")
)

// Page is one page of a searchable PDF.
type Page struct {
	// Image is the prepared page; it fills the page.
	Image *image.Gray
	// DPI is Image's resolution: the page measures Image's size × 72 / DPI points.
	// Zero means DefaultDPI.
	DPI float64
	// Words are the recognised words with boxes in Image's pixel coordinates. Words with the
	// same Line form one line of the text layer; lines are written in Line order and words
	// of a line in the order given.
	Words []record.Word
}

// Write writes a searchable PDF of pages to w. title becomes the document's Title (usually
// the file name). All pages are held in memory by the caller; to write pages as they are
// read, use NewWriter.
func Write(w io.Writer, title string, pages []Page) error {
	if len(pages) == 0 {
		return ErrNoPages
	}
	pw := NewWriter(w, title)
	for i, p := range pages {
		if err := pw.AddPage(p); err != nil {
			return fmt.Errorf("writing page %d: %w", i+1, err)
		}
	}
	return pw.Close()
}

// Object numbers fixed by the layout of every file sohoa writes; page objects follow.
const (
	objCatalog = iota + 1
	objPages
	objFont
	objCIDFont
	objCIDToGID
	objToUnicode
	objFontDescriptor
	objFontFile
	objInfo
	firstPageObj
)

// Writer writes a searchable PDF one page at a time, so a long document never needs more
// than one page image in memory. The first error sticks: later calls return it.
type Writer struct {
	out     *bufio.Writer
	n       int64 // bytes written so far, for the cross-reference table
	title   string
	created time.Time
	offsets []int64 // offsets[obj] is where object obj starts; index 0 is unused
	pages   []int   // object numbers of the page objects, in order
	started bool
	closed  bool
	err     error
	// Buffers reused from page to page.
	img, content, zipped bytes.Buffer
}

// NewWriter returns a Writer that writes to w. Nothing is written before the first AddPage.
func NewWriter(w io.Writer, title string) *Writer {
	return newWriter(w, title, time.Now())
}

func newWriter(w io.Writer, title string, created time.Time) *Writer {
	return &Writer{out: bufio.NewWriterSize(w, 64<<10), title: title, created: created,
		offsets: make([]int64, firstPageObj)}
}

// Write implements io.Writer for the object writers below; it counts bytes for the
// cross-reference table and keeps the first error.
func (w *Writer) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	n, err := w.out.Write(p)
	w.n += int64(n)
	w.err = err
	return n, err
}

func (w *Writer) printf(format string, args ...any) { fmt.Fprintf(w, format, args...) }

// begin starts object obj at the current offset.
func (w *Writer) begin(obj int) {
	for len(w.offsets) <= obj {
		w.offsets = append(w.offsets, 0)
	}
	w.offsets[obj] = w.n
	w.printf("%d 0 obj\n", obj)
}

// stream writes object obj as a stream with the given extra dictionary entries.
func (w *Writer) stream(obj int, dict string, data []byte) {
	w.begin(obj)
	w.printf("<< %s /Length %d >>\nstream\n", dict, len(data))
	w.Write(data)
	w.printf("\nendstream\nendobj\n")
}

func (w *Writer) object(obj int, body string) {
	w.begin(obj)
	w.printf("%s\nendobj\n", body)
}

// start writes the header and the objects every page shares: catalog and font.
func (w *Writer) start() {
	w.started = true
	// The comment of four bytes above 127 tells transfer tools the file is binary.
	w.printf("%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n")
	w.object(objCatalog, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R /Lang (vi) >>", objPages))
	w.writeFont()
}

// AddPage appends a page: its image, drawn over the whole page, and its words as invisible
// text.
func (w *Writer) AddPage(p Page) error {
	if w.closed {
		return ErrClosed
	}
	if w.err != nil {
		return w.err
	}
	if p.Image == nil || p.Image.Bounds().Empty() {
		return ErrNoImage
	}
	dpi := p.DPI
	if dpi <= 0 {
		dpi = DefaultDPI
	}
	if !w.started {
		w.start()
	}
	b := p.Image.Bounds()
	scale := 72 / dpi // points per pixel
	width, height := float64(b.Dx())*scale, float64(b.Dy())*scale

	w.img.Reset()
	if err := jpeg.Encode(&w.img, p.Image, &jpeg.Options{Quality: jpegQuality}); err != nil {
		w.err = fmt.Errorf("encoding page image: %w", err)
		return w.err
	}

	w.content.Reset()
	c := &w.content
	c.WriteString("q ")
	writeNum(c, width)
	c.WriteString(" 0 0 ")
	writeNum(c, height)
	c.WriteString(" 0 0 cm /Im0 Do Q\n")
	writeTextLayer(c, p.Words, b.Min, scale, height)
	if err := w.compress(c.Bytes()); err != nil {
		return err
	}

	page := len(w.offsets)
	contents, img := page+1, page+2
	w.pages = append(w.pages, page)
	w.object(page, fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] /Contents %d 0 R "+
		"/Resources << /XObject << /Im0 %d 0 R >> /Font << /F0 %d 0 R >> /ProcSet [/PDF /Text /ImageB] >> >>",
		objPages, num(width), num(height), contents, img, objFont))
	w.stream(contents, "/Filter /FlateDecode", w.zipped.Bytes())
	w.stream(img, fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "+
		"/BitsPerComponent 8 /Filter /DCTDecode", b.Dx(), b.Dy()), w.img.Bytes())
	return w.err
}

// compress deflates data into w.zipped.
func (w *Writer) compress(data []byte) error {
	w.zipped.Reset()
	zw := zlib.NewWriter(&w.zipped)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		w.err = fmt.Errorf("compressing page content: %w", err)
	}
	return w.err
}

// Close writes the page tree, the document information, the cross-reference table and the
// trailer, and flushes. It does not close the underlying writer.
func (w *Writer) Close() error {
	if w.closed {
		return ErrClosed
	}
	w.closed = true
	if w.err != nil {
		return w.err
	}
	if len(w.pages) == 0 {
		return ErrNoPages
	}
	var kids bytes.Buffer
	for i, p := range w.pages {
		if i > 0 {
			kids.WriteByte(' ')
		}
		fmt.Fprintf(&kids, "%d 0 R", p)
	}
	w.object(objPages, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids.String(), len(w.pages)))
	date := pdfDate(w.created)
	w.object(objInfo, fmt.Sprintf("<< /Title %s /Producer (sohoa) /Creator (sohoa) /CreationDate (%s) /ModDate (%s) >>",
		textString(w.title), date, date))

	xref := w.n
	w.printf("xref\n0 %d\n0000000000 65535 f \n", len(w.offsets))
	for _, off := range w.offsets[1:] {
		w.printf("%010d 00000 n \n", off)
	}
	id := w.fileID()
	w.printf("trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%x> <%x>] >>\nstartxref\n%d\n%%%%EOF\n",
		len(w.offsets), objCatalog, objInfo, id, id, xref)
	if w.err != nil {
		return w.err
	}
	if err := w.out.Flush(); err != nil {
		w.err = fmt.Errorf("flushing pdf: %w", err)
	}
	return w.err
}

// fileID is the trailer's file identifier, which PDF/A requires; it only has to differ
// between different files, so a hash of what identifies this one will do.
func (w *Writer) fileID() []byte {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d\x00%d\x00%d", w.title, w.created.UnixNano(), len(w.pages), w.n)
	return h.Sum(nil)[:16]
}

// pdfDate formats t as a PDF date string, D:YYYYMMDDHHmmSS+HH'mm', with Z for UTC.
func pdfDate(t time.Time) string {
	s := "D:" + t.Format("20060102150405")
	_, off := t.Zone()
	sign := byte('+')
	if off == 0 {
		sign = 'Z'
	}
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%s%c%02d'%02d'", s, sign, off/3600, off%3600/60)
}

// textString writes s as a PDF text string: UTF-16BE with a byte-order mark, in hex, so any
// Vietnamese file name survives without escaping rules.
func textString(s string) string {
	var b bytes.Buffer
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(record.NFC(s))) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteByte('>')
	return b.String()
}

// num formats v with at most three decimals and no exponent, as PDF numbers must be written.
func num(v float64) string {
	var b bytes.Buffer
	writeNum(&b, v)
	return b.String()
}

func writeNum(b *bytes.Buffer, v float64) {
	var tmp [32]byte
	s := strconv.AppendFloat(tmp[:0], v, 'f', 3, 64)
	s = bytes.TrimRight(s, "0")
	s = bytes.TrimSuffix(s, []byte("."))
	if len(s) == 0 || string(s) == "-" || string(s) == "-0" {
		s = []byte("0")
	}
	b.Write(s)
}
