package scan

import (
	"bytes"
	"encoding/csv"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/disintegration/imaging"
)

const sbrunnerDir = "../testdata/shared/deskew-sbrunner"

// The sbrunner labels are what the upstream library's Hough transform answers, and it tries
// 180 angles over [-90°, 90°): a label is a whole degree, good to ±0.5°. Where a label and
// the page disagree, the lines were measured on the full-size image, rules by the centre of
// their ink and printed text by a line fitted through the bottoms of its letters (points more
// than 1.5 px off dropped), as (x, y) of the two ends:
//   - deskew-1 (label 1°): the "=====" under the heading rises 1.29° ((300, 332.5) to
//     (1600, 303.5)); text lines rise 1.32° ((400, 545) to (3500, 473)), 1.39° (y ≈ 2790),
//     1.44° ((876, 5133) to (3579, 5065)) and 1.40° (y ≈ 5280). The photocopy bends a little;
//     no line is near 1°.
//   - deskew-5 (label −3°): the account box edges fall 3.41° ((60, 379.4) to (1000, 435.4)),
//     the signature rule 3.48° ((570, 658) to (1010, 685)), six other box edges 3.36–3.49°,
//     ten printed captions 3.21–3.53°.
//   - deskew-6 (label 3°): the title rises 2.78° and 2.76° (two lines), the figure caption
//     2.74°, the top edge of the right-hand picture 2.78° ((770, 203.6) to (1000, 192.4)).
//   - deskew-7 (label −3°): the frame falls 3.30° and 3.34°, the closing rule 3.46° ((15, 545)
//     to (280, 561)), seven printed lines 3.14–3.67° (short lines of a 336 px wide photo).
//
// Those pages are checked against the median of their measurements; the lines of deskew-1
// themselves spread over 0.15°.
var sbrunnerMeasured = map[string]float64{
	"deskew-1.png": 1.36,
	"deskew-5.png": -3.43,
	"deskew-6.png": 2.77,
	"deskew-7.png": -3.36,
}

const (
	sbrunnerLabelTolerance    = 0.5
	sbrunnerMeasuredTolerance = 0.15
)

func TestFindSkewSbrunner(t *testing.T) {
	t.Parallel()
	f, err := os.Open(filepath.Join(sbrunnerDir, "angles.csv"))
	if err != nil {
		t.Fatalf("opening angles: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("reading angles: %v", err)
	}
	for _, row := range rows[1:] {
		name := row[0]
		label, err := strconv.ParseFloat(row[2], 64) // skew_ccw_deg
		if err != nil {
			t.Fatalf("parsing angle of %s: %v", name, err)
		}
		if name == "deskew-8.png" { // drawings with little text: the label is unreliable
			continue
		}
		want, tol := label, sbrunnerLabelTolerance
		if m, ok := sbrunnerMeasured[name]; ok {
			want, tol = m, sbrunnerMeasuredTolerance
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			img := decodeFile(t, filepath.Join(sbrunnerDir, name))
			got := FindSkew(toGray(img, true))
			if math.Abs(got-want) > tol {
				t.Errorf("FindSkew = %.3f°, want %.2f° ± %.2f° (label %.0f°)", got, want, tol, label)
			}
			t.Logf("FindSkew = %.3f°, want %.2f° (label %.0f°)", got, want, label)
		})
	}
}

func decodeFile(t testing.TB, name string) image.Image {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var img image.Image
	err = Pages(t.Context(), name, data, Limits{}, func(r Raw) error {
		img = r.Image
		return nil
	})
	if err != nil {
		t.Fatalf("decoding %s: %v", name, err)
	}
	return img
}

var (
	synthOnce, synthA5Once sync.Once
	synthA4, synthA5       *image.Gray
)

// synthSmall is a 150-dpi A4 page of text, shared by the tests that rotate it.
func synthSmall(t testing.TB) *image.Gray {
	synthOnce.Do(func() { synthA4 = synthPage(t, 1240, 1754, 150) })
	return synthA4
}

// synthHalf is a 150-dpi A5 page: the many rotations of the skew test stay quick under -race.
func synthHalf(t testing.TB) *image.Gray {
	synthA5Once.Do(func() { synthA5 = synthPage(t, 874, 1240, 150) })
	return synthA5
}

var synthAngles = []float64{-10, -9.3, -7.5, -5, -2.7, -1, -0.4, -0.15, 0, 0.1, 0.3, 1.1, 2.5, 4.8, 7.77, 10}

