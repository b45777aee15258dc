package extract

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sohoa/sohoa/record"
)

func TestReasons(t *testing.T) {
	t.Parallel()
	sure := ReviewThreshold() // a value as confident as the model in use needs
	good := record.Fields{
		"number":       {Value: "12/QĐ-UBND", Confidence: sure, Valid: true},
		"issued_date":  {Value: "2024-03-01", Confidence: sure, Valid: true},
		"issuer":       {Value: "ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM", Confidence: sure, Valid: true},
		"signer_title": {Value: "CHỦ TỊCH", Confidence: sure, Valid: true},
		"subject":      {Value: "Về việc thành lập Tổ công tác", Confidence: sure, Valid: true},
		"signer":       {Value: "Nguyễn Văn An", Confidence: sure, Valid: true},
	}
	cls := record.Classification{Type: "quyet_dinh", Confidence: 0.9}
	if r := Reasons(nil, cls, good); len(r) != 0 {
		t.Fatalf("a clean document has reasons %v", r)
	}
	codes := func(f record.Fields, c record.Classification) map[string]string {
		m := map[string]string{}
		for _, r := range Reasons(nil, c, f) {
			if r.Message == "" {
				t.Errorf("reason %s has no message", r.Code)
			}
			m[r.Field] = r.Code
		}
		return m
	}
	bad := record.Fields{}
	for k, v := range good {
		bad[k] = v
	}
	delete(bad, "number")
	bad["issuer"] = record.Field{Value: "QĐ 0315 2024", Confidence: sure, Valid: true} // a serial number, not an agency
	bad["signer_title"] = record.Field{Value: "KT. CHỦ TỊCH", Confidence: sure, Valid: true}
	bad["issued_date"] = record.Field{Value: "2024-03-01", Confidence: FieldThreshold - 0.01, Valid: true}
	got := codes(bad, record.Classification{Type: "quyet_dinh", Confidence: 0.3})
	want := map[string]string{"": ReasonTypeUncertain, "number": ReasonMissing, "issuer": ReasonImplausible,
		"signer_title": ReasonImplausible, "issued_date": ReasonLowConfidence}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("field %q: reason %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	if c := codes(good, record.Classification{Type: record.Unknown}); c[""] != ReasonTypeUnknown {
		t.Errorf("unknown type: %v", c)
	}
	// An issued document is signed and has a trích yếu; a KT. block has the signer's title;
	// a label read without its value is named.
	lost := record.Fields{}
	for k, v := range good {
		lost[k] = v
	}
	delete(lost, "signer")
	delete(lost, "signer_title")
	lost["signing_authority"] = record.Field{Value: "KT", Confidence: sure, Valid: true}
	got = codes(lost, cls)
	if got["signer"] != ReasonMissing || got["signer_title"] != ReasonMissing {
		t.Errorf("lost signature block: %v", got)
	}
	// A deputy signs under KT. or Q.: a deputy's title without it lost the line above.
	alone := record.Fields{}
	for k, v := range good {
		alone[k] = v
	}
	alone["signer_title"] = record.Field{Value: "PHÓ CHỦ TỊCH", Confidence: sure, Valid: true}
	if got := codes(alone, cls); got["signing_authority"] != ReasonMissing {
		t.Errorf("deputy without KT.: %v", got)
	}
	form := record.Fields{
		"full_name":         {Value: "NGUYỄN VĂN AN", Confidence: sure, Valid: true},
		"date_of_birth":     {Value: "2019-03-01", Confidence: sure, Valid: true},
		"registration_date": {},
	}
	if got := codes(form, record.Classification{Type: "giay_khai_sinh", Confidence: 0.97}); got["registration_date"] != ReasonMissing {
		t.Errorf("unread labelled value: %v", got)
	}
}

