package split

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sohoa/sohoa/classify"
	"github.com/sohoa/sohoa/record"
)

func splitter(t *testing.T) *Splitter {
	t.Helper()
	tax, err := record.LoadTaxonomy()
	if err != nil {
		t.Fatal(err)
	}
	return New(classify.New(tax))
}

// Page texts as Tesseract reads them: the issuer and the motto side by side come out as
// separate lines, OCR damages a letter here and there.
const (
	report = "UỶ BAN NHÂN DÂN\nXÃ TÂN PHÚ\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n" +
		"Số: 45/BC-UBND\nTân Phú, ngày 3 tháng 4 năm 2024\nBÁO CÁO\nKết quả công tác quý I\n" + body
	invitation = "UBND HUYỆN AN LÃO CỘNG HÒA XÃ HỘl CHỦ NGHỈA VIỆT NAM\nPHÒNG VĂN HÓA Độc lập - Tự do - Hạnh phúc\n" +
		"Số: 12/GM-VH\nGIẤY MỜI\nPhòng Văn hóa trân trọng kính mời …\n" + body
	// A birth certificate as a card reader sees it: no số/ký hiệu line, the title first.
	birthCard  = "GIẤY KHAI SINH\nHọ, chữ đệm, tên: NGUYỄN VĂN AN\nNgày, tháng, năm sinh: 01/02/2003\n" + body
	numbered2  = "- 2 -\n" + body
	numbered3  = "3\n" + body
	plainCont  = "Điều 3. Chánh Văn phòng và các đơn vị có liên quan chịu trách nhiệm thi hành.\n" + body
	quotedBody = "Căn cứ Giấy khai sinh số 12 ngày 2/3/2001 của UBND xã;\n" + body
	body       = "Thực hiện chỉ đạo của cấp trên, đơn vị đã triển khai các nhiệm vụ trọng tâm\n" +
		"trong kỳ báo cáo và đạt được một số kết quả như sau đây về mọi mặt công tác\n"
)

func pages(texts ...string) []record.Page {
	out := make([]record.Page, len(texts))
	for i, t := range texts {
		out[i] = record.Page{Number: i + 1, Text: t, Blank: t == ""}
	}
	return out
}

func TestParts(t *testing.T) {
	t.Parallel()
	s := splitter(t)
	for _, tc := range []struct {
		name     string
		pages    []record.Page
		barcodes map[int]string
		want     []Part
	}{
		{"one page", pages(report), nil, []Part{{1, 1, StartFirst}}},
		{"report, invitation, birth certificate", pages(report, invitation, birthCard), nil,
			[]Part{{1, 1, StartFirst}, {2, 2, StartHeader}, {3, 3, StartTitle}}},
		{"continuation without number stays", pages(report, plainCont, invitation), nil,
			[]Part{{1, 2, StartFirst}, {3, 3, StartHeader}}},
		{"a title quoted in the body opens nothing", pages(report, quotedBody), nil,
			[]Part{{1, 2, StartFirst}}},
		{"numbered continuation stays", pages(report, numbered2, numbered3, birthCard), nil,
			[]Part{{1, 3, StartFirst}, {4, 4, StartTitle}}},
		{"numbered 2 continues even under a header", pages(report, "2\n"+invitation), nil,
			[]Part{{1, 2, StartFirst}}},
		// The second document's first page lost its header (torn, faded): its page 2 restarts
		// the numbering, so the boundary goes one page back.
		{"numbering restarts", pages(report, numbered2, numbered3, plainCont, numbered2), nil,
			[]Part{{1, 3, StartFirst}, {4, 5, StartPageNumber}}},
		{"page 2 after a first page continues it", pages(report, "2\n"+body), nil,
			[]Part{{1, 2, StartFirst}}},
		{"blank separator", pages(report, plainCont, "", plainCont), nil,
			[]Part{{1, 2, StartFirst}, {4, 4, StartBlank}}},
		{"specks on a blank sheet", pages(report, ". '", plainCont), nil,
			[]Part{{1, 1, StartFirst}, {3, 3, StartBlank}}},
		{"barcode separator", pages(report, "PATCH T", plainCont), map[int]string{2: "PATCH T"},
			[]Part{{1, 1, StartFirst}, {3, 3, StartBarcode}}},
		{"a barcode sheet taken for blank", pages(report, "", plainCont), map[int]string{2: "PATCHT"},
			[]Part{{1, 1, StartFirst}, {3, 3, StartBarcode}}},
		{"the motto quoted in the body opens nothing", pages(report, "theo Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam năm 2013 và các luật\n"+body), nil,
			[]Part{{1, 2, StartFirst}}},
		{"a number in a wrapped body line opens nothing", pages(report, "số 12/2020/NĐ-CP ngày 05 tháng 02 năm 2020 của Chính phủ quy định chi tiết\n"+body), nil,
			[]Part{{1, 2, StartFirst}}},
		{"a header with the number alone", pages(report, "UBND XÃ TÂN PHÚ\nSố: 12/UBND-VP\nV/v triển khai kế hoạch năm 2024\n"+body), nil,
			[]Part{{1, 1, StartFirst}, {2, 2, StartHeader}}},
		{"a Party document's header", pages(report, "ĐẢNG BỘ TỈNH AN GIANG\nĐẢNG CỘNG SẢN VIỆT NAM\n"+body), nil,
			[]Part{{1, 1, StartFirst}, {2, 2, StartHeader}}},
		{"a document with a QR code is no separator", pages(report, plainCont+strings.Repeat(body, 3)), map[int]string{2: "https://x.vn/qr"},
			[]Part{{1, 2, StartFirst}}},
		{"leading blank sheet", pages("", report, plainCont), nil, []Part{{2, 3, StartBlank}}},
		{"only blank sheets", pages("", ""), nil, []Part{{1, 2, StartFirst}}},
		{"no pages", nil, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, s.Parts(tc.pages, tc.barcodes)); diff != "" {
				t.Errorf("parts (-want +got):\n%s", diff)
			}
		})
	}
}

// The page number must be at the top: with word boxes, a lone number lower down (a table's
// row, a list item) is no page number.
func TestPageNumberAtTop(t *testing.T) {
	t.Parallel()
	s := splitter(t)
	p := record.Page{Number: 2, Height: 3500, Text: "2\n" + body,
		Words: []record.Word{{Text: "2", Box: record.Box{1200, 120, 1230, 160}}}}
	if got := s.topPageNumber(p); got != 2 {
		t.Errorf("number at the top: got %d, want 2", got)
	}
	p.Words[0].Box = record.Box{1200, 1500, 1230, 1540}
	if got := s.topPageNumber(p); got != 0 {
		t.Errorf("number in the middle: got %d, want 0", got)
	}
}

func TestScore(t *testing.T) {
	t.Parallel()
	var sc Score
	sc.Add([]Part{{1, 2, ""}, {3, 3, ""}, {4, 6, ""}}, []Part{{1, 3, ""}, {4, 5, ""}, {6, 6, ""}})
	if sc != (Score{Correct: 1, Found: 2, True: 2}) {
		t.Fatalf("score %+v", sc)
	}
	if sc.Precision() != 0.5 || sc.Recall() != 0.5 || sc.F1() != 0.5 {
		t.Errorf("P %v R %v F1 %v", sc.Precision(), sc.Recall(), sc.F1())
	}
}
