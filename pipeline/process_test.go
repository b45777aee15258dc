package pipeline

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"testing"

	"github.com/sohoa/sohoa/classify"
	"github.com/sohoa/sohoa/extract"
	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/record"
)

// fakeOCR returns a fixed text, or panics to stand for a defect in a stage.
type fakeOCR struct {
	text  string
	panic bool
}

func (f fakeOCR) Recognize(ctx context.Context, g *image.Gray, dpi int) (ocr.Result, error) {
	if f.panic {
		panic("boom")
	}
	return ocr.Result{Text: f.text, MeanConfidence: 90}, nil
}

func pagePNG(t *testing.T) []byte {
	t.Helper()
	g := image.NewGray(image.Rect(0, 0, 600, 800))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	for y := 100; y < 700; y += 40 { // lines of "text" so the page is not blank
		for x := 80; x < 520; x++ {
			g.Pix[y*g.Stride+x] = 0
			g.Pix[(y+1)*g.Stride+x] = 0
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, g)
	return buf.Bytes()
}

func TestProcess(t *testing.T) {
	t.Parallel()
	tax := record.MustTaxonomy()
	text := "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nSố: 98/QĐ-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nLào Cai, ngày 08 tháng 11 năm 2023\nQUYẾT ĐỊNH\nVề việc số hóa hồ sơ"
	cases := []struct {
		name     string
		ocr      fakeOCR
		data     []byte
		wantType string
		wantErr  func(error) bool
	}{
		{"decision", fakeOCR{text: text}, pagePNG(t), "quyet_dinh", nil},
		{"stage panics", fakeOCR{panic: true}, pagePNG(t), "", func(err error) bool { return errors.Is(err, ErrInternal) }},
		{"not an image", fakeOCR{text: text}, []byte("plain text"), "", IsBadInput},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			st := &Stages{OCR: c.ocr, Classifier: classify.New(tax), Extractor: extract.New(tax)}
			res, err := st.Process(context.Background(), "page.png", c.data)
			if c.wantErr != nil {
				if err == nil || !c.wantErr(err) || res.Error == "" {
					t.Fatalf("Process = %+v, %v; want a matching error in the result", res, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.DocType != c.wantType || res.Fields["number"].Value != "98/QĐ-UBND" || len(res.Pages) != 1 {
				t.Errorf("Process = type %s, fields %v, %d pages", res.DocType, res.Fields, len(res.Pages))
			}
		})
	}
}
