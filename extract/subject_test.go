package extract

import (
	"slices"
	"testing"

	"github.com/sohoa/sohoa/record"
)

// TestSubjectWithoutHeading: when the type heading is lost under a stamp ("QIIVẾT ĐỊNH",
// the portal stamp's words over "KẾ HOẠCH"), a trích yếu opening with "Về việc" is still read
// where it is printed, up to the enacting authority; without one nothing is guessed. A line
// that goes on with "căn cước" is not the body's "Căn cứ".
func TestSubjectWithoutHeading(t *testing.T) {
	t.Parallel()
	const head = "ỦY BAN NHÂN DÂN\nTỈNH BÌNH THUẬN\nSố: 73/2021/QĐ-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n" +
		"Độc lập - Tự do - Hạnh phúc\nBình Thuận, ngày 06 tháng 02 năm 2021\n"
	const tail = "\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BÌNH THUẬN\nCăn cứ Luật Lưu trữ ngày 21 tháng 6 năm 2024;\n" +
		"QUYẾT ĐỊNH:\nĐiều 1. Giao Sở Tư pháp thực hiện.\nCHỦ TỊCH\nNguyễn Văn An"
	cases := []struct{ name, lines, want string }{
		{"heading misread", "QIIVẾT ĐỊNH\nVề việc cập nhật, làm sạch dữ liệu dân cư phục vụ cấp\ncăn cước",
			"Về việc cập nhật, làm sạch dữ liệu dân cư phục vụ cấp căn cước"},
		{"heading under the portal stamp", "KẾ TIN ĐIỆN TỬ CHÍNH PHỦ\nVề việc kiện toàn Ban Chỉ đạo phòng, chống thiên tai",
			"Về việc kiện toàn Ban Chỉ đạo phòng, chống thiên tai"},
		{"no Về việc", "QIIVẾT ĐỊNH\nPhê duyệt Đề án cập nhật dữ liệu dân cư", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := newTestExtractor().Extract("quyet_dinh", []record.Page{{Number: 1, Text: record.NFC(head + c.lines + tail)}})
			if got["subject"].Value != c.want {
				t.Errorf("subject = %q, want %q", got["subject"].Value, c.want)
			}
		})
	}
}

// TestSubjectLastLineUnderHeading: the short last line of a wrapped trích yếu is centred
// under its heading even where the header's right column pulls the page's text block aside,
// and nothing after it is the subject, however centred the body's full lines are.
func TestSubjectLastLineUnderHeading(t *testing.T) {
	t.Parallel()
	rows := [][3]any{
		{"ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 521, 2782},
		{"SỞ GIÁO DỤC VÀ ĐÀO TẠO Độc lập - Tự do - Hạnh phúc", 533, 2425},
		{"Số: 491/TB-SGDĐT Đắk Lắk, ngày 25 tháng 6 năm 2021", 662, 2571},
		{"THÔNG BÁO", 1276, 1631},
		{"Về việc kiện toàn Ban Chỉ đạo phòng, chống thiên tai và tìm.", 514, 2392},
		{"kiếm cứu nạn", 1300, 1606},
		{"Kết quả giải quyết thủ tục hành chính được trả cho tổ chức, cá", 584, 2450},
		{"nhân đúng hạn, công khai, minh bạch trên Cổng Dịch vụ công quốc", 459, 2432},
		{"gia và Cổng Dịch vụ công của tỉnh theo quy định hiện hành.", 459, 2432},
		{"Các cơ quan, đơn vị tổ chức quán triệt, triển khai thực hiện nghiêm túc", 584, 2450},
		{"nhiệm vụ được giao; định kỳ hằng tháng báo cáo kết quả thực hiện về", 459, 2432},
		{"Văn phòng để tổng hợp.", 459, 1000},
		{"Nơi nhận:", 459, 700},
		{"GIÁM ĐỐC", 1800, 2100},
		{"Lê Văn Tám", 1800, 2100},
	}
	got := newTestExtractor().Extract("thong_bao", []record.Page{boxedPage(rows)})
	if want := "Về việc kiện toàn Ban Chỉ đạo phòng, chống thiên tai và tìm kiếm cứu nạn"; got["subject"].Value != want {
		t.Errorf("subject = %q, want %q", got["subject"].Value, want)
	}
}

// TestVvSubject: a công văn's trích yếu after "V/v", wherever the line finder ends it.
func TestVvSubject(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, text, want string }{
		{
			// The recipients' first item, which the line finder may put under the V/v when
			// "Kính gửi:" stands beside it, is no part of the trích yếu.
			"stops at the recipients",
			"ỦY BAN NHÂN DÂN\nTỈNH LONG AN\nSố: 06/UBND-VP\nV/v cập nhật, làm sạch dữ liệu dân cư\nphục vụ cấp căn cước\n" +
				"- Các sở, ban, ngành;\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nLong An, ngày 07 tháng 02 năm 2019\n" +
				"Kính gửi:\n- Ủy ban nhân dân các xã, phường.\nCác cơ quan, đơn vị tổ chức thực hiện.\nNơi nhận:\n- Như trên;\nCHỦ TỊCH\nLê Văn Tám",
			"cập nhật, làm sạch dữ liệu dân cư phục vụ cấp căn cước",
		},
		{
			// Set in a narrow header column, it wraps onto four lines, its last the year
			// alone, and all four are the subject, up to the motto the line finder reads next.
			"four lines",
			"ỦY BAN NHÂN DÂN\nTỈNH HẢI DƯƠNG\nSố: 304/UBND-TH\nV/v tổ chức Hội nghị tổng\nkết công tác năm 2024 và\ntriển khai nhiệm vụ năm\n2025\n" +
				"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHải Dương, ngày 18 tháng 8 năm 2024\nKính gửi: Thủ tướng Chính phủ\n" +
				"Kết quả giải quyết thủ tục hành chính được trả cho tổ chức, cá nhân đúng hạn.",
			"tổ chức Hội nghị tổng kết công tác năm 2024 và triển khai nhiệm vụ năm 2025",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := newTestExtractor().Extract("cong_van", []record.Page{{Number: 1, Text: record.NFC(c.text)}})
			if got["subject"].Value != c.want {
				t.Errorf("subject = %q, want %q", got["subject"].Value, c.want)
			}
		})
	}
}

