package scan

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/disintegration/imaging"
	"github.com/google/go-cmp/cmp"
)

// withSeal returns an RGBA copy of g with a red ring and a red blot stamped over the text,
// like a seal over a signature.
func withSeal(g image.Image, cx, cy, r int) *image.RGBA {
	b := g.Bounds()
	out := image.NewRGBA(b)
	draw.Draw(out, b, g, b.Min, draw.Src)
	red := color.RGBA{R: 215, G: 40, B: 50, A: 255}
	for y := cy - r; y <= cy+r; y++ {
		for x := cx - r; x <= cx+r; x++ {
			d := math.Hypot(float64(x-cx), float64(y-cy))
			if d <= float64(r) && (d >= float64(r)*0.85 || d <= float64(r)*0.3) {
				// Where text is dark, the ink stays dark: a multiply blend, as on paper.
				o := out.RGBAAt(x, y)
				out.SetRGBA(x, y, color.RGBA{R: uint8(int(o.R) * int(red.R) / 255), G: uint8(int(o.G) * int(red.G) / 255),
					B: uint8(int(o.B) * int(red.B) / 255), A: 255})
			}
		}
	}
	return out
}

type fakeOrienter struct {
	rot     int
	conf    float64
	err     error
	readErr error
	glance  int // a sure glance's answer; -1: not sure
	osdErr  error
}

func (f fakeOrienter) Orientation(context.Context, *image.Gray) (int, float64, error) {
	if f.osdErr != nil {
		return 0, 0, f.osdErr
	}
	return f.rot, f.conf, f.err
}

func (f fakeOrienter) Glance(context.Context, *image.Gray) (int, bool, error) {
	return f.glance, f.glance >= 0, f.err
}

// ReadConfidence stands in for Tesseract reading a band of text: the more lines lean
// upright (more ink above their x-height band than below, see upness), the better it reads.
func (f fakeOrienter) ReadConfidence(_ context.Context, g *image.Gray, _ int) (float64, error) {
	if f.readErr != nil {
		return 0, f.readErr
	}
	up, lines := upness(analysisCopy(g), 0)
	return 50 + max(-40, min(40, up*float64(lines))), nil
}

func TestPrepareDeskews(t *testing.T) {
	t.Parallel()
	page := synthSmall(t)
	for _, a := range []float64{-6.5, -1.2, 0, 2.4, 9} {
		t.Run(strconv.FormatFloat(a, 'f', -1, 64), func(t *testing.T) {
			t.Parallel()
			img := imaging.Rotate(page, a, color.White)
			got, err := Prepare(t.Context(), Raw{Number: 1, Image: img, DPI: 150}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got.SkewDegrees-a) > 0.3 {
				t.Errorf("SkewDegrees = %.3f, want %.2f", got.SkewDegrees, a)
			}
			if rest := FindSkew(got.Image); math.Abs(rest) > 0.15 {
				t.Errorf("skew left after Prepare = %.3f°, want about 0", rest)
			}
			if got.DPI != 300 || got.Blank || got.Rotation != 0 {
				t.Errorf("DPI, Blank, Rotation = %v, %v, %v; want 300, false, 0", got.DPI, got.Blank, got.Rotation)
			}
			// 150 → 300 dpi doubles the page, which grows to hold the rotated input.
			b := img.Bounds()
			if w := got.Image.Rect.Dx(); w < 2*b.Dx()-4 || w > 2*b.Dx()+int(2*float64(b.Dy())*math.Abs(math.Sin(a*math.Pi/180)))+4 {
				t.Errorf("width = %d from %d", w, b.Dx())
			}
		})
	}
}

func TestPrepareRemovesRedSeal(t *testing.T) {
	t.Parallel()
	page := synthSmall(t)
	sealed := withSeal(page, 600, 400, 150)
	tests := []struct {
		name    string
		keepRed bool
		// the blot centre is plain paper under red ink
		wantCentre uint8
	}{
		{"removed", false, 255},
		{"kept", true, 80},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Prepare(t.Context(), Raw{Number: 1, Image: sealed, DPI: 300}, Options{KeepRed: tc.keepRed})
			if err != nil {
				t.Fatal(err)
			}
			if got.SkewDegrees != 0 {
				t.Fatalf("SkewDegrees = %v on a straight page", got.SkewDegrees)
			}
			v := findPaperNear(got.Image, 600, 400)
			if (tc.wantCentre == 255) != (v > 200) {
				t.Errorf("gray under the seal = %d, want about %d", v, tc.wantCentre)
			}
			// Text under the ring stays: the page has as much ink inside the seal area
			// as the page without the seal.
			plain, err := Prepare(t.Context(), Raw{Number: 1, Image: page, DPI: 300}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !tc.keepRed {
				ink, want := darkCount(got.Image, image.Rect(450, 250, 750, 550)), darkCount(plain.Image, image.Rect(450, 250, 750, 550))
				if math.Abs(float64(ink-want)) > 0.1*float64(want) {
					t.Errorf("dark pixels under the seal = %d, without seal %d", ink, want)
				}
			}
		})
	}
}

