package extract

import (
	"testing"

	"github.com/sohoa/sohoa/record"
)

// TestNormativeWithoutNumber: a number written by hand is left unread, and the type still
// says whether the document is a legal one, except for the types issued both ways, for which
// the printed ký hiệu does.
func TestNormativeWithoutNumber(t *testing.T) {
	t.Parallel()
	e := newTestExtractor()
	const body = "\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHà Nội, ngày 24 tháng 10 năm 2022\n"
	cases := []struct {
		name, docType, header, want string // want "" for no value
	}{
		{"a tờ trình is never a legal document", "to_trinh", "SỞ NỘI VỤ\nSố: 19 6/TTr-SNV", "false"},
		{"a công văn is never one", "cong_van", "ỦY BAN NHÂN DÂN\nTỈNH HẢI DƯƠNG\nSố: 4 8 $/UBND-KGVX", "false"},
		{"a nghị định always is", "nghi_dinh", "CHÍNH PHỦ\nSố: 6 ʒ2/", "true"},
		{"a quyết định may be either", "quyet_dinh", "ỦY BAN NHÂN DÂN\nSố: ʒ8/", ""},
		// Its printed ký hiệu decides: a year segment or none.
		{"a quyết định's ký hiệu without a year", "quyet_dinh", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH\nSố: O9/QĐ-SVHTTDL", "false"},
		{"a quyết định's ký hiệu with a year", "quyet_dinh", "ỦY BAN NHÂN DÂN\nSố: 1T Ô/2023/QĐ-UBND", "true"},
		{"the number read still decides", "nghi_dinh", "CHÍNH PHỦ\nSố: 61/NĐ-CP", "false"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			out := e.Extract(c.docType, []record.Page{{Number: 1, Text: c.header + body}})
			if got := out["normative"].Value; got != c.want {
				t.Errorf("normative = %q, want %q", got, c.want)
			}
		})
	}
}
