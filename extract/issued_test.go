package extract

import (
	"strings"
	"testing"
)

func linesOfText(text string) []*line {
	var ls []*line
	for i, t := range strings.Split(text, "\n") {
		ls = append(ls, newLine(1, i, t))
	}
	return ls
}

func TestMatchDate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, text string
		want       string // the date's text, "" for none
	}{
		{"one line", "Hà Nội, ngày 31 tháng 12 năm 2025", "ngày 31 tháng 12 năm 2025"},
		{"year on the next line", "Minh Khai, ngày 17 tháng 02 năm\n2022", "ngày 17 tháng 02 năm 2022"},
		{"month on the next line", "Hòa Bình, ngày 06\ntháng 12 năm 2023", "ngày 06 tháng 12 năm 2023"},
		{"a sentence's ngày is no date", "Trình bày trong ngày\nhọp tháng sau", ""},
		{"no date", "Kính gửi: Sở Nội vụ\nVề việc", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d, m := matchDate(linesOfText(c.text), 0)
			got := ""
			if m != nil {
				st, en := d.orig(m[0], m[1])
				got = d.text[st:en]
			}
			if got != c.want {
				t.Errorf("matchDate(%q) = %q, want %q", c.text, got, c.want)
			}
		})
	}
}

func TestLastBody(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, block, want string
	}{
		{"department under the province", "TM. ỦY BAN NHÂN DÂN\nKT. GIÁM ĐỐC\nSỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG\nTỈNH KHÁNH HÒA\nPHÓ GIÁM ĐỐC\nTạ Thành Lâm",
			"SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG TỈNH KHÁNH HÒA"},
		{"name broken before TRƯỜNG", "TM. ỦY BAN NHÂN DÂN\nKT. GIÁM ĐỐC\nSỞ TÀI NGUYÊN VÀ MÔI.\nTRƯỜNG TỈNH NINH THUẬN\nPHÓ GIÁM ĐỐC\nLê Trọng Cường",
			"SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG TỈNH NINH THUẬN"},
		{"the council itself", "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn A", "ỦY BAN NHÂN DÂN"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, _, _ := lastBody(linesOfText(c.block))
			if got != c.want {
				t.Errorf("lastBody = %q, want %q", got, c.want)
			}
		})
	}
}
