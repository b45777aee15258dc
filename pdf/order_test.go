package pdf

import (
	"bytes"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/eval"
)

// TestPlainTextReadsFormRowsAcross writes a civil-status form: the two-column header, then
// rows of "label: value" cells far apart, which OCR reads across as one line each. Plain
// pdftotext must read the header's left column first and each row as one line, in order;
// poppler on its own splits the rows into their cells.
func TestPlainTextReadsFormRowsAcross(t *testing.T) {
	t.Parallel()
	cells := [][]string{
		{"Giới tính: Nam", "Dân tộc: Kinh", "Quốc tịch: Việt Nam"},
		{"Năm sinh: 1970", "Dân tộc: Hoa", "Quốc tịch: Việt Nam"},
		{"Năm sinh: 1980", "Dân tộc: Thái", "Quốc tịch: Việt Nam"},
		{"Nơi sinh: Huế", "Tôn giáo: Không", "Nghề nghiệp: Kế toán"},
		{"Nhóm máu: O", "Chiều cao: 165", "Số con: 2"},
		{"Ngày cấp: 01/02/2020", "Nơi cấp: Hà Nội", "Hạn: 01/02/2045"},
	}
	blocks := append([]block{}, header...)
	for col, x := range []int{250, 1000, 1650} {
		b := block{x: x, y: 800}
		for _, row := range cells {
			b.lines = append(b.lines, row[col])
		}
		blocks = append(blocks, b)
	}
	g, words, _ := renderPage(t, 300, 13, blocks)
	// renderPage numbers the lines column by column; OCR reads a row across.
	first := len(header[0].lines) + len(header[1].lines)
	want := append(append([]string{}, header[0].lines...), header[1].lines...)
	for i := range words {
		if l := words[i].Line - first; l >= 0 {
			words[i].Line = first + l%len(cells)
		}
	}
	for _, row := range cells {
		want = append(want, strings.Join(row, " "))
	}
	var buf bytes.Buffer
	if err := Write(&buf, "form.png", []Page{{Image: g, DPI: 300, Words: words}}); err != nil {
		t.Fatal(err)
	}
	for _, mode := range [][]string{nil, {"-raw"}} {
		got := pdftotext(t, buf.Bytes(), mode...)
		if cer := eval.CER(strings.Join(want, "\n"), got); cer > maxCER {
			t.Errorf("pdftotext %v CER = %.4f, want ≤ %.3f\nwant:\n%s\ngot:\n%s", mode, cer, maxCER, strings.Join(want, "\n"), got)
		}
	}
}

// TestPlainTextKeepsFinalDash checks lines that end with "-", which poppler takes for a
// hyphenated word and joins to the next line without the "-".
func TestPlainTextKeepsFinalDash(t *testing.T) {
	t.Parallel()
	g, words, want := renderPage(t, 300, 13, []block{{x: 250, y: 800, lines: []string{
		"1. Thửa đất: số 112, tờ bản đồ số 7", "2. Nhà ở: -/-", "3. Ghi chú: -/-", "Quảng Nam, ngày 03 tháng 02 năm 2013"}}})
	var buf bytes.Buffer
	if err := Write(&buf, "gcn.png", []Page{{Image: g, DPI: 300, Words: words}}); err != nil {
		t.Fatal(err)
	}
	if got := eval.NormalizeText(pdftotext(t, buf.Bytes())); got != want {
		t.Errorf("pdftotext:\n%s\nwant:\n%s", got, want)
	}
}