// findPaperNear returns the lightest value in a 5×5 patch: paper, not text.
func findPaperNear(g *image.Gray, x, y int) uint8 {
	var v uint8
	for dy := -2; dy <= 2; dy++ {
		for dx := -2; dx <= 2; dx++ {
			v = max(v, g.GrayAt(x+dx, y+dy).Y)
		}
	}
	return v
}

func darkCount(g *image.Gray, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if g.GrayAt(x, y).Y < 128 {
				n++
			}
		}
	}
	return n
}

func TestPrepareBlank(t *testing.T) {
	t.Parallel()
	// Paper with speckle and a scanner shadow along one edge: blank all the same.
	g := image.NewGray(image.Rect(0, 0, 1240, 1754))
	for i := range g.Pix {
		g.Pix[i] = 235
		if i%997 == 0 {
			g.Pix[i] = 30
		}
	}
	for y := 0; y < 1754; y++ {
		for x := 0; x < 40; x++ {
			g.Pix[y*g.Stride+x] = 20
		}
	}
	tests := []struct {
		name string
		img  image.Image
		want bool
	}{
		{"speckled paper", g, true},
		{"text", synthSmall(t), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Prepare(t.Context(), Raw{Number: 1, Image: tc.img, DPI: 150}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got.Blank != tc.want {
				t.Errorf("Blank = %v, want %v", got.Blank, tc.want)
			}
		})
	}
}

