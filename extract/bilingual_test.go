package extract

import (
	"testing"

	"github.com/sohoa/sohoa/record"
)

// The English half of a card's bilingual label is printed small, and OCR reads its l as i
// ("Piace of residence", "Piaco of origin"): the label still ends where the value starts.
func TestBilingualLabelMisread(t *testing.T) {
	t.Parallel()
	text := "CĂN CƯỚC CÔNG DÂN\nSố / No.: 091069363690\nHọ và tên / Full name:\nNGÔ XUÂN TRUNG\n" +
		"Quê quán / Piaco of origin: xã Thạch Bàn, huyện Châu Thành, tỉnh Thái Nguyên\n" +
		"Nơi thường trú / Piace of residence: Số 135 đường Nguyễn Du, xã\nThạch Bàn, huyện Tuy Phước, tỉnh Bình Dương\n" +
		"Đặc điểm nhân dạng / Personal Identification:\n"
	got := newTestExtractor().Extract("can_cuoc", []record.Page{{Number: 1, Text: record.NFC(text)}})
	for k, want := range map[string]string{
		"residence":       "Số 135 đường Nguyễn Du, xã Thạch Bàn, huyện Tuy Phước, tỉnh Bình Dương",
		"place_of_origin": "xã Thạch Bàn, huyện Châu Thành, tỉnh Thái Nguyên",
	} {
		if got[k].Value != want {
			t.Errorf("%s = %q, want %q", k, got[k].Value, want)
		}
	}
}

// A card whose "Có giá trị đến" line OCR lost takes its expiry date from the machine-readable
// zone, whose check digit it must pass; an issue date's label read with a dot or garbled
// before its English half ("Ngày. thang, năm", ";;âm-/ Đaie. month, year") still opens it.
func TestCardDatesMisread(t *testing.T) {
	t.Parallel()
	head := "CĂN CƯỚC CÔNG DÂN\nSố / No.: 067206130431\nHọ và tên / Full name:\nHUỲNH ANH ĐỨC\n"
	for _, c := range []struct {
		name, issueLine, mrz  string
		wantIssue, wantExpiry string
	}{
		{"expiry from the zone", "Ngày, tháng, năm / Date, month, year: 27/02/2022", "0611176M3111172VNM<<<<<<<<<<<2", "2022-02-27", "2031-11-17"},
		{"a misread digit fails the check", "Ngày, tháng, năm / Date, month, year: 27/02/2022", "0611176M3111182VNM<<<<<<<<<<<2", "2022-02-27", ""},
		{"label with a dot", "Ngày. thang, năm / Date, month, year: 13/10/2023", "", "2023-10-13", ""},
		{"label garbled", "Ngày, tháng, ;;âm-/ Đaie. month, year: 29/11/2023", "", "2023-11-29", ""},
	} {
		text := head + c.issueLine + "\nCỤC TRƯỞNG CỤC CẢNH SÁT\n" + c.mrz + "\n"
		got := newTestExtractor().Extract("can_cuoc", []record.Page{{Number: 1, Text: record.NFC(text)}})
		if got["issue_date"].Value != c.wantIssue || got["expiry_date"].Value != c.wantExpiry {
			t.Errorf("%s: issue %q, expiry %q; want %q, %q", c.name, got["issue_date"].Value, got["expiry_date"].Value, c.wantIssue, c.wantExpiry)
		}
	}
}