// TestSubjectStopsAtParagraph: where the body is too short to set the page's text block (a
// few lines under a wide header, whose date line pulls the block's right edge out), the
// body's justified lines look centred; the indented first line of a paragraph, whose next
// line starts a cm further left, still ends the trích yếu. A wrapped trích yếu's short last
// line, centred above the body's indented first line, is not taken for one.
func TestSubjectStopsAtParagraph(t *testing.T) {
	t.Parallel()
	head := [][3]any{
		{"ỦY BAN NHÂN DÂN TỈNH TÂY NINH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 415, 2209},
		{"Số: 07/TB-UBND", 665, 1012},
		{"Độc lập - Tự do - Hạnh phúc", 1422, 2069},
		{"Tây Ninh, ngày 29 tháng 10 năm 2023", 1348, 2144},
		{"THÔNG BÁO", 1150, 1491},
	}
	tail := [][3]any{
		{"Nơi nhận:", 537, 761},
		{"- Như Điều 3;", 540, 789},
		{"- Văn phòng Chính phủ;", 540, 985},
		{"GIÁM ĐỐC", 1600, 1900},
		{"Tạ Phương Hằng", 1550, 1950},
	}
	cases := []struct {
		name string
		rows [][3]any
		want string
	}{
		{"one line, then the body", [][3]any{
			{"Về việc phòng, chống dịch bệnh trên đàn gia súc, gia cầm", 547, 2093},
			{"Bố trí đủ nhân lực, trang thiết bị cho bộ phận tiếp nhận và trả", 637, 2103},
			{"kết quả; bảo đảm lưu trữ hồ sơ điện tử theo đúng quy định.", 539, 1914},
			{"Kinh phí thực hiện được bố trí từ nguồn ngân sách nhà nước", 637, 2101},
			{"theo phân cấp hiện hành và các nguồn hợp pháp khác.", 539, 1809},
		}, "Về việc phòng, chống dịch bệnh trên đàn gia súc, gia cầm"},
		{"wrapped, its last line short", [][3]any{
			{"Về việc phòng, chống dịch bệnh trên đàn gia súc, gia cầm và", 547, 2093},
			{"thủy sản", 1200, 1440},
			{"Bố trí đủ nhân lực, trang thiết bị cho bộ phận tiếp nhận và trả", 637, 2103},
			{"kết quả; bảo đảm lưu trữ hồ sơ điện tử theo đúng quy định.", 539, 1914},
			{"Kinh phí thực hiện được bố trí từ nguồn ngân sách nhà nước", 637, 2101},
			{"theo phân cấp hiện hành và các nguồn hợp pháp khác.", 539, 1809},
		}, "Về việc phòng, chống dịch bệnh trên đàn gia súc, gia cầm và thủy sản"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			rows := append(append(slices.Clone(head), c.rows...), tail...)
			got := newTestExtractor().Extract("thong_bao", []record.Page{boxedPage(rows)})
			if got["subject"].Value != c.want {
				t.Errorf("subject = %q, want %q", got["subject"].Value, c.want)
			}
		})
	}
}

