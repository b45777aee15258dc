package classify

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sohoa/sohoa/model"
	"github.com/sohoa/sohoa/record"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.json from the current output")

// pagesOf reads a testdata document; a line "=== page" starts a new page.
func pagesOf(t *testing.T, path string) []record.Page {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	var pages []record.Page
	for i, text := range strings.Split(record.NFC(string(b)), "=== page\n") {
		pages = append(pages, record.Page{Number: i + 1, Text: strings.TrimRight(text, "\n")})
	}
	return pages
}

// TestClassifyTestdata classifies every testdata/*.txt and compares with testdata/golden.json.
func TestClassifyTestdata(t *testing.T) {
	t.Parallel()
	c := New(record.MustTaxonomy())
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("listing testdata: %v (%d files)", err, len(files))
	}
	got := map[string]record.Classification{}
	for _, f := range files {
		got[strings.TrimSuffix(filepath.Base(f), ".txt")] = c.Classify(pagesOf(t, f))
	}
	const golden = "testdata/golden.json"
	if *update {
		b, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(golden, append(b, '\n'), 0o644); err != nil {
			t.Fatalf("writing golden: %v", err)
		}
	}
	b, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("reading golden (run with -update to create it): %v", err)
	}
	var want map[string]record.Classification
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatalf("decoding golden: %v", err)
	}
	for name := range want {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if d := cmp.Diff(want[name], got[name]); d != "" {
				t.Errorf("Classify mismatch (-want +got):\n%s", d)
			}
		})
	}
}

