package pdf

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"github.com/sohoa/sohoa/eval"
	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/scan"
)

// TestSearchablePDFOfRealOCR runs the pipeline's own preparation and OCR on the committed
// sample scans and checks that pdftotext reads back what OCR recognised, in OCR's reading
// order. pdftotext -raw keeps the order of the text layer; plain pdftotext rebuilds the order
// from positions, which the layer is laid out to lead (see text.go). On the birth certificate
// plain pdftotext still reads the right signature column before the name under the left one
// (the columns' names are on different rows, and poppler widens the left name's block under
// the right column), hence its larger bound; the old layer read its label and value cells
// apart (5.5%). Run with OMP_THREAD_LIMIT=1, as everything that uses Tesseract.
func TestSearchablePDFOfRealOCR(t *testing.T) {
	t.Parallel()
	pool, err := ocr.NewPool(ocr.Config{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	cases := []struct {
		sample string
		plain  float64 // largest CER of plain pdftotext against the OCR text
	}{
		{"quyet_dinh_skew3.png", maxCER},
		{"cong_van.pdf", maxCER},
		{"giay_khai_sinh.jpg", 0.03},
		{"can_cuoc.png", maxCER},
	}
	for _, c := range cases {
		t.Run(c.sample, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			data, err := os.ReadFile("../fixtures/samples/" + c.sample)
			if err != nil {
				t.Fatal(err)
			}
			var pages []Page
			var ocrText []string
			err = scan.Pages(ctx, c.sample, data, scan.Limits{}, func(raw scan.Raw) error {
				prep, err := scan.Prepare(ctx, raw, scan.Options{})
				if err != nil {
					return err
				}
				res, err := pool.Recognize(ctx, prep.Image, int(prep.DPI))
				if err != nil {
					return err
				}
				pages = append(pages, Page{Image: prep.Image, DPI: prep.DPI, Words: res.Words})
				ocrText = append(ocrText, res.Text)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := Write(&buf, c.sample, pages); err != nil {
				t.Fatal(err)
			}
			if err := validate(t, buf.Bytes(), model.ValidationRelaxed); err != nil {
				t.Errorf("pdfcpu validation: %v", err)
			}
			recognised := strings.Join(ocrText, "\n")
			truth := truthText(t, c.sample)
			t.Logf("OCR against truth: CER %.4f", eval.CER(truth, recognised))
			for _, mode := range [][]string{{"-raw"}, nil} {
				got := pdftotext(t, buf.Bytes(), mode...)
				cer, want := eval.CER(recognised, got), maxCER
				if mode == nil {
					want = c.plain
				}
				t.Logf("pdftotext %v: CER %.4f against OCR text, %.4f against truth", mode, cer, eval.CER(truth, got))
				if cer > want {
					t.Errorf("pdftotext %v CER against OCR text = %.4f, want ≤ %.3f\nOCR:\n%s\npdftotext:\n%s", mode, cer, want, recognised, got)
				}
			}
		})
	}
}

// truthText returns the ground-truth text of the first page of a committed sample.
func truthText(t *testing.T, file string) string {
	t.Helper()
	f, err := os.Open("../fixtures/samples/truth.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var tr struct {
			File  string `json:"file"`
			Pages []struct {
				Text string `json:"text"`
			} `json:"pages"`
		}
		if err := json.Unmarshal(sc.Bytes(), &tr); err != nil {
			t.Fatal(err)
		}
		if tr.File == file && len(tr.Pages) > 0 {
			return tr.Pages[0].Text
		}
	}
	t.Fatalf("no truth for %s", file)
	return ""
}
