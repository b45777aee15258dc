package ocr

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sohoa/sohoa/record"
)

// at is a run of words starting at x on a printed line; each rune is 20 px wide and a
// space 12 px, about what 13 pt text measures at 300 dpi.
type at struct {
	x    int
	text string
}

// tline builds the words of one Tesseract line at height y (40 px tall).
func tline(block, par, line, y int, runs ...at) []tessWord {
	var ws []tessWord
	for _, r := range runs {
		x := r.x
		for _, f := range strings.Fields(r.text) {
			w := 20 * len([]rune(f))
			ws = append(ws, tessWord{Text: f, Confidence: 90, Box: record.Box{x, y, x + w, y + 40},
				Block: block, Par: par, Line: line})
			x += w + 12
		}
	}
	return ws
}

// stretch makes the box of the i-th word by px taller at the bottom, as a descender or a
// speck beside it does.
func stretch(ws []tessWord, i, px int) []tessWord {
	ws[i].Box[3] += px
	return ws
}

func concat(lines ...[]tessWord) []tessWord {
	var out []tessWord
	for _, l := range lines {
		out = append(out, l...)
	}
	return out
}

// staggeredHeader is a Decree 30 header whose left column (a wrapped issuer, the office,
// the number) runs at a tighter line pitch than the right (motto, date), under the words of
// its first printed line, first, which Tesseract ran together across the gutter.
func staggeredHeader(first []tessWord) []tessWord {
	return concat(first,
		tline(1, 1, 2, 150, at{260, "THỪA THIÊN HUẾ"}),
		tline(1, 1, 3, 175, at{760, "Độc lập - Tự do - Hạnh phúc"}),
		tline(1, 1, 4, 200, at{280, "SỞ TÀI CHÍNH"}),
		tline(1, 1, 5, 228, at{650, "Huế, ngày 15 tháng 11 năm 2023"}),
		tline(1, 1, 6, 252, at{240, "Số: 356/TB-STC"}),
		tline(2, 1, 1, 340, at{560, "THÔNG BÁO"}),
	)
}

// staggeredHeaderText is staggeredHeader in reading order.
const staggeredHeaderText = "ỦY BAN NHÂN DÂN TỈNH\nTHỪA THIÊN HUẾ\nSỞ TÀI CHÍNH\nSố: 356/TB-STC\n" +
	"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHuế, ngày 15 tháng 11 năm 2023\n" +
	"THÔNG BÁO"