func TestPrepareOrientation(t *testing.T) {
	t.Parallel()
	page := synthSmall(t)
	upsideDown := turnGray(page, 180)
	errOSD := errors.New("osd failed")
	tests := []struct {
		name     string
		img      *image.Gray
		opt      Options
		wantRot  int
		wantSize image.Point
		wantErr  error
	}{
		{"no orienter", page, Options{}, 0, image.Pt(1240, 1754), nil},
		{"quarter turn", turnGray(page, 270), Options{Orienter: fakeOrienter{rot: 90, conf: 5, glance: -1}}, 90, image.Pt(1240, 1754), nil},
		{"half turn", upsideDown, Options{Orienter: fakeOrienter{rot: 180, conf: 5, glance: -1}}, 180, image.Pt(1240, 1754), nil},
		// The lines' ink overrules an orienter that turns upright text upside down …
		{"half turn of upright text", page, Options{Orienter: fakeOrienter{rot: 180, conf: 5, glance: -1}}, 0, image.Pt(1240, 1754), nil},
		// … and one that misses a page upside down, …
		{"upside down missed", upsideDown, Options{Orienter: fakeOrienter{rot: 0, conf: 5, glance: -1}}, 180, image.Pt(1240, 1754), nil},
		// … but only when orientation is asked for at all.
		{"upside down without orienter", upsideDown, Options{}, 0, image.Pt(1240, 1754), nil},
		// Unsure answers are read in each candidate turn, and the best reading wins.
		{"unsure quarter turn of upright text", page, Options{Orienter: fakeOrienter{rot: 270, conf: 0.5, glance: -1}, SureOrientConfidence: 5}, 0, image.Pt(1240, 1754), nil},
		{"unsure, upside down missed", upsideDown, Options{Orienter: fakeOrienter{rot: 0, conf: 1.9, glance: -1}, SureOrientConfidence: 5}, 180, image.Pt(1240, 1754), nil},
		{"unsure half turn of upright text", page, Options{Orienter: fakeOrienter{rot: 180, conf: 0.7, glance: -1}, SureOrientConfidence: 5}, 0, image.Pt(1240, 1754), nil},
		{"unsure quarter turn, right", turnGray(page, 270), Options{Orienter: fakeOrienter{rot: 90, conf: 1, glance: -1}, SureOrientConfidence: 5}, 90, image.Pt(1240, 1754), nil},
		{"reading fails", upsideDown, Options{Orienter: fakeOrienter{conf: 1, readErr: errOSD, glance: -1}, SureOrientConfidence: 5}, 0, image.Point{}, errOSD},
		{"not a quarter turn", page, Options{Orienter: fakeOrienter{rot: 45, conf: 9, glance: -1}}, 0, image.Pt(1240, 1754), nil},
		{"error", upsideDown, Options{Orienter: fakeOrienter{err: errOSD, glance: -1}}, 0, image.Point{}, errOSD},
		// A sure glance the lines' ink agrees with is taken without full OSD …
		{"glance agreed", turnGray(page, 270), Options{Orienter: fakeOrienter{glance: 90, osdErr: errOSD}}, 90, image.Pt(1240, 1754), nil},
		{"glance agreed, upside down", upsideDown, Options{Orienter: fakeOrienter{glance: 180, osdErr: errOSD}}, 180, image.Pt(1240, 1754), nil},
		// … and one it disagrees with leaves the page to full OSD.
		{"glance disputed", page, Options{Orienter: fakeOrienter{glance: 180, rot: 0, conf: 9}}, 0, image.Pt(1240, 1754), nil},
		{"glance disputed, full OSD fails", upsideDown, Options{Orienter: fakeOrienter{glance: 90, osdErr: errOSD}}, 0, image.Point{}, errOSD},
		// A full page of text whose ink plainly says upright is not shown to the orienter
		// at all (every call of this one fails), …
		{"plainly upright text", page, Options{Orienter: fakeOrienter{err: errOSD, readErr: errOSD, osdErr: errOSD, glance: 180}}, 0, image.Pt(1240, 1754), nil},
		// … but the same page on its side or upside down is.
		{"plain text on its side", turnGray(page, 270), Options{Orienter: fakeOrienter{err: errOSD, glance: 90}}, 0, image.Point{}, errOSD},
		{"plain text upside down", upsideDown, Options{Orienter: fakeOrienter{err: errOSD, glance: 180}}, 0, image.Point{}, errOSD},
		// A few lines (an ID card holds about as many) are not enough to go by.
		{"a few lines of text", page.SubImage(image.Rect(0, 0, 1240, 440)).(*image.Gray), Options{Orienter: fakeOrienter{err: errOSD, glance: 0}}, 0, image.Point{}, errOSD},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Prepare(t.Context(), Raw{Number: 1, Image: tc.img, DPI: 300}, tc.opt)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			if diff := cmp.Diff(tc.wantRot, got.Rotation); diff != "" {
				t.Errorf("Rotation (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantSize, got.Image.Rect.Size()); diff != "" {
				t.Errorf("size (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPrepareResolution(t *testing.T) {
	t.Parallel()
	page := synthSmall(t) // 1240×1754
	tests := []struct {
		name     string
		dpi      float64
		target   float64
		wantDPI  float64
		wantSize image.Point
	}{
		{"300 kept", 300, 0, 300, image.Pt(1240, 1754)},
		{"600 halved", 600, 0, 300, image.Pt(620, 877)},
		{"150 doubled", 150, 0, 300, image.Pt(2480, 3508)},
		{"100 to target 200", 100, 200, 200, image.Pt(2480, 3508)},
		{"50 capped at 3x", 50, 0, 150, image.Pt(3720, 5262)},
		{"unknown: A4 assumed, 150 doubled", 0, 0, 300, image.Pt(2480, 3508)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Prepare(t.Context(), Raw{Number: 1, Image: page, DPI: tc.dpi}, Options{TargetDPI: tc.target})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.wantSize, got.Image.Rect.Size()); diff != "" {
				t.Errorf("size (-want +got):\n%s", diff)
			}
			if got.DPI != tc.wantDPI {
				t.Errorf("DPI = %v, want %v", got.DPI, tc.wantDPI)
			}
		})
	}
}

func TestPrepareCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := Prepare(ctx, Raw{Number: 1, Image: synthSmall(t), DPI: 300}, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if _, err := Prepare(t.Context(), Raw{Number: 1}, Options{}); err == nil {
		t.Error("Prepare without an image: no error")
	}
}

// a4Scan is what a colour scanner delivers for an A4 page at 300 dpi: a JPEG (decoded to
// YCbCr 4:2:0), a little skewed, with a red seal.
func a4Scan(b testing.TB) image.Image {
	page := imaging.Rotate(synthPage(b, 2480, 3508, 300), 1.7, color.White)
	sealed := withSeal(page, 1700, 3000, 300)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, sealed, &jpeg.Options{Quality: 85}); err != nil {
		b.Fatal(err)
	}
	img, err := jpeg.Decode(&buf)
	if err != nil {
		b.Fatal(err)
	}
	return img
}

func TestPrepareA4Scan(t *testing.T) {
	t.Parallel()
	img := a4Scan(t)
	if _, ok := img.(*image.YCbCr); !ok {
		t.Fatalf("decoded %T, want *image.YCbCr", img)
	}
	got, err := Prepare(t.Context(), Raw{Number: 1, Image: img, DPI: 300}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got.SkewDegrees-1.7) > 0.1 {
		t.Errorf("SkewDegrees = %.3f, want 1.7", got.SkewDegrees)
	}
}

// BenchmarkPrepareA4 is the per-page cost of Prepare on one core for a colour A4 scan at
// 300 dpi; the target is 150 ms. Run with -cpu 1. Besides wall time it reports the CPU
// time of the process per page (cpu-ms/op), which stays meaningful when other work shares
// the machine.
func BenchmarkPrepareA4(b *testing.B) {
	img := a4Scan(b)
	raw := Raw{Number: 1, Image: img, DPI: 300}
	start := cpuTime(b)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Prepare(b.Context(), raw, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime(b)-start).Milliseconds())/float64(b.N), "cpu-ms/op")
}

