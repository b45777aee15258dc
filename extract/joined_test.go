package extract

import (
	"regexp"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/record"
)

// joinedBody is the rest of a document whose header the line finder joined.
const joinedBody = "THÔNG BÁO\nVề việc tổ chức Hội nghị\nCác cơ quan, đơn vị tổ chức thực hiện.\n" +
	"Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nTrần Văn An"

// numberLabel is the number's label as OCR reads it, folded: "Số:", "Số 690", "S6:".
var numberLabel = regexp.MustCompile(`(?:^|\s)s[o6]\s*[:\d]`)

// TestIssuerJoinedHeaderText: the header's lines as the line finder joins them when the two
// columns sit close, text only (no word boxes, as a PDF's text layer or a re-read gives them):
// the issuer stops at the quốc hiệu, the tiêu ngữ, the number and the place and date, however
// they were run into it, and never holds "Số".
func TestIssuerJoinedHeaderText(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, header, want string
	}{
		{"parent and body beside the quốc hiệu and tiêu ngữ",
			"ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ Y TẾ Độc lập - Tự do - Hạnh phúc\nSố: 690/TB-SYT Quảng Ngãi, ngày 12 tháng 5 năm 2023",
			"SỞ Y TẾ"},
		{"body on one line beside the quốc hiệu, number beside the tiêu ngữ",
			"ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 690/TB-UBND Độc lập - Tự do - Hạnh phúc\nQuảng Ngãi, ngày 12 tháng 5 năm 2023",
			"ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"},
		{"body run into the number (a real scan)",
			"ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI Số: 6§0 /TB-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nQuảng Ngãi, ngày 12 tháng 5 năm 2023",
			"ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"},
		{"body run into a number whose label lost its colon",
			"BỘ Y TẾ Số 690/TB-BYT\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHà Nội, ngày 12 tháng 5 năm 2023",
			"BỘ Y TẾ"},
		{"body run into a number whose label lost its S",
			"ỦY BAN NHÂN DÂN XÃ QUANG TRUNG ố: 530/TTr-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nQuang Trung, ngày 12 tháng 5 năm 2023",
			"ỦY BAN NHÂN DÂN XÃ QUANG TRUNG"},
		{"body run into a number whose ố was read as 6",
			"ỦY BAN NHÂN DÂN TỈNH HÀ NAM S6: 427/KH-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHà Nam, ngày 10 tháng 9 năm 2025",
			"ỦY BAN NHÂN DÂN TỈNH HÀ NAM"},
		{"body beside the place and date",
			"ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSỞ Y TẾ Quảng Ngãi, ngày 12 tháng 5 năm 2023\nSố: 690/TB-SYT",
			"SỞ Y TẾ"},
		{"words run together across the gutter",
			"ỦY BAN NHÂN DÂN TỈNH QUẢNG NAMCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 08/TB-UBND Độc lập - Tự do - Hạnh phúc\nQuảng Nam, ngày 17 tháng 11 năm 2020",
			"ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM"},
		{"the quốc hiệu's first word on the body's line, the rest on its own",
			"ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG CỘNG\nSố: 28/TB-UBND\nHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHải Phòng, ngày 11 tháng 01 năm 2021",
			"ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG"},
		{"the quốc hiệu read in pieces",
			"ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU G HÒA XÃ CHỦ NGHĨA AM\nSố: 792/QĐ-UBND Độc lập - Tự do - Hạnh phúc\nVũng Tàu, ngày 19 tháng 10 năm 2020",
			"ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU"},
		{"the quốc hiệu garbled after CỘNG HO",
			"ỦY BAN NHÂN DÂN TỈNH TRÀ VINH CỘNG HO V VẦ HỘI CHỦ NGHĨ VVI PNAM\nSố: 79/UBND-KT\nĐọc lạp lự do - Hạnh phục\nTrà Vinh, ngày 13 tháng 4 năm 2023",
			"ỦY BAN NHÂN DÂN TỈNH TRÀ VINH"},
		{"CỘNG lost whole: the body's last word stays",
			"BỘ Y TẾ HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 12/TB-BYT Độc lập - Tự do - Hạnh phúc\nHà Nội, ngày 19 tháng 10 năm 2020",
			"BỘ Y TẾ"},
		{"a body broken after CÔNG, which folds as CỘNG",
			"BỘ KHOA HỌC VÀ CÔNG\nNGHỆ\nSố: 12/TB-BKHCN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHà Nội, ngày 11 tháng 01 năm 2021",
			"BỘ KHOA HỌC VÀ CÔNG NGHỆ"},
		{"the quốc hiệu's first letter lost",
			"BỘ TƯ PHÁP ỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 671/TB-BTP Độc lập - Tự do - Hạnh phúc\nHà Nội, ngày 29 tháng 12 năm 2023",
			"BỘ TƯ PHÁP"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := newTestExtractor().Extract("thong_bao", []record.Page{{Number: 1, Text: record.NFC(c.header + "\n" + joinedBody)}})["issuer"]
			if got.Value != c.want {
				t.Errorf("issuer = %q, want %q", got.Value, c.want)
			}
			if numberLabel.MatchString(record.Fold(got.Value)) {
				t.Errorf("issuer %q holds the number's label", got.Value)
			}
		})
	}
}

