package ocr

import (
	"image"
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sohoa/sohoa/record"
)

// numberColumn is what Tesseract makes of the numbers of a three-item list: one line of
// words stacked bottom to top at x 100–140, beside the items' lines at x 150.
func numberColumn() []tessWord {
	col := []tessWord{
		{Text: "(©", Confidence: 68, Box: record.Box{100, 300, 140, 340}, Block: 2, Par: 1, Line: 1},
		{Text: "Œœ", Confidence: 27, Box: record.Box{100, 200, 140, 240}, Block: 2, Par: 1, Line: 1},
		{Text: "C2", Confidence: 81, Box: record.Box{100, 100, 140, 140}, Block: 2, Par: 1, Line: 1},
	}
	return concat(col,
		tline(3, 1, 1, 100, at{150, ". Họ và tên: HÀ TIẾN LỢI"}),
		tline(3, 1, 2, 200, at{150, ". Giới tính: Nam"}),
		tline(3, 1, 3, 300, at{150, ". Quốc tịch: Việt Nam"}),
		tline(4, 1, 1, 500, at{150, "Giấy này có giá trị 30 ngày."}),
	)
}

func TestVerticalLines(t *testing.T) {
	t.Parallel()
	if got := verticalLines(numberColumn()); !cmp.Equal(got, []record.Box{{100, 100, 140, 340}}) {
		t.Errorf("number column: got %v, want the column's box", got)
	}
	page := concat(tline(1, 1, 1, 100, at{100, "Điều 1. Phạm vi điều chỉnh"}), tline(1, 1, 2, 160, at{100, "Nghị định này quy định"}))
	if got := verticalLines(page); len(got) != 0 {
		t.Errorf("horizontal lines taken for vertical: %v", got)
	}
}

func TestRereadImage(t *testing.T) {
	t.Parallel()
	words := numberColumn()
	g := image.NewGray(image.Rect(0, 0, 1200, 800))
	for i := range g.Pix {
		g.Pix[i] = 0 // all ink, to see what the cut-out keeps and whitens
	}
	cut, at, replaced := rereadImage(g, words, record.Box{100, 100, 140, 340})
	// The column and the three items' lines, padded by half the column's width; not the
	// paragraph below.
	if want := image.Pt(80, 80); at != want {
		t.Errorf("cut-out at %v, want %v", at, want)
	}
	if b := cut.Rect; b.Dy() != 280 {
		t.Errorf("cut-out %v, want 280 high (rows 80–360)", b)
	}
	// Beside the column, between the items' lines, the page is whitened.
	if v := cut.GrayAt(400-at.X, 170-at.Y).Y; v != 0xff {
		t.Errorf("between items = %d, want whitened", v)
	}
	if v := cut.GrayAt(160-at.X, 120-at.Y).Y; v != 0 {
		t.Errorf("inside an item's line = %d, want kept", v)
	}
	var kept []string
	for _, w := range words {
		if !replaced(w) {
			kept = append(kept, w.Text)
		}
	}
	if want := []string{"Giấy", "này", "có", "giá", "trị", "30", "ngày."}; !cmp.Equal(kept, want) {
		t.Errorf("words kept from the page pass = %q, want only the paragraph's", kept)
	}
}

func TestTextBlocks(t *testing.T) {
	t.Parallel()
	page := record.Box{0, 0, 2480, 3508}
	pictures := []record.Box{
		{465, 316, 1367, 835}, // an ID card's front, photo and text: kept
		{1362, 65, 1427, 125}, // a speck of a picture: too small to hold a line
		{0, 0, 2480, 2000},    // more than half the page
		{100, 100, 2000, 160}, // one line high, under the least height
	}
	if got := textBlocks(pictures, page); !cmp.Equal(got, pictures[:1]) {
		t.Errorf("textBlocks = %v, want only %v", got, pictures[0])
	}
}