// TestVvRunIntoDateLine: the line finder ran the V/v line on into the date line beside it;
// the subject stops before the place that opens the date line, and the place is that proper
// name alone, not the subject's last words.
func TestVvRunIntoDateLine(t *testing.T) {
	t.Parallel()
	text := "ỦY BAN NHÂN DÂN TỈNH LÀO CAI\nSố: 04/UBND-KT\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n" +
		"V/v cấp kinh phí sửa chữa trụ sở làm việc Lào Cai, ngày 05 tháng 12 năm 2019\nKính gửi:\n- Các sở, ban, ngành;\n" +
		"Tổ chức rà soát, đánh giá thực trạng.\nNơi nhận:\n- Như trên;\nCHỦ TỊCH\nVũ Thành Hải"
	got := newTestExtractor().Extract("cong_van", []record.Page{{Number: 1, Text: record.NFC(text)}})
	if want := "cấp kinh phí sửa chữa trụ sở làm việc"; got["subject"].Value != want {
		t.Errorf("subject = %q, want %q", got["subject"].Value, want)
	}
	if want := "Lào Cai"; got["place"].Value != want {
		t.Errorf("place = %q, want %q", got["place"].Value, want)
	}
}

func TestPlaceStart(t *testing.T) {
	t.Parallel()
	for seg, want := range map[string]string{
		"trụ sở làm việc Lào Cai": "Lào Cai",
		"Thành phố Hồ Chí Minh":   "Thành phố Hồ Chí Minh",
		"Bà Rịa - Vũng Tàu":       "Bà Rịa - Vũng Tàu",
		"lây Ninh":                "lây Ninh", // T misread: nothing else is the place
		"`. Hà Nội":               "Hà Nội",
		"hà nội":                  "hà nội", // no capital: left as read
	} {
		if got := seg[placeStart(seg):]; got != want {
			t.Errorf("placeStart(%q) gives %q, want %q", seg, got, want)
		}
	}
}

// TestJoinWrapped: a rule or speck read before a wrapped line ("_ kiếm cứu nạn") is dropped,
// so the stop read after the line above ("tìm.") is seen to be followed by lower case.
func TestJoinWrapped(t *testing.T) {
	t.Parallel()
	got := joinWrapped([]string{"Về việc kiện toàn Ban Chỉ đạo phòng, chống thiên tai và tìm.", "_ kiếm cứu nạn"})
	if want := "Về việc kiện toàn Ban Chỉ đạo phòng, chống thiên tai và tìm kiếm cứu nạn"; got != want {
		t.Errorf("joinWrapped = %q, want %q", got, want)
	}
}

// TestSubjectSuspectSlip: a trích yếu the syllable model suspects of a diacritic slip it would
// not mend ("Hội nghị tống kết") is implausible, so it is not returned as sure; a place name in
// an address, rare in legal prose, is not judged so.
func TestSubjectSuspectSlip(t *testing.T) {
	t.Parallel()
	if plausible(FamilySubject, "Về việc tổ chức Hội nghị tống kết công tác năm 2024 và triển khai nhiệm vụ năm 2025") {
		t.Error("subject with 'tống kết' plausible")
	}
	if !plausible(FamilySubject, "Về việc tổ chức Hội nghị tổng kết công tác năm 2024 và triển khai nhiệm vụ năm 2025") {
		t.Error("subject with 'tổng kết' implausible")
	}
}

// TestSubjectShape: a trích yếu ends without a stop, so a dot read after it is dropped; one
// read opening in lower case under the heading lost its start and is a guess; a word with a
// capital after a small letter ("CƯớC") was misread.
func TestSubjectShape(t *testing.T) {
	t.Parallel()
	const head = "ỦY BAN NHÂN DÂN\nTỈNH BÌNH PHƯỚC\nSố: 12/BC-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n" +
		"Độc lập - Tự do - Hạnh phúc\nBình Phước, ngày 06 tháng 02 năm 2021\nBÁO CÁO\n"
	const tail = "\nCăn cứ Luật Lưu trữ ngày 21 tháng 6 năm 2024;\nNơi nhận:\n- Như trên;\nCHỦ TỊCH\nNguyễn Văn An"
	e := newTestExtractor()
	got := e.Extract("bao_cao", []record.Page{{Number: 1, Text: record.NFC(head + "Về việc tăng cường công tác quản lý nhà nước về đất đai." + tail)}})
	if want := "Về việc tăng cường công tác quản lý nhà nước về đất đai"; got["subject"].Value != want {
		t.Errorf("subject = %q, want %q", got["subject"].Value, want)
	}
	got = e.Extract("bao_cao", []record.Page{{Number: 1, Text: record.NFC(head + "xà biện pháp thành lập Tổ công tác triển khai" + tail)}})
	if c := got["subject"].Confidence; c > strengthGuess {
		t.Errorf("subject opening in lower case at %.2f, want a guess", c)
	}
	if !mixedCase("cấp căn CƯớC") || mixedCase("Về việc 12/TTr-UBND và QĐ-TTg") {
		t.Error("mixedCase")
	}
}

