package extract

import "testing"

func TestForeignName(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, in, want string }{
		{"marks read into the proper name", "HUNG THỊNH TRANSPORT COMPANY LIMITED", "HUNG THINH TRANSPORT COMPANY LIMITED"},
		{"short name", "HƯNG THINH CORP", "HUNG THINH CORP"},
		{"legal form misread", "THANH CONG AGRICULTURAL PRODUCTS COMPANY LIMTTED", "THANH CONG AGRICULTURAL PRODUCTS COMPANY LIMITED"},
		{"đ", "ĐẠI VIỆT CO., LTD", "DAI VIET CO., LTD"},
		// Left as read.
		{"right", "DAI VIET CONSTRUCTION AND TRADING COMPANY LIMITED", "DAI VIET CONSTRUCTION AND TRADING COMPANY LIMITED"},
		{"no legal form", "HƯNG THỊNH", "HƯNG THỊNH"},
		{"not in capitals", "Hưng Thịnh Company Limited", "Hưng Thịnh Company Limited"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, changed := foreignName(c.in)
			if got != c.want || changed != (c.in != c.want) {
				t.Errorf("foreignName(%q) = %q, %v; want %q", c.in, got, changed, c.want)
			}
		})
	}
}
