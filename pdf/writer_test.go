package pdf

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"github.com/sohoa/sohoa/eval"
	"github.com/sohoa/sohoa/record"
)

// maxCER is the target for text extracted from the PDF against the known text.
const maxCER = 0.015

var (
	header = []block{
		{x: 150, y: 250, lines: []string{"ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI", "Số: 98/2023/QĐ-UBND"}},
		{x: 1150, y: 250, lines: []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Lào Cai, ngày 08 tháng 11 năm 2023"}},
	}
	body = block{x: 250, y: 800, lines: []string{
		"QUYẾT ĐỊNH",
		"Về việc đẩy mạnh số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
		"Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ về",
		"thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính;",
		"Điều 1. Tổ chức rà soát, đánh giá thực trạng, xác định rõ nguyên nhân của những",
		"tồn tại, hạn chế và đề xuất giải pháp khắc phục trong thời gian tới.",
		"Điều 2. Ông Nguyễn Văn Ất, số định danh cá nhân 001090123456, được giao",
		"nhiệm vụ kiểm tra, giám sát việc thực hiện; xử lý nghiêm các trường hợp vi phạm.",
		"Giấy chứng nhận quyền sử dụng đất số CS 07543 cấp ngày 15/02/2019 (thửa đất 112).",
	}}
	signature = []block{
		{x: 250, y: 1900, lines: []string{"Nơi nhận:", "- Như Điều 2;", "- Bộ Nội vụ;", "- Lưu: VT, KGVX."}},
		{x: 1300, y: 1900, lines: []string{"TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"}},
	}
)

// physicalRows is what pdftotext -layout reads from blocks: the rows of the page top to
// bottom, the lines printed on one row joined left to right.
func physicalRows(blocks []block) string {
	type row struct {
		y, x int
		text string
	}
	var rows []row
	for _, b := range blocks {
		for k, l := range b.lines {
			// Blocks side by side start at the same y, so b.y+k names a row.
			rows = append(rows, row{y: b.y + k, x: b.x, text: l})
		}
	}
	byRow := map[int][]row{}
	var ys []int
	for _, r := range rows {
		if byRow[r.y] == nil {
			ys = append(ys, r.y)
		}
		byRow[r.y] = append(byRow[r.y], r)
	}
	var out []string
	for _, y := range sortedInts(ys) {
		rs := byRow[y]
		for i := 1; i < len(rs); i++ {
			for j := i; j > 0 && rs[j].x < rs[j-1].x; j-- {
				rs[j], rs[j-1] = rs[j-1], rs[j]
			}
		}
		var parts []string
		for _, r := range rs {
			parts = append(parts, r.text)
		}
		out = append(out, strings.Join(parts, " "))
	}
	return strings.Join(out, "\n")
}

func sortedInts(v []int) []int {
	s := append([]int(nil), v...)
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

// validate checks data with pdfcpu in the given mode, with a configuration built here so
// that pdfcpu touches no configuration directory.
func validate(t *testing.T, data []byte, mode int) error {
	t.Helper()
	conf := &model.Configuration{ValidationMode: mode, Offline: true, Limits: model.DefaultResourceLimits(), Cmd: model.VALIDATE}
	return api.Validate(bytes.NewReader(data), conf)
}

func TestWriteIsSearchable(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		dpi, pt  float64
		blocks   []block
		wantRows int // rows pdftotext -layout must find
	}{
		{"body at 300 dpi", 300, 13, []block{body}, 9},
		{"two-column header, body and signature", 300, 13, append(append(append([]block{}, header...), body), signature...), 9 + 3 + 4},
		{"small print at 200 dpi", 200, 10, []block{body}, 9},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			g, words, want := renderPage(t, c.dpi, c.pt, c.blocks)
			var buf bytes.Buffer
			if err := Write(&buf, "quyết định.png", []Page{{Image: g, DPI: c.dpi, Words: words}}); err != nil {
				t.Fatal(err)
			}
			if err := validate(t, buf.Bytes(), model.ValidationRelaxed); err != nil {
				t.Errorf("pdfcpu relaxed validation: %v", err)
			}
			if err := validate(t, buf.Bytes(), model.ValidationStrict); err != nil {
				t.Errorf("pdfcpu strict validation: %v", err)
			}

			plain := pdftotext(t, buf.Bytes())
			if cer := eval.CER(want, plain); cer > maxCER {
				t.Errorf("pdftotext CER = %.4f, want ≤ %.3f\nwant:\n%s\ngot:\n%s", cer, maxCER, want, plain)
			} else {
				t.Logf("pdftotext CER = %.4f", cer)
			}
			layout := pdftotext(t, buf.Bytes(), "-layout")
			wantRows := physicalRows(c.blocks)
			if cer := eval.CER(wantRows, layout); cer > maxCER {
				t.Errorf("pdftotext -layout CER = %.4f, want ≤ %.3f\nwant:\n%s\ngot:\n%s", cer, maxCER, wantRows, layout)
			} else {
				t.Logf("pdftotext -layout CER = %.4f", cer)
			}
			if n := len(strings.Split(eval.NormalizeText(layout), "\n")); n != c.wantRows {
				t.Errorf("pdftotext -layout gave %d rows, want %d:\n%s", n, c.wantRows, layout)
			}
		})
	}
}

