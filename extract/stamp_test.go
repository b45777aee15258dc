package extract

import "testing"

// TestPortalCut: the portal stamp's heading is cut out of the line it was read into and the
// rest of the line kept; a line of its own is blanked; the portal named in a sentence is not
// the stamp (the received-stamp line rule still applies to it on its own).
func TestPortalCut(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, in, want string }{
		{"glued to a card label, garbled", "Người ký: CÔNG THÔNG TINjAIỆNTRhCHÍNtbPHỦ", "Người ký:"},
		{"before a copy mark", "CÔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ (BẢN SAO)", "(BẢN SAO)"},
		{"after a name", "Họ, chữ đệm, tên: LÝ NGỌC NGỌC CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ", "Họ, chữ đệm, tên: LÝ NGỌC NGỌC"},
		{"after body text", "trường điện tử; CỒNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ", "trường điện tử;"},
		{"alone", "CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ", ""},
		{"no stamp", "Về việc đăng tải trên Cổng thông tin", "Về việc đăng tải trên Cổng thông tin"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ls := boxedLines([][3]any{{"ỦY BAN NHÂN DÂN", 200, 700}, {c.in, 200, 1800}})
			if got := ls[1].text; got != c.want {
				t.Errorf("line = %q, want %q", got, c.want)
			}
			for _, w := range ls[1].words {
				if ls[1].text[w.start:w.end] != w.w.Text {
					t.Errorf("word %q placed on %q", w.w.Text, ls[1].text[w.start:w.end])
				}
			}
		})
	}
}

// TestStampAfterSpecks: the stamp's "ĐẾN" read after specks of its box's border, at the start
// of the line a trích yếu wrapped onto, is cut with them; a word of the text before it keeps
// the line whole.
func TestStampAfterSpecks(t *testing.T) {
	t.Parallel()
	ls := boxedLines([][3]any{
		{"BÁO CÁO", 1275, 1566},
		{"IĐ ĐẾN quan nhà nước", 744, 1652},
		{"ngày ĐẾN quan nhà nước", 744, 1652},
	})
	dropStamp(ls)
	if got := ls[1].text; got != "quan nhà nước" {
		t.Errorf("line = %q, want %q", got, "quan nhà nước")
	}
	if got := ls[2].text; got != "ngày ĐẾN quan nhà nước" {
		t.Errorf("line = %q, kept whole", got)
	}
}
