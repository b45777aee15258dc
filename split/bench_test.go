package split

import (
	"image"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// BenchmarkParts splits a 12-page file of four documents (headers, continuation pages, a
// title, a blank sheet).
func BenchmarkParts(b *testing.B) {
	s := splitter(&testing.T{})
	ps := pages(report, plainCont, numbered2, invitation, plainCont, "", birthCard, report, quotedBody, plainCont, invitation, numbered2)
	for b.Loop() {
		s.Parts(ps, nil)
	}
}

// BenchmarkReadBarcode searches an A4 page at 300 dpi with no symbol (the common case: a
// near-empty page that is not a patch sheet) and one with a QR code.
func BenchmarkReadBarcode(b *testing.B) {
	blank := image.NewGray(image.Rect(0, 0, 2480, 3508))
	for i := range blank.Pix {
		blank.Pix[i] = 245
	}
	b.Run("none", func(b *testing.B) {
		for b.Loop() {
			ReadBarcode(blank)
		}
	})
	qr := sheet(&testing.T{}, qrcode.NewQRCodeWriter(), gozxing.BarcodeFormat_QR_CODE, "PATCHT", 450, 450)
	b.Run("qr", func(b *testing.B) {
		for b.Loop() {
			ReadBarcode(qr)
		}
	})
}
