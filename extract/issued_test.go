package extract

import (
	"slices"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/record"
)

func linesOfText(text string) []*line {
	var ls []*line
	for i, t := range strings.Split(text, "\n") {
		ls = append(ls, newLine(1, i, t))
	}
	return ls
}

func TestMatchDate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, text string
		want       string // the date's text, "" for none
	}{
		{"one line", "Hà Nội, ngày 31 tháng 12 năm 2025", "ngày 31 tháng 12 năm 2025"},
		{"year on the next line", "Minh Khai, ngày 17 tháng 02 năm\n2022", "ngày 17 tháng 02 năm 2022"},
		{"month on the next line", "Hòa Bình, ngày 06\ntháng 12 năm 2023", "ngày 06 tháng 12 năm 2023"},
		{"a sentence's ngày is no date", "Trình bày trong ngày\nhọp tháng sau", ""},
		{"no date", "Kính gửi: Sở Nội vụ\nVề việc", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d, m := matchDate(linesOfText(c.text), 0)
			got := ""
			if m != nil {
				st, en := d.orig(m[0], m[1])
				got = d.text[st:en]
			}
			if got != c.want {
				t.Errorf("matchDate(%q) = %q, want %q", c.text, got, c.want)
			}
		})
	}
}

func TestLastBody(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, block, want string
	}{
		{"department under the province", "TM. ỦY BAN NHÂN DÂN\nKT. GIÁM ĐỐC\nSỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG\nTỈNH KHÁNH HÒA\nPHÓ GIÁM ĐỐC\nTạ Thành Lâm",
			"SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG TỈNH KHÁNH HÒA"},
		{"name broken before TRƯỜNG", "TM. ỦY BAN NHÂN DÂN\nKT. GIÁM ĐỐC\nSỞ TÀI NGUYÊN VÀ MÔI.\nTRƯỜNG TỈNH NINH THUẬN\nPHÓ GIÁM ĐỐC\nLê Trọng Cường",
			"SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG TỈNH NINH THUẬN"},
		{"misread title ends the body", "TM. ỦY BAN NHÂN DÂN\nKT. GIÁM ĐỐC\nSỞ TÀI NGUYEN VÀ MOI TRƯƠNG\nTĨNH LONG AN\nPHO GLAM ĐỌC\nLê Văn Tám",
			"SỞ TÀI NGUYEN VÀ MOI TRƯƠNG TĨNH LONG AN"},
		{"the council itself", "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn A", "ỦY BAN NHÂN DÂN"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, _, _ := lastBody(linesOfText(c.block))
			if got != c.want {
				t.Errorf("lastBody = %q, want %q", got, c.want)
			}
		})
	}
}

