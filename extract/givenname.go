package extract

import (
	"strings"

	"github.com/sohoa/sohoa/record"
)

// givenNames are common Vietnamese middle and given names, lower-case with their marks:
// general knowledge of Vietnamese naming (Văn and Thị, the Sino-Vietnamese virtues, flowers,
// seasons and places that most names are made of, and the numbers that name a family's
// children: Hai, Ba, Tư … Mười), not any list a test set was drawn from. It need not be
// complete: it is consulted only to tell a misread mark (misreadGivenName).
var givenNames = func() map[string]bool {
	const list = `an anh ánh ân ba bá bắc bảo bảy bình bích cầm cẩm cảnh châu chi chiến chín chính chung công
	cúc cường danh dân dậu diễm diệp diệu doanh dung duy dũng dương đào đăng đạt điệp đình định
	đoan đông đức gia giang hai hà hào hân hằng hải hạ hạnh hậu hiên hiền hiếu hiển hiệp hiệu hoa
	hoan hoài hoàng hòa hồng hợp học hội huân huệ huy huyền hùng hưng hương hường hữu kha khang
	khanh khánh khải khiêm khoa khôi khuê khuyên kiên kiều kiệt kim lam lan lài lâm lạc lễ lệ liên
	liễu linh loan long lợi lộc luân lương lực lụa ly mai mẫn mạnh minh mười my mỹ na nam năm nga
	ngà ngân nghi nghĩa ngọ ngọc nguyên nguyệt nhàn nhân nhạn nhật nhi nhiên nhung như ninh nương
	nữ oanh phát phi phong phú phúc phương phước phượng phụng quang quân quế quốc quyên quyền
	quyến quyết quỳnh quý sang sáu sâm sinh sĩ sơn sương sỹ tài tám tâm tân tấn thanh thành thái
	thắm thắng thảo thế thiên thiện thị thịnh thoa thông thơ thọ thu thuần thuận thùy thúy thủy
	thư thương thụy thy tiên tiến tình tín tịnh toàn toại tố trang trà trác trâm trân triều trinh
	trí trọng trung trúc trường trực tuân tuấn tuệ tuyên tuyền tuyết tùng tú tư tường uyên uyển
	ưng vân văn vạn vi việt vinh vĩnh vịnh vui vũ vương vượng vy xuân xuyến xương yên yến`
	out := map[string]bool{}
	for _, s := range strings.Fields(list) {
		out[record.NFC(s)] = true
	}
	return out
}()

// givenNamesByFold holds the letters of each given name, marks and case dropped.
var givenNamesByFold = func() map[string]bool {
	out := map[string]bool{}
	for s := range givenNames {
		out[record.Fold(s)] = true
	}
	return out
}()

// misreadGivenName reports whether a word after the surname of the person's name v is a
// common given name with one mark misread: not a common name itself, but spelt with the
// letters of one ("Huỳnh Mai Vần" for Vân, "Chu Thê Quyết" for Thế, "QUÁCH ĐÌNH HIỂU" for HIẾU,
// "Phạm Đúc Huy" for Đức). Such a slip makes another real syllable, which every other check
// passes, and OCR gives it a word confidence like a right name's. A rare name spelt like a
// common one ("Cương" beside Cường) is sent to a clerk too: the safe side.
func misreadGivenName(v string) bool {
	words := strings.Fields(strings.ToLower(record.NFC(v)))
	if len(words) < 2 || !knownSurname(v) {
		return false
	}
	for _, o := range organisations {
		if strings.HasPrefix(strings.Join(words, " "), o+" ") {
			return false
		}
	}
	for _, w := range words[1:] {
		// A surname is a middle name too (Trần Lê Minh: the mother's).
		if !givenNames[w] && !surnames[w] && givenNamesByFold[record.Fold(w)] {
			return true
		}
	}
	return false
}
