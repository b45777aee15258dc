package extract

import (
	"testing"

	"github.com/sohoa/sohoa/record"
)

// A trích yếu or recipient read with a diacritic slip is mended from its context and keeps
// what was read, at a lower confidence than the same value read right; right text and names
// are left as read.
func TestFreeTextMended(t *testing.T) {
	t.Parallel()
	page := func(subject, recipient string) []record.Page {
		return []record.Page{{Number: 1, Text: record.NFC("ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN\nSỞ NỘI VỤ\nSố: 03/TTr-SNV\nTỜ TRÌNH\n" +
			subject + "\nKính gửi: " + recipient + "\nKính trình Ủy ban nhân dân tỉnh xem xét, quyết định./.\n")}}
	}
	cases := []struct {
		name, subject, recipient   string
		wantSubject, wantRecip     string
		subjectRead, recipientRead string
	}{
		{"slips", "Về việc nâng bậc lương đối với cán bệ, công chức", "Ủy ban nhận dân tỉnh Thái Nguyên",
			"Về việc nâng bậc lương đối với cán bộ, công chức", "Ủy ban nhân dân tỉnh Thái Nguyên",
			"Về việc nâng bậc lương đối với cán bệ, công chức", "Ủy ban nhận dân tỉnh Thái Nguyên"},
		{"read right", "Về việc nâng bậc lương đối với cán bộ, công chức", "Ủy ban nhân dân tỉnh Thái Nguyên",
			"Về việc nâng bậc lương đối với cán bộ, công chức", "Ủy ban nhân dân tỉnh Thái Nguyên", "", ""},
		{"names", "Về việc khen thưởng ông Nguyễn Văn Tâm", "Ông Hừng Đạo",
			"Về việc khen thưởng ông Nguyễn Văn Tâm", "Ông Hừng Đạo", "", ""},
	}
	e := newTestExtractor()
	right := e.Extract("to_trinh", page(cases[1].subject, cases[1].recipient))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := e.Extract("to_trinh", page(c.subject, c.recipient))
			for _, f := range []struct{ name, value, read string }{{"subject", c.wantSubject, c.subjectRead}, {"recipient", c.wantRecip, c.recipientRead}} {
				g := got[f.name]
				if g.Value != f.value || g.Read != f.read {
					t.Errorf("%s = %q read %q, want %q read %q", f.name, g.Value, g.Read, f.value, f.read)
				}
				if f.read != "" && g.Confidence >= right[f.name].Confidence {
					t.Errorf("%s mended at confidence %.2f, not below %.2f read right", f.name, g.Confidence, right[f.name].Confidence)
				}
			}
		})
	}
}

// A form's free-text field read by its label is mended too; a name on the same form is not.
func TestFormTextMended(t *testing.T) {
	t.Parallel()
	text := "GIẤY KHAI SINH\nHọ, chữ đệm, tên: Trần Văn Bình\nNơi đăng ký khai sinh: Ủy ban nhần dần xã Đông Hưng, huyện Thủ Đức\n"
	got := newTestExtractor().Extract("giay_khai_sinh", []record.Page{{Number: 1, Text: record.NFC(text)}})
	if f := got["registration_place"]; f.Value != "Ủy ban nhân dân xã Đông Hưng, huyện Thủ Đức" || f.Read != "Ủy ban nhần dần xã Đông Hưng, huyện Thủ Đức" {
		t.Errorf("registration_place = %q read %q", f.Value, f.Read)
	}
	if f := got["full_name"]; f.Value != "Trần Văn Bình" || f.Read != "" {
		t.Errorf("full_name = %q read %q", f.Value, f.Read)
	}
}
