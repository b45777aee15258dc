package extract

import (
	"testing"

	"github.com/sohoa/sohoa/record"
)

// TestRequestParagraph: a đơn's request is the paragraph under the particulars that the
// sentence asking closes, up to the applicant's commitment; a line of a value read from a
// label (the address's second line) is not part of it.
func TestRequestParagraph(t *testing.T) {
	t.Parallel()
	const head = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nĐƠN ĐỀ NGHỊ\n(V/v cấp lại giấy chứng nhận)\n" +
		"Kính gửi: Ủy ban nhân dân xã Tiên Du\nTôi tên là: HÀ THỊ VÂN\nNgày sinh: 01/03/1951\n" +
		"Địa chỉ: Số 161 đường Trường Chinh, xã Đông Hưng, huyện Định\nQuán, tỉnh Hưng Yên\nSố điện thoại: 0705460045\n"
	const tail = "\nTôi xin cam đoan những thông tin trên là đúng sự thật và chịu\ntrách nhiệm trước pháp luật về lời khai của mình.\n" +
		"Tiên Du, ngày 10 tháng 02 năm 2019\nNGƯỜI LÀM ĐƠN\nHà Thị Vân"
	cases := []struct{ name, body, want string }{
		{"reason above the request", "Do sơ suất trong quá trình bảo quản, tôi đã làm mất giấy chứng\nnhận quyền sử dụng đất. Tôi làm đơn này kính đề nghị Quý cơ quan\nxem xét cấp lại.",
			"Do sơ suất trong quá trình bảo quản, tôi đã làm mất giấy chứng nhận quyền sử dụng đất. Tôi làm đơn này kính đề nghị Quý cơ quan xem xét cấp lại."},
		{"request alone", "Tôi đề nghị Quý cơ quan xác nhận tình trạng hôn nhân của\ntôi để làm thủ tục đăng ký kết hôn.",
			"Tôi đề nghị Quý cơ quan xác nhận tình trạng hôn nhân của tôi để làm thủ tục đăng ký kết hôn."},
		// "để" is right after "tôi" elsewhere, never in the formula that asks.
		{"formula misread", "Hồ sơ của tôi đã quá thời hạn giải quyết nhưng chưa nhận\nđược kết quả. Tôi để nghị Quý cơ quan kiểm tra, giải quyết dứt\nđiểm.",
			"Hồ sơ của tôi đã quá thời hạn giải quyết nhưng chưa nhận được kết quả. Tôi đề nghị Quý cơ quan kiểm tra, giải quyết dứt điểm."},
		{"case and request on one line", "Hồ sơ của tôi đã quá thời hạn giải quyết nhưng chưa nhận được kết quả. Tôi đề nghị\nQuý cơ quan kiểm tra, giải quyết dứt điểm.",
			"Hồ sơ của tôi đã quá thời hạn giải quyết nhưng chưa nhận được kết quả. Tôi đề nghị Quý cơ quan kiểm tra, giải quyết dứt điểm."},
		{"formula wrapped after Tôi", "Hồ sơ của tôi đã quá thời hạn giải quyết nhưng chưa nhận được kết quả. Tôi\nđề nghị Quý cơ quan kiểm tra, giải quyết dứt điểm.",
			"Hồ sơ của tôi đã quá thời hạn giải quyết nhưng chưa nhận được kết quả. Tôi đề nghị Quý cơ quan kiểm tra, giải quyết dứt điểm."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := newTestExtractor().Extract("don", []record.Page{{Number: 1, Text: record.NFC(head + c.body + tail)}})
			if got["request"].Value != c.want {
				t.Errorf("request = %q, want %q", got["request"].Value, c.want)
			}
			if got["applicant_address"].Value != "Số 161 đường Trường Chinh, xã Đông Hưng, huyện Định Quán, tỉnh Hưng Yên" {
				t.Errorf("applicant_address = %q", got["applicant_address"].Value)
			}
		})
	}
}

// TestClippedLabels: a đơn whose left edge the scan clipped, taking the first letters of its
// labels ("ôi tên là:", "øày sinh:", "ja chỉ:"), still gets the applicant's particulars.
func TestClippedLabels(t *testing.T) {
	t.Parallel()
	text := "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nĐƠN ĐỀ NGHỊ\n(V/v xác nhận tình trạng hôn nhân)\n" +
		"Kính gửi: Ủy ban nhân dân xã Tiên Du\nôi tên là: LÝ VIỆT HƯNG\nøày sinh: 05/02/1997\nố định danh cá nhân: 070097529088\n" +
		"ja chỉ: Tổ dân phố Đông, phường Tân Phong, huyện Châu Thành, tỉnh\nBình Phước\nSố điện thoại: 0912172964\n" +
		"Tôi đề nghị Quý cơ quan xác nhận tình trạng hôn nhân của tôi để\nlàm thủ tục đăng ký kết hôn."
	got := newTestExtractor().Extract("don", []record.Page{{Number: 1, Text: record.NFC(text)}})
	for k, want := range map[string]string{
		"applicant_name":          "LÝ VIỆT HƯNG",
		"applicant_date_of_birth": "1997-02-05",
		"applicant_address":       "Tổ dân phố Đông, phường Tân Phong, huyện Châu Thành, tỉnh Bình Phước",
	} {
		if got[k].Value != want {
			t.Errorf("%s = %q, want %q", k, got[k].Value, want)
		}
	}
}
