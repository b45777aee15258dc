package scan

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/image/bmp"
)

// This file builds the test inputs: small pages with a recognisable layout, and files in
// every format and every way of being broken.

func TestMain(m *testing.M) {
	// Keep pdfcpu's file-building helpers used by the tests away from ~/.config.
	api.DisableConfigDir()
	os.Exit(m.Run())
}

// markedPage is a w×h white page with a black block in its top-left quarter, so that a
// test can tell which way up a decoded page is.
func markedPage(w, h int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(g, g.Rect, image.White, image.Point{}, draw.Src)
	draw.Draw(g, image.Rect(0, 0, w/2, h/2), image.Black, image.Point{}, draw.Src)
	return g
}

// darkCorner says which quarter of img is dark: "tl", "tr", "bl" or "br".
func darkCorner(img image.Image) string {
	b := img.Bounds()
	dark := func(x, y int) bool {
		r, g, bl, _ := img.At(x, y).RGBA()
		return (r+g+bl)/3 < 0x8000
	}
	cx, cy := b.Min.X+b.Dx()/4, b.Min.Y+b.Dy()/4
	cx2, cy2 := b.Min.X+3*b.Dx()/4, b.Min.Y+3*b.Dy()/4
	switch {
	case dark(cx, cy):
		return "tl"
	case dark(cx2, cy):
		return "tr"
	case dark(cx, cy2):
		return "bl"
	case dark(cx2, cy2):
		return "br"
	}
	return "none"
}