func TestClassifyCues(t *testing.T) {
	t.Parallel()
	c := New(record.MustTaxonomy())
	tests := []struct {
		name, text, want string
	}{
		{"heading wins over damaged ký hiệu", "BỘ Y TẾ\nSố: 12/HD-BYT\nHỢP ĐỒNG\nMua sắm", "hop_dong"},
		{"HD is hướng dẫn", "BỘ Y TẾ\nSố: 12/HD-BYT\nHà Nội, ngày 01 tháng 02 năm 2024", "huong_dan"},
		{"HĐ is hợp đồng", "BỘ Y TẾ\nSố: 12/HĐ-BYT", "hop_dong"},
		{"ĐA is đề án", "UBND TỈNH X\nSố: 3/ĐA-UBND", "de_an"},
		{"DA is dự án", "UBND TỈNH X\nSố: 3/DA-UBND", "du_an"},
		{"QyĐ is quy định", "UBND TỈNH X\nSố: 3/QyĐ-UBND", "quy_dinh"},
		{"CTr is chương trình", "UBND TỈNH X\nSố: 3/CTr-UBND", "chuong_trinh"},
		{"CT is chỉ thị", "UBND TỈNH X\nSố: 3/CT-UBND", "chi_thi"},
		{"TTLT", "BỘ TÀI CHÍNH\nSố: 5/2020/TTLT-BGDĐT-BTC", "thong_tu_lien_tich"},
		{"TTr", "SỞ Y TẾ\nSố: 5/TTr-SYT", "to_trinh"},
		{"QH law without heading", "QUỐC HỘI\nLuật số: 64/2025/QH15", "luat"},
		{"QH resolution", "QUỐC HỘI\nNghị quyết số: 202/2025/QH15", "nghi_quyet"},
		{"VBHN beats heading", "BỘ CÔNG THƯƠNG\nSố: 05/VBHN-BCT\nNGHỊ ĐỊNH\nQuy định", "van_ban_hop_nhat"},
		{"công văn", "SỞ NỘI VỤ\nSố: 1234/SNV-VP\nV/v báo cáo số liệu", "cong_van"},
		{"preamble QUY ĐỊNH after heading", "UBND\nQUYẾT ĐỊNH\nBan hành quy chế\nQUY ĐỊNH\nChung", "quyet_dinh"},
		{"body citation is not a ký hiệu", "Căn cứ Nghị định số 58/2017/NĐ-CP ngày 10 tháng 5", record.Unknown},
		{"tờ khai is an application", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỜ KHAI ĐĂNG KÝ KHAI SINH\nKính gửi: UBND xã", "don"},
		{"death notice is not a trích lục", "GIẤY BÁO TỬ\nHọ tên: A", record.Unknown},
		{"đơn vị is not an application", "ĐƠN VỊ TÍNH\nnghìn đồng", record.Unknown},
		{"invitation by its lines, heading lost", "ỦY BAN NHÂN DÂN TỈNH X\nM\nDự Hội nghị\nTrân trọng kính mời:\nTới dự: Hội nghị\nChủ trì: Đồng chí A\nThời gian: 08 giờ", "giay_moi"},
		{"a plan's body is no invitation", "ỦY BAN NHÂN DÂN TỈNH X\nThời gian thực hiện trong năm; địa điểm tại trụ sở; chủ trì là Sở", record.Unknown},
		{"form heading cut short, its labels agree", "CÔNG AN XÃ X\nSố: 346/XN\nXÁC NHẬN THÔNG\nHọ và tên chủ hộ: A\nQuan hệ với chủ hộ: Chủ hộ\nNơi thường trú: xã X", "xac_nhan_cu_tru"},
		{"a cut heading alone is not enough", "CÔNG AN XÃ X\nSố: 346/XN\nXÁC NHẬN THÔNG\nV/v báo cáo", "cong_van"},
		{"number's digits unreadable, its ký hiệu names the type", "SỞ KHOA HỌC VÀ CÔNG NGHỆ\nSố: 7 /0/TTr-SKHCN\nNghệ An, ngày 17 tháng 10 năm 2022\nVề việc thành lập Tổ công tác", "to_trinh"},
		{"S of the label read as §", "ỦY BAN NHÂN DÂN TỈNH X\n§ố:12/QĐ-UBND\nVề việc kiện toàn Ban Chỉ đạo", "quyet_dinh"},
		{"Đ read twice, heading lost, enacting formula", "BỘ KHOA HỌC VÀ CÔNG NGHỆ\nSố: 38/QĐĐ-BKHCN\nHà Nội, ngày 24 tháng 10 năm 2021\nCăn cứ Luật Ngân sách nhà nước;\nQUYẾT ĐỊNH:\nĐiều 1. Phê duyệt", "quyet_dinh"},
		{"unknown ký hiệu, enacting formula", "BỘ KHOA HỌC VÀ CÔNG NGHỆ\nSố: 38/XYZ-BKHCN\nCăn cứ Luật Ngân sách nhà nước;\nQUYẾT ĐỊNH:\nĐiều 1. Phê duyệt", "quyet_dinh"},
		{"a form's own code, heading lost", "CÔNG AN XÃ X\nSố: 238/XN\nCông an xã X xác nhận như sau:\nHọ và tên chủ hộ: A\nQuan hệ với chủ hộ: Chủ hộ\nNơi thường trú: xã X\nNơi ở hiện tại: xã X", "xac_nhan_cu_tru"},
		{"a letter asking with Kính gửi and đề nghị is no đơn", "SỞ Y TẾ\nSố: 12/SYT-VP\nKính gửi: Ủy ban nhân dân tỉnh\nSở Y tế đề nghị Ủy ban xem xét.\nXin trân trọng cảm ơn.", "cong_van"},
		{"received stamp over the heading", "SỞ Y TẾ\nGiờ: 14:57 BÁO CÁO\nVề việc tổng kết", "bao_cao"},
		{"received stamp's entry after the heading", "SỞ Y TẾ\nBÁO CÁO Số: 5685\nVề việc tổng kết", "bao_cao"},
		{"heading split over two lines", "SỞ Y TẾ\nTỜ\nTRÌNH\nVề việc thành lập", "to_trinh"},
		{"ĐƠN on a line of its own above what is asked", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐƠN\nĐỀ NGHỊ CẤP LẠI GIẤY CHỨNG NHẬN\nKính gửi: Ủy ban nhân dân xã X", "don"},
		{"ĐƠN VỊ split is still no application", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐƠN\nVỊ TÍNH", record.Unknown},
		{"decree by its enacting sentence, heading and number lost", "CHÍNH PHỦ\nHà Nội, ngày 24 tháng 10 năm 2022\nCăn cứ Luật Tổ chức Chính phủ;\nTheo đề nghị của Bộ trưởng Bộ Tài chính;\nChính phủ ban hành Nghị định quy định chi tiết\nmột số điều.\nĐiều 1.", "nghi_dinh"},
		{"circular by its enacting sentence broken over lines", "BỘ Y TẾ\nCăn cứ Nghị định số 95/2022/NĐ-CP;\nBộ trưởng Bộ Y tế ban hành\nThông tư hướng dẫn tổ chức.\nĐiều 1.", "thong_tu"},
		{"a cited circular enacts nothing", "SỞ Y TẾ\nCăn cứ Quyết định về việc ban hành Thông tư hướng dẫn;\nThực hiện Thông tư số 12/2020/TT-BYT, Bộ Y tế đã ban hành Thông tư số 12 năm 2020.", record.Unknown},
		{"application title typed as a sentence", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐơn đề nghị cấp lại giấy chứng nhận quyền sử dụng đất do bị mất\nKính gửi: Ủy ban nhân dân xã X", "don"},
		{"a letter's trích yếu naming a đơn is no title", "SỞ Y TẾ\nV/v trả lời\nĐơn kiến nghị của ông A\nKính gửi: Ông A", "cong_van"},
		{"a body sentence about a đơn is no title", "SỞ Y TẾ\nĐơn đề nghị của bà A đã được chuyển đến Sở.", record.Unknown},
		{"a numbered section is no heading", "SỞ Y TẾ\n1. BÁO CÁO\nnội dung", record.Unknown},
		{"empty", "", record.Unknown},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := c.Classify([]record.Page{{Number: 1, Text: record.NFC(tc.text)}})
			if got.Type != tc.want {
				t.Errorf("Classify = %+v, want type %s", got, tc.want)
			}
			if got.Confidence < 0 || got.Confidence > 1 {
				t.Errorf("confidence %v out of range", got.Confidence)
			}
		})
	}
}

func TestRestore(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, abbr, want string }{
		{"361/2025/ND-CP", "NĐ", "361/2025/NĐ-CP"},
		{"12/QD-UBND", "QĐ", "12/QĐ-UBND"},
		{"12/HD-UBND", "HĐ", "12/HĐ-UBND"},
		{"12/TT-BTC", "NĐ", "12/TT-BTC"},
		{"64/2025/QH15", "QH", "64/2025/QH15"},
		{"198/TIB-BTP", "TB", "198/TB-BTP"},
		{"04/TIr-UBND", "TTr", "04/TTr-UBND"},
		{"04/TT-UBND", "TB", "04/TT-UBND"},
		{"04/TIT-UBND", "TB", "04/TIT-UBND"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			if got := Restore(tc.in, tc.abbr); got != tc.want {
				t.Errorf("Restore(%q, %q) = %q, want %q", tc.in, tc.abbr, got, tc.want)
			}
		})
	}
}

