package scan

import (
	"image"
	"path/filepath"
	"testing"
)

// TestUpness checks the half-turn vote on real scans that nobody on the project made:
// Tesseract's test pages (a typed page, a two-column magazine page with a photo, a book page,
// a multilingual page) and the sbrunner documents with enough lines of prose (the receipt,
// deskew-7, leans the right way but by only 0.11, inside the undecided band). Each must vote
// upright as it is and upside down when turned.
func TestUpness(t *testing.T) {
	t.Parallel()
	files := []string{
		"../testdata/shared/tesseract-test/phototest.tif",
		"../testdata/shared/tesseract-test/8071_093.3B.tif",
		"../testdata/shared/tesseract-test/8087_054.3B.tif",
		"../testdata/shared/tesseract-test/eurotext.tif",
		filepath.Join(sbrunnerDir, "deskew-1.png"),
		filepath.Join(sbrunnerDir, "deskew-4.png"),
		filepath.Join(sbrunnerDir, "deskew-6.png"),
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			g := toGray(decodeFile(t, f), true)
			for _, turn := range []int{0, 180} {
				small := analysisCopy(turnGray(g, turn))
				skew, ok := skewOfReduced(small)
				if !ok {
					t.Fatalf("turned %d: no text lines found", turn)
				}
				up, lines := upness(small, skew)
				if lines < minUpLines {
					t.Errorf("turned %d: %d lines voted, want at least %d", turn, lines, minUpLines)
				}
				if upright := turn == 0; upright && up <= minUpLean || !upright && up >= -minUpLean {
					t.Errorf("turned %d: upness = %.3f, want beyond ±%.2f on the right side", turn, up, minUpLean)
				}
			}
		})
	}
}

func TestUpnessNoVote(t *testing.T) {
	t.Parallel()
	white := image.NewGray(image.Rect(0, 0, 800, 1100))
	for i := range white.Pix {
		white.Pix[i] = 255
	}
	if up, lines := upness(white, 0); up != 0 || lines != 0 {
		t.Errorf("upness of white paper = %v over %d lines, want 0 over 0", up, lines)
	}
}

func TestProfileTails(t *testing.T) {
	t.Parallel()
	// Two lines, each a 2-bin top tail, a 4-bin core and a 1-bin bottom tail, between gaps;
	// a speck row (5) below a tenth of the typical peak is not part of a line.
	line := []int32{0, 10, 20, 100, 100, 90, 100, 15, 0, 5, 0}
	bins := append(append([]int32(nil), line...), line...)
	top, bottom, lines := profileTails(bins)
	if top != 60 || bottom != 30 || lines != 2 {
		t.Errorf("profileTails = top %d, bottom %d, %d lines; want 60, 30, 2", top, bottom, lines)
	}
}