func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// On a page with little ink (a signature page), the stretch must not take a shadow left in
// the paper for the ink level and blow it up into dark bands.
func TestStretchContrastSparseInk(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 1000, 1000))
	for i := range g.Pix {
		g.Pix[i] = 250
	}
	fill := func(r image.Rectangle, v uint8) {
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				g.Pix[g.PixOffset(x, y)] = v
			}
		}
	}
	fill(image.Rect(0, 100, 1000, 140), 225)  // a shadow band, 4% of the page
	fill(image.Rect(100, 500, 400, 510), 20)  // the ink, 0.3%
	fill(image.Rect(100, 510, 400, 520), 180) // its anti-aliased edges, 0.3%
	stretchContrast(g)
	if got := g.Pix[g.PixOffset(500, 120)]; got < 200 {
		t.Errorf("shadow band stretched to %d, want it to stay light (≥ 200)", got)
	}
	if got := g.Pix[g.PixOffset(200, 505)]; got > 20 {
		t.Errorf("ink stretched to %d, want ≤ 20", got)
	}
}

// TestPrepareInPlaceSameResult checks that a gray page Pages decoded, which Prepare works on
// in place, comes out as a copy of it would: the same pixels, skew and resolution.
func TestPrepareInPlaceSameResult(t *testing.T) {
	t.Parallel()
	turned := imaging.Rotate(synthPage(t, 1240, 1754, 150), 1.2, color.White)
	page := image.NewGray(turned.Bounds())
	draw.Draw(page, page.Rect, turned, turned.Bounds().Min, draw.Src)
	var buf bytes.Buffer
	if err := png.Encode(&buf, page); err != nil {
		t.Fatal(err)
	}
	var raws []Raw
	err := Pages(t.Context(), "page.png", buf.Bytes(), Limits{}, func(r Raw) error {
		raws = append(raws, r)
		return nil
	})
	if err != nil || len(raws) != 1 {
		t.Fatalf("Pages: %d pages, %v", len(raws), err)
	}
	own := raws[0]
	if _, ok := own.Image.(*image.Gray); !ok || !own.owned {
		t.Fatalf("decoded %T (owned %v), want an owned *image.Gray", own.Image, own.owned)
	}
	src := own.Image.(*image.Gray)
	copied := Raw{Number: 1, Image: &image.Gray{Pix: bytes.Clone(src.Pix), Stride: src.Stride, Rect: src.Rect}, DPI: own.DPI}
	want, err := Prepare(t.Context(), copied, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Prepare(t.Context(), own, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got.SkewDegrees != want.SkewDegrees || got.DPI != want.DPI || !bytes.Equal(got.Image.Pix, want.Image.Pix) {
		t.Errorf("in place: skew %.3f, dpi %.0f; copied: skew %.3f, dpi %.0f; pixels equal %v",
			got.SkewDegrees, got.DPI, want.SkewDegrees, want.DPI, bytes.Equal(got.Image.Pix, want.Image.Pix))
	}
}