func TestPageImageIsShownAndTextIsNot(t *testing.T) {
	t.Parallel()
	g, words, _ := renderPage(t, 300, 13, append(append([]block{}, header...), body))
	var buf bytes.Buffer
	if err := Write(&buf, "a.png", []Page{{Image: g, DPI: 300, Words: words}}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftoppm", "-r", "300", "-gray", "-png", "-singlefile", in, filepath.Join(dir, "page")).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	f, err := os.Open(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// Page sizes in points round, so the rendering may be a pixel larger or smaller.
	b := g.Bounds().Intersect(img.Bounds())
	if d := g.Bounds().Size().Sub(b.Size()); d.X > 1 || d.Y > 1 || img.Bounds().Dx() > b.Dx()+1 || img.Bounds().Dy() > b.Dy()+1 {
		t.Fatalf("rendered page is %v, source image %v", img.Bounds().Size(), g.Bounds().Size())
	}
	// The text layer would add ink where the words are if it were drawn; JPEG adds a little
	// noise everywhere. Both show in the mean absolute difference.
	var sum, ink int64
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			want := int64(g.GrayAt(x, y).Y)
			r, _, _, _ := img.At(x, y).RGBA()
			got := int64(r >> 8)
			sum += abs(want - got)
			if want < 128 {
				ink++
			}
		}
	}
	mean := float64(sum) / float64(b.Dx()*b.Dy())
	t.Logf("mean absolute difference %.3f gray levels over %d pixels (%d ink)", mean, b.Dx()*b.Dy(), ink)
	if mean > 2 {
		t.Errorf("rendered page differs from the source image by %.2f gray levels on average, want ≤ 2", mean)
	}
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

func TestWriteSeveralPages(t *testing.T) {
	t.Parallel()
	g1, w1, t1 := renderPage(t, 300, 12, []block{{x: 200, y: 300, lines: body.lines[:3]}})
	g2, w2, t2 := renderPage(t, 200, 12, []block{{x: 150, y: 200, lines: body.lines[3:6]}})
	var buf bytes.Buffer
	err := Write(&buf, "hồ sơ.pdf", []Page{{Image: g1, DPI: 300, Words: w1}, {Image: g2, DPI: 200, Words: w2}, {Image: g2, DPI: 200}})
	if err != nil {
		t.Fatal(err)
	}
	n, err := api.PageCount(bytes.NewReader(buf.Bytes()), &model.Configuration{ValidationMode: model.ValidationRelaxed, Offline: true, Limits: model.DefaultResourceLimits()})
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("page count = %d, want 3", n)
	}
	pages := strings.Split(pdftotext(t, buf.Bytes()), "\f")
	got := make([]string, 3)
	for i := range got {
		got[i] = eval.NormalizeText(pages[i])
	}
	if diff := cmp.Diff([]string{t1, t2, ""}, got); diff != "" {
		t.Errorf("page texts (-want +got):\n%s", diff)
	}
	info := runText(t, buf.Bytes(), "pdfinfo")
	for _, want := range []string{"Title:           hồ sơ.pdf", "Producer:        sohoa", "Pages:           3", "Page size:       595.44 x 841.68 pts", "Encrypted:       no"} {
		if !strings.Contains(info, want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, info)
		}
	}
}

// runText runs a poppler tool on data and returns its output.
func runText(t *testing.T, data []byte, tool string, args ...string) string {
	t.Helper()
	in := filepath.Join(t.TempDir(), "in.pdf")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, append(args, in)...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v: %s", tool, err, out)
	}
	return string(out)
}

