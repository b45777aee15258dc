package spell

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testModel(t *testing.T) *Model {
	t.Helper()
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMend(t *testing.T) {
	t.Parallel()
	m := testModel(t)
	for _, tc := range []struct{ name, in, want string }{
		// OCR slips of html dev seeds 1818-1820: each syllable is a word, the pair is not.
		{"vowel", "nâng bậc lương thường xuyên đối với cán bệ, công chức năm 2025", "nâng bậc lương thường xuyên đối với cán bộ, công chức năm 2025"},
		{"after a mended syllable", "Về việc phê duyệt Kế hoạch chuyển đối số năm 2025", "Về việc phê duyệt Kế hoạch chuyển đổi số năm 2025"},
		{"hook for level", "Quy định chỉ tiết một số điều và biện pháp", "Quy định chi tiết một số điều và biện pháp"},
		{"value end", "Quy định chỉ tiết", "Quy định chi tiết"},
		{"acute for hook", "Về việc đấy mạnh số hóa hồ sơ", "Về việc đẩy mạnh số hóa hồ sơ"},
		{"inside a name of a body", "Ủy ban nhận dân thành phố Hồ Chí Minh", "Ủy ban nhân dân thành phố Hồ Chí Minh"},
		// Left alone.
		{"two slips in a row, not sure enough", "Kế hoạch chuyến đối số năm 2025", "Kế hoạch chuyến đối số năm 2025"},
		{"right text", "Về việc tổ chức Hội nghị tổng kết công tác năm 2024", "Về việc tổ chức Hội nghị tổng kết công tác năm 2024"},
		{"person's name", "Nguyễn Văn Tâm", "Nguyễn Văn Tâm"},
		{"place name", "Hừng Đạo", "Hừng Đạo"},
		{"capitals", "CÁN BỆ CÔNG CHỨC", "CÁN BỆ CÔNG CHỨC"},
		{"old tone placement", "phản ứng hoá học; Chủ tịch Uỷ ban nhân dân", "phản ứng hoá học; Chủ tịch Uỷ ban nhân dân"},
		{"loan word", "hệ thống ăng-ten và Đô-la Mỹ", "hệ thống ăng-ten và Đô-la Mỹ"},
		{"codes and numbers", "Số: 15/QĐ-BNV ngày 05/01/2020", "Số: 15/QĐ-BNV ngày 05/01/2020"},
		{"unknown syllables", "tài liệirữ@f@°tôn 8óàg", "tài liệirữ@f@°tôn 8óàg"},
		{"beside OCR garbage", "tài liệirữ@f@°ton 8óàg!tạ£tát", "tài liệirữ@f@°ton 8óàg!tạ£tát"},
		{"typed without marks", "Quy dinh chi tiet mot so dieu cua Luat Luu tru", "Quy dinh chi tiet mot so dieu cua Luat Luu tru"},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, changed := m.Mend(tc.in)
			if got != tc.want || changed != (tc.in != tc.want) {
				t.Errorf("Mend(%q) = %q, %v; want %q", tc.in, got, changed, tc.want)
			}
		})
	}
}

// TestMendUnseenText runs pages of real legal text that the model was not counted from: a
// right word made wrong there would be a right field made wrong in production.
func TestMendUnseenText(t *testing.T) {
	t.Parallel()
	m := testModel(t)
	files, err := filepath.Glob("testdata/vbpl_*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test pages: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
				if got, changed := m.Mend(line); changed {
					t.Errorf("right text changed:\n %q\n %q", line, got)
				}
			}
		})
	}
}

func TestTokenize(t *testing.T) {
	t.Parallel()
	in := "Cán bộ, công chức (năm 2025): V/v 06a"
	var got []string
	for _, tk := range tokenize(in) {
		got = append(got, tk.text)
		if tk.text != breakToken && tk.text != numToken && strings.ToLower(in[tk.start:tk.end]) != tk.text {
			t.Errorf("token %q has range %q", tk.text, in[tk.start:tk.end])
		}
	}
	want := "cán bộ công chức <s> năm <num> <s> v <s> v <s>"
	if strings.Join(got, " ") != want {
		t.Errorf("tokenize(%q) = %q, want %q", in, strings.Join(got, " "), want)
	}
}