func TestFindSkewSynthetic(t *testing.T) {
	t.Parallel()
	page := synthHalf(t)
	var sum, worst float64
	var mu sync.Mutex
	t.Run("angles", func(t *testing.T) {
		for _, a := range synthAngles {
			t.Run(strconv.FormatFloat(a, 'f', -1, 64), func(t *testing.T) {
				t.Parallel()
				// imaging rotates counter-clockwise for positive angles: an independent
				// implementation of the convention FindSkew reports in.
				g := toGray(imaging.Rotate(page, a, color.White), false)
				got := FindSkew(g)
				if d := math.Abs(got - a); d > 0.3 {
					t.Errorf("FindSkew = %.3f°, want %.2f° ± 0.3°", got, a)
				}
				mu.Lock()
				sum += math.Abs(got - a)
				worst = math.Max(worst, math.Abs(got-a))
				mu.Unlock()
			})
		}
	})
	if mean := sum / float64(len(synthAngles)); mean > 0.1 {
		t.Errorf("mean |error| = %.3f°, want ≤ 0.1°", mean)
	} else {
		t.Logf("mean |error| = %.3f°, max %.3f° over %d angles", mean, worst, len(synthAngles))
	}
}

// TestFindSkewSparse is a short page like the last page of a letter: four lines of the
// signer's block and nothing else. The analysis copy alone placed it 0.2° off.
func TestFindSkewSparse(t *testing.T) {
	t.Parallel()
	page := synthLines(t, 1654, 2339, 200, 0) // blank A4 at 200 dpi
	block := synthLines(t, 700, 500, 200, 4)
	draw.Draw(page, image.Rect(900, 200, 1600, 700), block, image.Point{}, draw.Src)
	for _, a := range []float64{-6.3, -0.7, 1.9, 4.45} {
		t.Run(strconv.FormatFloat(a, 'f', -1, 64), func(t *testing.T) {
			t.Parallel()
			if got := FindSkew(toGray(imaging.Rotate(page, a, color.White), false)); math.Abs(got-a) > 0.1 {
				t.Errorf("FindSkew = %.3f°, want %.2f° ± 0.1°", got, a)
			}
		})
	}
}

// TestFindSkewDegraded adds what cheap scanners and phone photos add: gray paper, low
// contrast, sensor noise, dust specks and heavy JPEG compression.
func TestFindSkewDegraded(t *testing.T) {
	t.Parallel()
	page := synthHalf(t)
	for _, a := range []float64{-8.2, -2.7, -0.4, 0.3, 3.3, 11} {
		t.Run(strconv.FormatFloat(a, 'f', -1, 64), func(t *testing.T) {
			t.Parallel()
			g := toGray(imaging.Rotate(page, a, color.White), false)
			r := rand.New(rand.NewPCG(3, uint64(a*100+1000)))
			for i, v := range g.Pix {
				f := float64(v)*0.6 + 90 + r.NormFloat64()*25
				if r.IntN(100) == 0 {
					f = 0
				}
				g.Pix[i] = uint8(math.Max(0, math.Min(255, f)))
			}
			var buf bytes.Buffer
			if err := jpeg.Encode(&buf, g, &jpeg.Options{Quality: 40}); err != nil {
				t.Fatal(err)
			}
			img, err := jpeg.Decode(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if got := FindSkew(toGray(img, false)); math.Abs(got-a) > 0.3 {
				t.Errorf("FindSkew = %.3f°, want %.2f° ± 0.3°", got, a)
			}
		})
	}
}

func TestFindSkewNoText(t *testing.T) {
	t.Parallel()
	tests := map[string]*image.Gray{
		"white": image.NewGray(image.Rect(0, 0, 800, 1100)),
		"tiny":  image.NewGray(image.Rect(0, 0, 5, 5)),
	}
	for i := range tests["white"].Pix {
		tests["white"].Pix[i] = 255
	}
	for name, g := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := FindSkew(g); got != 0 {
				t.Errorf("FindSkew = %v, want 0", got)
			}
		})
	}
}

func BenchmarkFindSkewA4(b *testing.B) {
	g := toGray(imaging.Rotate(synthPage(b, 2480, 3508, 300), 2.3, color.White), false)
	b.ResetTimer()
	for b.Loop() {
		FindSkew(g)
	}
}
