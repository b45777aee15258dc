package extract

import (
	"testing"

	"github.com/sohoa/sohoa/record"
)

func TestSnapIssuer(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, read, want string
		changed          bool
	}{
		{"known body and province", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", false},
		{"TỈNH read with the wrong mark", "ỦY BAN NHÂN DÂN TÍNH QUẢNG NGÃI", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", true},
		{"NHÂN misread in a people's committee", "ỦY BAN N DÂN XÃ QUANG TRUNG", "ỦY BAN NHÂN DÂN XÃ QUANG TRUNG", true},
		{"a committee with no locality is no people's committee", "ỦY BAN AN TOÀN DÂN", "ỦY BAN AN TOÀN DÂN", false},
		{"TỈNH's last letter lost", "ỦY BAN NHÂN DÂN TỈN VĨNH LONG", "ỦY BAN NHÂN DÂN TỈNH VĨNH LONG", true},
		{"TIN without TỈNH's mark is a word of the body", "TRUNG TÂM THÔNG TIN VĨNH LONG", "TRUNG TÂM THÔNG TIN VĨNH LONG", false},
		{"province's mark misread", "ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VỮNG TÀU", "ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU", true},
		{"words run together", "SỞTÀINGUYÊNVÀ MÔI TRƯỜNG TỈNH KHÁNH HÒA", "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG TỈNH KHÁNH HÒA", true},
		{"a stray dot", "SỞ TÀI NGUYÊN VÀ . MÔI TRƯỜNG TỈNH TÂY NINH", "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG TỈNH TÂY NINH", true},
		{"the city after 2025", "ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ", "ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ", false},
		{"marks lost in OCR", "SO NOI VU", "SỞ NỘI VỤ", true},
		{"a commune is no entry: kept", "ỦY BAN NHÂN DÂN XÃ ĐÔNG HƯNG", "ỦY BAN NHÂN DÂN XÃ ĐÔNG HƯNG", false},
		{"unknown body kept", "TRƯỜNG TRUNG HỌC PHỔ THÔNG LÊ LỢI", "TRƯỜNG TRUNG HỌC PHỔ THÔNG LÊ LỢI", false},
		// SỞ and BỘ differ by one letter: a body one edit from both is left alone.
		{"the province's name repeats TỈNH", "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG TĨNH HÀ TĨNH", "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG TỈNH HÀ TĨNH", true},
		{"a commune's council: body corrected, name kept", "ỦY BAN NHÂN DẪN XÃ HẢI CHÂU", "ỦY BAN NHÂN DÂN XÃ HẢI CHÂU", true},
		{"XÃ HỘI is no commune", "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘl", "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", true},
		{"two as near: kept", "XỞ TƯ PHÁP", "XỞ TƯ PHÁP", false},
		{"a short name's marks restored", "BỘ Y TỂ", "BỘ Y TẾ", true},
		{"a short name's letters are not", "BỘ Y TẾT", "BỘ Y TẾT", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, changed := snapIssuer(c.read)
			if got != c.want || changed != c.changed {
				t.Errorf("snapIssuer(%q) = %q, %v; want %q, %v", c.read, got, changed, c.want, c.changed)
			}
		})
	}
}

func TestNewBody(t *testing.T) {
	t.Parallel()
	cases := []struct {
		above, line string
		want        bool
	}{
		{"ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN", "SỞ NỘI VỤ", true},
		{"ỦY BAN NHÂN DÂN", "THÀNH PHỐ ĐÀ NẴNG", false},
		{"SỞ TÀI NGUYÊN VÀ MÔI", "TRƯỜNG TỈNH NINH THUẬN", false},
		{"ỦY BAN NHÂN DÂN", "SỞTÀINGUYÊNVÀ", true},
	}
	for _, c := range cases {
		if got := newBody(c.above, c.line); got != c.want {
			t.Errorf("newBody(%q, %q) = %v, want %v", c.above, c.line, got, c.want)
		}
	}
}

func TestSnapPlace(t *testing.T) {
	t.Parallel()
	for read, want := range map[string]string{
		"Trà Vĩnh":   "Trà Vinh", // the province, marks misread
		"Trà Vinh":   "Trà Vinh",
		"Hưng Đạo":   "Hưng Đạo", // a commune: no list, kept
		"Hòa Bình":   "Hòa Bình",
		"Thanh Hoa":  "Thanh Hóa",
		"Thanh Hoan": "Thanh Hoan", // one letter from a province is another place
	} {
		if got, _ := snapPlace(read); got != want {
			t.Errorf("snapPlace(%q) = %q, want %q", read, got, want)
		}
	}
}

// TestSnapClosed: a value of a closed list gets the entry's marks and letters back when that
// entry is the unique nearest; a value the list does not hold is kept as read.
func TestSnapClosed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		field, in, want string
		changed         bool
	}{
		{"use_term", "Lâu đài", "Lâu dài", true},
		{"use_term", "Lâu dài", "Lâu dài", false},
		{"use_term", "Đến ngày 05/03/2059", "Đến ngày 05/03/2059", false},
		{"legal_representative_title", "Tống giám đốc", "Tổng giám đốc", true},
		{"legal_representative_title", "Giám đốc", "Giám đốc", false},
		{"legal_representative_title", "Trưởng phòng", "Trưởng phòng", false},
		{"company_type", "CÔNG TY TRÁCH NHIỆM HỮU HẠN MỘT THÀNH VIÈN", "CÔNG TY TRÁCH NHIỆM HỮU HẠN MỘT THÀNH VIÊN", true},
		{"company_type", "CÔNG TY CÔ PHẦN", "CÔNG TY CỔ PHẦN", true},
		{"ethnicity", "H Mông", "H'Mông", true}, // the apostrophe lost
		{"ethnicity", "Kính", "Kinh", true},
		{"ethnicity", "Ê Đê", "Ê Đê", false},
		{"ethnicity", "Mường", "Mường", false},
	}
	for _, tc := range tests {
		t.Run(tc.field+" "+tc.in, func(t *testing.T) {
			t.Parallel()
			got, changed := snapClosed(tc.field, record.NFC(tc.in))
			if got != record.NFC(tc.want) || changed != tc.changed {
				t.Errorf("snapClosed(%s, %q) = %q, %v; want %q, %v", tc.field, tc.in, got, changed, tc.want, tc.changed)
			}
		})
	}
}

// TestClosedValueMended: a land certificate's term read with a wrong mark is mended to the
// law's wording, the reading kept for the clerk.
func TestClosedValueMended(t *testing.T) {
	t.Parallel()
	text := "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT\nThửa đất số: 112\nTờ bản đồ số: 7\nDiện tích: 350 m2\nHình thức sử dụng: Sử dụng riêng\nThời hạn sử dụng: Lâu đài"
	got := newTestExtractor().Extract("gcn_quyen_su_dung_dat", []record.Page{{Number: 1, Text: record.NFC(text)}})
	if f := got["use_term"]; f.Value != "Lâu dài" || f.Read != "Lâu đài" {
		t.Errorf("use_term = %q read %q, want %q read %q", f.Value, f.Read, "Lâu dài", "Lâu đài")
	}
}
