package ocr

import (
	"image"
	"image/draw"
	_ "image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	_ "golang.org/x/image/tiff"
)

// testData is testdata/shared/tesseract-test (a copy of the hand-over data, see its README).
const testData = "../testdata/shared/tesseract-test"

const serifFont = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"

// loadGray decodes an image file into *image.Gray.
func loadGray(tb testing.TB, path string) *image.Gray {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatalf("opening test image: %v", err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		tb.Fatalf("decoding %s: %v", path, err)
	}
	g := image.NewGray(img.Bounds())
	draw.Draw(g, g.Rect, img, img.Bounds().Min, draw.Src)
	return g
}

func readText(tb testing.TB, path string) string {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("reading ground truth: %v", err)
	}
	return string(b)
}

// textLine is one run of text to draw at a position given in points from the top-left.
type textLine struct {
	text string
	x, y float64 // baseline origin, points
	size float64 // points
}

// render draws lines in Liberation Serif (metric-compatible with the Times New Roman
// Decree 30 prescribes) on a white page of w×h points at dpi.
func render(tb testing.TB, wPt, hPt float64, dpi int, lines []textLine) *image.Gray {
	tb.Helper()
	fnt := loadFont(tb)
	scale := float64(dpi) / 72
	g := image.NewGray(image.Rect(0, 0, int(wPt*scale), int(hPt*scale)))
	draw.Draw(g, g.Rect, image.White, image.Point{}, draw.Src)
	faces := map[float64]font.Face{}
	for _, l := range lines {
		face, ok := faces[l.size]
		if !ok {
			var err error
			face, err = opentype.NewFace(fnt, &opentype.FaceOptions{Size: l.size, DPI: float64(dpi), Hinting: font.HintingFull})
			if err != nil {
				tb.Fatalf("making font face: %v", err)
			}
			faces[l.size] = face
		}
		d := font.Drawer{Dst: g, Src: image.Black, Face: face,
			Dot: fixed.P(int(l.x*scale), int(l.y*scale))}
		d.DrawString(l.text)
	}
	return g
}

var (
	fontOnce sync.Once
	fontVal  *opentype.Font
	fontErr  error
)

func loadFont(tb testing.TB) *opentype.Font {
	tb.Helper()
	fontOnce.Do(func() {
		var b []byte
		if b, fontErr = os.ReadFile(serifFont); fontErr == nil {
			fontVal, fontErr = opentype.Parse(b)
		}
	})
	if fontErr != nil {
		tb.Fatalf("loading %s: %v", serifFont, fontErr)
	}
	return fontVal
}

// cer is the character error rate of got against want: Levenshtein distance over runes
// divided by the length of want, after collapsing white space on both.
func cer(want, got string) float64 {
	w := []rune(strings.Join(strings.Fields(want), " "))
	g := []rune(strings.Join(strings.Fields(got), " "))
	prev := make([]int, len(g)+1)
	cur := make([]int, len(g)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(w); i++ {
		cur[0] = i
		for j := 1; j <= len(g); j++ {
			sub := prev[j-1]
			if w[i-1] != g[j-1] {
				sub++
			}
			cur[j] = min(sub, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	if len(w) == 0 {
		return float64(len(g))
	}
	return float64(prev[len(g)]) / float64(len(w))
}

func dataPath(name string) string { return filepath.Join(testData, name) }
