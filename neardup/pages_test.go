package neardup_test

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/draw"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"golang.org/x/sync/errgroup"

	"github.com/sohoa/sohoa/fixtures"
	"github.com/sohoa/sohoa/neardup"
	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/scan"
)

// scanned is one generated page after preparation and OCR, as the worker sees it.
type scanned struct {
	Doc     int    `json:"doc"` // index in the generated set: the paper
	Type    string `json:"type"`
	Variant string `json:"variant"`
	Text    string `json:"text"`
	Image   uint64 `json:"image"`
}

func (s scanned) signature() neardup.Signature {
	return neardup.Signature{Image: s.Image, Text: neardup.SignText(s.Text)}
}

// variant is one way of scanning the generated papers.
type variant struct {
	name    string
	dpi     int
	degrade bool
	// alter changes the decoded scan before preparation (another crop, exposure).
	alter func(image.Image) image.Image
}

var (
	clean300 = variant{name: "clean300", dpi: 300}
	clean200 = variant{name: "clean200", dpi: 200}
	// degraded200 is the seeded degradation schedule at 200 DPI: skew, quarter turns, noise,
	// blur, JPEG, uneven light, seals, stamps, pen strokes, faint and heavy print.
	degraded200 = variant{name: "degraded200", dpi: 200, degrade: true}
	// recropped300 is the 300-DPI scan cut 4% tighter on the top and left and 2% on the other
	// sides, and darkened: the sheet placed otherwise on the glass, another exposure.
	recropped300 = variant{name: "recropped300", dpi: 300, alter: recrop}
)

func recrop(img image.Image) image.Image {
	b := img.Bounds()
	r := image.Rect(b.Min.X+b.Dx()*4/100, b.Min.Y+b.Dy()*4/100, b.Max.X-b.Dx()*2/100, b.Max.Y-b.Dy()*2/100)
	out := image.NewGray(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(out, out.Bounds(), img, r.Min, draw.Src)
	for i, p := range out.Pix {
		out.Pix[i] = uint8(int(p) * 88 / 100) // paper at 224 instead of 255
	}
	return out
}

// recognised generates count documents of types with seed, scanned as v, prepared and read
// as the worker does. With cache set, results are kept there by seed, count and variant.
func recognised(t testing.TB, cache string, seed int64, count int, types []string, v variant) []scanned {
	t.Helper()
	key := filepath.Join(cache, fmt.Sprintf("seed%d_n%d_t%d_%s.json", seed, count, len(types), v.name))
	if cache != "" {
		if data, err := os.ReadFile(key); err == nil {
			var out []scanned
			if err := json.Unmarshal(data, &out); err == nil {
				return out
			}
		}
	}
	ctx := context.Background()
	dir := t.TempDir()
	truths, err := fixtures.Generate(ctx, dir, fixtures.Options{Seed: seed, Count: count, Types: types, DPI: v.dpi, Degrade: v.degrade})
	if err != nil {
		t.Fatal(err)
	}
	st := stages(t)
	out := make([]scanned, len(truths))
	var g errgroup.Group
	g.SetLimit(2)
	for i, tr := range truths {
		g.Go(func() error {
			data, err := os.ReadFile(filepath.Join(dir, tr.File))
			if err != nil {
				return err
			}
			return scan.Pages(ctx, tr.File, data, st.Limits, func(raw scan.Raw) error {
				if v.alter != nil {
					raw.Image = v.alter(raw.Image)
				}
				prep, err := scan.Prepare(ctx, raw, st.Scan)
				if err != nil {
					return err
				}
				var p ocr.Result
				if !prep.Blank {
					if p, err = st.pool.Recognize(ctx, prep.Image, int(prep.DPI+0.5)); err != nil {
						return err
					}
				}
				out[i] = scanned{Doc: i, Type: tr.DocType, Variant: v.name, Text: p.Text, Image: neardup.ImageHash(prep.Image)}
				return nil
			})
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	if cache != "" {
		data, _ := json.Marshal(out)
		if err := os.MkdirAll(cache, 0o755); err == nil {
			os.WriteFile(key, data, 0o644)
		}
	}
	return out
}

// reader is preparation and OCR as pipeline.NewStages sets them up (the package is not
// imported: it would make this test wait on the store to build).
type reader struct {
	pool   *ocr.Pool
	Scan   scan.Options
	Limits scan.Limits
}

var (
	stagesOnce sync.Once
	theStages  *reader
	stagesErr  error
)

// stages opens one Tesseract pool for the test binary.
func stages(t testing.TB) *reader {
	t.Helper()
	stagesOnce.Do(func() {
		pool, err := ocr.NewPool(ocr.Config{Workers: 2})
		if err != nil {
			stagesErr = err
			return
		}
		theStages = &reader{pool: pool, Scan: scan.Options{Orienter: pool, SureOrientConfidence: 5}}
	})
	if stagesErr != nil {
		t.Fatal(stagesErr)
	}
	return theStages
}

// Three birth certificates (one template, three people), each rendered and scanned at 300
// and at 200 DPI, prepared and read as the worker does: each certificate's two scans are
// linked, two certificates never are, though their layouts are alike.
func TestSamePaperRendered(t *testing.T) {
	if testing.Short() {
		t.Skip("OCR of six pages")
	}
	t.Parallel()
	types := []string{"giay_khai_sinh"}
	pages := append(recognised(t, "", 7, 3, types, clean300), recognised(t, "", 7, 3, types, clean200)...)
	for i, a := range pages {
		for _, b := range pages[i+1:] {
			m := neardup.Compare(a.signature(), b.signature())
			name := fmt.Sprintf("certificate %d %s and %d %s", a.Doc+1, a.Variant, b.Doc+1, b.Variant)
			if m.Same != (a.Doc == b.Doc) {
				t.Errorf("%s: linked %v (image %d bits apart, text similarity %.2f), want %v", name, m.Same, m.ImageDistance, m.TextSimilarity, a.Doc == b.Doc)
			} else {
				t.Logf("%s: linked %v (image %d bits, text %.2f)", name, m.Same, m.ImageDistance, m.TextSimilarity)
			}
		}
	}
}
