package extract

import (
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/sohoa/sohoa/record"
)

// strengthCorrected discounts a value that was corrected to the nearest entry of a closed
// vocabulary: the correction is usually right, but the OCR did not say so.
const strengthCorrected = 0.95

// putCorrected records fixed, the closed-vocabulary entry or language-model reading that
// replaced the recognised text read, and keeps read on the field for the clerk.
func (s *state) putCorrected(name, fixed, read string, sp span, strength float64) {
	s.putText(name, fixed, sp, strength)
	if f, ok := s.out[name]; ok && f.Value != record.CollapseSpace(read) {
		f.Read = record.CollapseSpace(read)
		s.out[name] = f
	}
}

// upperTitles are the known titles as printed in a signature block.
var upperTitles = func() []string {
	out := make([]string, len(titles))
	for i, t := range titles {
		out[i] = strings.ToUpper(t)
	}
	return out
}()

// snapTitle returns the known title t was meant to be: t itself when known, else the unique
// known title within one edit (on letters with their marks, hyphens read as spaces) of t or of
// its leading words (a title followed by its unit). ok is false when there is none or more
// than one, so a value is never corrected to a guess.
func snapTitle(t string) (string, bool) {
	norm := record.CollapseSpace(strings.ReplaceAll(strings.ToUpper(t), "-", " "))
	for _, k := range upperTitles {
		// The marks OCR changed ("PHÓ GIAM ĐÓC") are restored from the one title that folds alike.
		if record.Fold(norm) == record.Fold(k) {
			return k, true
		}
	}
	if k, ok := foldsTogether(norm); ok {
		return k, true // "BỘTRƯỜNG": the space lost and a mark changed
	}
	if knownTitle(t) {
		return t, true
	}
	if knownTitle(norm) {
		return norm, true
	}
	best, n := "", 0
	for _, k := range upperTitles {
		if editDistance(norm, k) <= 1 {
			if best != k {
				n++
			}
			best = k
		}
	}
	if n != 1 || len([]rune(norm)) < 6 {
		return "", false
	}
	return best, true
}

// foldsTogether returns the one known title whose letters, folded and without spaces, are
// t's ("BỘTRƯỜNG" for BỘ TRƯỞNG: a space lost and a mark changed, two edits apart).
func foldsTogether(t string) (string, bool) {
	squeeze := func(s string) string { return strings.ReplaceAll(record.Fold(s), " ", "") }
	want, found := squeeze(t), ""
	for _, k := range upperTitles {
		if squeeze(k) == want {
			if found != "" && found != k {
				return "", false
			}
			found = k
		}
	}
	return found, found != ""
}

