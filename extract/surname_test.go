package extract

import (
	"testing"

	"github.com/sohoa/sohoa/record"
)

func TestMendSurname(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, in, want string }{
		{"capitals", "NGUYÊN ĐỨC ĐẠT", "NGUYỄN ĐỨC ĐẠT"},
		{"dot below lost", "ĐĂNG ĐÌNH THỊNH", "ĐẶNG ĐÌNH THỊNH"},
		{"grave read as circumflex", "Trân Đức Quân", "Trần Đức Quân"},
		{"circumflex lost", "Lam Hồng Nga", "Lâm Hồng Nga"},
		{"hook for level", "Đỉnh Thu Ánh", "Đinh Thu Ánh"},
		// Left as read.
		{"known surname", "Nguyễn Văn An", "Nguyễn Văn An"},
		{"two surnames spelt alike", "Ha Minh Tuấn", "Ha Minh Tuấn"},
		{"no surname spelt so", "Xuân Dũng", "Xuân Dũng"},
		{"not letters only", "NGUYÊN VĂN A2", "NGUYÊN VĂN A2"},
		{"one word", "Nguyên", "Nguyên"},
		{"every mark lost", "Ho Quang Buu", "Ho Quang Buu"},
		{"a company", "CÔNG TY TNHH MỘT THÀNH VIÊN", "CÔNG TY TNHH MỘT THÀNH VIÊN"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, changed := mendSurname(record.NFC(c.in))
			if got != record.NFC(c.want) || changed != (c.in != c.want) {
				t.Errorf("mendSurname(%q) = %q, %v; want %q", c.in, got, changed, c.want)
			}
		})
	}
}

// TestSurnameMendedKeepsRead: the restored name keeps what OCR read, and is not made surer
// than the reading was.
func TestSurnameMendedKeepsRead(t *testing.T) {
	t.Parallel()
	text := "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nSố: 15/QĐ-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n" +
		"Nghệ An, ngày 17 tháng 10 năm 2022\nQUYẾT ĐỊNH\nVề việc thành lập Tổ công tác\nCăn cứ Luật Lưu trữ;\nĐiều 1. Thành lập Tổ công tác.\n" +
		"Nơi nhận:\n- Như Điều 3;\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrân Đức Quân"
	got := newTestExtractor().Extract("quyet_dinh", []record.Page{{Number: 1, Text: record.NFC(text)}})
	f := got["signer"]
	if f.Value != "Trần Đức Quân" || f.Read != "Trân Đức Quân" {
		t.Errorf("signer = %q read %q, want %q read %q", f.Value, f.Read, "Trần Đức Quân", "Trân Đức Quân")
	}
	if f.Confidence >= ReviewThreshold() {
		t.Errorf("signer confidence %.2f, want under the review threshold %.2f", f.Confidence, ReviewThreshold())
	}
}

func TestMendDoubledVowel(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, in, want string }{
		{"bare copy first", "LÝ NGỌC MAẠNH", "LÝ NGỌC MẠNH"},
		{"bare copy second", "Võ Phương Huyềen", "Võ Phương Huyền"},
		// Left as read.
		{"ư and u", "LƯU VĂN HƯU", "LƯU VĂN HƯU"},
		{"right", "Nguyễn Thị Quyên", "Nguyễn Thị Quyên"},
		{"both marked", "LÝ NGỌC MẠẠNH", "LÝ NGỌC MẠẠNH"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, changed := mendDoubledVowel(record.NFC(c.in))
			if got != record.NFC(c.want) || changed != (c.in != c.want) {
				t.Errorf("mendDoubledVowel(%q) = %q, %v; want %q", c.in, got, changed, c.want)
			}
		})
	}
}
