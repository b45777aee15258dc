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
// from positions, which the layer is laid out to lead (see text.go). On the birth
// certificate, plain pdftotext used to read the right signature column before the name under
// the left one (2.4%). Run with OMP_THREAD_LIMIT=1, as everything that uses Tesseract.
func TestSearchablePDFOfRealOCR(t *testing.T) {
	t.Parallel()
	pool, err := ocr.NewPool(ocr.Config{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	for _, sample := range []string{"quyet_dinh_skew3.png", "cong_van.pdf", "giay_khai_sinh.jpg", "can_cuoc.png"} {
		t.Run(sample, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			data, err := os.ReadFile("../fixtures/samples/" + sample)
			if err != nil {
				t.Fatal(err)
			}
			var pages []Page
			var ocrText []string
			err = scan.Pages(ctx, sample, data, scan.Limits{}, func(raw scan.Raw) error {
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
			if err := Write(&buf, sample, pages); err != nil {
				t.Fatal(err)
			}
			if err := validate(t, buf.Bytes(), model.ValidationRelaxed); err != nil {
				t.Errorf("pdfcpu validation: %v", err)
			}
			recognised := strings.Join(ocrText, "\n")
			truth := truthText(t, sample)
			t.Logf("OCR against truth: CER %.4f", eval.CER(truth, recognised))
			for _, mode := range [][]string{{"-raw"}, nil} {
				got := pdftotext(t, buf.Bytes(), mode...)
				cer := eval.CER(recognised, got)
				t.Logf("pdftotext %v: CER %.4f against OCR text, %.4f against truth", mode, cer, eval.CER(truth, got))
				if cer > maxCER {
					t.Errorf("pdftotext %v CER against OCR text = %.4f, want ≤ %.3f\nOCR:\n%s\npdftotext:\n%s", mode, cer, maxCER, recognised, got)
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
