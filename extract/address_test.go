package extract

import "testing"

func TestMendAddress(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, in, want string }{
		{"capitalised first unit", "Tố dân phố Đông, phường Tân Phong, huyện Châu Thành, tỉnh Bình Phước", "Tổ dân phố Đông, phường Tân Phong, huyện Châu Thành, tỉnh Bình Phước"},
		{"province's marks", "Số 129 đường Trường Chinh, xã Hòa Phú, huyện Cam Lâm, tỉnh Đẳk Lầk", "Số 129 đường Trường Chinh, xã Hòa Phú, huyện Cam Lâm, tỉnh Đắk Lắk"},
		{"unit in lower case", "Ấp Tây, xa Trung Sơn, huyện Tuy Phước", "Ấp Tây, xã Trung Sơn, huyện Tuy Phước"},
		{"city", "phường Bến Nghé, thành phố Hồ Chí Mình", "phường Bến Nghé, thành phố Hồ Chí Minh"},
		{"run on after the province", "xã Long Hưng, huyện Vũ Thư, tỉnh Hà Giang Tho", "xã Long Hưng, huyện Vũ Thư, tỉnh Hà Giang"},
		{"run on after a province of one word", "xã An Bình, tỉnh Huế ll", "xã An Bình, tỉnh Huế"},
		// Left as read.
		{"right", "Thôn 3, xã Thạch Xá, huyện Thạch Thất, thành phố Hà Nội", "Thôn 3, xã Thạch Xá, huyện Thạch Thất, thành phố Hà Nội"},
		{"a name whose unit was left out", "Số 5 ngõ 12, Phương Liệt, Thanh Xuân, Hà Nội", "Số 5 ngõ 12, Phương Liệt, Thanh Xuân, Hà Nội"},
		{"commune's name kept", "xã Hòa Phu, tỉnh Khánh Hòa", "xã Hòa Phu, tỉnh Khánh Hòa"},
		{"no province under tỉnh kept whole", "xã Hòa Phú, tỉnh Hà Tây Mới", "xã Hòa Phú, tỉnh Hà Tây Mới"},
		{"unit alone", "Tố", "Tố"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, changed := mendAddress(c.in)
			if got != c.want || changed != (c.in != c.want) {
				t.Errorf("mendAddress(%q) = %q, %v; want %q", c.in, got, changed, c.want)
			}
		})
	}
}