func TestPlausibleShapes(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		family, value string
		want          bool
	}{
		{FamilyName, "TRIỆU BÍCH UYÊN", true},
		{FamilyName, "TRIỆU BÍCHUYÊN", false}, // two syllables run together
		{FamilyName, "Nguyễn Thị Quyên", true},
		{FamilyName, "PHẠM VIỆT DƯƠNG", true},
		{FamilyName, "PHẠM VIET DƯƠNG", false}, // a closed syllable without sắc or nặng
		{FamilyName, "Lê Đức Đạt", true},
		{FamilyName, "Trân Đức Quân", false},                       // Trần with its mark lost
		{FamilyName, "NGUYÊN ĐỨC ĐẠT", false},                      // Nguyễn with its mark lost
		{FamilyName, "Xuân Dũng", false},                           // the surname cut off
		{FamilyName, "Lò Văn Minh", true},                          // a highland surname
		{FamilyName, "CÔNG TY TNHH MỘT THÀNH VIÊN XÂY DỰNG", true}, // a company has no surname
		{FamilyText, "Dự Hội nghị làm sạch dữ liệu dần cư", false}, // dân cư: a mark slipped
		{FamilyText, "Dự Hội nghị làm sạch dữ liệu dân cư", true},
		{FamilyText, "Ủy ban nhân dân xã Trung Sơn, huyện Hưng Hà, tỉnh Đắk", false}, // the province cut
		{FamilyText, "Ủy ban nhân dân xã Trung Sơn, huyện Hưng Hà, tỉnh Đắk Lắk", true},
		{FamilyText, "Triển khai nhiệm vụ của cấp tỉnh", true},
		{FamilyText, "tiếp nhận và trả kết quảhồ sơ hộ tịch trực tuyến", false},    // a space lost
		{FamilyText, "tiếp nhận và trả kết quả hồ sơ hộ tịch trên Internet", true}, // a loan word
		{FamilyText, "Quy định về quản lý, sử dụng nguồn kinh phí", true},          // qu and ươ are one vowel group each
		{FamilyText, "Con dâu", true},                                              // too short for the syllable model to judge
		{FamilyIssuer, "BỘ Y TẾ", true},                                            // five letters, but a known body
		{FamilyIssuer, "SỞ 12", false},
		{FamilyIssuer, "ỦY BAN NHÂN DÂN XÃ HẢI CHÂU", true},                        // a commune no list holds
		{FamilyIssuer, "ỦY BAN NHÂN DÂN XÃ HẢÁI CHÂT", false},                      // two tones; CHÂT without sắc or nặng
		{FamilyIssuer, "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH ĐẾI", false},                   // ĐẾN misread: no syllable ends êi
		{FamilyIssuer, "SỞ Y TẾ TỈNH QUẢNG NGÃI", true},                            // a province after TỈNH
		{FamilyIssuer, "ỦY BAN NHÂN DÂN TỈNH THỪA THIÊN HUẾ ĐỘ BẠN, CƯỜNG", false}, // ran on past the province
		{FamilyIssuer, "ỦY BAN NHÂN DÂN XÃ KIM LIÊN", true},
		{FamilyIssuer, `SỞ KHOA HỌC: VÀ CÔNG NGH 920 "Z@`, false}, // noise read into it
		{FamilyIssuer, "TRƯỜNG TIỂU HỌC SỐ 2", true},              // a digit is a name's
		{FamilyIssuer, "PHÒNG ĐĂNG KÝ KINH DOANH LÀN", false},     // a known body run on
		{FamilyIssuer, "PHÒNG ĐĂNG KÝ KINH DOANH", true},
		{FamilyIssuer, "SỞ Y TẾ THÀNH PHỐ HÀ NỘI", true},     // its locality after it
		{FamilyIssuer, "THANH TRA TỈNH QUẢNG NAM", true},     // the body's name ends with TỈNH
		{FamilyIssuer, "ỦY BAN NHÂN DÂN XÃ KIM LIEN", false}, // iê without its circumflex
		{FamilyName, "HOÀNG YẾN NHI", true},
		{FamilyName, "HOÀNG YEN NHI", false}, // yê without its circumflex
		{FamilyName, "Lê Văn Cường", true},
		{FamilyName, "Lê Văn Cuong", false},   // ươ without its horns
		{FamilyName, "Nguyễn Thị Thùy", true}, // uy is no bare diphthong
		{FamilyID, "183/2020", true},
		{FamilyID, "1$ 5/2020", false},
		{FamilyID, "AK 428785", true},
		{FamilyText, "Hàò Nội", false},        // two tone marks on one syllable
		{FamilyName, "Nguyễn Vănò An", false}, // the same in a name
		{FamilyText, "Hà Nội", true},
		{FamilyText, "1$ 5/2020", false},                       // a registration number with a speck read as $
		{FamilyText, "Quy định chỉ ¡ tiết một số điều", false}, // a speck read as ¡
		{FamilySubject, "Về @iệc chỉnh lý tài liệu", false},    // a subject is free text
		{FamilySigner, "Trân Đức Quân", false},                 // a signer is a person's name
		{FamilySubject, "Về việc giao chỉ tiêu kế hoạch năm 2025 (đợt 2), tăng 5%", true},
	} {
		if got := plausible(c.family, c.value); got != c.want {
			t.Errorf("plausible(%s, %q) = %v, want %v", c.family, c.value, got, c.want)
		}
	}
}