// TestRereadPictures checks the re-read of a picture block against Tesseract itself: the
// words of one line are taken out of a page's reading as if its layout had made them a
// picture, and reading the block again brings them back where they are on the page.
func TestRereadPictures(t *testing.T) {
	t.Parallel()
	e, err := testPool(t).newEngine()
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	g := render(t, 400, 200, 300, []textLine{
		{text: "Quê quán / Place of origin:", x: 40, y: 50, size: 12},
		{text: "xã Phú Lợi, huyện Phú Lương", x: 40, y: 100, size: 12},
		{text: "Có giá trị đến: 05/01/2039", x: 40, y: 150, size: 12},
	})
	if err := e.setImage(g, 300); err != nil {
		t.Fatal(err)
	}
	all, err := e.words()
	if err != nil {
		t.Fatal(err)
	}
	var kept, lost []tessWord
	for _, w := range all {
		if w.Box[1] > 330 && w.Box[3] < 460 { // the middle line, 100 pt from the top
			lost = append(lost, w)
		} else {
			kept = append(kept, w)
		}
	}
	if len(lost) != 6 {
		t.Fatalf("middle line read as %d words, want 6: %v", len(lost), lost)
	}
	block := record.Box{120, 320, g.Rect.Dx() - 100, 460}
	got, err := e.rereadPictures(g, kept, []record.Box{block}, record.Box{0, 0, g.Rect.Dx(), g.Rect.Dy()})
	if err != nil {
		t.Fatal(err)
	}
	back := got[len(kept):]
	if len(back) != len(lost) {
		t.Fatalf("re-read %d words, want %d: %v", len(back), len(lost), back)
	}
	for i, w := range back {
		want := lost[i]
		for k := range 4 {
			if d := w.Box[k] - want.Box[k]; d < -3 || d > 3 {
				t.Errorf("word %q at %v, on the page at %v", w.Text, w.Box, want.Box)
				break
			}
		}
		if w.Block <= kept[len(kept)-1].Block {
			t.Errorf("word %q in block %d, want a block after the page's", w.Text, w.Block)
		}
	}
}

func TestWeakLines(t *testing.T) {
	t.Parallel()
	page := record.Box{0, 0, 2480, 3508}
	conf := func(ws []tessWord, c float64) []tessWord {
		for i := range ws {
			ws[i].Confidence = c
		}
		return ws
	}
	tall := func(ws []tessWord) []tessWord {
		for i := range ws {
			ws[i].Box[3] += 40 // 80 high: two 40-high lines run together
		}
		return ws
	}
	words := concat(
		conf(tline(1, 1, 1, 100, at{100, "Trong quá trình thực hiện, nếu có khó khăn"}), 96),
		conf(tall(tline(1, 1, 2, 160, at{100, "HD VI hệ Go nh hô g To Ba"})), 10),
		conf(tline(1, 1, 3, 260, at{100, "Kết quả giải quyết thủ tục hành chính"}), 96),
		conf(tall(tline(1, 1, 4, 340, at{100, "CỘNG HÒA XÃ HỘI"})), 95), // tall but read well: a heading
		conf(tline(1, 1, 5, 460, at{100, ".Jndpertlenosc- HgHpiDbes."}), 20),
		conf(tline(1, 1, 6, 520, at{100, "nhân đúng hạn, công khai"}), 96),
		conf(tline(1, 1, 7, 580, at{900, "z Ễ"}), 5), // a speck and a stroke: too short to read again
	)
	got := weakLines(words, page)
	// padded by a third of the typical line height (40): 13
	want := []weakLine{
		{key: lineKey{1, 1, 2}, box: record.Box{100, 160, 536, 240}, rect: record.Box{87, 147, 549, 253}, confidence: 10, letters: 17},
		{key: lineKey{1, 1, 5}, box: record.Box{100, 460, 612, 500}, rect: record.Box{87, 447, 625, 513}, confidence: 20, letters: 22},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(weakLine{}, lineKey{})); diff != "" {
		t.Errorf("weakLines (-want +got):\n%s", diff)
	}

	// A page of scribbles: only the maxWeakLines least confident lines are read again,
	// here the two above (10 and 20) and fourteen of the scribbles (21 to 34).
	noise := slices.Clone(words)
	for i := range 2 * maxWeakLines {
		noise = append(noise, conf(tline(2, 1, i+1, 700+60*i, at{100, "HD VI hệ Go nh"}), float64(21+i))...)
	}
	got = weakLines(noise, page)
	if len(got) != maxWeakLines || got[0].confidence != 10 || got[len(got)-1].confidence != 34 {
		t.Errorf("weakLines on a page of scribbles: %v; want the %d least confident", got, maxWeakLines)
	}
}