// Header and signature fields on layouts OCR disturbs: a number the finder cannot read
// before the place, an issuer misread against the closed vocabularies (kept on Read), a
// signature title on the line the "Nơi nhận" column ran into.
func TestIssuedHeader(t *testing.T) {
	t.Parallel()
	body := "Các cơ quan, đơn vị tổ chức thực hiện.\n"
	cases := []struct {
		name, text string
		want       map[string]string
		read       map[string]string
	}{
		{
			name: "number misread before the place",
			text: "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n" +
				"§ố:227/BNNMT-PC Hà Nội, ngày 17 tháng 4 năm 2019\nV/v phòng, chống dịch bệnh\n" + body +
				"Nơi nhận:\n- Như trên;\n- Lưu: VT.\nBỘ TRƯỞNG\nHồ Thành Đạt",
			want: map[string]string{"place": "Hà Nội", "issued_date": "2019-04-17", "issuer": "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"},
		},
		{
			name: "issuer's TỈNH misread",
			text: "ỦY BAN NHÂN DÂN\nTÍNH QUẢNG NGÃI\nSố: 560/UBND-KGVX\nV/v giao chỉ tiêu\nQuảng Ngãi, ngày 15 tháng 10 năm 2019\n" + body +
				"Nơi nhận:\n- Như trên;\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrần Văn An",
			want: map[string]string{"issuer": "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "place": "Quảng Ngãi"},
			read: map[string]string{"issuer": "ỦY BAN NHÂN DÂN TÍNH QUẢNG NGÃI"},
		},
		{
			name: "title after the recipients' column",
			text: "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG\nSố: 227/BNNMT-PC\nV/v phòng, chống dịch bệnh\nHà Nội, ngày 17 tháng 4 năm 2019\n" + body +
				"Trân trọng./.\n'Nơi nhận 0 12 số lo nhớ U BỘ TRƯỞNG\n- Như trên; ST\n- Lãnh đạo Văn phòng: -\như; VT, KHTC.\ns. __ Hồ Thành Đạt _",
			want: map[string]string{"signer_title": "BỘ TRƯỞNG", "signer": "Hồ Thành Đạt"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := newTestExtractor().Extract("cong_van", []record.Page{{Number: 1, Text: record.NFC(c.text)}})
			for k, want := range c.want {
				if got[k].Value != want || got[k].Read != c.read[k] {
					t.Errorf("%s = %q read %q, want %q read %q", k, got[k].Value, got[k].Read, want, c.read[k])
				}
			}
		})
	}
}

// The issuer is the header's left column: a mark read beside it in the right column ("Si", a
// rule under the quốc hiệu) is not part of it, and the name goes on below the date line.
func TestIssuerLeftColumn(t *testing.T) {
	t.Parallel()
	rows := [][]string{
		{"ỦY", "BAN", "NHÂN", "DÂN", "TỈNH", "TÂY", "|", "CỘNG", "HÒA", "XÃ", "HỘI", "CHỦ", "NGHĨA", "VIỆT", "NAM"},
		{"NINH"},
		{"|", "Độc", "lập", "-", "Tự", "do", "-", "Hạnh", "phúc"},
		{"SỞ", "VĂN", "HÓA,", "THỂ", "THAO", "VÀ", "DU", "|", "Siêu"},
		{"|", "Tây", "Ninh,", "ngày", "11", "tháng", "02", "năm", "2021"},
		{"LỊCH"},
		{"QUYẾT", "ĐỊNH"},
		{"Về", "việc", "ban", "hành", "quy", "chế"},
	}
	var page record.Page
	var lines []string
	for i, row := range rows {
		x := 100
		var texts []string
		for _, w := range row {
			if w == "|" {
				x = 1340 // the right column
				continue
			}
			page.Words = append(page.Words, record.Word{Text: w, Confidence: 95, Box: record.Box{x, 100 * i, x + 80, 100*i + 40}, Line: i})
			texts = append(texts, w)
			x += 100
		}
		lines = append(lines, strings.Join(texts, " "))
	}
	page.Number, page.Text = 1, record.NFC(strings.Join(lines, "\n"))
	got := newTestExtractor().Extract("quyet_dinh", []record.Page{page})["issuer"]
	if want := "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"; got.Value != want {
		t.Errorf("issuer = %q, want %q", got.Value, want)
	}
}

// The signature block sits at the end of the text, which an annex can follow on pages of its
// own; the block is then read on the last page that prints "Nơi nhận".
func TestSignatureBeforeAnnex(t *testing.T) {
	t.Parallel()
	text := "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN\nSố: 12/QĐ-UBND\nQUYẾT ĐỊNH\nVề việc ban hành danh mục\n" +
		"Điều 1. Ban hành kèm theo Quyết định này danh mục.\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n" +
		"KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn An"
	annex := "PHỤ LỤC\nDANH MỤC THỦ TỤC HÀNH CHÍNH\n1. Đăng ký khai sinh\n2. Đăng ký kết hôn"
	got := newTestExtractor().Extract("quyet_dinh", []record.Page{
		{Number: 1, Text: record.NFC(text)}, {Number: 2, Text: record.NFC(annex)},
	})
	for k, want := range map[string]string{"signing_authority": "KT", "signer_title": "PHÓ CHỦ TỊCH", "signer": "Nguyễn Văn An"} {
		if got[k].Value != want || got[k].Page != 1 {
			t.Errorf("%s = %q on page %d, want %q on page 1", k, got[k].Value, got[k].Page, want)
		}
	}
}

// A day written by hand is not read: the date is left for review, named, and the place
// printed before it is still read; a date of the body is not taken for it.
func TestHandwrittenDay(t *testing.T) {
	t.Parallel()
	text := "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI\nSố: 33/TTr-UBND\nĐồng Nai, ngày Ô € tháng 02 năm 2023\n" +
		"Căn cứ Luật Lưu trữ ngày 21 tháng 6 năm 2024;\nKính trình./.\nNơi nhận:\n- Như trên;\nCHỦ TỊCH\nTrần Văn An"
	got := newTestExtractor().Extract("to_trinh", []record.Page{{Number: 1, Text: record.NFC(text)}})
	if got["place"].Value != "Đồng Nai" {
		t.Errorf("place = %q, want Đồng Nai", got["place"].Value)
	}
	if d, ok := got["issued_date"]; !ok || d.Value != "" || d.Valid {
		t.Errorf("issued_date = %+v (present %v), want an empty invalid field", d, ok)
	}
}

// A day filled in by hand and read as a letter ("ngày S tháng 5") leaves no whole date: the
// year alone is not returned as the date, which is left for review, and the place is read.
func TestDayReadAsLetter(t *testing.T) {
	t.Parallel()
	text := "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH\nSỞ NỘI VỤ\nSố: 196/QĐ-SNV\n" +
		"Thành phố Hồ Chí Minh, ngày S tháng 5 năm 2024\nQUYẾT ĐỊNH\nVề việc chỉnh lý tài liệu\n" +
		"Điều 1. Các cơ quan thực hiện.\nNơi nhận:\n- Như Điều 3;\nGIÁM ĐỐC\nNguyễn Minh Long"
	got := newTestExtractor().Extract("quyet_dinh", []record.Page{{Number: 1, Text: record.NFC(text)}})
	if got["place"].Value != "Thành phố Hồ Chí Minh" {
		t.Errorf("place = %q, want Thành phố Hồ Chí Minh", got["place"].Value)
	}
	if d, ok := got["issued_date"]; !ok || d.Value != "" || d.Valid {
		t.Errorf("issued_date = %+v (present %v), want an empty invalid field", d, ok)
	}
}

// A quốc hiệu centred over the page makes no right column: an issuer centred under it is
// read whole.
func TestIssuerUnderCentredQuocHieu(t *testing.T) {
	t.Parallel()
	rows := []struct {
		x     int
		words []string
	}{
		{600, []string{"CỘNG", "HÒA", "XÃ", "HỘI", "CHỦ", "NGHĨA", "VIỆT", "NAM"}},
		{600, []string{"Độc", "lập", "-", "Tự", "do", "-", "Hạnh", "phúc"}},
		{850, []string{"SỞ", "NỘI", "VỤ"}},
		{900, []string{"Số:", "12/QĐ-SNV"}},
		{900, []string{"QUYẾT", "ĐỊNH"}},
	}
	var page record.Page
	var lines []string
	for i, r := range rows {
		for j, w := range r.words {
			x := r.x + 100*j
			page.Words = append(page.Words, record.Word{Text: w, Confidence: 95, Box: record.Box{x, 100 * i, x + 80, 100*i + 40}, Line: i})
		}
		lines = append(lines, strings.Join(r.words, " "))
	}
	page.Number, page.Text = 1, record.NFC(strings.Join(lines, "\n"))
	got := newTestExtractor().Extract("quyet_dinh", []record.Page{page})["issuer"]
	if got.Value != "SỞ NỘI VỤ" {
		t.Errorf("issuer = %q, want SỞ NỘI VỤ", got.Value)
	}
}

// The signer's title is read past the "Nơi nhận" list the line finder put under the authority
// line, and a title one letter off after an authority line is corrected, not taken for a name.
func TestSignerTitleAfterAuthority(t *testing.T) {
	t.Parallel()
	head := "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN\nSố: 03/QĐ-UBND\nQUYẾT ĐỊNH\nVề việc cấp kinh phí\nĐiều 1. Cấp kinh phí.\n"
	cases := []struct {
		name, block, title, signer string
	}{
		{"list between authority and title", "Nơi nhận: TL. CHỦ TỊCH\n- Như Điều 3;\n- Sở Nội vụ;\n- Các Phó Chủ tịch;\n- Lưu: VT, KT.\nCHÁNH VĂN PHÒNG\nNgô Hồng Dung",
			"CHÁNH VĂN PHÒNG", "Ngô Hồng Dung"},
		{"title misread by a letter", "Nơi nhận:\n- Như trên;\n- Lưu: VT, VX.\nTM. ỦY BAN NHÂN DÂN\nGHỦ TỊCH\nLâm Hồng Nga",
			"CHỦ TỊCH", "Lâm Hồng Nga"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := newTestExtractor().Extract("quyet_dinh", []record.Page{{Number: 1, Text: record.NFC(head + c.block)}})
			if got["signer_title"].Value != c.title || got["signer"].Value != c.signer {
				t.Errorf("signer_title %q signer %q, want %q %q", got["signer_title"].Value, got["signer"].Value, c.title, c.signer)
			}
		})
	}
}

