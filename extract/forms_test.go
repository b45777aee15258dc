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
