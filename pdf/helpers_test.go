package pdf

import (
	"bytes"
	"image"
	"image/draw"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/sohoa/sohoa/record"
)

const serifFont = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"

// block is a column of lines printed from a left margin and a top position, in pixels,
// spacing em apart (0 for 1.5 em).
type block struct {
	x, y    int
	lines   []string
	spacing float64
}

// renderPage prints blocks of Vietnamese text in Liberation Serif at pt points on a white
// A4 page of dpi, and returns the page with one word per space-separated token, boxed by
// the ink the font metrics give, lines numbered in block order: what OCR would report.
// The text of the page in the same order is returned too.
func renderPage(t testing.TB, dpi, pt float64, blocks []block) (*image.Gray, []record.Word, string) {
	t.Helper()
	data, err := os.ReadFile(serifFont)
	if err != nil {
		t.Fatal(err)
	}
	f, err := opentype.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: pt, DPI: dpi, Hinting: font.HintingNone})
	if err != nil {
		t.Fatal(err)
	}
	defer face.Close()
	w, h := int(8.27*dpi), int(11.69*dpi)
	g := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(g, g.Bounds(), image.White, image.Point{}, draw.Src)
	d := &font.Drawer{Dst: g, Src: image.Black, Face: face}
	space := d.MeasureString(" ")
	em := pt * dpi / 72
	var words []record.Word
	var text []string
	line := 0
	for _, bl := range blocks {
		spacing := bl.spacing
		if spacing == 0 {
			spacing = 1.5
		}
		for k, l := range bl.lines {
			d.Dot = fixed.P(bl.x, bl.y+int(float64(k)*spacing*em))
			for _, tok := range strings.Fields(l) {
				bounds, _ := font.BoundString(face, tok)
				bounds = bounds.Add(d.Dot)
				d.DrawString(tok)
				words = append(words, record.Word{Text: tok, Confidence: 95, Line: line,
					Box: record.Box{bounds.Min.X.Floor(), bounds.Min.Y.Floor(), bounds.Max.X.Ceil(), bounds.Max.Y.Ceil()}})
				d.Dot.X += space
			}
			text = append(text, l)
			line++
		}
	}
	return g, words, strings.Join(text, "\n")
}

// pdftotext runs poppler's pdftotext with args on data and returns the text.
func pdftotext(t testing.TB, data []byte, args ...string) string {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("pdftotext", append(append(args, "-enc", "UTF-8"), in, "-")...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext %v: %v: %s", args, err, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("pdftotext %v complained: %s", args, stderr.String())
	}
	return string(out)
}
