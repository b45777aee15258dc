package split

import (
	"image"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/oned"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/sohoa/sohoa/record"
)

// MayBeSeparator reports whether p could be a barcode separator sheet, so that only such
// pages are searched for a barcode: a sheet with little text (a patch sheet prints a short
// caption at most), blank ones included, since page preparation may take a sheet that holds
// only a symbol for blank.
func MayBeSeparator(p record.Page) bool {
	return countLetters(p.Text) < barcodeSheetLetters
}

// ReadBarcode returns the content of the first QR code, Code 128 or Code 39 barcode found
// on img (the codes of the patch sheets that paperless-ngx and ABBYY scanning stations use
// between documents), or "" when there is none.
func ReadBarcode(img image.Image) (text string) {
	defer func() {
		// A port of ZXing: a malformed symbol must cost a separator, not the worker.
		if recover() != nil {
			text = ""
		}
	}()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return ""
	}
	hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}
	for _, r := range []gozxing.Reader{qrcode.NewQRCodeReader(), oned.NewCode128Reader(), oned.NewCode39Reader()} {
		if res, err := r.Decode(bmp, hints); err == nil && res.GetText() != "" {
			return res.GetText()
		}
	}
	return ""
}
