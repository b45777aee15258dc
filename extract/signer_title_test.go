package extract

import (
	"testing"

	"github.com/sohoa/sohoa/record"
)

// A deputy's title the print broke over two lines ("PHÓ" / "GIÁM ĐỐC", as the html renderer
// draws narrow signer columns) is one title, and the name under it is still the signer.
func TestSignerTitleTwoLines(t *testing.T) {
	t.Parallel()
	e := newTestExtractor()
	text := "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN\nSỞ NỘI VỤ\nSố: 03/TTr-SNV\nTỜ TRÌNH\nVề việc cấp kinh phí\n" +
		"Kính trình Ủy ban nhân dân tỉnh xem xét, quyết định./.\nNơi nhận:\n- Như trên;\n- Lưu: VT, VP.\n" +
		"KT. GIÁM ĐỐC\nPHÓ\nGIÁM ĐỐC\nVõ Tiến Dương"
	got := e.Extract("to_trinh", []record.Page{{Number: 1, Text: record.NFC(text)}})
	for k, want := range map[string]string{"signing_authority": "KT", "signer_title": "PHÓ GIÁM ĐỐC", "signer": "Võ Tiến Dương"} {
		if got[k].Value != want {
			t.Errorf("%s = %q, want %q", k, got[k].Value, want)
		}
	}
}