// A recipient's first item that the line finder read above "Kính gửi:" is kept first.
func TestRecipientItemAboveLabel(t *testing.T) {
	t.Parallel()
	text := "ỦY BAN NHÂN DÂN\nTỈNH LONG AN\nSố: 06/UBND-VP\nV/v cập nhật dữ liệu dân cư\n- Các sở, ban, ngành;\n" +
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nLong An, ngày 07 tháng 02 năm 2019\n" +
		"Kính gửi:\n- Ủy ban nhân dân các xã, phường.\nCác cơ quan, đơn vị tổ chức thực hiện."
	got := newTestExtractor().Extract("cong_van", []record.Page{{Number: 1, Text: record.NFC(text)}})["recipient"]
	if want := "Các sở, ban, ngành; Ủy ban nhân dân các xã, phường"; got.Value != want {
		t.Errorf("recipient = %q, want %q", got.Value, want)
	}
}

// TestRecipientAfterStampMarks: marks of a stamp read in front of "Kính gửi:" on its line do
// not hide the recipient; a sentence's "kính gửi" without a colon names nobody.
func TestRecipientAfterStampMarks(t *testing.T) {
	t.Parallel()
	head := "SỞ Y TẾ\nSố: 169/TTr-SYT\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHuế, ngày 24 tháng 5 năm 2024\nTỜ TRÌNH\nVề việc chỉnh lý tài liệu\n"
	for _, c := range []struct{ name, line, want string }{
		{"stamp marks", "ị CHẾ. Kính gửi: Ủy ban nhân dân tỉnh Thừa Thiên Huế", "Ủy ban nhân dân tỉnh Thừa Thiên Huế"},
		{"a sentence", "Sở Y tế trân trọng kính gửi tài liệu để Ủy ban xem xét.", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := newTestExtractor().Extract("to_trinh", []record.Page{{Number: 1, Text: record.NFC(head + c.line + "\nNơi nhận:\n- Như trên;\nGIÁM ĐỐC\nLê Văn Tám")}})
			if got["recipient"].Value != c.want {
				t.Errorf("recipient = %q, want %q", got["recipient"].Value, c.want)
			}
		})
	}
}

