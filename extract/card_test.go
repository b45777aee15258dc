package extract

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sohoa/sohoa/record"
)

// TestCardStamp reads property cards a received stamp was printed over. The pages in
// testdata/card are recognised scans (synthetic html dev sets 1819 and 1820) with their word
// boxes; the text cases are the same faults without boxes. An empty want is a field left
// unread for review: the stamp's words must never be filed as the value.
func TestCardStamp(t *testing.T) {
	t.Parallel()
	card := func(rows ...string) []record.Page {
		head := []string{"CƠ SỞ DỮ LIỆU QUỐC GIA VỀ VĂN BẢN PHÁP LUẬT", "THUỘC TÍNH VĂN BẢN", "Số hiệu: 153/2019/TT-BYT", "Loại văn bản: Thông tư"}
		return []record.Page{{Number: 1, Text: record.NFC(strings.Join(append(head, rows...), "\n"))}}
	}
	cases := []struct {
		name, docType string
		pages         []record.Page
		want          map[string]string
	}{
		{
			name: "stamp date on the date label's line", docType: "thong_tu",
			pages: loadPages(t, "stamp_date_on_label_line"),
			want:  map[string]string{"issued_date": "2019-04-16", "signer": "", "issuer": "BỘ Y TẾ", "number": "153/2019/TT-BYT"},
		},
		{
			name: "portal stamp read as the signer", docType: "ke_hoach",
			pages: loadPages(t, "portal_stamp_as_signer"),
			want:  map[string]string{"signer": "", "issuer": "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"},
		},
		{
			name: "labels split by the stamp, values on their rows", docType: "ke_hoach",
			pages: loadPages(t, "labels_split_by_stamp"),
			want:  map[string]string{"issuer": "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "signer": "Lương Hồng Hương", "issued_date": "2022-04-20"},
		},
		{
			name: "text: stamp date after the issued date", docType: "thong_tu",
			pages: card("Cơ quan ban hành: Bộ Y tế", "Ngày ban hành: 16/04/2019 Ngày: 03/08/2020", "Người ký: Phạm Thanh Lan"),
			want:  map[string]string{"issued_date": "2019-04-16", "signer": "Phạm Thanh Lan", "issuer": "BỘ Y TẾ"},
		},
		{
			// "hành" read "bành": an h taken for a b.
			name: "text: ban hành read ban bành", docType: "thong_tu",
			pages: card("Cơ quan ban bành: Bộ Y tế", "Ngày ban bành: 16/04/2019", "Người ký: Phạm Thanh Lan"),
			want:  map[string]string{"issued_date": "2019-04-16", "signer": "Phạm Thanh Lan", "issuer": "BỘ Y TẾ"},
		},
		{
			name: "text: stamp time after the signer", docType: "thong_tu",
			pages: card("Người ký: Phạm Thanh Lan Giờ: 07:29", "Ngày ban hành: 16/04/2019"),
			want:  map[string]string{"issued_date": "2019-04-16", "signer": "Phạm Thanh Lan"},
		},
		{
			name: "text: portal stamp in capitals as the signer", docType: "thong_tu",
			pages: card("Người ký: CÔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ", "Ngày ban hành: 16/04/2019"),
			want:  map[string]string{"signer": "", "issued_date": "2019-04-16"},
		},
		{
			name: "text: label fragment under the issuer", docType: "thong_tu",
			pages: card("Cơ quan ban hành: ˆ Sở Giáo dục và đào tạo", "ký:", "Ngày ban hành: 20/04/2022"),
			want:  map[string]string{"issuer": "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "issued_date": "2022-04-20"},
		},
		{
			// vbpl.vn's metadata panel: labels a document card does not print stop the values.
			name: "text: vbpl panel labels", docType: "thong_tu",
			pages: card("Ngành:", "Ngày ký xác thực: 18/12/2025", "Cơ quan ban hành: Bộ Tư pháp", "Chức danh: Thứ trưởng", "Người ký: Phan Chí Hiếu"),
			want:  map[string]string{"issuer": "BỘ TƯ PHÁP", "signer": "Phan Chí Hiếu"},
		},
	}
	e := newTestExtractor()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			fields := e.Extract(c.docType, c.pages)
			got := map[string]string{}
			for name := range c.want {
				got[name] = fields[name].Value
			}
			if d := cmp.Diff(c.want, got); d != "" {
				t.Errorf("card fields (-want +got):\n%s", d)
			}
			for name := range c.want {
				if f, ok := fields[name]; ok && f.Value == "" && f.Valid {
					t.Errorf("%s: unread but valid", name)
				}
			}
		})
	}
}

func TestCardName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{
		"Nguyễn Mạnh Khương":              true,
		"Đỉnh Thu Ánh":                    true,
		"Thượng tướng Võ Minh Lương":      true,
		"Đại tướng Tô Lâm":                true,
		"Phạm hsba§ 1 5 {":                false,
		"CÔNG THÔNG TINjAIỆNTRhCHÍNtbPHỦ": false,
		"Khí 10:32 05/10":                 false,
		"Lan":                             false,
	} {
		if got := cardName.MatchString(in); got != want {
			t.Errorf("cardName(%q) = %v, want %v", in, got, want)
		}
	}
}

func loadPages(t *testing.T, name string) []record.Page {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "card", name+".pages.json"))
	if err != nil {
		t.Fatalf("reading pages: %v", err)
	}
	// record.Page keeps its words out of JSON; the eval cache writes them beside it.
	var cached []struct {
		record.Page
		Words []record.Word `json:"words"`
	}
	if err := json.Unmarshal(b, &cached); err != nil {
		t.Fatalf("decoding pages: %v", err)
	}
	ps := make([]record.Page, len(cached))
	for i, c := range cached {
		ps[i] = c.Page
		ps[i].Words = c.Words
	}
	return ps
}
