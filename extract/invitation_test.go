package extract

import (
	"testing"

	"github.com/sohoa/sohoa/record"
)

// invitationHead is a giấy mời's header, title and subject.
const invitationHead = "ỦY BAN NHÂN DÂN\nXÃ QUANG TRUNG\nSố: 530/GM-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n" +
	"Quang Trung, ngày 16 tháng 7 năm 2024\nGIẤY MỜI\nDự Hội nghị tổng kết công tác năm 2024\n"

// TestInvitationTimeLabelGarbled: a giấy mời whose "Thời gian:" OCR garbled, or lost under a
// stamp's words, still gets its time, from the value after a colon that opens with a clock
// time or the line that opens with one, below the review threshold; the closing sentence's
// "thời gian tham dự" is never taken for it.
func TestInvitationTimeLabelGarbled(t *testing.T) {
	t.Parallel()
	head := invitationHead + "Ủy ban nhân dân xã Quang Trung trân trọng kính mời:\nChủ trì: Đồng chí Đặng Đình Thắng, Phó Chủ tịch.\n"
	tail := "\nĐịa điểm: Hội trường lớn, trụ sở Ủy ban nhân dân xã Quang Trung.\nRất mong Ông (bà) sắp xếp thời gian tham dự đúng giờ./.\nNơi nhận:\n- Như trên;"
	for name, timeLine := range map[string]string{
		"label read":    "Thời gian: 07 giờ 30 phút, ngày 20 tháng 7 năm 2024.",
		"label garbled": "Thời ø ian: 07 giờ 30 phút, ngày 20 tháng 7 năm 2024.",
		"label lost":    "clhizgz¿an: 07 giờ 30 phút, ngày 20 tháng 7 năm 2024.",
		"label gone":    "07 giờ 30 phút, ngày 20 tháng 7 năm 2024.",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := newTestExtractor().Extract("giay_moi", []record.Page{{Number: 1, Text: record.NFC(head + timeLine + tail)}})
			if want := "07 giờ 30 phút, ngày 20 tháng 7 năm 2024"; got["event_time"].Value != want {
				t.Errorf("event_time = %q, want %q", got["event_time"].Value, want)
			}
			if name != "label read" && got["event_time"].Confidence >= ReviewThreshold() {
				t.Errorf("event_time confidence %v, want under %v", got["event_time"].Confidence, ReviewThreshold())
			}
		})
	}
}

// TestInvitationVenueStopsAtClosing: the closing sentence on the venue's own line is not
// part of the venue (four confident-wrong venues of the development sets of 2026-12-07 ran
// on into "Rất mong Ông (bà) …").
func TestInvitationVenueStopsAtClosing(t *testing.T) {
	t.Parallel()
	head := invitationHead + "Thời gian: 07 giờ 30 phút, ngày 20 tháng 7 năm 2024.\n"
	for name, venue := range map[string]string{
		"rất mong":   "Địa điểm: Phòng họp trực tuyến, trụ sở Sở Nội vụ. Rất mong Ông (bà) sắp xếp thời gian tham dự đúng giờ./.",
		"trân trọng": "Địa điểm: Phòng họp trực tuyến, trụ sở Sở Nội vụ. Trân trọng kính mời./.",
		"own line":   "Địa điểm: Phòng họp trực tuyến, trụ sở Sở Nội vụ.\nRất mong Ông (bà) sắp xếp thời gian tham dự đúng giờ./.",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			text := record.NFC(head + venue + "\nNơi nhận:\n- Như trên;")
			got := newTestExtractor().Extract("giay_moi", []record.Page{{Number: 1, Text: text}})
			if want := "Phòng họp trực tuyến, trụ sở Sở Nội vụ"; got["venue"].Value != want {
				t.Errorf("venue = %q, want %q", got["venue"].Value, want)
			}
		})
	}
}
