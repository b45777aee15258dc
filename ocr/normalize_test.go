package ocr

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/unicode/norm"
)

func TestNormalize(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in, want string
	}{
		{"NFD input composed", "ho\u0302\u0300 so\u031b", "hồ sơ"},
		{"tone moved in oa", "Cộng hoà xã hội", "Cộng hòa xã hội"},
		{"upper case", "CỘNG HOÀ", "CỘNG HÒA"},
		{"tone moved in uy", "thuỷ lợi, Uỷ ban", "thủy lợi, Ủy ban"},
		{"tone moved in oe", "sức khoẻ", "sức khỏe"},
		{"dot below moved", "toạ độ", "tọa độ"},
		{"already new style", "hòa thủy khỏe ủy", "hòa thủy khỏe ủy"},
		{"qu keeps tone on y", "quý, Quỳnh", "quý, Quỳnh"},
		{"closed syllable untouched", "hoàng thuyết khoảng", "hoàng thuyết khoảng"},
		{"triphthong untouched", "ngoài khuya xoáy", "ngoài khuya xoáy"},
		{"eth to đ", "Ðộc lập, ðồng", "Độc lập, đồng"},
		{"diaeresis dropped", "hö sö ï", "ho so i"},
		{"tilde on consonant dropped", "ñam", "nam"},
		{"florin", "ƒile", "file"},
		{"punctuation and digits kept", "Số: 15/QĐ-BNV; 1.855,3 m²", "Số: 15/QĐ-BNV; 1.855,3 m²"},
		{"line breaks kept", "a\nb", "a\nb"},
		{"empty", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := Normalize(c.in)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("Normalize(%q) (-want +got):\n%s", c.in, diff)
			}
			if !norm.NFC.IsNormalString(got) {
				t.Errorf("Normalize(%q) = %q is not NFC", c.in, got)
			}
			if again := Normalize(got); again != got {
				t.Errorf("Normalize is not idempotent: %q → %q", got, again)
			}
		})
	}
}

func TestStripRules(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"|Kiểm", "Kiểm"}, {"|", ""}, {"tra|", "tra"}, {"a|b", "a|b"}, {"Số", "Số"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(c.want, stripRules(c.in)); diff != "" {
				t.Errorf("stripRules(%q) (-want +got):\n%s", c.in, diff)
			}
		})
	}
}