func pngBytes(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withPHYs inserts a pHYs chunk (pixels per metre) after IHDR.
func withPHYs(b []byte, dpi float64) []byte {
	ppm := uint32(dpi/0.0254 + 0.5)
	data := make([]byte, 9)
	binary.BigEndian.PutUint32(data, ppm)
	binary.BigEndian.PutUint32(data[4:], ppm)
	data[8] = 1
	chunk := pngChunk("pHYs", data)
	ihdrEnd := 8 + 8 + 13 + 4
	out := append([]byte{}, b[:ihdrEnd]...)
	out = append(out, chunk...)
	return append(out, b[ihdrEnd:]...)
}

func pngChunk(typ string, data []byte) []byte {
	var c []byte
	c = binary.BigEndian.AppendUint32(c, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	crc := crc32.ChecksumIEEE(append([]byte(typ), data...))
	return binary.BigEndian.AppendUint32(c, crc)
}

// pngBomb is a valid PNG signature and IHDR declaring w×h pixels, and a few bytes of data:
// the kind of file that makes a naive decoder allocate gigabytes.
func pngBomb(w, h uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 0 // 8-bit gray
	b := []byte("\x89PNG\r\n\x1a\n")
	b = append(b, pngChunk("IHDR", ihdr)...)
	b = append(b, pngChunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
	return append(b, pngChunk("IEND", nil)...)
}

func jpegBytes(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withEXIF inserts an APP1 EXIF segment with an orientation and a resolution after SOI.
func withEXIF(b []byte, orientation uint16, dpi uint32) []byte {
	bo := binary.BigEndian
	var tiff []byte
	tiff = append(tiff, "MM\x00\x2a"...)
	tiff = bo.AppendUint32(tiff, 8)
	entries := [][]byte{}
	entry := func(tag, typ uint16, count, val uint32) []byte {
		e := bo.AppendUint16(nil, tag)
		e = bo.AppendUint16(e, typ)
		e = bo.AppendUint32(e, count)
		return bo.AppendUint32(e, val)
	}
	n := 3
	ratOff := uint32(8 + 2 + 12*n + 4)
	entries = append(entries,
		entry(tagOrientation, 3, 1, uint32(orientation)<<16), // SHORT, left-justified
		entry(tagXResolution, 5, 1, ratOff),
		entry(tagResolutionUnit, 3, 1, 2<<16))
	tiff = bo.AppendUint16(tiff, uint16(n))
	for _, e := range entries {
		tiff = append(tiff, e...)
	}
	tiff = bo.AppendUint32(tiff, 0)
	tiff = bo.AppendUint32(tiff, dpi)
	tiff = bo.AppendUint32(tiff, 1)
	seg := append([]byte("Exif\x00\x00"), tiff...)
	out := append([]byte{}, b[:2]...)
	out = append(out, 0xff, 0xe1)
	out = bo.AppendUint16(out, uint16(len(seg)+2))
	out = append(out, seg...)
	return append(out, b[2:]...)
}

// multiTIFF writes an uncompressed 8-bit gray TIFF with one page per image, at dpi.
func multiTIFF(pages []*image.Gray, dpi uint32) []byte {
	bo := binary.LittleEndian
	out := []byte("II\x2a\x00\x00\x00\x00\x00")
	prevNext := 4 // where to write the offset of the next IFD
	for _, g := range pages {
		w, h := g.Rect.Dx(), g.Rect.Dy()
		dataOff := len(out)
		for y := 0; y < h; y++ {
			out = append(out, g.Pix[y*g.Stride:y*g.Stride+w]...)
		}
		if len(out)%2 == 1 {
			out = append(out, 0)
		}
		resOff := len(out)
		out = bo.AppendUint32(out, dpi)
		out = bo.AppendUint32(out, 1)
		ifdOff := len(out)
		bo.PutUint32(out[prevNext:], uint32(ifdOff))
		type ent struct {
			tag, typ uint16
			val      uint32
		}
		ents := []ent{
			{tagNewSubfileType, 4, 2}, // bit 1: page of a multi-page document
			{tagWidth, 4, uint32(w)}, {tagHeight, 4, uint32(h)},
			{258, 3, 8}, {tagCompression, 3, 1}, {262, 3, 1}, // 8 bits, none, BlackIsZero
			{273, 4, uint32(dataOff)}, {277, 3, 1}, {278, 4, uint32(h)}, {279, 4, uint32(w * h)},
			{tagXResolution, 5, uint32(resOff)}, {283, 5, uint32(resOff)}, {tagResolutionUnit, 3, 2},
		}
		out = bo.AppendUint16(out, uint16(len(ents)))
		for _, e := range ents {
			out = bo.AppendUint16(out, e.tag)
			out = bo.AppendUint16(out, e.typ)
			out = bo.AppendUint32(out, 1)
			if e.typ == 3 {
				out = bo.AppendUint16(out, uint16(e.val))
				out = bo.AppendUint16(out, 0)
			} else {
				out = bo.AppendUint32(out, e.val)
			}
		}
		prevNext = len(out)
		out = bo.AppendUint32(out, 0)
	}
	return out
}

// imagePDF builds a PDF with one page per image, each page sized for 300 dpi, the way the
// notes in shared/notes/libraries.md §3 describe.
func imagePDF(t testing.TB, imgs ...[]byte) []byte {
	t.Helper()
	cfg, _, err := image.DecodeConfig(bytes.NewReader(imgs[0]))
	if err != nil {
		t.Fatal(err)
	}
	return imagePDFSized(t, types.Dim{Width: float64(cfg.Width) * 72 / 300, Height: float64(cfg.Height) * 72 / 300}, imgs...)
}

// imagePDFSized centres the images on pages of dim points.
func imagePDFSized(t testing.TB, dim types.Dim, imgs ...[]byte) []byte {
	t.Helper()
	var out bytes.Buffer
	var readers []io.Reader
	for _, b := range imgs {
		readers = append(readers, bytes.NewReader(b))
	}
	imp := pdfcpu.DefaultImportConfig()
	imp.Pos, imp.Scale, imp.UserDim = types.Center, 1.0, true
	imp.PageDim = &dim
	if err := api.ImportImages(nil, &out, readers, imp, nil); err != nil {
		t.Fatalf("building PDF: %v", err)
	}
	return out.Bytes()
}

func encryptPDF(t testing.TB, pdf []byte, userPW string) []byte {
	t.Helper()
	var out bytes.Buffer
	conf := model.NewAESConfiguration(userPW, "owner", 256)
	if err := api.Encrypt(bytes.NewReader(pdf), &out, conf); err != nil {
		t.Fatalf("encrypting PDF: %v", err)
	}
	return out.Bytes()
}

// textPDF is a hand-written PDF with vector text and no image, which only a renderer can
// turn into pixels.
func textPDF(pages int) []byte {
	var b bytes.Buffer
	var offs []int
	obj := func(s string) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), s)
	}
	b.WriteString("%PDF-1.4\n")
	kids := ""
	for i := 0; i < pages; i++ {
		kids += fmt.Sprintf("%d 0 R ", 4+2*i)
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids, pages))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	for i := 0; i < pages; i++ {
		content := fmt.Sprintf("BT /F1 36 Tf 72 700 Td (Trang %d) Tj ET", i+1)
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", 5+2*i))
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content))
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}

func rotatePDF(t testing.TB, pdf []byte, deg int, page string) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := api.Rotate(bytes.NewReader(pdf), &out, deg, []string{page}, nil); err != nil {
		t.Fatalf("rotating PDF page: %v", err)
	}
	return out.Bytes()
}

func bmpBytes(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := bmp.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type zipEntry struct {
	name   string
	data   []byte
	method uint16
}

func zipBytes(t testing.TB, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: e.method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
