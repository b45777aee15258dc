package extract

import (
	"strings"
	"testing"

	"github.com/sohoa/sohoa/record"
)

// TestIssuerCodeMismatch: the body code in a number is the issuer's initials without "và",
// its locality or the country, maybe without its kind (CỤC …) or with a session number (QH15);
// an issuer read from the line above a lost one, or a code cut short, disagrees.
func TestIssuerCodeMismatch(t *testing.T) {
	t.Parallel()
	typeCodes := []string{"QĐ", "TB", "TTr", "TT", "NĐ", "GM"}
	for _, c := range []struct {
		issuer, number string
		mismatch       bool
	}{
		{"SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "03/TTr-SNNMT", false},
		{"ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ", "12/QĐ-UBND", false},
		{"SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "306/SNNMT-VP", false},
		{"BỘ GIÁO DỤC VÀ ĐÀO TẠO", "08/2019/TT-BGDĐT", false},
		{"CỤC VĂN THƯ VÀ LƯU TRỮ NHÀ NƯỚC", "686/VTLTNN-NVTW", false},
		{"QUỐC HỘI", "33/2024/QH15", false},
		{"THỦ TƯỚNG CHÍNH PHỦ", "29/2025/QĐ-TTg", false},
		{"NGÂN HÀNG NHÀ NƯỚC VIỆT NAM", "62/2025/TT-NHNN", false},
		{"SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "02/BC-SVHTTDL", false},
		{"ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ", "03/TTr-SNNMT", true}, // the Sở's line lost
		{"SỞ NỘI VỤ", "540/TTr-SN", true},                        // the code cut short
		{"TỈNH BÀ RỊA - VŨNG TÀU ỦY BAN NHÂN DÂN XÃ ĐÔNG HƯNG", "12/QĐ-UBND", true},
		{"SỞ NỘI VỤ", "540", false}, // no ký hiệu: nothing to compare
	} {
		if got := issuerCodeMismatch(c.issuer, c.number, typeCodes); got != c.mismatch {
			t.Errorf("issuerCodeMismatch(%q, %q) = %v, want %v", c.issuer, c.number, got, c.mismatch)
		}
	}
}

// TestCodeMismatchImplausible: when the issuer and the number's body code disagree, both are
// implausible, and so neither is returned as sure.
func TestCodeMismatchImplausible(t *testing.T) {
	t.Parallel()
	dt, _ := record.MustTaxonomy().Type("to_trinh")
	fields := record.Fields{
		"issuer": {Value: "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ", Confidence: 0.95, Valid: true},
		"number": {Value: "03/TTr-SNNMT", Confidence: 0.95, Valid: true},
	}
	doc := DocEvidence(dt, 0.97, fields)
	for _, name := range []string{"issuer", "number"} {
		format, _ := dt.Format(name)
		if e := EvidenceOf(name, format, fields[name], doc); e.Plausible {
			t.Errorf("%s plausible beside a number of another body", name)
		}
	}
}

// TestPlausibleMarks: an apostrophe is noise in text unless it joins two capitals as in the
// Central Highlands' names; a body's name does not open with its locality, but for the
// committees named by their level.
func TestPlausibleMarks(t *testing.T) {
	t.Parallel()
	for v, want := range map[string]bool{
		"Hu 'ng Đạo": true, "Đắk R'Lấp": false, "người H'Mông": false, "Hưng Đạo": false, "Hưng' Đạo": true,
	} {
		if got := strayApostrophe(v); got != want {
			t.Errorf("strayApostrophe(%q) = %v, want %v", v, got, want)
		}
	}
	for v, want := range map[string]bool{
		"TỈNH BÀ RỊA - VŨNG TÀU ỦY BAN NHÂN DÂN XÃ ĐÔNG HƯNG": true,
		"THÀNH PHỐ HÀ NỘI SỞ TƯ PHÁP":                         true,
		"TỈNH ỦY QUẢNG NINH":                                  false,
		"THÀNH ỦY HÀ NỘI":                                     false,
		"HUYỆN ĐOÀN BA VÌ":                                    false,
		"ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ":                      false,
	} {
		if got := localityFirst(strings.Fields(v)); got != want {
			t.Errorf("localityFirst(%q) = %v, want %v", v, got, want)
		}
	}
	if plausible(FamilyIssuer, "TỈNH BÀ RỊA - VŨNG TÀU ỦY BAN NHÂN DÂN XÃ ĐÔNG HƯNG") {
		t.Error("an issuer opening with its parent's locality is plausible")
	}
}

// TestBadFinal: the finals nh and ch follow only a, ê, i and y.
func TestBadFinal(t *testing.T) {
	t.Parallel()
	for w, want := range map[string]bool{
		"Nữnh": true, "Thânh": true, "Đôch": true, "Ninh": false, "Thành": false, "Huỳnh": false,
		"Bệnh": false, "Xích": false, "Oanh": false, "Bach": false, "ếch": false,
	} {
		if got := badFinal(w); got != want {
			t.Errorf("badFinal(%q) = %v, want %v", w, got, want)
		}
	}
	if plausible(FamilyText, "Tây Nữnh") || !plausible(FamilyText, "Tây Ninh") {
		t.Error("place with a bad final")
	}
}
