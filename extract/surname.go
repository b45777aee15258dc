package extract

import (
	"strings"

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
