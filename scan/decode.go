package scan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
	"golang.org/x/image/webp"
)

// Raw is one decoded page as found in the file.
type Raw struct {
	Number int         // 1-based page number within the file
	Image  image.Image // as decoded: colour kept so that Prepare can remove red seals
	DPI    float64     // from metadata, else estimated from A4 page size, else 300
	// owned is set on images Pages decoded afresh for this page, which nothing else holds:
	// Prepare works in a gray one's pixels instead of copying them (see pageGray).
	owned bool
}

// Pages decodes name/data (format sniffed from content; the extension only used to detect a
// mislabelled file) and calls fn for each page in order. Stops at the first fn error.
//
// Pages are decoded one at a time, so memory holds one page, not the whole file. Rejections
// are *InputError values; errors from fn and ctx are returned as they are.
func Pages(ctx context.Context, name string, data []byte, lim Limits, fn func(Raw) error) error {
	lim = lim.withDefaults()
	f, err := classify(name, data, lim)
	if err != nil {
		return err
	}
	switch f {
	case fmtPDF:
		return pdfPages(ctx, data, lim, fn)
	case fmtTIFF:
		return tiffPagesEach(ctx, data, lim, fn)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	img, dpi, err := decodeSingle(f, data, lim)
	if err != nil {
		return err
	}
	return fn(Raw{Number: 1, Image: img, DPI: dpi, owned: true})
}

// Count returns the number of pages without decoding the images (for progress), or an *InputError.
func Count(name string, data []byte, lim Limits) (int, error) {
	lim = lim.withDefaults()
	f, err := classify(name, data, lim)
	if err != nil {
		return 0, err
	}
	n := 1
	switch f {
	case fmtPDF:
		n, err = pdfCount(data)
	case fmtTIFF:
		n, err = tiffCount(data, lim)
	}
	if err != nil {
		return 0, err
	}
	if err := lim.checkPages(n); err != nil {
		return 0, err
	}
	return n, nil
}

type codec struct {
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}

func codecFor(f format) codec {
	switch f {
	case fmtPNG:
		return codec{png.DecodeConfig, png.Decode}
	case fmtJPEG:
		return codec{jpeg.DecodeConfig, jpeg.Decode}
	case fmtTIFF:
		return codec{tiff.DecodeConfig, tiff.Decode}
	case fmtWebP:
		return codec{webp.DecodeConfig, webp.Decode}
	case fmtBMP:
		return codec{bmp.DecodeConfig, bmp.Decode}
	case fmtGIF:
		return codec{gif.DecodeConfig, gif.Decode} // first frame only
	}
	panic(fmt.Sprintf("scan: no decoder for %v", f)) // classify lets only decodable formats through
}

// decodeSingle decodes a one-page image file, applying its orientation and finding its DPI.
func decodeSingle(f format, data []byte, lim Limits) (image.Image, float64, error) {
	var dpi float64
	orient := 1
	switch f {
	case fmtPNG:
		dpi = pngDPI(data)
	case fmtJPEG:
		dpi, orient = jpegMeta(data)
	case fmtBMP:
		dpi = bmpDPI(data)
	}
	img, err := decodeGuarded(f, bytes.NewReader(data), lim)
	if err != nil {
		return nil, 0, err
	}
	img = orientImage(img, orient)
	b := img.Bounds()
	return img, pageDPI(dpi, b.Dx(), b.Dy()), nil
}

// decodeGuarded reads the header, checks the declared size against the limits, and only then
// decodes the pixels. Decoder panics become ErrCorrupt.
func decodeGuarded(f format, r io.ReadSeeker, lim Limits) (image.Image, error) {
	c := codecFor(f)
	cfg, err := safely(func() (image.Config, error) { return c.config(r) })
	if err != nil {
		return nil, decodeErr(f, err)
	}
	if err := lim.checkPixels(cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("rewinding image: %w", err)
	}
	img, err := safely(func() (image.Image, error) { return c.decode(r) })
	if err != nil {
		return nil, decodeErr(f, err)
	}
	return img, nil
}

func safely[T any](fn func() (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("decoder panic: %v", r)
		}
	}()
	return fn()
}

