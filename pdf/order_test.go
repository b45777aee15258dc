package pdf

import (
	"bytes"
	"image"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/eval"
	"github.com/sohoa/sohoa/record"
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

// readBack writes words over g as a one-page searchable PDF and returns what plain
// pdftotext reads from it, normalised, beside the text OCR would report for the words: their
// lines in Line order, words in the order given.
func readBack(t *testing.T, g *image.Gray, words []record.Word) (got, want string) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, "page.png", []Page{{Image: g, DPI: 300, Words: words}}); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for i, w := range words {
		if i == 0 || w.Line != words[i-1].Line {
			lines = append(lines, w.Text)
		} else {
			lines[len(lines)-1] += " " + w.Text
		}
	}
	return eval.NormalizeText(pdftotext(t, buf.Bytes())), eval.NormalizeText(strings.Join(lines, "\n"))
}

// TestPlainTextReadsSignaturesColumnByColumn writes two signatures side by side, each a
// title, the "(Ký, ghi rõ họ tên)" line and, far below, the signer's name. Poppler takes
// the four blocks such a page would make for a table and reads both titles before both
// names.
func TestPlainTextReadsSignaturesColumnByColumn(t *testing.T) {
	t.Parallel()
	g, words, _ := renderPage(t, 300, 13, []block{
		{x: 250, y: 600, lines: []string{"Nơi đăng ký kết hôn: Ủy ban nhân dân xã Cẩm Lệ, huyện Tiền Hải, tỉnh Thanh Hóa"}},
		{x: 400, y: 800, lines: []string{"Vợ", "(Ký, ghi rõ họ, chữ đệm, tên)"}},
		{x: 400, y: 1100, lines: []string{"Trịnh Mai Hạnh"}},
		{x: 1300, y: 800, lines: []string{"Chồng", "(Ký, ghi rõ họ, chữ đệm, tên)"}},
		{x: 1300, y: 1100, lines: []string{"Tạ Thành Thắng"}},
	})
	if got, want := readBack(t, g, words); got != want {
		t.Errorf("pdftotext:\n%s\nwant:\n%s", got, want)
	}
}

// TestPlainTextKeepsListLinesWithBoxesTooLow writes the recipients' list of a letter beside
// its signature, with the words of one item boxed half a line too low, as OCR boxes them on
// a blurred scan. Poppler put that item and the next on one line, their dashes first
// ("-- Như").
func TestPlainTextKeepsListLinesWithBoxesTooLow(t *testing.T) {
	t.Parallel()
	g, words, _ := renderPage(t, 300, 13, []block{
		{x: 250, y: 800, lines: []string{"Nơi nhận:", "- Như trên;", "- Sở Nội vụ;", "- Cổng thông tin điện tử;", "- Lưu: VT, VP."}},
		{x: 1300, y: 800, lines: []string{"KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"}},
	})
	pitch := int(13 * 300 / 72 * 1.5)
	for i, w := range words {
		if w.Line == 1 && w.Text != "-" {
			words[i].Box[3] += pitch / 2
		}
	}
	if got, want := readBack(t, g, words); got != want {
		t.Errorf("pdftotext:\n%s\nwant:\n%s", got, want)
	}
}

// TestPlainTextReadsHeaderColumnsInOrder writes a certificate whose header's right column
// starts a little higher than its left one. Poppler widens each header column towards the
// blocks below it that fit between the two, here the spouse's signature under the left
// column and the official's name further down; once widened, the columns overlap and
// poppler read first the one that starts higher.
func TestPlainTextReadsHeaderColumnsInOrder(t *testing.T) {
	t.Parallel()
	g, words, _ := renderPage(t, 300, 13, []block{
		{x: 150, y: 250, lines: []string{"ỦY BAN NHÂN DÂN", "XÃ PHÚ THƯỢNG", "Số: 142/2018"}},
		{x: 1150, y: 244, lines: []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"}, spacing: 1.2},
		{x: 250, y: 700, lines: []string{"Nơi đăng ký kết hôn: Ủy ban nhân dân xã Phú Thượng, huyện Thanh Trì"}},
		{x: 500, y: 1000, lines: []string{"Người đăng ký kết hôn", "(Ký, ghi rõ họ tên)", "", "", "Trần Thanh Châu"}},
		{x: 900, y: 1500, lines: []string{"Nguyễn Đức Toàn"}},
	})
	if got, want := readBack(t, g, words); got != want {
		t.Errorf("pdftotext:\n%s\nwant:\n%s", got, want)
	}
}

// TestPlainTextReadsFormColumnsInOrder writes the two columns of a marriage certificate, the
// wife's and the husband's particulars, half an em apart at their closest. A font size that
// keeps poppler from pulling one column's words into the other's block is too small to hold
// a column's rows in one block; cut into blocks, the two columns read as a table, row by row.
func TestPlainTextReadsFormColumnsInOrder(t *testing.T) {
	t.Parallel()
	wife := block{x: 250, y: 700, lines: []string{"Họ, chữ đệm, tên vợ: VÕ THỊ THẢO", "Ngày, tháng, năm sinh: 26/01/1982",
		"Dân tộc: Tày Quốc tịch: Việt Nam", "Nơi cư trú: Xóm 1, phường Thanh Xuân", "Giấy tờ tùy thân: Căn cước công dân số"}}
	_, words, _ := renderPage(t, 300, 13, []block{wife})
	right := 0
	for _, w := range words {
		right = max(right, w.Box[2])
	}
	husband := block{x: right + 13*300/72/2, y: 700, lines: []string{"Họ, chữ đệm, tên chồng: NGÔ CÔNG TOÀN",
		"Ngày, tháng, năm sinh: 18/11/1977", "Dân tộc: Kinh Quốc tịch: Việt Nam", "Nơi cư trú: Số 172 Trường Chinh", "Giấy tờ tùy thân: Căn cước"}}
	g, words, _ := renderPage(t, 300, 13, []block{wife, husband})
	if got, want := readBack(t, g, words); got != want {
		t.Errorf("pdftotext:\n%s\nwant:\n%s", got, want)
	}
}

// TestPlainTextReadsLineOfDoubledPrint writes a line as OCR reads doubled print: after the
// words of the line it reports, in the same line, the ghost copies of its first words a
// little to the right of them. Poppler read each such line by position, cut where a word
// starts back over the one before it.
func TestPlainTextReadsLineOfDoubledPrint(t *testing.T) {
	t.Parallel()
	g, words, _ := renderPage(t, 300, 13, []block{{x: 1150, y: 250, lines: []string{
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Hà Nội, ngày 12 tháng 5 năm 2022"}}})
	var doubled []record.Word
	for _, w := range words {
		doubled = append(doubled, w)
		if w.Line == 1 && w.Text == "phúc" {
			for _, ghost := range words {
				if ghost.Line == 1 && (ghost.Text == "Độc" || ghost.Text == "lập") {
					ghost.Box[0], ghost.Box[2] = ghost.Box[0]+20, ghost.Box[2]+20
					doubled = append(doubled, ghost)
				}
			}
		}
	}
	if got, want := readBack(t, g, doubled); got != want {
		t.Errorf("pdftotext:\n%s\nwant:\n%s", got, want)
	}
}