func TestWriteRejects(t *testing.T) {
	t.Parallel()
	g := image.NewGray(image.Rect(0, 0, 10, 10))
	cases := []struct {
		name  string
		pages []Page
		want  error
	}{
		{"no pages", nil, ErrNoPages},
		{"nil image", []Page{{Image: g}, {DPI: 300}}, ErrNoImage},
		{"empty image", []Page{{Image: image.NewGray(image.Rectangle{})}}, ErrNoImage},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if err := Write(&bytes.Buffer{}, "x", c.pages); !errors.Is(err, c.want) {
				t.Errorf("Write = %v, want %v", err, c.want)
			}
		})
	}
	t.Run("use after close", func(t *testing.T) {
		t.Parallel()
		w := NewWriter(&bytes.Buffer{}, "x")
		if err := w.AddPage(Page{Image: g}); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := w.AddPage(Page{Image: g}); !errors.Is(err, ErrClosed) {
			t.Errorf("AddPage after Close = %v, want ErrClosed", err)
		}
		if err := w.Close(); !errors.Is(err, ErrClosed) {
			t.Errorf("second Close = %v, want ErrClosed", err)
		}
	})
	t.Run("failing writer", func(t *testing.T) {
		t.Parallel()
		err := Write(failingWriter{}, "x", []Page{{Image: image.NewGray(image.Rect(0, 0, 400, 400))}})
		if !errors.Is(err, errDiskFull) {
			t.Errorf("Write to a failing writer = %v, want %v", err, errDiskFull)
		}
	})
}

var errDiskFull = errors.New("disk full")

type failingWriter struct{}

func (failingWriter) Write(p []byte) (int, error) { return 0, errDiskFull }

func TestEncode(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in string
		want     []uint16
	}{
		{"precomposed", "Đồng", []uint16{0x0110, 0x1ED3, 0x006E, 0x0067}},
		{"decomposed becomes NFC", "o\u0302\u0300", []uint16{0x1ED3}},
		{"tab is a space", "a\tb", []uint16{'a', ' ', 'b'}},
		{"control dropped", "a\x00b", []uint16{'a', 'b'}},
		{"outside the BMP", "a😀", []uint16{'a', 0xFFFD}},
		{"only space", " \t", nil},
		{"empty", "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(c.want, encode(c.in)); diff != "" {
				t.Errorf("encode(%q) (-want +got):\n%s", c.in, diff)
			}
		})
	}
}

func TestSitsOnBaseline(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want bool
	}{
		{"Đồng", false}, // g descends
		{"Điều", true},
		{"một", false}, // dot below
		{"3;", false},
		{"-", false},
		{"98/2023", false},
		{"KT.", true},
		{"", false},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			t.Parallel()
			if got := sitsOnBaseline(c.in); got != c.want {
				t.Errorf("sitsOnBaseline(%q) = %v, want %v", c.in, got, c.want)
			}
		})
	}
}

// TestBaselineOfBoxesTooLow checks that a line's baseline is where most of its words end,
// not lower, when OCR boxes half of them too low: the header line "ỦY BAN NHÂN DÂN" of a
// degraded scan, whose first two words reach 19 and 15 pixels below the other two.
func TestBaselineOfBoxesTooLow(t *testing.T) {
	t.Parallel()
	words := []record.Word{
		{Text: "ỦY", Box: record.Box{381, 240, 430, 298}},
		{Text: "BAN", Box: record.Box{432, 244, 519, 294}},
		{Text: "NHÂN", Box: record.Box{529, 246, 636, 279}},
		{Text: "DÂN", Box: record.Box{646, 246, 725, 279}},
	}
	codes := make([][]uint16, len(words))
	for i, w := range words {
		codes[i] = encode(w.Text)
	}
	if lines := groupLines(words, codes); len(lines) != 1 || lines[0].baseline != 279 {
		t.Errorf("groupLines = %+v, want one line with baseline 279", lines)
	}
}

func TestFormatting(t *testing.T) {
	t.Parallel()
	hanoi := time.FixedZone("ICT", 7*3600)
	cases := []struct{ name, got, want string }{
		{"date with zone", pdfDate(time.Date(2025, 3, 9, 14, 5, 0, 0, hanoi)), "D:20250309140500+07'00'"},
		{"date in UTC", pdfDate(time.Date(2025, 3, 9, 7, 5, 0, 0, time.UTC)), "D:20250309070500Z00'00'"},
		{"title in UTF-16BE with BOM, NFC", textString("So\u0302\u0309 hộ"), "<FEFF00531ED5002000681ED9>"},
		{"integer", num(595), "595"},
		{"decimals trimmed", num(841.6800), "841.68"},
		{"negative zero", num(-0.0001), "0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if c.got != c.want {
				t.Errorf("got %q, want %q", c.got, c.want)
			}
		})
	}
}

// BenchmarkWriteA4 measures writing one A4 page at 300 DPI with about 130 words; JPEG
// encoding of the 2480×3507 image dominates.
func BenchmarkWriteA4(b *testing.B) {
	g, words, _ := renderPage(b, 300, 13, append(append(append([]block{}, header...), body), signature...))
	pages := []Page{{Image: g, DPI: 300, Words: words}}
	var buf bytes.Buffer
	b.ResetTimer()
	for b.Loop() {
		buf.Reset()
		if err := Write(&buf, "a.png", pages); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len())/1024, "KiB/page")
}
