package extract

import (
	"testing"

	"github.com/sohoa/sohoa/record"
)

// TestDeathLabelsMisread: "chết" read "chất" (ê for â under the same hat) still names the
// place and cause of death.
func TestDeathLabelsMisread(t *testing.T) {
	t.Parallel()
	text := "ỦY BAN NHÂN DÂN\nXÃ HƯNG ĐẠO\nSố: 2742/2023/TLKT-BS\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n" +
		"TRÍCH LỤC KHAI TỬ\nHọ, chữ đệm, tên: TRIỆU THÀNH HUY\nNgày, tháng, năm sinh: 05/03/1933\n" +
		"Nơi chất: Tại nhà riêng, tỉnh Lào Cai\nNguyên nhân chất: Bệnh già\nĐã được đăng ký khai tử tại: Ủy ban nhân dân xã Hưng Đạo"
	got := newTestExtractor().Extract("trich_luc_khai_tu", []record.Page{{Number: 1, Text: record.NFC(text)}})
	for k, want := range map[string]string{"place_of_death": "Tại nhà riêng, tỉnh Lào Cai", "cause_of_death": "Bệnh già"} {
		if got[k].Value != want {
			t.Errorf("%s = %q, want %q", k, got[k].Value, want)
		}
	}
}

// TestDeathBirthLabelGarbled: a date of birth whose label OCR garbled but for "năm sinh"
// ("Ngạậu 4páng, nằm sinh:") is still read.
func TestDeathBirthLabelGarbled(t *testing.T) {
	t.Parallel()
	text := "ỦY BAN NHÂN DÂN\nXÃ AN BÌNH\nSố: 2039/2025/TLKT-BS\nTRÍCH LỤC KHAI TỬ\nHọ, chữ đệm, tên: LÊ KHÁNH LINH\n" +
		"Ngạậu 4páng, nằm sinh: 30/05/1975\nGiới tính: Nữ Dân tộc: Kinh Quốc tịch: Việt Nam"
	got := newTestExtractor().Extract("trich_luc_khai_tu", []record.Page{{Number: 1, Text: record.NFC(text)}})
	if want := "1975-05-30"; got["date_of_birth"].Value != want {
		t.Errorf("date_of_birth = %q, want %q", got["date_of_birth"].Value, want)
	}
}
