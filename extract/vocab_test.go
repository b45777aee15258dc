package extract

import "testing"

func TestSnapIssuer(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, read, want string
		changed          bool
	}{
		{"known body and province", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", false},
		{"TỈNH read with the wrong mark", "ỦY BAN NHÂN DÂN TÍNH QUẢNG NGÃI", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", true},
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