// TestHandFilledNumber: a number whose digits stand apart from its slash was written into
// the template's gap by hand, and is never a sure value; a typed one is.
func TestHandFilledNumber(t *testing.T) {
	t.Parallel()
	const rest = "\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nBà Rịa - Vũng Tàu, ngày 22 tháng 6 năm 2020\nGIẤY MỜI\n" +
		"Dự Hội nghị tăng cường công tác quản lý nhà nước về đất đai\nNơi nhận:\n- Như trên;\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nLâm Hồng Nga"
	for _, c := range []struct {
		name, number string
		sure         bool
	}{
		{"typed", "Số: 157/GM-UBND", true},
		{"by hand", "Số: 15 /GM-UBND", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := newTestExtractor().Extract("giay_moi", []record.Page{{Number: 1, Text: record.NFC("ỦY BAN NHÂN DÂN\nTỈNH BÀ RỊA - VŨNG TÀU\n" + c.number + rest)}})
			if f := got["number"]; (f.Confidence >= ReviewThreshold()) != c.sure {
				t.Errorf("number %q confidence %.2f, want sure %v (threshold %.2f)", f.Value, f.Confidence, c.sure, ReviewThreshold())
			}
		})
	}
}

// TestHandFilledDay: a day written into the date line by hand stands taller than the printed
// year beside it, and the date is kept for the clerk but never as a sure value; a printed
// date, and a day whose word also holds "tháng" (taller by its letters), stay sure.
func TestHandFilledDay(t *testing.T) {
	t.Parallel()
	rows := [][3]any{
		{"ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU", 200, 1000},
		{"Số: 157/GM-UBND", 400, 800},
		{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1100, 2000},
		{"Độc lập - Tự do - Hạnh phúc", 1200, 1900},
		{"Bà Rịa - Vũng Tàu, ngày 22 tháng 6 năm 2020", 1100, 2200},
		{"GIẤY MỜI", 1000, 1300},
		{"Dự Hội nghị tăng cường công tác quản lý nhà nước về đất đai", 400, 2000},
		{"TM. ỦY BAN NHÂN DÂN", 1300, 1900},
		{"CHỦ TỊCH", 1450, 1750},
		{"Lâm Hồng Nga", 1400, 1800},
	}
	for _, c := range []struct {
		name   string
		taller string // the word of the date line drawn half as tall again
		merged bool   // "22tháng" read as one word
		sure   bool
	}{
		{"printed", "", false, true},
		{"day by hand", "22", false, false},
		{"month by hand", "6", false, false},
		{"day run into tháng", "22tháng", true, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			rs := slices.Clone(rows)
			if c.merged {
				rs[4] = [3]any{"Bà Rịa - Vũng Tàu, ngày 22tháng 6 năm 2020", 1100, 2200}
			}
			p := boxedPage(rs)
			for i, w := range p.Words {
				if w.Line == 4 && w.Text == c.taller {
					p.Words[i].Box[1] -= 20 // 60 px against the year's 40
				}
			}
			got := newTestExtractor().Extract("giay_moi", []record.Page{p})
			f := got["issued_date"]
			if f.Value != "2020-06-22" || (f.Confidence >= ReviewThreshold()) != c.sure {
				t.Errorf("issued_date %q confidence %.2f, want 2020-06-22 sure %v (threshold %.2f)", f.Value, f.Confidence, c.sure, ReviewThreshold())
			}
		})
	}
}

