package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sohoa/sohoa/record"
)

// surnames are the family names a Vietnamese person's name starts with, lower-case with
// their marks: the Kinh surnames of the list of Vietnamese surnames (Wikipedia, "Họ người
// Việt Nam", which the commonest dozen cover for nine people in ten) and those of the
// northern and central highland minorities (Lò, Sùng, Giàng, Thào …) and of the Khmer (Thạch,
// Sơn, Danh …). A name read as "Trân Đức Quân", "NGUYÊN ĐỨC ĐẠT" or "Xuân Dũng" (its surname
// lost) starts with none of them. "Hồng" is left out: as a surname it is rarer than as the
// first word of a name whose surname was cut off.
var surnames = func() map[string]bool {
	const list = `an âu bạc bạch bàn bế biện bùi cái cam cầm cao cấn châu chế chu chung chử công cù
	cung danh diệp doãn dương đàm đan đào đặng đậu điêu điền đinh đoàn đỗ đồng đống đường giang
	giáp giàng hà hạ hàn hầu hình hồ hoa hoàng hứa huỳnh kha khổng khúc khương khưu kiều kim la
	lã lạc lại lăng lâm lầu lê lò lộc lục lù lư lưu lương lường lý lí ma mã mạc mai mẫn mông mùa
	nghiêm ngô nguyễn nhan ninh nông ông phạm phan phàn phí phó phùng phương quách quan quàng
	quản sầm sình sơn sùng tạ tăng tào tẩn thạch thái thân thào thiều thi tiêu tô tôn tống trang
	tráng trần triệu trịnh trình trương từ ung văn vàng vi viên võ vũ vương xa`
	out := map[string]bool{}
	for _, s := range strings.Fields(list) {
		out[record.NFC(s)] = true
	}
	return out
}()

// organisations are the words a company's registered name starts with (its legal form, Law
// on Enterprises art. 38): such a name in a name field is not a person's.
var organisations = []string{"công ty", "tổng công ty", "doanh nghiệp", "hợp tác xã", "chi nhánh", "văn phòng đại diện"}

// knownSurname reports whether the person's name v starts with a known surname, marks and all
// ("Nguyên" is not "Nguyễn"). A company's name passes: it has no surname.
func knownSurname(v string) bool {
	l := strings.ToLower(record.CollapseSpace(record.NFC(v)))
	for _, o := range organisations {
		if strings.HasPrefix(l, o+" ") {
			return true
		}
	}
	first, _, _ := strings.Cut(l, " ")
	return surnames[first]
}

// strengthSurnameMended discounts a name whose surname was restored: the restored surname is
// nearly always the printed one, but a name whose surname the OCR cut off ("Đình Thọ" for
// "Lê Đình Thọ") is restored into another person's ("Đinh Thọ"), so the value stays under
// review: it counts as a guess (strengthGuess), which Calibrated never makes a sure value,
// whatever the document's other evidence (at 0.8 a trained calibration put such a signer at
// the threshold).
const strengthSurnameMended = strengthGuess

// surnamesByFold maps the letters of each surname, marks and case dropped, to the surnames
// spelt with them.
var surnamesByFold = func() map[string][]string {
	out := map[string][]string{}
	for s := range surnames {
		f := record.Fold(s)
		out[f] = append(out[f], s)
	}
	return out
}()

// mendSurname returns the person's name v with its first word replaced by the one known
// surname spelt with the same letters ("NGUYÊN ĐỨC ĐẠT" → "NGUYỄN ĐỨC ĐẠT", "Trân Đức Quân"
// → "Trần Đức Quân", "Lam Hồng Nga" → "Lâm Hồng Nga"), and whether it changed anything. A
// name that starts with a known surname, that is not letters only, or whose first word's
// letters spell no surname or several ("Ha": Hà or Hạ), or whose other words have no mark at
// all (OCR lost every mark, not one), is left as read. The first word is
// wrong either way: no person's name starts with a word that is not a surname.
func mendSurname(v string) (string, bool) {
	words := strings.Fields(record.NFC(v))
	if len(words) < 2 || len(words) > 6 || knownSurname(v) {
		return v, false
	}
	for _, w := range words {
		if strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 {
			return v, false
		}
	}
	if !hasDiacritics(strings.Join(words[1:], " ")) {
		return v, false // read without any mark ("Ho Quang Buu"): the rest lost them too
	}
	cands := surnamesByFold[record.Fold(words[0])]
	if len(cands) != 1 {
		return v, false
	}
	words[0] = caseAs(cands[0], words[0])
	return strings.Join(words, " "), true
}

// caseAs writes the lower-case word w in the case of read: all capitals, or capitalised.
func caseAs(w, read string) string {
	if strings.ToUpper(read) == read {
		return strings.ToUpper(w)
	}
	r, n := utf8.DecodeRuneInString(w)
	return string(unicode.ToUpper(r)) + w[n:]
}

// mendDoubledVowel drops the bare copy of a vowel that OCR read twice in a word of a
// person's name, once with its mark and once without ("MAẠNH" for "MẠNH", "HUYEỀN"): a
// Vietnamese syllable never holds the same vowel letter twice in a row. Only a, e, i, o and
// y count: u and ư fold alike, and "LƯU", "HƯU" are right.
func mendDoubledVowel(v string) (string, bool) {
	words := strings.Fields(record.NFC(v))
	if len(words) < 2 || len(words) > 6 {
		return v, false
	}
	changed := false
	for i, w := range words {
		rs := []rune(w)
		for j := 0; j+1 < len(rs); j++ {
			a, b := record.Fold(string(rs[j])), record.Fold(string(rs[j+1]))
			if a != b || !strings.Contains("aeioy", a) || (rs[j] == rs[j+1]) {
				continue
			}
			bare := j // the copy without a mark goes
			if record.Fold(string(rs[j])) != strings.ToLower(string(rs[j])) {
				bare = j + 1
			}
			if record.Fold(string(rs[bare])) != strings.ToLower(string(rs[bare])) {
				continue // both marked ("ẠẠ"): no telling which is right
			}
			rs = append(rs[:bare], rs[bare+1:]...)
			words[i], changed = string(rs), true
			break
		}
	}
	if !changed {
		return v, false
	}
	return strings.Join(words, " "), true
}