func TestCrossedColumns(t *testing.T) {
	t.Parallel()
	// A Decree 30 header: three issuer lines beside two lines of the motto, which
	// Tesseract ran together into lines across both columns.
	merged := concat(
		tline(1, 1, 1, 100, at{100, "ỦY BAN NHÂN DÂN"}, at{1200, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"}),
		tline(1, 1, 2, 160, at{100, "XÃ HÒA BÌNH"}, at{1300, "Độc lập - Tự do - Hạnh phúc"}),
		tline(1, 1, 3, 220, at{100, "Số: 131/UBND"}),
		tline(2, 1, 1, 400, at{100, "Kính gửi: Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu"}),
	)
	want := [][2]record.Box{{{100, 100, 376, 260}, {1200, 100, 1824, 200}}}
	if got := crossedColumns(merged); !cmp.Equal(got, want) {
		t.Errorf("merged header: got %v, want %v", got, want)
	}
	// The same header with each column in lines of its own is left alone.
	apart := concat(
		tline(1, 1, 1, 100, at{100, "ỦY BAN NHÂN DÂN"}),
		tline(1, 1, 2, 160, at{100, "XÃ HÒA BÌNH"}),
		tline(1, 1, 3, 220, at{100, "Số: 131/UBND"}),
		tline(2, 1, 1, 100, at{1200, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"}),
		tline(2, 1, 2, 160, at{1300, "Độc lập - Tự do - Hạnh phúc"}),
	)
	if got := crossedColumns(apart); len(got) != 0 {
		t.Errorf("columns already apart: got %v, want none", got)
	}
	// A form's two halves a narrow gutter apart, found by the second half's aligned edge:
	// read apart, they would lose the edge that keeps them columns.
	form := concat(
		tline(1, 1, 1, 100, at{250, "Họ, chữ đệm, tên vợ: QUÁCH THỊ HẠNH"}, at{1060, "Họ, chữ đệm, tên chồng: ĐINH MẠNH"}),
		tline(1, 1, 2, 160, at{250, "Dân tộc: H'Mông"}, at{1060, "Ngày, tháng, năm sinh: 22/06/1999"}),
		tline(1, 1, 3, 220, at{250, "Nơi cư trú: Xóm Thượng, xã Ngọc Lâm, huyện"}, at{1060, "Dân tộc: Khmer"}),
	)
	if got := crossedColumns(form); len(got) != 0 {
		t.Errorf("form halves: got %v, want none", got)
	}
	// A header set tight, its columns found by their centres, the issuer run into the
	// motto a word space away: read again, column by column.
	tight := concat(
		tline(1, 1, 1, 100, at{200, "BỘ KHOA HỌC VÀ CÔNG NGHỆ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"}),
		tline(1, 1, 2, 160, at{274, "Số: 38/QĐ-BKHCN"}),
		tline(1, 2, 1, 160, at{722, "Độc lập - Tự do - Hạnh phúc"}),
		tline(1, 2, 2, 220, at{662, "Hà Nội, ngày 24 tháng 10 năm 2021"}),
	)
	want = [][2]record.Box{{{200, 100, 640, 200}, {652, 100, 1276, 260}}}
	if got := crossedColumns(tight); !cmp.Equal(got, want) {
		t.Errorf("tight header: got %v, want %v", got, want)
	}
	// A table's rows have three cells and read across; there are no columns to re-read.
	table := concat(
		tline(1, 1, 1, 100, at{100, "STT"}, at{600, "Họ và tên"}, at{1400, "Ghi chú"}),
		tline(1, 1, 2, 160, at{100, "1"}, at{600, "Nguyễn Văn An"}, at{1400, "Trưởng ban"}),
		tline(1, 1, 3, 220, at{100, "2"}, at{600, "Trần Thị Bình"}, at{1400, "Thành viên"}),
	)
	if got := crossedColumns(table); len(got) != 0 {
		t.Errorf("table: got %v, want none", got)
	}
}

func TestDropScribbles(t *testing.T) {
	t.Parallel()
	words := concat(tline(1, 1, 1, 100, at{100, "Nơi nhận:"}), tline(1, 1, 2, 160, at{100, "- Như trên;"}))
	rule := tessWord{Text: "Ị", Confidence: 26, Box: record.Box{981, 100, 982, 140}}
	signature := tessWord{Text: "33)3'", Confidence: 0, Box: record.Box{1000, 100, 1400, 250}}
	bold := tessWord{Text: "TỊCH", Confidence: 96, Box: record.Box{1000, 300, 1100, 400}} // tall but sure
	got := dropScribbles(concat(words, []tessWord{rule, signature, bold}))
	if want := append(words, bold); !cmp.Equal(got, want) {
		t.Errorf("got %v, want the text words and the sure tall word", got)
	}
}

// TestRereadCrossed checks the re-read of crossed columns against Tesseract itself: a
// header's words are read, run together across the columns as Tesseract does on some
// pages, and its middle issuer line is dropped as if lost that way; the re-read brings
// the lost line back and reads each column on its own.
func TestRereadCrossed(t *testing.T) {
	t.Parallel()
	e, err := testPool(t).newEngine()
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	g := render(t, 595, 160, 300, []textLine{
		{text: "ỦY BAN NHÂN DÂN", x: 60, y: 50, size: 12},
		{text: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", x: 270, y: 52, size: 12},
		{text: "XÃ HÒA BÌNH", x: 80, y: 66, size: 12},
		{text: "Độc lập - Tự do - Hạnh phúc", x: 310, y: 70, size: 12},
		{text: "Số: 131/UBND-VHXH", x: 60, y: 82, size: 12},
		{text: "Kính gửi: Ủy ban nhân dân tỉnh Đồng Tháp", x: 120, y: 130, size: 12},
	})
	if err := e.setImage(g, 300); err != nil {
		t.Fatal(err)
	}
	all, err := e.words()
	if err != nil {
		t.Fatal(err)
	}
	const pt = 300.0 / 72
	var crossed []tessWord
	for _, w := range all {
		bottom := float64(w.Box[3]) / pt
		switch {
		case bottom > 62 && bottom < 69 && float64(w.Box[0]) < 250*pt:
			continue // "XÃ HÒA BÌNH", lost
		case bottom < 100:
			// One line per 18 pt across both columns, the right column's pitch.
			w.Block, w.Par, w.Line = 1, 1, 1+int((bottom-40)/18)
		}
		crossed = append(crossed, w)
	}
	if crossedColumns(crossed) == nil {
		for _, w := range crossed {
			t.Log(w)
		}
		t.Fatal("no crossed columns in the run-together header")
	}
	page := record.Box{0, 0, g.Rect.Dx(), g.Rect.Dy()}
	got, err := e.rereadCrossed(g, crossed, page)
	if err != nil {
		t.Fatal(err)
	}
	_, lines := orderWords(got)
	want := "ỦY BAN NHÂN DÂN\nXÃ HÒA BÌNH\nSố: 131/UBND-VHXH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nKính gửi: Ủy ban nhân dân tỉnh Đồng Tháp"
	if text := Normalize(joinLines(lines)); text != want {
		t.Errorf("text after the re-read:\n%s\nwant:\n%s", text, want)
	}
}

func TestAccentsTaken(t *testing.T) {
	t.Parallel()
	// The signer's block of a land certificate as Tesseract read it: "BAN" and "NHAN" of the
	// first line reach down into the accents of "KT. GIÁM ĐỐC" under it.
	lines := [][]tessWord{
		{word("IM.UY", 64, 1, 1850, 1694, 2088, 1739), word("BAN", 80, 1, 2107, 1693, 2248, 1772),
			word("NHAN", 96, 1, 2267, 1693, 2464, 1772), word("DAN", 89, 1, 2482, 1693, 2627, 1738)},
		{word("KT.", 92, 2, 1996, 1776, 2104, 1821), word("GIÁM", 91, 2, 2144, 1760, 2311, 1821)},
		{word("PHÓ", 93, 3, 1979, 2021, 2121, 2067), word("GIÁM", 91, 3, 2144, 2021, 2331, 2067)},
		// Running text: "giấy" reaches down by its descender, a third of its height, into the
		// top of the next line.
		{word("Cấp", 96, 4, 100, 2200, 180, 2245), word("giấy", 96, 4, 200, 2200, 290, 2260)},
		{word("chứng", 96, 5, 100, 2255, 230, 2300), word("nhận", 96, 5, 250, 2255, 340, 2300)},
	}
	if got, want := accentsTaken(lines), map[int]bool{0: true, 1: true}; !maps.Equal(got, want) {
		t.Errorf("accentsTaken = %v, want %v", got, want)
	}
}