// TestCountsRoundTrip writes counts and reads them back: pruned entries are gone, the kept
// pair is likelier than an unseen one, and the freed mass goes to unseen followers.
func TestCountsRoundTrip(t *testing.T) {
	t.Parallel()
	c := NewCounts()
	c.Add("cán bộ, công chức\ncán bộ công chức\ncán bộ quản lý\nbệ")
	var buf bytes.Buffer
	if err := c.Write(&buf, []string{"test"}, 2, 2); err != nil {
		t.Fatal(err)
	}
	m, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if m.lookup("bệ") != -1 || m.lookup("quản") != -1 {
		t.Errorf("syllables seen once were kept")
	}
	can, bo, cong := m.lookup("cán"), m.lookup("bộ"), m.lookup("công")
	if !m.seen(can, bo) || !m.seen(bo, cong) || m.seen(cong, bo) {
		t.Errorf("pairs: cán bộ %v, bộ công %v, công bộ %v", m.seen(can, bo), m.seen(bo, cong), m.seen(cong, bo))
	}
	if m.logProb(can, bo) <= m.logProb(can, cong) {
		t.Errorf("P(bộ|cán) %.2f not above P(công|cán) %.2f", m.logProb(can, bo), m.logProb(can, cong))
	}
	if m.backoff[bo] <= 0 {
		t.Errorf("no mass left for unseen followers of bộ")
	}
}

// TestDefaultModelSize keeps the embedded counts small and the model usable.
func TestDefaultModelSize(t *testing.T) {
	t.Parallel()
	m := testModel(t)
	if len(syllablesGz) > 2<<20 {
		t.Errorf("syllables.gz is %d bytes, over 2 MB", len(syllablesGz))
	}
	if len(m.words) < 2000 || len(m.pairs) < 50000 {
		t.Errorf("model has %d syllables and %d pairs: too few to mend anything", len(m.words), len(m.pairs))
	}
}

// TestSuspect: a slip whose other reading is likelier, but not e^10 times, is left as read by
// Mend and suspected by Suspect; a right reading is not suspected.
func TestSuspect(t *testing.T) {
	t.Parallel()
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	const slip = "Về việc tổ chức Hội nghị tống kết công tác năm 2024 và triển khai nhiệm vụ năm 2025"
	if _, changed := m.Mend(slip); changed {
		t.Errorf("Mend changed %q: the case was meant to be too weak to mend", slip)
	}
	if !m.Suspect(slip) {
		t.Errorf("Suspect(%q) = false, want true", slip)
	}
	for _, right := range []string{
		"Về việc tổ chức Hội nghị tổng kết công tác năm 2024 và triển khai nhiệm vụ năm 2025",
		"Về việc kiện toàn Ban Chỉ đạo phòng, chống thiên tai và tìm kiếm cứu nạn",
	} {
		if m.Suspect(right) {
			t.Errorf("Suspect(%q) = true, want false", right)
		}
	}
}

// TestEndShare: function words rarely end a run of legal text, the last words of phrases
// often; a syllable the counts hardly hold says nothing.
func TestEndShare(t *testing.T) {
	t.Parallel()
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"các", "của", "trong", "Và"} {
		if s, ok := m.EndShare(w); !ok || s >= 0.01 {
			t.Errorf("EndShare(%q) = %.4f, %v; want under 1%%", w, s, ok)
		}
	}
	for _, w := range []string{"nước", "tế", "năm"} {
		if s, ok := m.EndShare(w); !ok || s < 0.05 {
			t.Errorf("EndShare(%q) = %.4f, %v; want over 5%%", w, s, ok)
		}
	}
	if _, ok := m.EndShare("xyzq"); ok {
		t.Error("EndShare of an unknown syllable is ok")
	}
}