func TestOrderWords(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		words []tessWord
		want  string
	}{
		{
			name: "single column keeps Tesseract order",
			words: concat(
				tline(1, 1, 1, 100, at{250, "Căn cứ Luật Tổ chức chính phủ ngày 19 tháng 6 năm 2015;"}),
				tline(1, 1, 2, 160, at{250, "Căn cứ Nghị định số 30/2020/NĐ-CP;"}),
				tline(1, 2, 1, 220, at{250, "Theo đề nghị của Cục trưởng."}),
			),
			want: "Căn cứ Luật Tổ chức chính phủ ngày 19 tháng 6 năm 2015;\nCăn cứ Nghị định số 30/2020/NĐ-CP;\nTheo đề nghị của Cục trưởng.",
		},
		{
			name: "header columns merged into Tesseract lines",
			words: concat(
				tline(1, 1, 1, 160, at{390, "BỘ NỘI VỤ"}, at{1210, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"}),
				tline(1, 1, 2, 230, at{250, "CỤC VĂN THƯ VÀ LƯU TRỮ"}, at{1410, "Độc lập - Tự do - Hạnh phúc"}),
				tline(2, 1, 1, 360, at{380, "Số: 15/QĐ-BNV"}, at{1290, "Hà Nội, ngày 05 tháng 01 năm 2020"}),
				tline(3, 1, 1, 530, at{1060, "QUYẾT ĐỊNH"}),
			),
			want: "BỘ NỘI VỤ\nCỤC VĂN THƯ VÀ LƯU TRỮ\nSố: 15/QĐ-BNV\n" +
				"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHà Nội, ngày 05 tháng 01 năm 2020\n" +
				"QUYẾT ĐỊNH",
		},
		{
			name: "header columns as interleaved blocks",
			words: concat(
				tline(1, 1, 1, 160, at{390, "UBND TỈNH THÁI BÌNH"}),
				tline(2, 1, 1, 160, at{1210, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"}),
				tline(1, 1, 2, 230, at{330, "SỞ TƯ PHÁP"}),
				tline(2, 1, 2, 232, at{1410, "Độc lập - Tự do - Hạnh phúc"}),
				tline(3, 1, 1, 360, at{380, "Số: 12/STP-VP"}),
				tline(4, 1, 1, 365, at{1290, "Thái Bình, ngày 01 tháng 12 năm 2025"}),
				tline(3, 1, 2, 420, at{300, "V/v số hóa hồ sơ"}),
				tline(5, 1, 1, 560, at{250, "Kính gửi: Ủy ban nhân dân các huyện, thành phố."}),
			),
			want: "UBND TỈNH THÁI BÌNH\nSỞ TƯ PHÁP\nSố: 12/STP-VP\nV/v số hóa hồ sơ\n" +
				"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nThái Bình, ngày 01 tháng 12 năm 2025\n" +
				"Kính gửi: Ủy ban nhân dân các huyện, thành phố.",
		},
		{
			// The issuer wraps and the left column runs at a tighter line pitch than the
			// right, so no row has text on both sides once Tesseract has run the two first
			// lines together across an 80 px (two line heights) gutter.
			name:  "header columns at different line pitches, first lines run together",
			words: staggeredHeader(tline(1, 1, 1, 100, at{200, "ỦY BAN NHÂN DÂN TỈNH"}, at{650, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"})),
			want:  staggeredHeaderText,
		},
		{
			// A speck in the gutter read as a modifier letter, unsure of itself, splits
			// the gutter of the run-together first lines into two word spaces.
			name: "header columns at different line pitches, a speck in the gutter",
			words: staggeredHeader(concat(
				tline(1, 1, 1, 100, at{200, "ỦY BAN NHÂN DÂN TỈNH"}),
				[]tessWord{{Text: "ˆ", Confidence: 40, Box: record.Box{590, 95, 610, 145}, Block: 1, Par: 1, Line: 1}},
				tline(1, 1, 1, 100, at{630, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"}),
			)),
			want: staggeredHeaderText,
		},
		{
			// The "V/v" line reaches past the middle of the gutter and lies 62 px under
			// the number (whose capitals and digits stand 44 px tall), more than one and
			// a half of its own 40 px lower-case height.
			name: "a long V/v line a paragraph's space under the number",
			words: concat(
				tline(1, 1, 1, 100, at{300, "ỦY BAN NHÂN DÂN"}, at{1200, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"}),
				tline(1, 1, 2, 170, at{330, "XÃ KIM LIÊN"}, at{1330, "Độc lập - Tự do - Hạnh phúc"}),
				stretch(stretch(tline(1, 1, 3, 240, at{300, "Số: 250/UBND-VHXH"}, at{1260, "Kim Liên, ngày 21 tháng 6 năm 2023"}), 0, 4), 1, 4),
				tline(2, 1, 1, 346, at{120, "V/v thành lập Tổ công tác triển khai Đề án 06"}),
				tline(2, 1, 2, 400, at{400, "trên địa bàn"}),
				tline(3, 1, 1, 520, at{700, "Kính gửi: Ủy ban nhân dân tỉnh Hà Tĩnh"}),
			),
			want: "ỦY BAN NHÂN DÂN\nXÃ KIM LIÊN\nSố: 250/UBND-VHXH\nV/v thành lập Tổ công tác triển khai Đề án 06\ntrên địa bàn\n" +
				"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nKim Liên, ngày 21 tháng 6 năm 2023\n" +
				"Kính gửi: Ủy ban nhân dân tỉnh Hà Tĩnh",
		},
		{
			// A header set tight: the issuer ends a word space before the motto starts,
			// and Tesseract reads the two as one line. Each column's lines are centred
			// on it (the issuer and the number on x = 420, the motto, "Độc lập …" and
			// the date on x = 964), which shows where the line breaks.
			name: "tight header, first lines a word space apart",
			words: concat(
				tline(1, 1, 1, 100, at{200, "BỘ KHOA HỌC VÀ CÔNG NGHỆ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"}),
				tline(1, 1, 2, 160, at{274, "Số: 38/QĐ-BKHCN"}),
				tline(1, 2, 1, 160, at{722, "Độc lập - Tự do - Hạnh phúc"}),
				tline(1, 2, 2, 220, at{662, "Hà Nội, ngày 24 tháng 10 năm 2021"}),
				tline(2, 1, 1, 340, at{594, "QUYẾT ĐỊNH"}),
			),
			want: "BỘ KHOA HỌC VÀ CÔNG NGHỆ\nSố: 38/QĐ-BKHCN\n" +
				"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHà Nội, ngày 24 tháng 10 năm 2021\n" +
				"QUYẾT ĐỊNH",
		},
		{
			// The office under the issuer is 32 px shorter than it, so starts 16 px
			// (0.4 line heights) further right: centred alike, but hardly apart.
			name: "tight header, an office about as long as the issuer",
			words: concat(
				tline(1, 1, 1, 100, at{200, "ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"}),
				tline(1, 1, 2, 160, at{216, "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"}),
				tline(1, 2, 1, 160, at{814, "Độc lập - Tự do - Hạnh phúc"}),
				tline(1, 1, 3, 220, at{310, "Số: 131/KH-STNMT"}),
				tline(1, 2, 2, 220, at{734, "Đắk Nông, ngày 25 tháng 12 năm 2023"}),
				tline(2, 1, 1, 340, at{700, "KẾ HOẠCH"}),
			),
			want: "ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG\nSỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG\nSố: 131/KH-STNMT\n" +
				"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nĐắk Nông, ngày 25 tháng 12 năm 2023\n" +
				"KẾ HOẠCH",
		},
		{
			// The "V/v" line, as long as the number over it, runs into the date 40 px
			// (a line height) away; the date is placed by "Độc lập …" over it, which is
			// shorter, while nothing the V/v piece lines up with is of another length.
			name: "tight header, a V/v line run into the date",
			words: concat(
				tline(1, 1, 1, 100, at{438, "BỘ Y TẾ"}),
				tline(1, 2, 1, 100, at{688, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"}),
				tline(1, 1, 2, 160, at{344, "Số: 15124/BYT-PC"}),
				tline(1, 2, 2, 160, at{758, "Độc lập - Tự do - Hạnh phúc"}),
				tline(1, 3, 1, 220, at{342, "V/v tiếp nhận vào"}, at{698, "Hà Nội, ngày 23 tháng 02 năm 2025"}),
				tline(1, 3, 2, 280, at{346, "trả kết quả hồ sơ"}),
				tline(2, 1, 1, 400, at{560, "Kính gửi: Sở Y tế"}),
			),
			want: "BỘ Y TẾ\nSố: 15124/BYT-PC\nV/v tiếp nhận vào\ntrả kết quả hồ sơ\n" +
				"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHà Nội, ngày 23 tháng 02 năm 2025\n" +
				"Kính gửi: Sở Y tế",
		},
		{
			// Under a short issuer the gutter is 118 px wide, but the number reaches to
			// 14 px of the motto's start: the gutter ends there, after the issuer's
			// line and "Độc lập …" (set higher than the number), while the centres of
			// both columns go on down to the V/v lines.
			name: "tight header, a number reaching in under the motto",
			words: concat(
				tline(1, 1, 1, 100, at{438, "BỘ Y TẾ"}, at{680, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"}),
				tline(1, 2, 1, 140, at{750, "Độc lập - Tự do - Hạnh phúc"}),
				tline(1, 1, 2, 170, at{334, "Số: 1503/BYT-TCCB"}),
				tline(1, 1, 3, 230, at{336, "V/v cơ chế một cửa"}, at{690, "Hà Nội, ngày 09 tháng 02 năm 2023"}),
				tline(1, 1, 4, 290, at{332, "một cửa liên thông"}),
				tline(2, 1, 1, 400, at{560, "Kính gửi: Sở Y tế"}),
			),
			want: "BỘ Y TẾ\nSố: 1503/BYT-TCCB\nV/v cơ chế một cửa\nmột cửa liên thông\n" +
				"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHà Nội, ngày 09 tháng 02 năm 2023\n" +
				"Kính gửi: Sở Y tế",
		},
		{
			// The issuer's second line ends 92 px (two and a half line heights) before
			// "Độc lập …" starts and 2 px before the date does: no gutter, but each
			// column centred (on x = 482 and x = 1072).
			name: "tight header, columns less than a gutter apart",
			words: concat(
				tline(1, 1, 1, 100, at{360, "TỈNH CAO BẰNG"}, at{760, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"}),
				tline(1, 1, 2, 160, at{226, "ỦY BAN NHÂN DÂN XÃ LONG HƯNG"}, at{830, "Độc lập - Tự do - Hạnh phúc"}),
				tline(1, 1, 3, 220, at{346, "Số: 08/BC-UBND"}, at{740, "Long Hưng, ngày 10 tháng 11 năm 2022"}),
				tline(2, 1, 1, 340, at{700, "BÁO CÁO"}),
			),
			want: "TỈNH CAO BẰNG\nỦY BAN NHÂN DÂN XÃ LONG HƯNG\nSố: 08/BC-UBND\n" +
				"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nLong Hưng, ngày 10 tháng 11 năm 2022\n" +
				"BÁO CÁO",
		},
		{
			// The first word of a justified line is centred like the last line of the
			// paragraph above, and the rest of it like the indented first line of the
			// next paragraph below; the two lie on different lines, so that is no
			// header.
			name: "a justified line between a paragraph's end and an indented paragraph",
			words: concat(
				tline(1, 1, 1, 100, at{200, "phòng."}),
				tline(1, 2, 1, 160, at{200, "nhiệm vụ được giao; định kỳ hằng tháng báo cáo kết quả thực hiện"}),
				tline(1, 3, 1, 220, at{350, "Tăng cường công tác kiểm tra, giám sát việc thực hiện"}),
			),
			want: "phòng.\nnhiệm vụ được giao; định kỳ hằng tháng báo cáo kết quả thực hiện\n" +
				"Tăng cường công tác kiểm tra, giám sát việc thực hiện",
		},
		{
			// Tesseract read the body's first line in two pieces 28 px apart,
			// each centred like one of the two pieces the centred subject line above it
			// would have: pieces of lines, not columns a gutter apart.
			name: "a centred line over a line read in two pieces",
			words: concat(
				tline(1, 1, 1, 100, at{200, "Về việc đẩy mạnh số hóa hồ sơ, kết quả giải quyết thủ tục hành chính"}),
				tline(1, 2, 1, 160, at{242, "Phối hợp chặt chẽ với các cơ quan liên quan trong xã"}),
				tline(1, 3, 1, 160, at{1222, "p nhật, thác,"}),
			),
			want: "Về việc đẩy mạnh số hóa hồ sơ, kết quả giải quyết thủ tục hành chính\n" +
				"Phối hợp chặt chẽ với các cơ quan liên quan trong xã p nhật, thác,",
		},
		{
			name: "signature area after the body",
			words: concat(
				tline(1, 1, 1, 900, at{250, "Điều 3. Quyết định này có hiệu lực kể từ ngày ký."}),
				tline(2, 1, 1, 1130, at{250, "Nơi nhận:"}, at{1580, "KT. CỤC TRƯỞNG"}),
				tline(2, 1, 2, 1195, at{250, "- Như Điều 3;"}, at{1575, "PHÓ CỤC TRƯỞNG"}),
				tline(2, 1, 3, 1260, at{250, "- Lưu: VT, VP."}),
				tline(3, 1, 1, 1500, at{1620, "Nguyễn Văn A"}),
			),
			want: "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.\n" +
				"Nơi nhận:\n- Như Điều 3;\n- Lưu: VT, VP.\nKT. CỤC TRƯỞNG\nPHÓ CỤC TRƯỞNG\nNguyễn Văn A",
		},
		{
			name: "a gap of a few spaces does not split a line",
			words: concat(
				tline(1, 1, 1, 100, at{250, "Họ và tên:"}, at{520, "NGUYỄN VĂN A"}),
				tline(1, 1, 2, 160, at{250, "Ngày sinh:"}, at{520, "01/02/1990"}),
			),
			want: "Họ và tên: NGUYỄN VĂN A\nNgày sinh: 01/02/1990",
		},
		{
			name: "tabbed label and value lines read across",
			words: concat(
				tline(1, 1, 1, 100, at{250, "Họ và tên:"}, at{900, "NGUYỄN VĂN A"}),
				tline(1, 1, 2, 160, at{250, "Ngày sinh:"}, at{900, "01/02/1990"}),
				tline(1, 1, 3, 220, at{250, "Nơi sinh:"}, at{900, "Thái Bình"}),
			),
			want: "Họ và tên: NGUYỄN VĂN A\nNgày sinh: 01/02/1990\nNơi sinh: Thái Bình",
		},
		{
			name: "two columns that Tesseract ran together on some lines",
			words: concat(
				tline(1, 1, 1, 100, at{250, "Họ, chữ đệm, tên vợ: CHU"}),
				tline(2, 1, 1, 100, at{1250, "Họ, chữ đệm, tên chồng: BÙI"}),
				tline(3, 1, 1, 160, at{250, "Ngày sinh: 23/04/1989"}, at{1250, "Ngày sinh: 24/09/1990"}),
				tline(3, 1, 2, 220, at{250, "Dân tộc: Kinh Quốc tịch: Việt Nam"}, at{1250, "Dân tộc: Kinh"}),
				tline(4, 1, 1, 320, at{250, "Nơi đăng ký kết hôn: Ủy ban nhân dân xã Phước Long, huyện Yên Dũng"}),
			),
			want: "Họ, chữ đệm, tên vợ: CHU\nNgày sinh: 23/04/1989\nDân tộc: Kinh Quốc tịch: Việt Nam\n" +
				"Họ, chữ đệm, tên chồng: BÙI\nNgày sinh: 24/09/1990\nDân tộc: Kinh\n" +
				"Nơi đăng ký kết hôn: Ủy ban nhân dân xã Phước Long, huyện Yên Dũng",
		},
		{
			// The gutter is narrower than a line height on the fourth row, and on the
			// second a stroke of a signature read as "--" leaves only a space; the second
			// column's words all start at x = 1060.
			name: "two columns with a narrow gutter, run together by Tesseract",
			words: concat(
				tline(1, 1, 1, 100, at{250, "Họ, chữ đệm, tên vợ: QUÁCH THỊ HẠNH"}, at{1060, "Họ, chữ đệm, tên chồng: ĐINH MẠNH"}),
				tline(1, 1, 2, 160, at{250, "Ngày, tháng, năm sinh: 07/05/2003"}, at{1008, "--"}, at{1060, "QUÂN"}),
				tline(1, 1, 3, 220, at{250, "Dân tộc: H'Mông"}, at{1060, "Ngày, tháng, năm sinh: 22/06/1999"}),
				tline(1, 1, 4, 280, at{250, "Nơi cư trú: Xóm Thượng, xã Ngọc Lâm, huyện"}, at{1060, "Dân tộc: Khmer"}),
				tline(1, 1, 5, 340, at{250, "Kiến Xương, tỉnh Tuyên Quang"}, at{1060, "Nơi cư trú: Số 123 đường Điện Biên Phủ"}),
				tline(2, 1, 1, 460, at{250, "Nơi đăng ký kết hôn: Ủy ban nhân dân xã Vĩnh Hải, huyện Vũ Thư, tỉnh Bình Định"}),
			),
			want: "Họ, chữ đệm, tên vợ: QUÁCH THỊ HẠNH\nNgày, tháng, năm sinh: 07/05/2003 --\nDân tộc: H'Mông\n" +
				"Nơi cư trú: Xóm Thượng, xã Ngọc Lâm, huyện\nKiến Xương, tỉnh Tuyên Quang\n" +
				"Họ, chữ đệm, tên chồng: ĐINH MẠNH\nQUÂN\nNgày, tháng, năm sinh: 22/06/1999\nDân tộc: Khmer\n" +
				"Nơi cư trú: Số 123 đường Điện Biên Phủ\n" +
				"Nơi đăng ký kết hôn: Ủy ban nhân dân xã Vĩnh Hải, huyện Vũ Thư, tỉnh Bình Định",
		},
		{
			name: "justified line under columns stays whole",
			words: concat(
				tline(1, 1, 1, 100, at{250, "Nơi nhận:"}, at{1450, "CHỦ TỊCH"}),
				tline(1, 1, 2, 160, at{250, "- Như trên;"}, at{1420, "Nguyễn Văn A"}),
				tline(2, 1, 1, 220, at{250, "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015 và"}),
			),
			want: "Nơi nhận:\n- Như trên;\nCHỦ TỊCH\nNguyễn Văn A\nCăn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015 và",
		},
		{
			name: "V/v line reaching into the gutter stays in the left column",
			words: concat(
				tline(1, 1, 1, 100, at{400, "ỦY BAN NHÂN DÂN"}, at{1250, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"}),
				tline(1, 1, 2, 160, at{420, "Số: 128/UBND-TH"}, at{1350, "An Giang, ngày 12 tháng 9 năm 2025"}),
				tline(2, 1, 1, 220, at{200, "V/v tăng cường công tác quản lý"}),
				tline(3, 1, 1, 400, at{250, "Thủ trưởng các cơ quan, đơn vị chịu trách nhiệm thi hành."}),
			),
			want: "ỦY BAN NHÂN DÂN\nSố: 128/UBND-TH\nV/v tăng cường công tác quản lý\n" +
				"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nAn Giang, ngày 12 tháng 9 năm 2025\n" +
				"Thủ trưởng các cơ quan, đơn vị chịu trách nhiệm thi hành.",
		},
		{
			name: "two-line V/v ending less than a line height before the motto",
			words: concat(
				tline(1, 1, 1, 100, at{400, "ỦY BAN NHÂN DÂN"}, at{1250, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"}),
				tline(1, 1, 2, 160, at{420, "Số: 01/UBND-KT"}, at{1350, "Minh Khai, ngày 15 tháng 5 năm 2022"}),
				tline(2, 1, 1, 220, at{590, "V/v triển khai mô hình chính quyền"}),
				tline(2, 1, 2, 270, at{600, "địa phương hai cấp"}),
				tline(3, 1, 1, 400, at{250, "Kính gửi: Các sở, ban, ngành;"}),
			),
			want: "ỦY BAN NHÂN DÂN\nSố: 01/UBND-KT\nV/v triển khai mô hình chính quyền\nđịa phương hai cấp\n" +
				"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nMinh Khai, ngày 15 tháng 5 năm 2022\n" +
				"Kính gửi: Các sở, ban, ngành;",
		},
		{
			name: "a paragraph's end close to the signer's column stays out of the block",
			words: concat(
				tline(1, 1, 1, 100, at{250, "chính quyền địa phương hai cấp."}),
				tline(2, 1, 1, 160, at{250, "Nơi nhận:"}, at{860, "TM. ỦY BAN NHÂN DÂN"}),
				tline(2, 1, 2, 220, at{250, "- Như Điều 3;"}, at{960, "CHỦ TỊCH"}),
				tline(2, 1, 3, 280, at{250, "- Lưu: VT."}),
			),
			want: "chính quyền địa phương hai cấp.\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH",
		},
		{
			name: "header line run together across a gutter narrower than a stretched word",
			words: concat(
				stretch(tline(1, 1, 1, 100, at{250, "ỦY BAN NHÂN DÂN TỈNH ĐỒNG"}, at{760, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"}), 3, 30),
				tline(1, 1, 2, 160, at{400, "THÁP"}, at{900, "Độc lập - Tự do - Hạnh phúc"}),
				tline(2, 1, 1, 220, at{300, "Số: 78/TB-SYT"}, at{850, "Đồng Tháp, ngày 25 tháng 02 năm 2021"}),
			),
			want: "ỦY BAN NHÂN DÂN TỈNH ĐỒNG\nTHÁP\nSố: 78/TB-SYT\n" +
				"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nĐồng Tháp, ngày 25 tháng 02 năm 2021",
		},
		{
			name: "a word stretched into the next line does not join the lines",
			words: concat(
				stretch(tline(1, 1, 1, 100, at{250, "khai tử tại: Ủy ban nhân dân xã Thạch Bàn, huyện"}), 10, 45),
				tline(1, 1, 2, 155, at{248, "Thủ Đức, tỉnh Đồng Tháp"}),
			),
			want: "khai tử tại: Ủy ban nhân dân xã Thạch Bàn, huyện\nThủ Đức, tỉnh Đồng Tháp",
		},
		{
			name: "a single cell on the right reads across",
			words: concat(
				tline(1, 1, 1, 100, at{800, "Ngày sinh / Date of birth: 12/02/1998"}),
				tline(1, 1, 2, 160, at{800, "Giới tính / Sex: Nam"}, at{1300, "Quốc tịch / Nationality: Việt Nam"}),
				tline(1, 1, 3, 220, at{800, "Quê quán / Place of origin:"}),
			),
			want: "Ngày sinh / Date of birth: 12/02/1998\nGiới tính / Sex: Nam Quốc tịch / Nationality: Việt Nam\n" +
				"Quê quán / Place of origin:",
		},
		{
			name: "a tall noise segment does not chain the lines beside it",
			words: concat(
				tline(1, 1, 1, 100, at{300, "5. Nơi thường trú: Số 82"}),
				[]tessWord{{Text: "l(@©", Confidence: 30, Box: record.Box{240, 100, 280, 280}, Block: 2, Par: 1, Line: 1}},
				tline(1, 1, 2, 160, at{300, "6. Nơi ở hiện tại: Số 82"}),
				tline(1, 1, 3, 220, at{300, "7. Quan hệ với chủ hộ: Con"}),
			),
			want: "5. Nơi thường trú: Số 82\n6. Nơi ở hiện tại: Số 82\nl(@©\n7. Quan hệ với chủ hộ: Con",
		},
		{
			name: "table rows read across",
			words: concat(
				tline(1, 1, 1, 100, at{250, "STT"}, at{450, "Nội dung"}, at{1200, "Số lượng"}, at{1700, "Tỷ lệ"}),
				tline(2, 1, 1, 160, at{270, "1"}, at{450, "Hồ sơ tiếp nhận"}, at{1240, "1.744"}, at{1720, "100,0"}),
				tline(3, 1, 1, 220, at{270, "2"}, at{450, "Hồ sơ đã số hóa"}, at{1240, "1.482"}, at{1720, "84,9"}),
			),
			want: "STT Nội dung Số lượng Tỷ lệ\n1 Hồ sơ tiếp nhận 1.744 100,0\n2 Hồ sơ đã số hóa 1.482 84,9",
		},
		{
			name: "stray marks dropped, printed punctuation kept",
			words: concat(
				tline(1, 1, 1, 100, at{250, "Độc lập - Tự do - Hạnh phúc"}),
				[]tessWord{{Text: "„", Confidence: 21, Box: record.Box{900, 100, 920, 140}, Block: 1, Par: 1, Line: 1}},
				tline(1, 1, 2, 160, at{250, "- Lưu: VT."}),
				[]tessWord{{Text: "<<—~", Confidence: 0, Box: record.Box{700, 160, 790, 200}, Block: 1, Par: 1, Line: 2}},
			),
			want: "Độc lập - Tự do - Hạnh phúc\n- Lưu: VT.",
		},
		{
			name: "a signature read as a tall jumble dropped, a tall unsure word kept",
			words: concat(
				tline(1, 1, 1, 100, at{1200, "GIÁM ĐỐC"}),
				[]tessWord{{Text: "Yvy#xé*", Confidence: 15, Box: record.Box{1200, 160, 1480, 230}, Block: 2, Par: 1, Line: 1}},
				[]tessWord{{Text: "\"PHÓ", Confidence: 2, Box: record.Box{1200, 250, 1300, 315}, Block: 3, Par: 1, Line: 1}},
				tline(4, 1, 1, 340, at{1200, "Đoàn Thế Lợi"}),
			),
			want: "GIÁM ĐỐC\n\"PHÓ\nĐoàn Thế Lợi",
		},
		{
			name:  "empty words dropped",
			words: concat(tline(1, 1, 1, 100, at{250, "hồ sơ"}), []tessWord{{Text: " ", Box: record.Box{400, 100, 410, 140}, Block: 1, Par: 1, Line: 1}}),
			want:  "hồ sơ",
		},
		{name: "no words", want: ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			words, lines := orderWords(c.words)
			if diff := cmp.Diff(c.want, joinLines(lines)); diff != "" {
				t.Errorf("text (-want +got):\n%s", diff)
			}
			// Line numbers run 0, 1, 2 … in the order of the words.
			next := 0
			for _, w := range words {
				if w.Line != next && w.Line != next-1 {
					t.Fatalf("word %q has line %d after line %d", w.Text, w.Line, next-1)
				}
				if w.Line == next {
					next++
				}
			}
			if next != len(lines) {
				t.Errorf("words span %d lines, text has %d", next, len(lines))
			}
		})
	}
}
