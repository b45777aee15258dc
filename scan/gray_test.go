package scan

import (
	"image"
	"image/color"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestToGray(t *testing.T) {
	t.Parallel()
	seal := color.RGBA{R: 210, G: 45, B: 60, A: 255}
	ink := color.RGBA{R: 30, G: 30, B: 35, A: 255}
	inkUnderSeal := color.RGBA{R: 40, G: 10, B: 12, A: 255} // black text through red ink
	blue := color.RGBA{R: 30, G: 40, B: 160, A: 255}        // signature pen
	paper := color.RGBA{R: 240, G: 232, B: 210, A: 255}
	colours := []color.RGBA{seal, ink, inkUnderSeal, blue, paper}
	// want: the seal lifted to white, the text under it still dark (twice its red channel
	// less its luma), everything else at its luma.
	want := []uint8{255, 31, 61, 51, 232}

	nrgba := image.NewNRGBA(image.Rect(0, 0, len(colours), 1))
	rgba := image.NewRGBA(image.Rect(0, 0, len(colours), 1))
	pal := image.NewPaletted(image.Rect(0, 0, len(colours), 1), nil)
	for i, c := range colours {
		nrgba.Set(i, 0, c)
		rgba.Set(i, 0, c)
		pal.Palette = append(pal.Palette, c)
		pal.SetColorIndex(i, 0, uint8(i))
	}
	ycc := image.NewYCbCr(image.Rect(0, 0, len(colours), 1), image.YCbCrSubsampleRatio444)
	for i, c := range colours {
		y, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
		ycc.Y[i], ycc.Cb[i], ycc.Cr[i] = y, cb, cr
	}
	rgba64 := image.NewRGBA64(nrgba.Rect)
	for i, c := range colours {
		rgba64.Set(i, 0, c)
	}
	tests := map[string]image.Image{"NRGBA": nrgba, "RGBA": rgba, "RGBA64": rgba64, "Paletted": pal, "YCbCr": ycc,
		"CMYK": toCMYK(nrgba), "generic": &image.Alpha16{Pix: []byte{0xff, 0xff}, Stride: 2, Rect: image.Rect(0, 0, 1, 1)}}
	for name, img := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := toGray(img, true).Pix
			if name == "generic" { // opaque white in a model without a fast path
				if got[0] != 255 {
					t.Errorf("gray = %d, want 255", got[0])
				}
				return
			}
			// Colour models round differently: allow 2 levels.
			for i := range want {
				if d := int(got[i]) - int(want[i]); d < -2 || d > 2 {
					t.Errorf("pixel %d = %d, want %d (all: %v)", i, got[i], want[i], got)
					break
				}
			}
		})
	}

	t.Run("transparent is paper", func(t *testing.T) {
		t.Parallel()
		m := image.NewNRGBA(image.Rect(0, 0, 1, 1)) // all zero: transparent black
		if got := toGray(m, true).Pix[0]; got != 255 {
			t.Errorf("gray = %d, want 255", got)
		}
	})
	t.Run("sub-image", func(t *testing.T) {
		t.Parallel()
		g := image.NewGray(image.Rect(0, 0, 4, 4))
		for i := range g.Pix {
			g.Pix[i] = uint8(i)
		}
		got := toGray(g.SubImage(image.Rect(1, 1, 3, 3)), true)
		if diff := cmp.Diff([]uint8{5, 6, 9, 10}, got.Pix); diff != "" {
			t.Errorf("pixels (-want +got):\n%s", diff)
		}
	})
}

func toCMYK(src image.Image) *image.CMYK {
	b := src.Bounds()
	m := image.NewCMYK(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			m.Set(x, y, src.At(x, y))
		}
	}
	return m
}

func TestOrientImage(t *testing.T) {
	t.Parallel()
	// 3×2 source:  a b c
	//              d e f
	src := image.NewGray(image.Rect(0, 0, 3, 2))
	copy(src.Pix, "abcdef")
	tests := []struct {
		orient int
		want   string // rows joined with "|"
	}{
		{1, "abc|def"},
		{2, "cba|fed"}, // mirrored
		{3, "fed|cba"}, // 180°
		{4, "def|abc"}, // flipped
		{5, "ad|be|cf"},
		{6, "da|eb|fc"}, // 90° clockwise
		{7, "fc|eb|da"},
		{8, "cf|be|ad"}, // 90° counter-clockwise
	}
	for _, tc := range tests {
		got := orientImage(src, tc.orient)
		rgba := orientImage(toRGBA(src), tc.orient)
		if diff := cmp.Diff(tc.want, rows(got)); diff != "" {
			t.Errorf("orientation %d gray (-want +got):\n%s", tc.orient, diff)
		}
		if diff := cmp.Diff(tc.want, rows(rgba)); diff != "" {
			t.Errorf("orientation %d RGBA (-want +got):\n%s", tc.orient, diff)
		}
	}
}

func toRGBA(g *image.Gray) *image.RGBA {
	m := image.NewRGBA(g.Rect)
	for i, v := range g.Pix {
		m.Pix[4*i], m.Pix[4*i+1], m.Pix[4*i+2], m.Pix[4*i+3] = v, v, v, 255
	}
	return m
}

func rows(img image.Image) string {
	b := img.Bounds()
	s := ""
	for y := b.Min.Y; y < b.Max.Y; y++ {
		if y > b.Min.Y {
			s += "|"
		}
		for x := b.Min.X; x < b.Max.X; x++ {
			r, _, _, _ := img.At(x, y).RGBA()
			s += string(rune(r >> 8))
		}
	}
	return s
}
