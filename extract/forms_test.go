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

// TestUnsureDateDigits: a date whose digits OCR read unsurely ("1995" for 1993 at 86) is kept
// for the clerk but never above the review threshold; the same date read surely is.
func TestUnsureDateDigits(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		conf float64
		sure bool
	}{{86, false}, {96, true}} {
		p := boxedPage([][3]any{
			{"GIẤY KHAI SINH", 900, 1800},
			{"Họ, chữ đệm, tên: NGUYỄN VĂN AN", 300, 1500},
			{"Ngày, tháng, năm sinh: 10/11/1995", 300, 1500},
			{"Giới tính: Nam", 300, 800},
		})
		for i, w := range p.Words {
			if w.Text == "10/11/1995" {
				p.Words[i].Confidence = c.conf
			}
		}
		got := newTestExtractor().Extract("giay_khai_sinh", []record.Page{p})["date_of_birth"]
		if got.Value != "1995-11-10" || (got.Confidence >= ReviewThreshold()) != c.sure {
			t.Errorf("read at %v: date_of_birth %q at %v, want 1995-11-10 sure %v (threshold %v)", c.conf, got.Value, got.Confidence, c.sure, ReviewThreshold())
		}
	}
}
