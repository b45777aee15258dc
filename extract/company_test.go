package extract

import (
	"testing"

	"github.com/sohoa/sohoa/record"
)

// TestCompanyNameWrapped: a company's name wraps wherever its line is full, and the rest is
// read up to the next label, however many words it has.
func TestCompanyNameWrapped(t *testing.T) {
	t.Parallel()
	text := "SỞ KẾ HOẠCH VÀ ĐẦU TƯ\nTỈNH PHÚ THỌ\nPHÒNG ĐĂNG KÝ KINH DOANH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n" +
		"Độc lập - Tự do - Hạnh phúc\nGIẤY CHỨNG NHẬN ĐĂNG KÝ DOANH NGHIỆP\nCÔNG TY TRÁCH NHIỆM HỮU HẠN MỘT THÀNH VIÊN\n" +
		"Mã số doanh nghiệp: 1021055925\nĐăng ký lần đầu: ngày 11 tháng 7 năm 2017\n1. Tên công ty\n" +
		"Tên công ty viết bằng tiếng Việt: CÔNG TY TNHH MỘT THÀNH VIÊN XÂY\nDỰNG VÀ THƯƠNG MẠI MINH ANH\n" +
		"Tên công ty viết bằng tiếng nước ngoài: MINH ANH CONSTRUCTION AND TRADING\nCOMPANY LIMITED\n" +
		"Tên công ty viết tắt: MINH ANH CORP\n2. Địa chỉ trụ sở chính\nSố 12 đường Hùng Vương, phường Tân Phong, tỉnh Phú Thọ"
	got := newTestExtractor().Extract("gcn_dang_ky_doanh_nghiep", []record.Page{{Number: 1, Text: record.NFC(text)}})
	for k, want := range map[string]string{
		"company_name":         "CÔNG TY TNHH MỘT THÀNH VIÊN XÂY DỰNG VÀ THƯƠNG MẠI MINH ANH",
		"company_name_foreign": "MINH ANH CONSTRUCTION AND TRADING COMPANY LIMITED",
		"company_name_short":   "MINH ANH CORP",
	} {
		if got[k].Value != want {
			t.Errorf("%s = %q, want %q", k, got[k].Value, want)
		}
	}
}