// TestUnsureDigitInDate: a date whose one digit word was read unsure ("26" at 73 among words
// at 96) is no sure value, though the mean of its words is high: it was 28.
func TestUnsureDigitInDate(t *testing.T) {
	t.Parallel()
	rows := [][3]any{
		{"ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", 300, 1200},
		{"Số: 12/TB-UBND", 400, 900},
		{"Hà Tĩnh, ngày 26 tháng 12 năm 2022", 1500, 2500},
		{"THÔNG BÁO", 1100, 1400},
		{"Về việc cấp kinh phí sửa chữa trụ sở làm việc", 700, 1900},
		{"Nơi nhận:", 300, 500},
		{"GIÁM ĐỐC", 1800, 2100},
		{"Lê Văn Tám", 1800, 2100},
	}
	for _, unsure := range []bool{false, true} {
		p := boxedPage(rows)
		if unsure {
			for i, w := range p.Words {
				if w.Text == "26" {
					p.Words[i].Confidence = 73
				}
			}
		}
		got := newTestExtractor().Extract("thong_bao", []record.Page{p})
		if d := got["issued_date"]; d.Value != "2022-12-26" || (d.Confidence <= strengthGuess) != unsure {
			t.Errorf("digit unsure %v: issued_date %q at %.2f", unsure, d.Value, d.Confidence)
		}
	}
}

// TestDateLineYearWord: "năm" read as another short word ("nănn", "hăm") still gives the date
// line's date and place, rather than a later "Căn cứ … ngày …" of the body.
func TestDateLineYearWord(t *testing.T) {
	t.Parallel()
	for _, year := range []string{"nănn", "hăm"} {
		text := "BỘ TÀI CHÍNH\nSố: 03/QĐ-BTC\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHà Nội, ngày 29 tháng 4 " + year + " 2021\n" +
			"QUYẾT ĐỊNH\nVề việc cấp kinh phí\nCăn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020;\nĐiều 1. Giao Vụ Tổ chức thực hiện.\n" +
			"Nơi nhận:\n- Như Điều 3;\nBỘ TRƯỞNG\nLê Văn Tám"
		got := newTestExtractor().Extract("quyet_dinh", []record.Page{{Number: 1, Text: record.NFC(text)}})
		if got["issued_date"].Value != "2021-04-29" || got["place"].Value != "Hà Nội" {
			t.Errorf("%q: issued_date %q, place %q", year, got["issued_date"].Value, got["place"].Value)
		}
	}
}

// TestDateNotFromText: with the date line lost (under the incoming stamp) and the heading
// misread, the first "ngày … tháng … năm" of the text ("Căn cứ Luật Lưu trữ ngày 21 tháng 6
// năm 2024;") is another document's date: issued_date and place stay unread.
func TestDateNotFromText(t *testing.T) {
	t.Parallel()
	text := "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 101/2024/TT-BNNMT\nĐộc lập - Tự do - Hạnh phúc\n" +
		"Tr> NMÂt- nzầu T8 thánn\nTHÔNG TĐẾN\náC quản lý nhà nước về đất\nCăn cứ Luật Lưu trữ ngày 21 tháng 6 năm 2024;\n" +
		"Điều 1. Phạm vi điều chỉnh.\nNơi nhận:\n- Như Điều 3;\nBỘ TRƯỞNG\nLê Văn Tám"
	got := newTestExtractor().Extract("thong_tu", []record.Page{{Number: 1, Text: record.NFC(text)}})
	if v := got["issued_date"].Value; v != "" {
		t.Errorf("issued_date = %q, want none", v)
	}
	if v := got["place"].Value; v != "" {
		t.Errorf("place = %q, want none", v)
	}
}
