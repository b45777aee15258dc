package extract

import "testing"

// TestUncommonName: a name with a word that is neither a common given name nor a surname
// (a mark or a letter misread, or a rare name) is flagged; common names and companies are not.
func TestUncommonName(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		want bool
	}{
		{"Huỳnh Mai Vần", true}, // Vân
		{"Huỳnh Mai Vân", false},
		{"Chu Thê Quyết", true}, // Thế
		{"Chu Thế Quyết", false},
		{"QUÁCH ĐÌNH HIỂU", true}, // HIẾU
		{"QUÁCH ĐÌNH HIẾU", false},
		{"Phạm Đúc Huy", true},   // Đức
		{"HOÀNG VIỆT LỢT", true}, // LỢI
		{"HOÀNG VIỆT LỢI", false},
		{"Trần Lê Minh", false},
		{"Lò Văn Páo", true}, // rare: sent to a clerk
		{"Nguyễn Thị Thùy", false},
		{"CÔNG TY CỔ PHẦN VẬN TẢI HOÀNG LONG", false},
	} {
		if got := uncommonName(c.name); got != c.want {
			t.Errorf("uncommonName(%q) = %v, want %v", c.name, got, c.want)
		}
		if got := plausible(FamilySigner, c.name); got == c.want {
			t.Errorf("plausible(signer, %q) = %v", c.name, got)
		}
	}
}
