package classify

import (
	"testing"

	"github.com/sohoa/sohoa/record"
)

func TestLetterDigits(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"5TC-KHTC": "STC-KHTC", "UBND-0TT": "UBND-OTT", "QH15": "QH15", "NĐ-CP": "NĐ-CP", "8NV-VP": "BNV-VP", "15": "15",
	} {
		if got := letterDigits(in); got != want {
			t.Errorf("letterDigits(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCongVanWithDamagedNumber: a công văn whose ký hiệu OCR misread (S→5) is still a công
// văn by its "V/v" line, and its number is restored.
func TestCongVanWithDamagedNumber(t *testing.T) {
	t.Parallel()
	text := "ỦY BAN NHÂN DÂN TỈNH BẮC KẠN\nSỞ TÀI CHÍNH\nSố: 325/5TC-KHTC\nV/v phê duyệt Kế hoạch chuyển đổi số năm\n2025\n" +
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nBắc Kạn, ngày 18 tháng 6 năm 2024\nKính gửi: Ủy ban nhân dân tỉnh Bắc Kạn\nTrần trọng./."
	pages := []record.Page{{Number: 1, Text: text}}
	if got := New(record.MustTaxonomy()).Classify(pages); got.Type != "cong_van" {
		t.Errorf("Classify = %+v, want cong_van", got)
	}
	if n, ok := FindNumber(pages); !ok || n.Value != "325/STC-KHTC" {
		t.Errorf("FindNumber = %+v, %v; want 325/STC-KHTC", n, ok)
	}
	noNumber := []record.Page{{Number: 1, Text: "SỞ TÀI CHÍNH\nV/v phê duyệt kế hoạch\nKính gửi: Ủy ban nhân dân tỉnh"}}
	if got := New(record.MustTaxonomy()).Classify(noNumber); got.Type != "cong_van" {
		t.Errorf("Classify without a number = %+v, want cong_van from the V/v line", got)
	}
}
