package extract

import (
	"testing"

	"github.com/sohoa/sohoa/record"
)

// TestOwnerBirthYearLabelMisread: "Năm sinh" read "Năn: sinh" still labels the owner's birth
// year, and the owner's name does not run on into it.
func TestOwnerBirthYearLabelMisread(t *testing.T) {
	t.Parallel()
	text := "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT\nI. Người sử dụng đất\nÔng: BÙI XUÂN TRUNG, Năn: sinh: 1990\nCCCD số: 035090866201\nThửa đất số: 112\nDiện tích: 350 m2"
	got := newTestExtractor().Extract("gcn_quyen_su_dung_dat", []record.Page{{Number: 1, Text: record.NFC(text)}})
	for k, want := range map[string]string{"owner_name": "BÙI XUÂN TRUNG", "owner_birth_year": "1990"} {
		if got[k].Value != want {
			t.Errorf("%s = %q, want %q", k, got[k].Value, want)
		}
	}
}

// TestLabelsMisread: a label whose first word OCR misread still opens its value: "Họ" read
// "IIo" on the husband's name beside the wife's, "Tên" read "Lên" on a company's foreign name.
func TestLabelsMisread(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, docType, text string
		want                map[string]string
	}{
		{"IIo for Họ", "giay_chung_nhan_ket_hon",
			"GIẤY CHỨNG NHẬN KẾT HÔN\nHọ, chữ đệm, tên vợ: TRỊNH MINH CHÂU _ IIo, chữ đệm, tên chồng: BÙI TIẾN SƠN\nNgày, tháng, năm sinh: 07/11/2001",
			map[string]string{"wife_name": "TRỊNH MINH CHÂU", "husband_name": "BÙI TIẾN SƠN"}},
		{"Lên for Tên", "gcn_dang_ky_doanh_nghiep",
			"GIẤY CHỨNG NHẬN ĐĂNG KÝ DOANH NGHIỆP\nMã số doanh nghiệp: 0208783399\n1. Tên công ty\nTên công ty viết bằng tiếng Việt: CÔNG TY CỔ PHẦN DỊCH VỤ LƯU TRỮ ĐẠI VIỆT\n" +
				"Lên công ty viết bằng tiếng nước ngoài: DAI VIET ARCHIVE SERVICES JOINT STOCK COMPANY\nTên công ty viết tắt: DAI VIET JSC",
			map[string]string{"company_name": "CÔNG TY CỔ PHẦN DỊCH VỤ LƯU TRỮ ĐẠI VIỆT", "company_name_foreign": "DAI VIET ARCHIVE SERVICES JOINT STOCK COMPANY"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := newTestExtractor().Extract(tc.docType, []record.Page{{Number: 1, Text: record.NFC(tc.text)}})
			for k, want := range tc.want {
				if got[k].Value != want {
					t.Errorf("%s = %q, want %q", k, got[k].Value, want)
				}
			}
		})
	}
}
