package pii

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMaskText(t *testing.T) {
	t.Parallel()
	const (
		mrz1 = "IDVNM0850123452001085012345<<8"
		mrz2 = "8501013M3001013VNM<<<<<<<<<<<6"
		mrz3 = "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"
	)
	tests := []struct{ name, in, want string }{
		{"plain CCCD", "Số / No.: 001085012345", "Số / No.: 001*******45"},
		{"spaces", "CCCD số 001 085 012 345 cấp ngày", "CCCD số 001 *** *** *45 cấp ngày"},
		{"dots", "001.085.012.345", "001.***.***.*45"},
		{"dashes", "001-085-012-345", "001-***-***-*45"},
		{"fours", "0010 8501 2345", "001* **** **45"},
		{"three three six", "001 085 012345", "001 *** ****45"},
		{"mixed separators", "001 085.012-345", "001 ***.***-*45"},
		{"underscores in a file name", "cccd_001_085_012_345.pdf", "cccd_001_***_***_*45.pdf"},
		{"no-break space", "001\u00a0085\u00a0012\u00a0345", "001\u00a0***\u00a0***\u00a0*45"},
		{"glued to a label", "CCCD:001085012345", "CCCD:001*******45"},
		{"glued to a word", "số001085012345,", "số001*******45,"},
		{"after a row number", "1 001 085 012 345 Nguyễn Văn An", "1 001 *** *** *45 Nguyễn Văn An"},
		{"before a year", "001 085 012 345 1990", "001 *** *** *45 1990"},
		{"CMND", "CMND số: 012345678 cấp", "CMND số: 012****78 cấp"},
		{"CMND grouped", "CMND 271 234 567", "CMND 271 *** *67"},
		{"CMND dotted after a label", "Chứng minh nhân dân số 271.234.567", "Chứng minh nhân dân số 271.***.*67"},
		{"CMND dotted with a leading zero", "012.345.678", "012.***.*78"},
		{"two numbers", "001085012345 và 079190000123", "001*******45 và 079*******23"},
		{"glued to another digit", "0010850123457", "001********57"},
		{"QR payload", "001090123456|012345678|NGUYEN VAN A|01011990|Nam", "001*******56|012****78|NGUYEN VAN A|01011990|Nam"},

		{"money dotted", "Vốn điều lệ: 150.000.000 đồng", "Vốn điều lệ: 150.000.000 đồng"},
		{"money dotted bare", "Số tiền 271.234.567", "Số tiền 271.234.567"},
		{"money billions", "1.200.000.000đ", "1.200.000.000đ"},
		{"money spaced with currency", "100 000 000 VNĐ", "100 000 000 VNĐ"},
		{"money plain with currency", "150000000 đồng", "150000000 đồng"},
		{"money after a date", "ngày 01.02.2020 150.000.000", "ngày 01.02.2020 150.000.000"},
		{"date and count", "ngày 01-01-2020 123 hồ sơ", "ngày 01-01-2020 123 hồ sơ"},
		{"ISO date", "2020-01-02 1234", "2020-01-02 1234"},
		{"document number", "Số: 15/2023/NĐ-CP ngày 17/04/2023", "Số: 15/2023/NĐ-CP ngày 17/04/2023"},
		{"mobile phone", "ĐT: 0912345678", "ĐT: 0912345678"},
		{"mobile phone grouped", "0912 345 678 - 0987.654.321", "0912 345 678 - 0987.654.321"},
		{"landline", "028 3829 1234", "028 3829 1234"},
		{"international phone", "+84 912 345 678", "+84 912 345 678"},
		{"tax code", "MST: 0309829579", "MST: 0309829579"},
		{"branch tax code", "0123456789-001", "0123456789-001"},
		{"dossier code", "000.00.12.H29-250101-0001", "000.00.12.H29-250101-0001"},
		{"no digits", "Họ và tên: NGUYỄN VĂN AN", "Họ và tên: NGUYỄN VĂN AN"},

		{"MRZ", mrz1 + "\n" + mrz2 + "\n" + mrz3,
			"IDVNM**********************<<*\n***************VNM<<<<<<<<<<<*\n" + mrz3},
		{"MRZ with spaces", "IDVNM 085012345 2 001085012345 « 8", "IDVNM ********* * ************ « *"},
		{"MRZ with K fillers", "IDVNM0850123452001085012345KK8", "IDVNM*************************"},
		{"MRZ misread digits", "IDVNMO85Ol2345200lO85O12345<<8\n85O1Ol3M3OO1O13VNM<<<<<<<<<<<6",
			"IDVNM**********************<<*\n***************VNM<<<<<<<<<<<*"},
		{"MRZ line 2 spaced", "850101 3M 300101 3VNM<<<<< <<<<<<6", "****** ** ****** *VNM<<<<< <<<<<<*"},
		{"MRZ garbled document code", "TDVNM0850123452001085012345<<8", "**VNM**********************<<*"},
		{"MRZ lines in one snippet", mrz1 + " " + mrz2,
			"IDVNM**********************<<* ***************VNM<<<<<<<<<<<*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, MaskText(tt.in)); diff != "" {
				t.Errorf("MaskText(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// TestMaskTextPage checks a whole page the way the API serves it: the ID numbers and the
// MRZ go, the rest of the page stays as it was.
func TestMaskTextPage(t *testing.T) {
	t.Parallel()
	page := strings.Join([]string{
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"Số: 15/2023/NĐ-CP Hà Nội, ngày 05 tháng 01 năm 2023",
		"Ông: Nguyễn Văn An  CCCD số: 001 085 012 345 cấp ngày 12.05.2021",
		"Điện thoại: 0912 345 678. Số tiền: 150.000.000 đồng",
		"IDVNM0850123452001085012345<<8",
	}, "\n")
	want := strings.Join([]string{
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"Số: 15/2023/NĐ-CP Hà Nội, ngày 05 tháng 01 năm 2023",
		"Ông: Nguyễn Văn An  CCCD số: 001 *** *** *45 cấp ngày 12.05.2021",
		"Điện thoại: 0912 345 678. Số tiền: 150.000.000 đồng",
		"IDVNM**********************<<*",
	}, "\n")
	if diff := cmp.Diff(want, MaskText(page)); diff != "" {
		t.Errorf("MaskText (-want +got):\n%s", diff)
	}
}

func BenchmarkMaskText(b *testing.B) {
	page := strings.Repeat("Ông Nguyễn Văn An, sinh ngày 01/01/1985, CCCD số 001 085 012 345, ĐT 0912345678, nộp 150.000.000 đồng.\n", 30)
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		MaskText(page)
	}
}
