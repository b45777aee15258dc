package split

import (
	"image"
	"image/color"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/oned"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/sohoa/sohoa/record"
)

// sheet draws a symbol on a white A4 page at 300 dpi, as a patch sheet is scanned.
func sheet(t *testing.T, w gozxing.Writer, format gozxing.BarcodeFormat, content string, width, height int) *image.Gray {
	t.Helper()
	m, err := w.Encode(content, format, width, height, nil)
	if err != nil {
		t.Fatal(err)
	}
	g := image.NewGray(image.Rect(0, 0, 2480, 3508))
	for i := range g.Pix {
		g.Pix[i] = 245
	}
	for y := range m.GetHeight() {
		for x := range m.GetWidth() {
			if m.Get(x, y) {
				g.SetGray(800+x, 1100+y, color.Gray{Y: 25})
			}
		}
	}
	return g
}

func TestReadBarcode(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		img  *image.Gray
		want string
	}{
		{"QR code", sheet(t, qrcode.NewQRCodeWriter(), gozxing.BarcodeFormat_QR_CODE, "PATCHT", 450, 450), "PATCHT"},
		{"Code 128", sheet(t, oned.NewCode128Writer(), gozxing.BarcodeFormat_CODE_128, "PATCHT", 900, 200), "PATCHT"},
		{"blank page", image.NewGray(image.Rect(0, 0, 2480, 3508)), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := ReadBarcode(tc.img); got != tc.want {
				t.Errorf("ReadBarcode = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestMayBeSeparator(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		page record.Page
		want bool
	}{
		{record.Page{Text: "PATCH T"}, true},
		{record.Page{Blank: true}, true},
		{record.Page{Text: report}, false},
	} {
		if got := MayBeSeparator(tc.page); got != tc.want {
			t.Errorf("MayBeSeparator(%.20q) = %v, want %v", tc.page.Text, got, tc.want)
		}
	}
}
