package neardup_test

import (
	"image"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/neardup"
)

// page draws a white page with dark blocks at the given places (fractions of the page), as
// text lines are at a glance, with margins of mx, my pixels around the printed area.
func page(w, h, mx, my int, lines [][4]float64) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	iw, ih := w-2*mx, h-2*my
	for _, l := range lines {
		for y := my + int(l[1]*float64(ih)); y < my+int(l[3]*float64(ih)); y++ {
			for x := mx + int(l[0]*float64(iw)); x < mx+int(l[2]*float64(iw)); x++ {
				g.Pix[y*g.Stride+x] = 20
			}
		}
	}
	return g
}

var (
	layoutA = [][4]float64{{0, 0, .4, .03}, {.6, 0, 1, .03}, {.2, .1, .8, .14}, {0, .2, 1, .22}, {0, .25, .9, .27}, {0, .3, 1, .32}, {.5, .9, 1, 1}}
	layoutB = [][4]float64{{.3, 0, .7, .05}, {0, .15, .5, .17}, {0, .2, .5, .22}, {0, .25, .5, .27}, {.5, .5, 1, .6}, {0, .9, .3, 1}}
)

// The image hash looks at the printed area: the same layout at another resolution and with
// other margins hashes alike, another layout does not.
func TestImageHash(t *testing.T) {
	t.Parallel()
	a300 := neardup.ImageHash(page(2480, 3508, 240, 300, layoutA))
	a200 := neardup.ImageHash(page(1654, 2339, 100, 260, layoutA))
	b300 := neardup.ImageHash(page(2480, 3508, 240, 300, layoutB))
	if d := neardup.ImageDistance(a300, a200); d > 4 {
		t.Errorf("same layout at 300 and 200 DPI, other margins: %d bits apart, want at most 4", d)
	}
	if d := neardup.ImageDistance(a300, b300); d < 16 {
		t.Errorf("two layouts: %d bits apart, want at least 16", d)
	}
	if h := neardup.ImageHash(page(100, 100, 0, 0, nil)); h != 0 {
		t.Errorf("blank page hashed to %x, want 0", h)
	}
}

func TestTextSignature(t *testing.T) {
	t.Parallel()
	text := "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc GIẤY KHAI SINH Họ, chữ đệm, tên: NGUYỄN VĂN AN Ngày, tháng, năm sinh: 12/03/2001 Nơi sinh: Bệnh viện Đa khoa tỉnh Nam Định"
	same := neardup.SignText(text)
	// OCR of a lower resolution lost marks and read one word wrongly.
	folded := neardup.SignText(strings.Replace(strings.ReplaceAll(text, "ĩ", "i"), "Bệnh", "Bênh", 1))
	other := neardup.SignText("UBND TỈNH HÀ NAM Số: 12/QĐ-UBND QUYẾT ĐỊNH về việc phê duyệt kế hoạch năm 2024 của Sở Tài chính")
	if s := same.Similarity(neardup.SignText(text)); s != 1 {
		t.Errorf("identical texts: similarity %.2f, want 1", s)
	}
	if s := same.Similarity(folded); s < 0.75 {
		t.Errorf("a mark and a word misread: similarity %.2f, want at least 0.75", s)
	}
	if s := same.Similarity(other); s > 0.1 {
		t.Errorf("different texts: similarity %.2f, want at most 0.1", s)
	}
	if s := same.Similarity(neardup.SignText("")); s != 0 || neardup.SignText("").Bands() != nil {
		t.Errorf("empty text: similarity %.2f, bands %v; want 0 and none", s, neardup.SignText("").Bands())
	}
	back, err := neardup.ParseTextSignature(same.String(), same.Shingles)
	if err != nil || back != same {
		t.Fatalf("round trip: %v", err)
	}
	if _, err := neardup.ParseTextSignature("abc", 3); err == nil {
		t.Error("a short signature was read")
	}
	shared := 0
	for i, b := range same.Bands() {
		if b == folded.Bands()[i] {
			shared++
		}
	}
	if shared == 0 {
		t.Error("a page and its rescan share no band: it would never be a candidate")
	}
}

func TestCompareNeedsText(t *testing.T) {
	t.Parallel()
	g := page(1000, 1400, 50, 50, layoutA)
	a := neardup.Sign(g, "một hai")
	if m := neardup.Compare(a, a); m.Same {
		t.Errorf("a page of two words was linked to itself: %+v", m)
	}
}

// BenchmarkImageHash hashes an A4 page at 300 DPI, the OCR task's extra work per page.
func BenchmarkImageHash(b *testing.B) {
	g := page(2480, 3508, 240, 300, layoutA)
	for b.Loop() {
		neardup.ImageHash(g)
	}
}