// editDistance is the Levenshtein distance between a and b in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := prev[j-1]
			if ra[i-1] != rb[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// agencies are the names of issuing bodies as printed in a header (upper case): the central
// bodies, the ministries and the provincial departments, under their names before and after
// the 2025 reorganisation (ministries and the provinces' Sở merged alike).
// A body named after its locality ("ỦY BAN NHÂN DÂN TỈNH X") is matched by its prefix here
// and its locality in provinces.
var agencies = []string{
	"CHÍNH PHỦ", "THỦ TƯỚNG CHÍNH PHỦ", "VĂN PHÒNG CHÍNH PHỦ", "THANH TRA CHÍNH PHỦ",
	"NGÂN HÀNG NHÀ NƯỚC VIỆT NAM", "KIỂM TOÁN NHÀ NƯỚC", "BẢO HIỂM XÃ HỘI VIỆT NAM",
	"ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "THƯỜNG TRỰC HỘI ĐỒNG NHÂN DÂN",
	"VĂN PHÒNG ỦY BAN NHÂN DÂN", "VĂN PHÒNG ĐOÀN ĐẠI BIỂU QUỐC HỘI VÀ HỘI ĐỒNG NHÂN DÂN",
	"ỦY BAN DÂN TỘC", "THANH TRA TỈNH", "THANH TRA THÀNH PHỐ", "CÔNG AN TỈNH", "CÔNG AN THÀNH PHỐ",
	"BỘ CÔNG AN", "BỘ QUỐC PHÒNG", "BỘ NGOẠI GIAO", "BỘ NỘI VỤ", "BỘ TƯ PHÁP", "BỘ TÀI CHÍNH",
	"BỘ CÔNG THƯƠNG", "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "BỘ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN",
	"BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "BỘ XÂY DỰNG", "BỘ GIAO THÔNG VẬN TẢI",
	"BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "BỘ KHOA HỌC VÀ CÔNG NGHỆ", "BỘ THÔNG TIN VÀ TRUYỀN THÔNG",
	"BỘ GIÁO DỤC VÀ ĐÀO TẠO", "BỘ Y TẾ", "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
	"BỘ KẾ HOẠCH VÀ ĐẦU TƯ", "BỘ DÂN TỘC VÀ TÔN GIÁO",
	"SỞ NỘI VỤ", "SỞ TƯ PHÁP", "SỞ TÀI CHÍNH", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "SỞ CÔNG THƯƠNG",
	"SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN",
	"SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "SỞ XÂY DỰNG", "SỞ GIAO THÔNG VẬN TẢI",
	"SỞ GIAO THÔNG VẬN TẢI - XÂY DỰNG", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "SỞ VĂN HÓA VÀ THỂ THAO",
	"SỞ VĂN HÓA - THỂ THAO", "SỞ DU LỊCH", "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
	"SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "SỞ Y TẾ",
	"SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "SỞ DÂN TỘC VÀ TÔN GIÁO", "SỞ NGOẠI VỤ",
	"BAN DÂN TỘC", "BAN QUẢN LÝ CÁC KHU CÔNG NGHIỆP", "BAN QUẢN LÝ KHU KINH TẾ",
	"PHÒNG ĐĂNG KÝ KINH DOANH", // of the province's Sở Kế hoạch và Đầu tư, Sở Tài chính from 2025
}

// provinces are the provinces and centrally run cities: the 63 before the 2025 merger (the
// birth-registration table) and the 34 after it, whose names are among them but for Huế.
var provinces = func() []string {
	out := []string{"Huế"}
	for _, p := range cccdProvinces {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}()

// vocabKey folds s and keeps only its letters and digits, so that the spaces and punctuation
// OCR drops or adds ("SỞTÀINGUYÊNVÀ", "VÀ . MÔI") do not count as differences.
func vocabKey(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, record.Fold(s))
}

// nearest returns the entry of vocab whose key is the unique nearest to key: equal, or within
// one edit for keys of 8 letters or more and two from 20 (an issuer's name is long, one
// letter misread in twenty is usual). ok is false when none is so near or two are as near.
func nearest(vocab []string, key string) (string, bool) {
	limit := 0
	switch n := len([]rune(key)); {
	case n >= 20:
		limit = 2
	case n >= 8:
		limit = 1
	}
	best, bestD, ties := "", limit+1, 0
	for _, v := range vocab {
		k := vocabKey(v)
		if d := len([]rune(k)) - len([]rune(key)); d > limit || -d > limit {
			continue
		}
		d := editDistance(key, k)
		switch {
		case d < bestD:
			best, bestD, ties = v, d, 1
		case d == bestD && v != best:
			ties++
		}
	}
	if bestD > limit || ties != 1 {
		return "", false
	}
	return best, true
}

// localityWords are the words that start a body's locality, folded and without spaces, with
// how they are printed: a province's (whose name is in provinces) and, below it, a commune's
// or an old district's, whose names no list here holds.
var localityWords = []struct {
	key, word string
	province  bool
}{
	{"tinh", "TỈNH", true}, {"thanhpho", "THÀNH PHỐ", true},
	{"xa", "XÃ", false}, {"phuong", "PHƯỜNG", false}, {"thitran", "THỊ TRẤN", false},
	{"dackhu", "ĐẶC KHU", false}, {"huyen", "HUYỆN", false}, {"quan", "QUẬN", false},
	{"thixa", "THỊ XÃ", false},
}

// splitLocality splits the words w of a body's name into the body and its locality
// ("ỦY BAN NHÂN DÂN" + "TỈNH QUẢNG NGÃI"), its locality word read by fold so that OCR's marks
// ("TÍNH") do not hide it. A province's name is corrected to the unique nearest province; a
// locality not known is kept as read. The right-most split whose province is known wins
// ("… TĨNH HÀ TĨNH"), then the right-most lower locality. ok is false without a locality.
func splitLocality(w []string) (body []string, locality string, ok bool) {
	lower := -1
	var lowerWord string
	var lowerN int
	for i := len(w) - 2; i >= 1; i-- {
		for _, lw := range localityWords {
			n := len(strings.Fields(lw.word))
			if i+n >= len(w) {
				continue
			}
			rest := strings.Join(w[i+n:], " ")
			if vocabKey(strings.Join(w[i:i+n], " ")) != lw.key && !misreadTinh(w[i], lw.key, rest) {
				continue
			}
			if lw.province {
				if p, found := nearest(provinces, vocabKey(rest)); found {
					return w[:i], lw.word + " " + strings.ToUpper(p), true
				}
			}
			if lower < 0 && (!lw.province || lw.key == "thanhpho") {
				lower, lowerWord, lowerN = i, lw.word, n
			}
		}
	}
	if lower < 0 {
		return w, "", false
	}
	return w[:lower], lowerWord + " " + strings.Join(w[lower+lowerN:], " "), true
}

// misreadTinh reports whether word is TỈNH with a letter misread or lost ("TỈN", "TỈNN")
// before a province's name: its key one edit from "tinh", its Ỉ still there (the mark only
// TỈNH carries among a body's words, so "THÔNG TIN" is not taken for it), and the words after
// it exactly a province.
func misreadTinh(word, key, rest string) bool {
	if key != "tinh" || !strings.ContainsRune(strings.ToUpper(record.NFC(word)), 'Ỉ') || editDistance(vocabKey(word), key) != 1 {
		return false
	}
	k := vocabKey(rest)
	return slices.ContainsFunc(provinces, func(p string) bool { return vocabKey(p) == k })
}

// garbledCommittee reports whether the body before a locality is "ỦY BAN … DÂN" with one or
// two words between misread ("ỦY BAN N DÂN XÃ QUANG TRUNG"): the only body so named under a
// locality is the people's committee, whatever OCR made of NHÂN. ("ỦY BAN DÂN TỘC" has no word
// between and no locality.)
func garbledCommittee(body []string) bool {
	n := len(body)
	return n >= 4 && n <= 5 && vocabKey(strings.Join(body[:2], " ")) == "uyban" && vocabKey(body[n-1]) == "dan"
}

// snapIssuer corrects an issuer read from the header or a signature block to the closed
// vocabularies of bodies and provinces: its body part to the unique nearest entry of
// agencies, its locality's province to the unique nearest province. A part with no entry
// near enough is kept as read, so a body the lists do not know is never changed to a guess.
// It returns the corrected name and whether anything changed.
func snapIssuer(t string) (string, bool) {
	if a, ok := nearest(agencies, vocabKey(t)); ok {
		return a, a != record.CollapseSpace(t) // "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI" has no locality
	}
	body, locality, hasLocality := splitLocality(strings.Fields(t))
	out := strings.Join(body, " ")
	if a, ok := nearest(agencies, vocabKey(out)); ok {
		out = a
	} else if hasLocality && garbledCommittee(body) {
		out = "ỦY BAN NHÂN DÂN"
	}
	if hasLocality {
		out += " " + locality
	}
	return out, out != record.CollapseSpace(t)
}

// snapPlace restores the marks of a place that is a province's name read with other marks
// ("Trà Vĩnh" for Trà Vinh). Only a name equal to a province's when folded is changed: a
// commune's name one letter from a province's is another place.
func snapPlace(t string) (string, bool) {
	k := vocabKey(t)
	for _, p := range provinces {
		if vocabKey(p) == k {
			return p, p != record.CollapseSpace(t)
		}
	}
	return t, false
}

// unfinishedAgency reports whether t is the start of a known body's name broken over lines
// ("SỞ TÀI NGUYÊN VÀ MÔI" over "TRƯỜNG TỈNH X"), so the next line goes on with it even if it
// starts like a body of its own.
func unfinishedAgency(t string) bool {
	k := vocabKey(t)
	if len(k) < 4 {
		return false
	}
	for _, a := range agencies {
		if ak := vocabKey(a); len(ak) > len(k) && strings.HasPrefix(ak, k) {
			return true
		}
	}
	return false
}

// startsAgency reports whether t begins with a known body's name or is the start of one (six
// letters at least), its words run together or not ("SỞTÀINGUYÊNVÀ").
func startsAgency(t string) bool {
	k := vocabKey(t)
	for _, a := range agencies {
		ak := vocabKey(a)
		if len(k) >= 6 && (strings.HasPrefix(k, ak) || strings.HasPrefix(ak, k)) {
			return true
		}
	}
	return false
}

// nearTitle reports whether t is a known title misread by a letter or its marks
// ("PHO GLAM ĐỌC"): a signature block's title line, not a body's name.
func nearTitle(t string) bool {
	_, ok := nearest(upperTitles, vocabKey(t))
	return ok
}

// putPlace records the place at sp, a province's name read with other marks corrected.
func (s *state) putPlace(name string, sp span) {
	read := record.CollapseSpace(sp.text())
	if fixed, changed := snapPlace(read); changed {
		strength := strengthLabel
		if !hasDiacritics(sp.l.text) {
			strength = strengthFolded // as put discounts a label's value read without marks
		}
		s.putCorrected(name, fixed, read, sp, strength*strengthCorrected)
		return
	}
	s.set(name, sp, strengthLabel)
}

// putIssuer records an issuer, corrected to the closed vocabularies when it is the unique
// nearest entry; what was read is kept on the field.
func (s *state) putIssuer(t string, sp span, strength float64) {
	t = record.CollapseSpace(t)
	if fixed, changed := snapIssuer(t); changed {
		s.putCorrected("issuer", fixed, t, sp, strength*strengthCorrected)
		return
	}
	s.putText("issuer", t, sp, strength)
}

// closedValues are the values some form fields can only take, as the law prints them: a land
// use's term ("Lâu dài", else "Đến ngày …", which no entry is near) and form (Land Law 2024,
// art. 171 and 27), a company's type and its legal representative's title (Law on
// Enterprises 2020, art. 4, 12, 54, 79, 137, 188).
var closedValues = map[string][]string{
	"use_term": {"Lâu dài"},
	"use_form": {"Sử dụng riêng", "Sử dụng chung"},
	"company_type": {
		"CÔNG TY TRÁCH NHIỆM HỮU HẠN MỘT THÀNH VIÊN", "CÔNG TY TRÁCH NHIỆM HỮU HẠN HAI THÀNH VIÊN TRỞ LÊN",
		"CÔNG TY CỔ PHẦN", "CÔNG TY HỢP DANH", "DOANH NGHIỆP TƯ NHÂN",
	},
	// The 54 ethnic groups of Viet Nam as the General Statistics Office lists them ("H Mông"
	// for H'Mông: the apostrophe lost).
	"ethnicity": {
		"Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "H'Mông", "Dao", "Gia Rai", "Ê Đê",
		"Ba Na", "Sán Chay", "Chăm", "Cơ Ho", "Xơ Đăng", "Sán Dìu", "Hrê", "Ra Glai", "Mnông", "Thổ",
		"Xtiêng", "Khơ Mú", "Bru - Vân Kiều", "Cơ Tu", "Giáy", "Tà Ôi", "Mạ", "Giẻ Triêng", "Co",
		"Chơ Ro", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào", "La Chí", "Kháng", "Phù Lá", "La Hủ", "La Ha",
		"Pà Thẻn", "Lự", "Ngái", "Chứt", "Lô Lô", "Mảng", "Cơ Lao", "Bố Y", "Cống", "Si La", "Pu Péo",
		"Rơ Măm", "Brâu", "Ơ Đu",
	},
	"legal_representative_title": {
		"Giám đốc", "Tổng giám đốc", "Phó giám đốc", "Phó tổng giám đốc", "Chủ tịch công ty",
		"Chủ tịch Hội đồng thành viên", "Chủ tịch Hội đồng quản trị",
	},
}

// closedField reports whether field name takes its values from closedValues.
func closedField(_ *state, name string) bool {
	_, ok := closedValues[name]
	return ok
}

// snapClosed returns the entry of field name's closed values that v was read for: the unique
// nearest (nearest), so OCR's marks and a letter or two of a long value are put right
// ("Lâu đài" → "Lâu dài", "Tống giám đốc" → "Tổng giám đốc"), and a value no entry is near
// is kept as read.
func snapClosed(name, v string) (string, bool) {
	e, ok := nearest(closedValues[name], vocabKey(v))
	if !ok || e == v {
		return v, false
	}
	return e, true
}
