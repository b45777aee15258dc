package ocr

import (
	"context"
	"fmt"
	"testing"
)

// a4Page renders an A4 page at 300 dpi (2480×3508) with the Decree 30 header and 30 lines
// of body text, about the amount of text of a real administrative page.
func a4Page(tb testing.TB) []textLine {
	lines := decree30Page()
	for i := range 30 {
		lines = append(lines, textLine{
			text: fmt.Sprintf("%d. Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;", i+1),
			x:    60, y: 440 + float64(i)*18, size: 12,
		})
	}
	return lines
}

// BenchmarkRecognize reports the warm time per A4 page for one client, per model, and
// with Tesseract's inverted second reading turned back on (what the default turns off):
// pages/second per client is 1/(ns/op). Run with OMP_THREAD_LIMIT=1 and -cpu 1.
func BenchmarkRecognize(b *testing.B) {
	cases := []struct {
		name string
		cfg  Config
	}{
		{"vie", Config{Language: "vie"}},
		{"Vietnamese", Config{Language: "Vietnamese"}},
		{"vie+Vietnamese", Config{Language: "vie+Vietnamese"}},
		{"vie+Vietnamese/invert", Config{Language: "vie+Vietnamese", vars: map[string]string{"tessedit_do_invert": "1"}}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			cfg := c.cfg
			cfg.Workers = 1
			p, err := NewPool(cfg)
			if err != nil {
				b.Fatal(err)
			}
			defer p.Close()
			g := render(b, 595, 842, 300, a4Page(b))
			ctx := context.Background()
			if _, err := p.Recognize(ctx, g, 300); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := p.Recognize(ctx, g, 300); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}

// BenchmarkNewPool measures creating and warming up one client (Tesseract Init for vie).
func BenchmarkNewPool(b *testing.B) {
	for b.Loop() {
		p, err := NewPool(Config{Workers: 1})
		if err != nil {
			b.Fatal(err)
		}
		if err := p.Loaded(b.Context()); err != nil {
			b.Fatal(err)
		}
		_ = p.Close()
	}
}

// BenchmarkOrientation measures OSD on an A4 page once the handle exists.
func BenchmarkOrientation(b *testing.B) {
	p, err := NewPool(Config{Workers: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	g := render(b, 595, 842, 300, a4Page(b))
	ctx := context.Background()
	if _, _, err := p.Orientation(ctx, g); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := p.Orientation(ctx, g); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOSDInit measures creating an OSD handle (Init with osd.traineddata).
func BenchmarkOSDInit(b *testing.B) {
	for b.Loop() {
		h, err := newOSDHandle("")
		if err != nil {
			b.Fatal(err)
		}
		h.close()
	}
}
