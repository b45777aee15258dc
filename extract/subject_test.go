package extract

import (
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