// decodeErr maps a decoder error to an *InputError: features the decoder lacks are
// ErrUnsupported, everything else (truncation, bad data, panics) is ErrCorrupt.
func decodeErr(f format, err error) error {
	var (
		pngU  png.UnsupportedError
		jpegU jpeg.UnsupportedError
		tiffU tiff.UnsupportedError
	)
	switch {
	case errors.As(err, &pngU), errors.As(err, &jpegU), errors.As(err, &tiffU):
		return inputErr(ErrUnsupported, "this %s uses a feature that cannot be read (%v): save it again as PNG or PDF", f, err)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return inputErr(ErrCorrupt, "the %s image is truncated: upload the complete file again", f)
	}
	return inputErr(ErrCorrupt, "the %s image is damaged (%v): scan or export it again", f, err)
}

// pageDPI trusts metadata only when it gives a plausible paper size: cameras and many tools
// write 72 or 96 whatever the content. Otherwise it assumes an A4 page when the proportions
// fit, else 300.
func pageDPI(meta float64, w, h int) float64 {
	long, short := float64(max(w, h)), float64(min(w, h))
	if meta >= 50 && meta <= 2400 {
		if in := long / meta; in >= 2 && in <= 20 {
			return meta
		}
	}
	if short > 0 {
		if ratio := long / short; ratio >= 1.3 && ratio <= 1.5 {
			if d := math.Round(long / a4LongInches); d >= 50 && d <= 1200 {
				return d
			}
		}
	}
	return 300
}

const a4LongInches = 297 / 25.4

// tiffView presents one page of a multi-page TIFF as a single-page file by overlaying the
// first-IFD offset in the header, without copying the data. The Go decoder reads only the
// first IFD.
type tiffView struct {
	data []byte
	head [8]byte
	pos  int64
}

func newTIFFView(data []byte, t tiffData, ifdOff uint32) *tiffView {
	v := &tiffView{data: data}
	copy(v.head[:], data[:8])
	t.bo.PutUint32(v.head[4:], ifdOff)
	return v
}

func (v *tiffView) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	if off >= int64(len(v.data)) {
		return 0, io.EOF
	}
	n := copy(p, v.data[off:])
	for i := off; i < 8 && i < off+int64(n); i++ {
		p[i-off] = v.head[i]
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (v *tiffView) Read(p []byte) (int, error) {
	n, err := v.ReadAt(p, v.pos)
	v.pos += int64(n)
	return n, err
}

func (v *tiffView) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
		v.pos = off
	case io.SeekCurrent:
		v.pos += off
	case io.SeekEnd:
		v.pos = int64(len(v.data)) + off
	}
	return v.pos, nil
}

func tiffIFDs(data []byte, lim Limits) (tiffData, []uint32, error) {
	t, first, err := parseTIFFHeader(data)
	if err == nil {
		var offs []uint32
		if offs, err = tiffPages(t, first, lim.MaxPages); err == nil {
			return t, offs, nil
		}
	}
	return t, nil, inputErr(ErrCorrupt, "the TIFF file is damaged (no readable page directory): scan or export it again")
}

func tiffCount(data []byte, lim Limits) (int, error) {
	_, offs, err := tiffIFDs(data, lim)
	if err == nil && len(offs) > lim.MaxPages {
		return 0, inputErr(ErrTooManyPages, "file has more than %d pages: split it into smaller files", lim.MaxPages)
	}
	return len(offs), err
}

// tiffPagesEach walks the page directories itself because golang.org/x/image/tiff decodes
// only the first one.
func tiffPagesEach(ctx context.Context, data []byte, lim Limits, fn func(Raw) error) error {
	t, offs, err := tiffIFDs(data, lim)
	if err != nil {
		return err
	}
	if len(offs) > lim.MaxPages { // the walk stopped counting at MaxPages+1
		return inputErr(ErrTooManyPages, "file has more than %d pages: split it into smaller files", lim.MaxPages)
	}
	for i, off := range offs {
		if err := ctx.Err(); err != nil {
			return err
		}
		d, err := t.readIFD(off)
		if err != nil {
			return onPage(i+1, inputErr(ErrCorrupt, "the TIFF page directory is damaged: scan or export it again"))
		}
		img, err := decodeGuarded(fmtTIFF, newTIFFView(data, t, off), lim)
		if err != nil {
			return onPage(i+1, err)
		}
		img = orientImage(img, d.orientation())
		b := img.Bounds()
		if err := fn(Raw{Number: i + 1, Image: img, DPI: pageDPI(d.dpi(), b.Dx(), b.Dy()), owned: true}); err != nil {
			return err
		}
	}
	return nil
}
