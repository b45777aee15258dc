package extract

import (
	"testing"

	"github.com/sohoa/sohoa/record"
)

// A deputy's title the print broke over two lines ("PHÓ" / "GIÁM ĐỐC", as the html renderer
// draws narrow signer columns) is one title, and the name under it is still the signer. The
// first part may look like a name on its own ("PHÓ CHÁNH": two capitalised words).
func TestSignerTitleTwoLines(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, block              string
		authority, title, signer string
	}{
		{"deputy director", "KT. GIÁM ĐỐC\nPHÓ\nGIÁM ĐỐC\nVõ Tiến Dương", "KT", "PHÓ GIÁM ĐỐC", "Võ Tiến Dương"},
		{"two authorities, title like a name", "TL. THỦ TƯỚNG\nKT. CHÁNH VĂN PHÒNG\nPHÓ CHÁNH\nVĂN PHÒNG\nCao Quang Huy", "KT", "PHÓ CHÁNH VĂN PHÒNG", "Cao Quang Huy"},
		{"acting head, scribble under the authority", "Q. THỦ TƯỚNG\nTH.\nTạ Thị Thủy", "Q", "THỦ TƯỚNG", "Tạ Thị Thủy"},
		{"pen mark before the title", "TL. GIÁM ĐỐC\nKT. TRƯỞNG PHÒNG\n\"PHÓ\nTRƯỞNG PHÒNG\nMai Quỳnh Linh", "KT", "PHÓ TRƯỞNG PHÒNG", "Mai Quỳnh Linh"},
		{"title on one line", "TL. CHỦ TỊCH\nCHÁNH VĂN PHÒNG\nPhan Thị Dung", "TL", "CHÁNH VĂN PHÒNG", "Phan Thị Dung"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			wantSigner(t, signedToTrinh(c.block), c.authority, c.title, c.signer)
		})
	}
}

// A title corrected to the known one keeps what was read, for the clerk; one read right has
// nothing to keep.
func TestSignerTitleCorrectionKeepsRead(t *testing.T) {
	t.Parallel()
	head := "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN\nSố: 03/TTr-UBND\nTỜ TRÌNH\nVề việc cấp kinh phí\n" +
		"Kính trình Hội đồng nhân dân tỉnh xem xét, quyết định./.\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n"
	e := newTestExtractor()
	for block, want := range map[string][2]string{
		"KT. GIÁM ĐỐC\nPHÓ GIAM ĐỐC\nVõ Tiến Dương": {"PHÓ GIÁM ĐỐC", "PHÓ GIAM ĐỐC"},
		"KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nVõ Tiến Dương": {"PHÓ GIÁM ĐỐC", ""},
	} {
		got := e.Extract("to_trinh", []record.Page{{Number: 1, Text: record.NFC(head + block)}})["signer_title"]
		if got.Value != want[0] || got.Read != want[1] {
			t.Errorf("%q: signer_title %q read %q, want %q read %q", block, got.Value, got.Read, want[0], want[1])
		}
	}
}

// TestDeputyUnderKT: under "KT. <head's title>" a deputy signs, so a title read as the head's
// own (its "PHÓ" lost under the seal or to the "Nơi nhận" column) is the deputy's, inferred
// and so sent for review; the authority of a collective body whose name wraps ("TM. ỦY BAN
// NHÂN" / "DÂN") over "KT. CHỦ TỊCH" is the deputy's KT.
func TestDeputyUnderKT(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, block              string
		authority, title, signer string
		sure                     bool
	}{
		{"PHÓ lost", "KT. GIÁM ĐỐC\nGIÁM ĐỐC\nTạ Thu Ánh", "KT", "PHÓ GIÁM ĐỐC", "Tạ Thu Ánh", false},
		{"minister's deputy", "KT. BỘ TRƯỞNG\nBỘ TRƯỞNG\nLê Văn Tám", "KT", "THỨ TRƯỞNG", "Lê Văn Tám", false},
		{"read whole", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nTạ Thu Ánh", "KT", "PHÓ GIÁM ĐỐC", "Tạ Thu Ánh", true},
		{"collective body wrapped", "TM. ỦY BAN NHÂN\nDÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrịnh Ngọc Tuyết", "KT", "PHÓ CHỦ TỊCH", "Trịnh Ngọc Tuyết", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := signedToTrinh(c.block)
			wantSigner(t, got, c.authority, c.title, c.signer)
			if sure := got["signer_title"].Confidence > strengthGuess; sure != c.sure {
				t.Errorf("signer_title confidence %.2f: sure %v, want %v", got["signer_title"].Confidence, sure, c.sure)
			}
		})
	}
}