// TestIssuerJoinedHeaderWords: the same joins with word boxes, as Tesseract gives them: the
// html renderer's (the columns a few points apart, one word each side of the gutter) and the
// native renderer's (the body a little higher than the quốc hiệu); the issuer is the left
// column's body.
func TestIssuerJoinedHeaderWords(t *testing.T) {
	t.Parallel()
	type row struct {
		left, right string
	}
	cases := []struct {
		name string
		rows []row
		gap  int // pixels between the columns
		want string
	}{
		{"html: parent and body joined with the quốc hiệu and tiêu ngữ", []row{
			{"ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"},
			{"SỞ NỘI VỤ", "Độc lập - Tự do - Hạnh phúc"},
			{"Số: 03/TB-SNV", "Thái Nguyên, ngày 14 tháng 5 năm 2023"},
		}, 20, "SỞ NỘI VỤ"},
		{"native: body joined with the quốc hiệu, number with the tiêu ngữ", []row{
			{"ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"},
			{"Số: 902/GM-UBND", "Độc lập - Tự do - Hạnh phúc"},
			{"", "Nghệ An, ngày 17 tháng 11 năm 2025"},
		}, 12, "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN"},
		{"native: the quốc hiệu's first word on the body's line, the rest on its own", []row{
			{"ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG CỘNG", ""},
			{"Số: 28/TB-UBND", ""},
			{"", "HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"},
			{"", "Độc lập - Tự do - Hạnh phúc"},
			{"", "Hải Phòng, ngày 11 tháng 01 năm 2021"},
		}, 12, "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG"},
		{"body joined with the number and the tiêu ngữ", []row{
			{"", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"},
			{"BỘ TƯ PHÁP Số: 671/BC-BTP", "Độc lập - Tự do - Hạnh phúc"},
			{"", "Hà Nội, ngày 29 tháng 12 năm 2023"},
		}, 12, "BỘ TƯ PHÁP"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var page record.Page
			var lines []string
			for i, r := range c.rows {
				x := 300
				var texts []string
				for side, part := range []string{r.left, r.right} {
					if side == 1 {
						x = max(x+c.gap, 1240) // the right column starts near the middle
					}
					for _, w := range strings.Fields(part) {
						wd := 30 * len([]rune(w))
						page.Words = append(page.Words, record.Word{Text: w, Confidence: 93, Box: record.Box{x, 300 + 60*i, x + wd, 340 + 60*i}, Line: i})
						texts = append(texts, w)
						x += wd + 15
					}
				}
				lines = append(lines, strings.Join(texts, " "))
			}
			n := len(lines)
			for i, l := range strings.Split(joinedBody, "\n") {
				page.Words = append(page.Words, record.Word{Text: l, Confidence: 93, Box: record.Box{300, 300 + 60*(n+i), 300 + 20*len(l), 340 + 60*(n+i)}, Line: n + i})
				lines = append(lines, l)
			}
			page.Number, page.Width, page.Height, page.Text = 1, 2480, 3508, record.NFC(strings.Join(lines, "\n"))
			got := newTestExtractor().Extract("thong_bao", []record.Page{page})["issuer"]
			if got.Value != c.want {
				t.Errorf("issuer = %q, want %q", got.Value, c.want)
			}
		})
	}
}

// TestIssuerLocalityFromPlace: a commune's people's committee prints its commune's name as the
// place, so a locality name the line finder cut short at the gutter is completed from it, and
// of a word read in both the reading with more marks wins (the issuer's reading kept); a whole
// name, a body that is no council and a place that does not start with the name read are left
// alone.
func TestIssuerLocalityFromPlace(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, header, want, read string
		place                    string // as read; "" = "Hưng Đạo"
	}{
		{"name cut at the gutter", "TỈNH AN GIANG\nỦY BAN NHÂN DÂN XÃ HƯNG\nSố: 547/GM-UBND\nỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
			"ỦY BAN NHÂN DÂN XÃ HƯNG ĐẠO", "ỦY BAN NHÂN DÂN XÃ HƯNG", ""},
		{"marks misread on the capitals", "TỈNH AN GIANG\nỦY BAN NHÂN DÂN XÃ HƯNG ĐAO\nSố: 547/GM-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
			"ỦY BAN NHÂN DÂN XÃ HƯNG ĐẠO", "ỦY BAN NHÂN DÂN XÃ HƯNG ĐAO", ""},
		{"marks the place lost: the issuer's kept", "ỦY BAN NHÂN DÂN TỈNH AN GIANG\nỦY BAN NHÂN DÂN XÃ HƯNG ĐẠO\nSố: 547/GM-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
			"ỦY BAN NHÂN DÂN XÃ HƯNG ĐẠO", "", "Hưng Đao"},
		{"whole name", "ỦY BAN NHÂN DÂN TỈNH AN GIANG\nỦY BAN NHÂN DÂN XÃ HƯNG ĐẠO\nSố: 547/GM-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
			"ỦY BAN NHÂN DÂN XÃ HƯNG ĐẠO", "", ""},
		{"another commune's place", "ỦY BAN NHÂN DÂN XÃ HƯNG LỘC\nSố: 547/GM-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
			"ỦY BAN NHÂN DÂN XÃ HƯNG LỘC", "", ""},
		{"no council", "TRƯỜNG TIỂU HỌC XÃ HƯNG\nSố: 547/GM-THXH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
			"TRƯỜNG TIỂU HỌC XÃ HƯNG", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			place := c.place
			if place == "" {
				place = "Hưng Đạo"
			}
			tail := "\nĐộc lập - Tự do - Hạnh phúc\n" + place + ", ngày 11 tháng 8 năm 2020\n"
			got := newTestExtractor().Extract("giay_moi", []record.Page{{Number: 1, Text: record.NFC(c.header + tail + joinedBody)}})
			if got["place"].Value != place {
				t.Fatalf("place = %q, want %q", got["place"].Value, place)
			}
			if f := got["issuer"]; f.Value != c.want || f.Read != c.read {
				t.Errorf("issuer = %q read %q, want %q read %q", f.Value, f.Read, c.want, c.read)
			}
		})
	}
}