func TestHeadingAfterStampWords(t *testing.T) {
	t.Parallel()
	c := New(record.MustTaxonomy())
	cases := []struct {
		name, line, want string
		ok               bool
	}{
		{"a stamp's word before the heading", "Lên TỜ TRÌNH", "to_trinh", true},
		{"two of them", "Đến số TỜ TRÌNH", "to_trinh", true},
		{"a sentence naming a type is no heading", "Căn cứ Nghị định số 30", "", false},
		{"lower-case words after are not dropped", "TỜ TRÌNH về việc", "", false},
		{"a stamp's time before the heading", "Giờ: 14:57 BÁO CÁO", "bao_cao", true},
		{"the stamp's ĐẾN before the heading", "ĐẾN TỜ TRÌNH", "to_trinh", true},
		{"a stamp's number after the heading", "BÁO CÁO Số: 5685", "bao_cao", true},
		{"an enumerator is no stamp", "II. KẾ HOẠCH", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, ok := matchHeading(c.headings, tc.line)
			if ok != tc.ok || m.code != tc.want {
				t.Errorf("matchHeading(%q) = %q, %v; want %q, %v", tc.line, m.code, ok, tc.want, tc.ok)
			}
		})
	}
}

// TestTypeConfidence: the confidence says how many independent cues agree, and a type that
// only a ký hiệu naming no type suggests stays under extract.TypeThreshold (0.6), so a clerk
// confirms it.
func TestTypeConfidence(t *testing.T) {
	t.Parallel()
	c := New(record.MustTaxonomy())
	c.types = func() *model.TypeModel { return nil }
	tests := []struct {
		name, text, want string
		lo, hi           float64
	}{
		{"ký hiệu and enacting formula agree", "ỦY BAN NHÂN DÂN TỈNH X\nSố: 12/QĐ-UBND\nCăn cứ Luật Tổ chức chính quyền địa phương;\nQUYẾT ĐỊNH:\nĐiều 1.", "quyet_dinh", confHeading, confHeading},
		{"ký hiệu and an invitation's lines agree", "ỦY BAN NHÂN DÂN TỈNH X\nSố: 699/GM-UBND\nTrân trọng kính mời:\nTới dự: Hội nghị\nChủ trì: Đồng chí A", "giay_moi", confHeading, confHeading},
		{"ĐƠN alone above its request, the form's labels agree", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐƠN\nĐỀ NGHỊ CẤP LẠI GIẤY CHỨNG NHẬN\nKính gửi: Ủy ban nhân dân xã X\nTôi tên là: A", "don", confAgree, confAgree},
		{"application title typed as a sentence, labels agree", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐơn đề nghị cấp lại giấy chứng nhận quyền sử dụng đất do bị mất\nKính gửi: Ủy ban nhân dân xã X\nTôi tên là: A", "don", confAgree * fuzzyPenalty, confAgree * fuzzyPenalty},
		{"a type label's value with marks after it", "THUỘC TÍNH VĂN BẢN\nSố hiệu: 07/QĐ-SKHCN\nLoại văn bản: Quyết định £n\nCơ quan ban hành: Sở Khoa học và Công nghệ", "quyet_dinh", confAgree, confAgree},
		{"ký hiệu alone", "ỦY BAN NHÂN DÂN TỈNH X\nSố: 12/QĐ-UBND\nVề việc kiện toàn", "quyet_dinh", confAbbrOnly, confAbbrOnly},
		{"a heading the exact ký hiệu contradicts", "ỦY BAN NHÂN DÂN TỈNH X\nSố: 12/TB-UBND\nQUYẾT ĐỊNH\nVề việc kiện toàn", "quyet_dinh", 0, 0.59},
		{"a ký hiệu naming no type, nothing else", "SỞ X\nSố: 12/SX-VP\nNội dung", "cong_van", 0, 0.59},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := c.Classify([]record.Page{{Number: 1, Text: record.NFC(tc.text)}})
			if got.Type != tc.want || got.Confidence < tc.lo || got.Confidence > tc.hi {
				t.Errorf("Classify = %+v, want %s with confidence in [%v, %v]", got, tc.want, tc.lo, tc.hi)
			}
		})
	}
}

// TestHeadingLineNotTheStampAbove: a stamp's ĐẾN on the line above the heading is not read as
// the heading's first half, so the trích yếu is read under the heading and not from it.
func TestHeadingLineNotTheStampAbove(t *testing.T) {
	t.Parallel()
	c := New(record.MustTaxonomy())
	pages := []record.Page{{Number: 1, Text: record.NFC("SỞ Y TẾ\nSố: 5/BC-SYT\nĐẾN\nBÁO CÁO\nVề việc tổng kết")}}
	if got, ok := c.HeadingLine(pages); !ok || got != 3 {
		t.Errorf("HeadingLine = %d, %v; want 3, true", got, ok)
	}
}
