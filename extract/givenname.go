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
	ưng vân văn vạn vi việt vinh vĩnh vịnh vui vũ vương vượng vy xuân xuyến xương yên yến
	ất bính canh kỷ mậu nhâm quý tý sửu dần mão thìn tỵ mùi thân dậu tuất hợi kỳ ký lịch cần cẩn
	chương hòe khâm khiết khởi kính lai lập liêm luyến mận mến miên mừng nghiêm nguyện nhẫn nhu
	phấn quảng sáng thạch thạnh thăng thiết thoại thường tiệp toản tòng trị tuyển vĩ vỹ vọng xuyên ý`
	out := map[string]bool{}
	for _, s := range strings.Fields(list) {
		out[record.NFC(s)] = true
	}
	return out
}()

// uncommonName reports whether a word after the surname of the person's name v is neither a
// common given name nor a surname (a surname is a middle name too: Trần Lê Minh, the
// mother's). OCR that misreads a mark or a letter of a name makes another real syllable
// ("Huỳnh Mai Vần" for Vân, "QUÁCH ĐÌNH HIỂU" for HIẾU, "HOÀNG VIỆT LỢT" for LỢI), which every
// other check passes and which OCR reads with a right name's confidence. So a name made of
// anything else is sent to a clerk: a rare name ("Lò Văn Páo") is too, the safe side.
func uncommonName(v string) bool {
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
		if !givenNames[w] && !surnames[w] {
			return true
		}
	}
	return false
}
