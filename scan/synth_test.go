package scan

import (
	"image"
	"image/color"
	"image/draw"
	"strings"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// synthText is administrative Vietnamese without diacritics: the Go fonts lack the
// Vietnamese letters, and skew and layout tests only need realistic lines.
const synthText = `CONG HOA XA HOI CHU NGHIA VIET NAM Doc lap Tu do Hanh phuc GIAY KHAI SINH ` +
	`Ho chu dem va ten Nguyen Thi Huong Ngay thang nam sinh 12 thang 3 nam 1986 Gioi tinh Nu ` +
	`Dan toc Kinh Quoc tich Viet Nam Noi sinh Benh vien Phu san Thai Binh Que quan xa Dong Hung ` +
	`huyen Dong Hung tinh Thai Binh So dinh danh ca nhan 034186001234 Ho chu dem va ten me ` +
	`Tran Thi Lan nam sinh 1960 Ho chu dem va ten cha Nguyen Van Hung nam sinh 1958 Noi cu tru ` +
	`thon Dong xa Dong Hung Nguoi di khai sinh Nguyen Van Hung quan he voi nguoi duoc khai sinh cha ` +
	`Noi dang ky Uy ban nhan dan xa Dong Hung Ngay thang nam dang ky 20 thang 3 nam 1986 `

// synthPage draws lines of text on a white page of w×h pixels at dpi, with margins like a
// typed administrative document.
func synthPage(t testing.TB, w, h int, dpi float64) *image.Gray {
	t.Helper()
	return synthLines(t, w, h, dpi, h)
}

// synthLines is synthPage with at most n lines of text.
func synthLines(t testing.TB, w, h int, dpi float64, n int) *image.Gray {
	t.Helper()
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 12, DPI: dpi, Hinting: font.HintingFull})
	if err != nil {
		t.Fatal(err)
	}
	defer face.Close()
	g := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(g, g.Rect, image.White, image.Point{}, draw.Src)
	d := &font.Drawer{Dst: g, Src: image.Black, Face: face}
	margin := int(dpi * 0.8)
	lineH := int(dpi * 12 / 72 * 1.5)
	words := strings.Fields(strings.Repeat(synthText, 20))
	y := margin + lineH
	for ; y < h-margin && len(words) > 0 && n > 0; n-- {
		line := ""
		for len(words) > 0 {
			next := strings.TrimSpace(line + " " + words[0])
			if d.MeasureString(next).Ceil() > w-2*margin {
				break
			}
			line, words = next, words[1:]
		}
		d.Dot = fixed.P(margin, y)
		d.DrawString(line)
		y += lineH
	}
	return g
}

var white = color.Gray{Y: 255}
