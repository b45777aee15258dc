package ocr

import (
	"image"
	"math/rand/v2"
	"testing"

	"github.com/sohoa/sohoa/record"
)

// printLine draws a line of "letters" (30×40 px blocks 10 px apart) from x0 to x1 at top y.
func printLine(g *image.Gray, x0, x1, y int) {
	for x := x0; x+30 <= x1; x += 40 {
		fill(g, record.Box{x, y, x + 30, y + 40}, 0)
	}
}

func fill(g *image.Gray, b record.Box, v uint8) {
	for y := b[1]; y < b[3]; y++ {
		for x := b[0]; x < b[2]; x++ {
			g.Pix[y*g.Stride+x] = v
		}
	}
}

func TestUncoveredLines(t *testing.T) {
	t.Parallel()
	g := image.NewGray(image.Rect(0, 0, 1200, 1000))
	fill(g, record.Box{0, 0, 1200, 1000}, 255)
	// Four lines read, each as one word, 40 px tall.
	var words []tessWord
	for i, y := range []int{100, 200, 300, 400} {
		printLine(g, 100, 900, y)
		words = append(words, word("read", 95, i+1, 100, y, 900, y+40))
	}
	printLine(g, 100, 500, 500)                // a line nobody read: found
	fill(g, record.Box{600, 700, 606, 706}, 0) // a speck: too small
	fill(g, record.Box{100, 700, 400, 900}, 0) // a signature's scrawl: too tall
	// A line read as narrow words ("-", "do"), with a scrap of ink that no box took in each
	// gap between them: the scraps must not join across the words into a line.
	for x := 100; x+40 <= 900; x += 40 {
		fill(g, record.Box{x, 600, x + 16, 640}, 0)
		words = append(words, word("do", 95, 6, x, 600, x+16, 640))
		fill(g, record.Box{x + 26, 600, x + 30, 640}, 0)
	}
	got := uncoveredLines(g, words, typicalLineHeight(groupLines(words)))
	if len(got) != 1 {
		t.Fatalf("uncoveredLines = %v, want the one line at y 500", got)
	}
	if b := got[0]; b[1] > 500 || b[3] < 540 || b[0] > 100 || b[2] < 490 || b[3] > 560 {
		t.Errorf("uncoveredLines = %v, want about [100 500 490 540]", b)
	}
	// Once read, the line is covered.
	words = append(words, word("read", 95, 5, 100, 500, 490, 540))
	if got := uncoveredLines(g, words, typicalLineHeight(groupLines(words))); len(got) != 0 {
		t.Errorf("after the line is read, uncoveredLines = %v, want none", got)
	}
}

func TestWithLinesAround(t *testing.T) {
	t.Parallel()
	words := []tessWord{
		word("Có", 97, 1, 554, 1176, 586, 1218), word("đến:", 97, 1, 675, 1180, 730, 1210),
		word("far", 97, 2, 1500, 1176, 1600, 1218),
	}
	// An ID card's expiry date under its label: the rectangle padded round the date cuts
	// the label's line, and takes it in whole; the line far to the right stays out.
	got := withLinesAround(record.Box{540, 1200, 732, 1260}, words)
	if want := (record.Box{540, 1176, 732, 1260}); got != want {
		t.Errorf("withLinesAround = %v, want %v", got, want)
	}
}

// TestInkGridCells checks newInkGrid against its definition on random sparse ink, with a
// page whose sides are not whole cells: a cell is set exactly when a pixel in it is ink.
func TestInkGridCells(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	g := image.NewGray(image.Rect(0, 0, 203, 157))
	for i := range g.Pix {
		g.Pix[i] = 255
		if rng.IntN(400) == 0 {
			g.Pix[i] = uint8(rng.IntN(inkLevel))
		}
	}
	const cell = 8
	gr := newInkGrid(g, cell)
	for cy := range gr.h {
		for cx := range gr.w {
			want := false
			for y := cy * cell; y < min((cy+1)*cell, 157); y++ {
				for x := cx * cell; x < min((cx+1)*cell, 203); x++ {
					want = want || g.Pix[y*g.Stride+x] < inkLevel
				}
			}
			if gr.set[cy*gr.w+cx] != want {
				t.Fatalf("cell (%d,%d) set %v, want %v", cx, cy, gr.set[cy*gr.w+cx], want)
			}
		}
	}
}