// TestSignerQuoteMark: a pen signature's stroke read as a quote mark before a word of the name
// ("Đào Mạnh 'Thịnh", "‘Tạ Xuân Lâm") does not hide the name.
func TestSignerQuoteMark(t *testing.T) {
	t.Parallel()
	head := "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN\nSố: 03/QĐ-UBND\nQUYẾT ĐỊNH\nVề việc cấp kinh phí\n" +
		"Điều 1. Giao Sở Tư pháp thực hiện.\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT, VP.\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n"
	for name, want := range map[string]string{"Đào Mạnh 'Thịnh": "Đào Mạnh Thịnh", "‘Tạ Xuân Lâm": "Tạ Xuân Lâm", "Lê Thanh “Thảo”": "Lê Thanh Thảo"} {
		got := newTestExtractor().Extract("quyet_dinh", []record.Page{{Number: 1, Text: record.NFC(head + name)}})
		if got["signer"].Value != want {
			t.Errorf("signer read %q = %q, want %q", name, got["signer"].Value, want)
		}
	}
}

// TestSignerBetweenDashes: a pen stroke read as dashes around the signer's name ("-Hồ Thành
// Đạt -") does not make it a "Nơi nhận" item; a real item stays no signer.
func TestSignerBetweenDashes(t *testing.T) {
	t.Parallel()
	got := signedCongVan("BỘTRƯỞNG\n-Hồ Thành Đạt -")
	if got["signer"].Value != "Hồ Thành Đạt" || got["signer_title"].Value != "BỘ TRƯỞNG" {
		t.Errorf("signer %q, title %q", got["signer"].Value, got["signer_title"].Value)
	}
	if n, _ := dashedName(newLine(1, 0, "- Bộ Nội vụ;")); n != "" {
		t.Errorf("dashedName of a recipient = %q", n)
	}
}

// TestTitleAfterSeal: a title read run together, a mark changed, after a seal's noise and
// between a pen stroke's dashes ("Ti tám _ BỘTRƯỜNG _") is the title; the name follows.
func TestTitleAfterSeal(t *testing.T) {
	t.Parallel()
	got := signedCongVan("Ti tám _ BỘTRƯỜNG _\nma\nHồ Thành Đạt")
	if got["signer"].Value != "Hồ Thành Đạt" || got["signer_title"].Value != "BỘ TRƯỞNG" {
		t.Errorf("signer %q, title %q", got["signer"].Value, got["signer_title"].Value)
	}
}

// signedCongVan is the fields of a Bộ's công văn whose signature block, after its "Nơi nhận",
// is block.
func signedCongVan(block string) record.Fields {
	const head = "BỘ TÀI CHÍNH\nSố: 03/BTC-KHTC\nV/v cấp kinh phí\nKính gửi: Các sở, ban, ngành\nĐề nghị các cơ quan thực hiện.\n" +
		"Nơi nhận:\n- Như trên;\n- Thường trực HĐND;\n- Lưu: VT, KHTC.\n"
	return newTestExtractor().Extract("cong_van", []record.Page{{Number: 1, Text: record.NFC(head + block)}})
}

// signedToTrinh is the fields of a Sở's tờ trình whose signature block is block.
func signedToTrinh(block string) record.Fields {
	const head = "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN\nSỞ NỘI VỤ\nSố: 03/TTr-SNV\nTỜ TRÌNH\nVề việc cấp kinh phí\n" +
		"Kính trình Ủy ban nhân dân tỉnh xem xét, quyết định./.\nNơi nhận:\n- Như trên;\n- Lưu: VT, VP.\n"
	return newTestExtractor().Extract("to_trinh", []record.Page{{Number: 1, Text: record.NFC(head + block)}})
}

func wantSigner(t *testing.T, got record.Fields, authority, title, signer string) {
	t.Helper()
	for k, want := range map[string]string{"signing_authority": authority, "signer_title": title, "signer": signer} {
		if got[k].Value != want {
			t.Errorf("%s = %q, want %q", k, got[k].Value, want)
		}
	}
}