func TestNumberMismatch(t *testing.T) {
	t.Parallel()
	dt, _ := defaultTaxonomy().Type("to_trinh")
	for v, want := range map[string]bool{"770/TTr-SKHCN": false, "7/Ô": true, "12/QĐ-UBND": true} {
		d := DocEvidence(dt, 0.97, record.Fields{"number": {Value: v}})
		if d.NumberMismatch != want {
			t.Errorf("%s in a tờ trình: mismatch %v, want %v", v, d.NumberMismatch, want)
		}
	}
	low := Calibrated(Evidence{Family: FamilyID, Score: 0.95, Valid: true, Plausible: true, TypeConfidence: 0.97, NumberMismatch: true})
	high := Calibrated(Evidence{Family: FamilyID, Score: 0.95, Valid: true, Plausible: true, TypeConfidence: 0.97})
	if !(low < high) {
		t.Errorf("a mismatched number is calibrated %.3f, a matching one %.3f", low, high)
	}
	// Whatever its confidence, a number of another type's code goes to review.
	f := record.Fields{"number": {Value: "7/Ô", Confidence: 0.99, Valid: true}}
	for _, r := range Reasons(nil, record.Classification{Type: "to_trinh", Confidence: 0.85}, f) {
		if r.Field == "number" && r.Code == ReasonImplausible {
			return
		}
	}
	t.Error("a tờ trình numbered 7/Ô is not sent to review for its number")
}

func TestCalibratedMonotone(t *testing.T) {
	t.Parallel()
	for fam := range calibration {
		lo := Calibrated(Evidence{Family: fam, Score: 0.5, Valid: true, Plausible: true})
		hi := Calibrated(Evidence{Family: fam, Score: 0.95, Valid: true, Plausible: true})
		bad := Calibrated(Evidence{Family: fam, Score: 0.95, Valid: false, Plausible: true})
		if !(lo < hi || fam == FamilyChoice && lo == hi) || !(bad < hi) {
			t.Errorf("%s: score 0.5 → %.3f, 0.95 → %.3f, invalid 0.95 → %.3f", fam, lo, hi, bad)
		}
	}
}

// TestChoiceFollowsType: a code read whole is as right as the document's type, whatever
// recognition's confidence in its few pixels.
func TestChoiceFollowsType(t *testing.T) {
	t.Parallel()
	if got := Family("signing_authority", "text"); got != FamilyChoice {
		t.Errorf("signing_authority is in family %s", got)
	}
	e := Evidence{Family: FamilyChoice, Score: 0.3, Valid: true, Plausible: true, TypeConfidence: 0.97}
	sure := Calibrated(e)
	e.Score = 0.99
	if again := Calibrated(e); again != sure {
		t.Errorf("score 0.3 → %.3f, 0.99 → %.3f; want the same", sure, again)
	}
	e.TypeConfidence = 0.55
	if unsure := Calibrated(e); !(unsure < sure) || sure < FieldThreshold {
		t.Errorf("type confidence 0.97 → %.3f, 0.55 → %.3f", sure, unsure)
	}
}

// TestImplausibleMessages: the clerk is told what to look for in an implausible name or text.
func TestImplausibleMessages(t *testing.T) {
	t.Parallel()
	f := record.Fields{
		"signer":  {Value: "Trân Đức Quân", Confidence: 0.99, Valid: true},
		"subject": {Value: "Dự Hội nghị làm sạch dữ liệu dần cư", Confidence: 0.99, Valid: true},
		"number":  {Value: "1$/QĐ-UBND", Confidence: 0.99, Valid: true},
	}
	got := map[string]string{}
	for _, r := range Reasons(nil, record.Classification{Type: "giay_moi", Confidence: 0.97}, f) {
		if r.Code == ReasonImplausible {
			got[r.Field] = r.Message
		}
	}
	want := map[string]string{
		"signer":  implausibleMessages[FamilyName],
		"subject": implausibleMessages[FamilyText],
		"number":  "Giá trị không giống nội dung của trường này",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("implausible messages (-want +got):\n%s", diff)
	}
}

// TestNoRhyme: i after â, ă or ê, y after ă or ê, and a final ă are no Vietnamese rhyme;
// the rhymes the language writes are.
func TestNoRhyme(t *testing.T) {
	t.Parallel()
	for _, w := range []string{"ĐẾI", "ĐẤI", "khăy", "bă"} {
		if !noRhyme(w) {
			t.Errorf("%q has a rhyme", w)
		}
	}
	for _, w := range []string{"ĐẾN", "ĐÂY", "TÂY", "NGÀY", "cây", "đêu", "khắc", "tai", "TRƯỜNG", "Nguyễn", "Huy"} {
		if noRhyme(w) {
			t.Errorf("%q has no rhyme", w)
		}
	}
}