// TestSplitSyllable: a syllable split before its final consonant ("thủ tụ c hành chính") makes
// a trích yếu implausible; a list's letter after its word ("điểm c khoản 2") does not.
func TestSplitSyllable(t *testing.T) {
	t.Parallel()
	if !splitSyllable("Về việc đẩy mạnh số hóa hồ sơ, kết quả giải quyết thủ tụ c hành chính") {
		t.Error("'tụ c' not seen")
	}
	if splitSyllable("Về việc hướng dẫn điểm c khoản 2 Điều 5 Nghị định số 30/2020/NĐ-CP") {
		t.Error("'điểm c' taken for a split syllable")
	}
	if plausible(FamilySubject, "Về việc đẩy mạnh số hóa hồ sơ, kết quả giải quyết thủ tụ c hành chính") {
		t.Error("subject with a split syllable plausible")
	}
}

// TestMisshapenSubject: a trích yếu with a stop or a colon inside, an "&", or a speck at its
// end was misread; the titles of the dev sets and of vbpl are not.
func TestMisshapenSubject(t *testing.T) {
	t.Parallel()
	subjectRule(t, "misshapen", misshapenSubject, []string{
		"Ban hành Quy chế đẩy mạnh số hóa hồ sơ, kết quả giải quyết: thủ. tục hành chính",
		"Quy định chi tiết &fột số điều và biện pháp thực hiện cơ chế một cửa",
		"Về việc chỉnh lý tài liệu lưu trữ tồn đọng tại các cơ quan, đơn vị -",
		"Về việc tổ chức Hội nghị tổng kết công tác năm 2024 và triển khai nhiệm vụ năm 2025 L",
	}, []string{
		"Về việc tăng cường công tác quản lý nhà nước về đất đai",
		"Ban hành Định mức kinh tế - kỹ thuật bảo dưỡng kết cấu hạ tầng đường sắt quốc gia",
		"Ban hành Sửa đổi 1:2025 QCVN 07:2023/BXD Quy chuẩn kỹ thuật quốc gia",
		"Về việc thực hiện Nghị quyết số 57-NQ/TW tại TP. Hồ Chí Minh",
		"Về việc phê duyệt chủ trương đầu tư dự án nhóm B",
		"Ban hành Quy chế làm việc (sửa đổi)",
	})
}

// TestSubjectInCapitals: a trích yếu in capitals is the portal's stamp misread as one, but
// for a law's name, which stands in capitals.
func TestSubjectInCapitals(t *testing.T) {
	t.Parallel()
	if plausibleIn("cong_van", FamilySubject, "ÔNG THÔNG TỊN ĐIỆN TỬ CHÍNH PHỦ") {
		t.Error("a công văn's trích yếu in capitals plausible")
	}
	if !plausibleIn("luat", FamilySubject, "LƯU TRỮ") {
		t.Error("a law's name implausible")
	}
	if !plausibleIn("cong_van", FamilySubject, "Về việc tăng cường công tác lưu trữ") {
		t.Error("a sentence-case trích yếu implausible")
	}
}

// TestSubjectCutShort: a trích yếu that ends on a comma or on a word legal texts never end a
// phrase with was cut; one that ends on a phrase's last word was not.
func TestSubjectCutShort(t *testing.T) {
	t.Parallel()
	subjectRule(t, "cut short", cutShort, []string{
		"Về việc chỉnh lý tài liệu lưu trữ tồn đọng tại các cơ quan,",
		"Về việc bảo đảm an toàn thông tin mạng trong các",
		"Quy định chi tiết một số điều của",
	}, []string{
		"Về việc chỉnh lý tài liệu lưu trữ tồn đọng tại các cơ quan, đơn vị",
		"Về việc bảo đảm an toàn thông tin mạng trong các cơ quan nhà nước",
		"Về việc phê duyệt Kế hoạch chuyển đổi số năm 2025",
		"Hướng dẫn triển khai mô hình chính quyền địa phương hai cấp",
	})
}

// subjectRule checks a rule of trích yếu shapes: it holds of every bad value, which is then
// implausible, and of no good one.
func subjectRule(t *testing.T, name string, rule func(string) bool, bad, good []string) {
	t.Helper()
	for _, v := range bad {
		if !rule(v) || plausible(FamilySubject, v) {
			t.Errorf("%q not %s, or plausible", v, name)
		}
	}
	for _, v := range good {
		if rule(v) {
			t.Errorf("%q %s", v, name)
		}
	}
}
