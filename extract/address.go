package extract

import (
	"strings"

	"github.com/sohoa/sohoa/record"
)

// addressFields are the fields that hold an address: segments from the smallest unit to the
// province, separated by commas ("Tổ dân phố Đông, phường Tân Phong, tỉnh Bình Phước").
var addressFields = map[string]bool{
	"address": true, "applicant_address": true, "head_office_address": true, "residence": true,
	"place_of_birth": true, "place_of_origin": true, "place_of_death": true, "registration_place": true,
}

// unitWords are the words an address segment opens with to name its unit: the residential
// groups under a commune (Circular 04/2012/TT-BNV: thôn, tổ dân phố; and the ấp, xóm, khu phố
// of the south and north) and the administrative units (Law on Local Government Organisation).
// Words whose letters also spell a place's name or a common word ("bản", "đường", "số", "tổ")
// are left out: a segment may start with such a name.
var unitWords = []string{"tổ dân phố", "khu phố", "thôn", "ấp", "xóm", "phường", "xã", "thị trấn", "thị xã", "quận", "huyện", "tỉnh", "thành phố"}

// mendAddress restores the marks of the unit word each segment of the address v opens with
// ("Tố dân phố Đông" → "Tổ dân phố Đông") and of a province's name after "tỉnh" ("tỉnh Đẳk
// Lầk" → "tỉnh Đắk Lắk"), where the letters are those of a unit word or of one province
// exactly; and reports whether it changed anything. The names of smaller units, which no
// list holds, are kept as read.
func mendAddress(v string) (string, bool) {
	segs := strings.Split(v, ",")
	for i, seg := range segs {
		// After the first segment a unit is printed in lower case: a capitalised word there
		// is a name whose unit was left out ("…, Phương Liệt, …"), not a misread "phường".
		if i > 0 && startsUpper(strings.TrimSpace(seg)) {
			continue
		}
		segs[i] = mendSegment(seg)
	}
	out := strings.Join(segs, ",")
	return out, out != v
}

// mendSegment mends one comma-separated segment of an address.
func mendSegment(seg string) string {
	lead := seg[:len(seg)-len(strings.TrimLeft(seg, " "))]
	words := strings.Fields(seg)
	for _, u := range unitWords {
		n := len(strings.Fields(u))
		if len(words) <= n || record.Fold(strings.Join(words[:n], " ")) != record.Fold(u) {
			continue
		}
		unit := u
		if startsUpper(words[0]) {
			unit = caseAs(u, "Xx")
		}
		name := strings.Join(words[n:], " ")
		if u == "tỉnh" {
			name = provinceOnly(words[n:])
		}
		if u == "tỉnh" || u == "thành phố" {
			if p, ok := snapPlace(name); ok {
				name = p
			}
		}
		return lead + unit + " " + name
	}
	return seg
}

// provinceOnly is a province's name after "tỉnh" without the words OCR ran on after it
// ("tỉnh Hà Giang Tho": a speck or the next line's remains): the longest run of leading
// words that is a province's name, when the whole is none; else the words as read.
func provinceOnly(words []string) string {
	name := strings.Join(words, " ")
	if isProvince(name) {
		return name
	}
	for k := len(words) - 1; k >= 1; k-- {
		if p := strings.Join(words[:k], " "); isProvince(p) {
			return p
		}
	}
	return name
}

// isProvince reports whether t is a province's name, whatever marks OCR gave it.
func isProvince(t string) bool {
	k := vocabKey(t)
	for _, p := range provinces {
		if vocabKey(p) == k {
			return true
		}
	}
	return false
}
