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
