package extract

import (
	"strings"
	"testing"

	"github.com/sohoa/sohoa/record"
)

// boxedLines builds lines from (text, x0, x1) rows, one word box per word spread over the span.
func boxedLines(rows [][3]any) []*line {
	return pageLines([]record.Page{boxedPage(rows)})[0]
}

// boxedPage is boxedLines' page.
func boxedPage(rows [][3]any) record.Page {
	var words []record.Word
	var texts []string
	for i, r := range rows {
		text, x0, x1 := r[0].(string), r[1].(int), r[2].(int)
		texts = append(texts, text)
		fs := splitWords(text)
		step := (x1 - x0) / len(fs)
		for j, w := range fs {
			words = append(words, record.Word{Text: w, Confidence: 95, Line: i, Box: record.Box{x0 + j*step, i * 50, x0 + (j+1)*step - 5, i*50 + 40}})
		}
	}
	return record.Page{Number: 1, Width: 3000, Height: 3000, Text: record.NFC(joinLines(texts)), Words: words, MeanConfidence: 95}
}

func TestSubjectEndsWhereBodyBegins(t *testing.T) {
	t.Parallel()
	ls := boxedLines([][3]any{
		{"THÔNG BÁO", 850, 1150},
		{"Về việc chỉnh lý tài liệu lưu trữ tồn đọng", 500, 1500},
		{"tại các cơ quan, đơn vị", 700, 1300},
		// The body: first line indented by 1 cm, then full width, then a short last line.
		{"Các cơ quan, đơn vị tổ chức quán triệt, triển khai thực hiện nghiêm túc", 330, 1800},
		{"nhiệm vụ được giao; định kỳ hằng tháng báo cáo kết quả thực hiện về", 200, 1800},
		{"Văn phòng để tổng hợp.", 200, 700},
		{"Tăng cường công tác kiểm tra, giám sát việc thực hiện; xử lý nghiêm", 330, 1800},
		{"các trường hợp vi phạm theo quy định của pháp luật.", 200, 1500},
	})
	col, ok := columnOf(ls)
	if !ok {
		t.Fatal("no text column")
	}
	want := []bool{true, true, true, false, true, false, false, false}
	for i, l := range ls {
		if got := col.centred(l); got != want[i] {
			t.Errorf("line %d %q: centred %v, want %v", i, l.text, got, want[i])
		}
	}
}

func TestSnapTitle(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"CHỦ TỊCH": "CHỦ TỊCH", "GHỦ TỊCH": "CHỦ TỊCH", "GHỦ-TỊCH": "CHỦ TỊCH", "PHÓ GIAM ĐỐC": "PHÓ GIÁM ĐỐC",
		"3 GIÁM ĐỐC": "", "TRƯỜNG": "",
	} {
		got, ok := snapTitle(in)
		if !ok {
			got = ""
		}
		if got != want {
			t.Errorf("snapTitle(%q) = %q, want %q", in, got, want)
		}
	}
	if !brokenTitle("PHÓ CHÁNH", "VĂN PHÒNG") || !brokenTitle("PHÓ", "GHỦ TỊCH") || brokenTitle("GIÁM ĐỐC", "SỞ NỘI VỤ") {
		t.Error("titles broken over two lines")
	}
}

func TestStampDropped(t *testing.T) {
	t.Parallel()
	ls := boxedLines([][3]any{
		{"ỦY BAN NHÂN DÂN", 200, 700},
		{"ĐẾN Hòa Bình, ngày 11 tháng 11 năm 2024", 900, 1800},
		{"Giờ: 14:57", 300, 500},
		{"Ngày: 08/07/2020", 300, 600},
		{"Họ, chữ đệm, tên: LÝ NGỌC NGỌC ĐẾN", 200, 1200},
	})
	got := []string{}
	for _, l := range ls {
		got = append(got, l.text)
	}
	want := []string{"ỦY BAN NHÂN DÂN", "Hòa Bình, ngày 11 tháng 11 năm 2024", "", "", "Họ, chữ đệm, tên: LÝ NGỌC NGỌC"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func splitWords(s string) []string { return strings.Fields(s) }

func joinLines(ls []string) string { return strings.Join(ls, "\n") }
