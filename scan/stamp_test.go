package scan

import (
	"image"
	"image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

func TestRemoveStamps(t *testing.T) {
	t.Parallel()
	page := synthLines(t, 1400, 1100, 300, 8) // 300 dpi, print at 0
	// An incoming-mail stamp, 50 × 25 mm, pressed 3° askew across the second to fifth
	// lines. A stamp whose top and bottom run along two lines' baselines for their whole
	// length is not found: the print cuts both sides to pieces.
	box := image.Rect(500, 350, 500+590, 350+295)

	t.Run("a light stamp goes, the print under it stays", func(t *testing.T) {
		t.Parallel()
		g := cloneGray(page)
		stamp(t, g, box, 3, 90)
		if n := removeStamps(g, 300); n != 1 {
			t.Fatalf("found %d stamps, want 1", n)
		}
		lost, left := 0, 0
		for i, v := range page.Pix {
			switch {
			case v < stampMinLevel && g.Pix[i] >= stampMinLevel:
				lost++
			case v == 255 && g.Pix[i] < 200 && !nearInk(page, i%page.Stride, i/page.Stride):
				left++
			}
		}
		if lost != 0 {
			t.Errorf("%d pixels of print whitened", lost)
		}
		if left > 50 {
			t.Errorf("%d pixels of the stamp left", left)
		}
	})
	t.Run("a stamp as dark as print loses its frame, the print stays", func(t *testing.T) {
		t.Parallel()
		// Over the ends of four lines, reaching into the right margin.
		box := image.Rect(800, 380, 800+520, 380+260)
		for _, deg := range []float64{0, 3, -4} {
			g := cloneGray(page)
			stamp(t, g, box, deg, 0)
			if n := removeStamps(g, 300); n != 1 {
				t.Fatalf("%v°: found %d stamps, want 1", deg, n)
			}
			lost, frame := 0, 0
			for i, v := range page.Pix {
				x, y := i%page.Stride, i/page.Stride
				if v < stampMinLevel && g.Pix[i] >= stampMinLevel {
					lost++
				}
				if v == 255 && g.Pix[i] < 128 && onFrame(box, deg, x, y) {
					frame++
				}
			}
			// The frame's line is cut where print crosses it: the crossings, and pieces
			// between lines shorter than a letter's stem, stay (of some 6,000 pixels).
			if frame > 1000 {
				t.Errorf("%v°: %d pixels of the frame left", deg, frame)
			}
			if lost > 400 {
				t.Errorf("%v°: %d pixels of print whitened", deg, lost)
			}
		}
	})
	t.Run("an empty box is left", func(t *testing.T) {
		t.Parallel()
		// A form's box for a photo or a fingerprint, 30 × 40 mm, beside the lines.
		g := synthLines(t, 1400, 1700, 300, 8)
		b := image.Rect(300, 1150, 300+354, 1150+472)
		fillRect(g, b, 0)
		fillRect(g, b.Inset(4), 255)
		want := cloneGray(g)
		if n := removeStamps(g, 300); n != 0 || changed(want, g) != 0 {
			t.Errorf("found %d stamps and changed %d pixels of an empty box", n, changed(want, g))
		}
	})
	t.Run("a table's cells are left", func(t *testing.T) {
		t.Parallel()
		// Two rows of two cells, 25 × 12.7 mm, below the lines, with words in the cells.
		g := synthLines(t, 1400, 1700, 300, 8)
		cells := synthLines(t, 1400, 300, 300, 2)
		for y := range 300 {
			for x := 310; x < 890; x++ {
				if x%300 > 290 || x%300 < 10 {
					continue
				}
				g.Pix[(1150+y)*g.Stride+x] = cells.Pix[y*cells.Stride+x-180]
			}
		}
		for _, x := range []int{300, 600, 900} {
			fillRect(g, image.Rect(x, 1150, x+4, 1450), 0)
		}
		for _, y := range []int{1150, 1300, 1446} {
			fillRect(g, image.Rect(300, y, 904, y+4), 0)
		}
		want := cloneGray(g)
		if n := removeStamps(g, 300); n != 0 || changed(want, g) != 0 {
			t.Errorf("found %d stamps and changed %d pixels of a table", n, changed(want, g))
		}
	})
	t.Run("light text without a frame is left", func(t *testing.T) {
		t.Parallel()
		g := cloneGray(page)
		for i, v := range g.Pix {
			if v < 255 && i/g.Stride > 700 {
				g.Pix[i] = 90 + v*165/255 // the last lines printed in gray
			}
		}
		want := cloneGray(g)
		if n := removeStamps(g, 300); n != 0 || changed(want, g) != 0 {
			t.Errorf("found %d stamps and changed %d pixels of gray print", n, changed(want, g))
		}
	})
}

// TestRemoveStampsOnScans runs removeStamps on cut-outs of prepared pages (see
// testdata/stamp/README.md).
func TestRemoveStampsOnScans(t *testing.T) {
	t.Parallel()
	cases := []struct {
		file string
		dpi  float64
		want int
	}{
		{"stamp_words.png", 354, 1},
		{"light_words.png", 354, 0},
		{"dark_stamp.png", 300, 1},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			t.Parallel()
			f, err := os.Open(filepath.Join("testdata", "stamp", c.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			im, err := png.Decode(f)
			if err != nil {
				t.Fatal(err)
			}
			g, ok := im.(*image.Gray)
			if !ok {
				t.Fatalf("%s is %T, want a gray image", c.file, im)
			}
			if n := removeStamps(g, c.dpi); n != c.want {
				t.Errorf("found %d stamps, want %d", n, c.want)
			}
		})
	}
}

// stamp draws over g a stamp's frame, 4 px wide, with two lines of bold text in it, turned
// deg about its centre, in ink of the tone given; ink darkens, as stamp ink does.
func stamp(t *testing.T, g *image.Gray, box image.Rectangle, deg float64, tone uint8) {
	t.Helper()
	layer := image.NewGray(box)
	draw.Draw(layer, box, image.White, image.Point{}, draw.Src)
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			if x-box.Min.X < 4 || box.Max.X-x <= 4 || y-box.Min.Y < 4 || box.Max.Y-y <= 4 {
				layer.Pix[(y-box.Min.Y)*layer.Stride+x-box.Min.X] = 0
			}
		}
	}
	f, err := opentype.Parse(gobold.TTF)
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 14, DPI: 300, Hinting: font.HintingFull})
	if err != nil {
		t.Fatal(err)
	}
	defer face.Close()
	d := &font.Drawer{Dst: layer, Src: image.Black, Face: face}
	for k, s := range []string{"DEN  So: 151", "Ngay: 03/08/2020"} {
		d.Dot = fixed.P(box.Min.X+30, box.Min.Y+90+k*90)
		d.DrawString(s)
	}
	sin, cos := math.Sincos(deg * math.Pi / 180)
	cx, cy := float64(box.Min.X+box.Max.X)/2, float64(box.Min.Y+box.Max.Y)/2
	for y := box.Min.Y - 40; y < box.Max.Y+40; y++ {
		for x := box.Min.X - 40; x < box.Max.X+40; x++ {
			// The layer's pixel that lands on (x, y) when it is turned by deg.
			dx, dy := float64(x)-cx, float64(y)-cy
			sx, sy := int(cx+dx*cos+dy*sin), int(cy-dx*sin+dy*cos)
			if !image.Pt(sx, sy).In(box) {
				continue
			}
			ink := 255 - int(layer.GrayAt(sx, sy).Y)
			v := 255 - ink*(255-int(tone))/255 // the stamp's tone where the layer is black
			if o := g.GrayAt(x, y).Y; int(o)*v/255 < int(o) {
				g.Pix[y*g.Stride+x] = uint8(int(o) * v / 255)
			}
		}
	}
}

