package extract

import "testing"

// TestMisreadGivenName: a given name read with another mark than a common name's is flagged;
// common names, names no common one is spelt like, and companies are not.
func TestMisreadGivenName(t *testing.T) {
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
		{"Phạm Đúc Huy", true}, // Đức
		{"Lò Văn Páo", false},  // no common name is spelt p-a-o
		{"Nguyễn Thị Thùy", false},
		{"CÔNG TY CỔ PHẦN VẬN TẢI HOÀNG LONG", false},
	} {
		if got := misreadGivenName(c.name); got != c.want {
			t.Errorf("misreadGivenName(%q) = %v, want %v", c.name, got, c.want)
		}
		if got := plausible(FamilySigner, c.name); got == c.want && c.name != "Lò Văn Páo" {
			t.Errorf("plausible(signer, %q) = %v", c.name, got)
		}
	}
}