// nearInk reports whether a pixel within two of (x, y) is darker than paper on g.
func nearInk(g *image.Gray, x, y int) bool {
	for dy := -2; dy <= 2; dy++ {
		for dx := -2; dx <= 2; dx++ {
			if p := image.Pt(x+dx, y+dy); p.In(g.Rect) && g.GrayAt(p.X, p.Y).Y < 255 {
				return true
			}
		}
	}
	return false
}

// onFrame reports whether (x, y) lies on the 4-pixel frame that stamp draws round box turned
// by deg, give or take two pixels.
func onFrame(box image.Rectangle, deg float64, x, y int) bool {
	sin, cos := math.Sincos(deg * math.Pi / 180)
	cx, cy := float64(box.Min.X+box.Max.X)/2, float64(box.Min.Y+box.Max.Y)/2
	dx, dy := float64(x)-cx, float64(y)-cy
	u, v := dx*cos+dy*sin, -dx*sin+dy*cos
	hw, hh := float64(box.Dx())/2, float64(box.Dy())/2
	in := func(a, h float64) bool { return a >= h-6 && a <= h+2 }
	return in(math.Abs(u), hw) && math.Abs(v) <= hh+2 || in(math.Abs(v), hh) && math.Abs(u) <= hw+2
}

func fillRect(g *image.Gray, r image.Rectangle, v uint8) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			g.Pix[y*g.Stride+x] = v
		}
	}
}
