package extract

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sohoa/sohoa/classify"
	"github.com/sohoa/sohoa/record"
)

var update = flag.Bool("update", false, "rewrite the testdata golden files from the current output")

// testNow pins the clock so "not in the future" checks do not drift.
var testNow = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

func newTestExtractor() *Extractor {
	e := New(record.MustTaxonomy())
	e.now = func() time.Time { return testNow }
	return e
}

// result is what a golden file holds for one document.
type result struct {
	Type        string        `json:"doc_type"`
	Fields      record.Fields `json:"fields"`
	NeedsReview bool          `json:"needs_review"`
}

// TestExtractTestdata classifies and extracts every document in ../classify/testdata (the
// documents both stages are tested on) and compares with testdata/<name>.golden.json.
func TestExtractTestdata(t *testing.T) {
	t.Parallel()
	e := newTestExtractor()
	c := classify.New(record.MustTaxonomy())
	files, err := filepath.Glob("../classify/testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("listing testdata: %v (%d files)", err, len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatalf("reading %s: %v", f, err)
			}
			pages := []record.Page{{Number: 1, Text: record.NFC(strings.TrimRight(string(b), "\n"))}}
			cl := c.Classify(pages)
			fields := e.Extract(cl.Type, pages)
			got := result{Type: cl.Type, Fields: fields, NeedsReview: NeedsReview(cl, fields)}
			golden := filepath.Join("testdata", name+".golden.json")
			if *update {
				out, _ := json.MarshalIndent(got, "", "  ")
				if err := os.WriteFile(golden, append(out, '\n'), 0o644); err != nil {
					t.Fatalf("writing golden: %v", err)
				}
			}
			wb, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("reading golden (run with -update to create it): %v", err)
			}
			var want result
			if err := json.Unmarshal(wb, &want); err != nil {
				t.Fatalf("decoding golden: %v", err)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("extraction mismatch (-want +got):\n%s", d)
			}
		})
	}
}

func TestValidMST(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want bool
	}{
		{"0309829579", true}, {"0301442227", true}, {"0305097236", true}, {"0100109106", true},
		{"0100047516", true}, {"0100047516-001", true}, {"0301234567", false}, {"0100047516-000", false},
		{"0000000000", false}, {"030982957", false}, {"03098295790", false}, {"03098a9579", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			if got := ValidMST(tc.in); got != tc.want {
				t.Errorf("ValidMST(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestValidCCCD(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want bool
	}{
		{"087084000999", true}, {"001090123456", true}, {"079203001234", true},
		{"003090123456", false}, // 003 is not a province code
		{"00109012345", false}, {"0010901234567", false}, {"00109012345a", false},
		{"001399123456", false}, // born 2199
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			err := validCCCDAt(tc.in, testNow)
			if (err == nil) != tc.want {
				t.Errorf("ValidCCCD(%q) = %v, want valid %v", tc.in, err, tc.want)
			}
			if err != nil && !errors.Is(err, ErrInvalidCCCD) {
				t.Errorf("error %v does not wrap ErrInvalidCCCD", err)
			}
		})
	}
}

func TestNormalise(t *testing.T) {
	t.Parallel()
	e := newTestExtractor()
	tests := []struct {
		format, in, want string
		valid            bool
	}{
		{"date", "ngày 05 tháng 01 năm 2020", "2020-01-05", true},
		{"date", "0l/02/2O03", "2003-02-01", true},
		{"date", "31/02/2020", "2020-02-31", false},
		{"date", "01/01/2099", "2099-01-01", false},
		{"date", "1975", "1975", true},
		{"area", "1.855,3 m²", "1855.3", true},
		{"area", "1,855.3 m2", "1855.3", true},
		{"area", "108,0m?", "108.0", true},
		{"area", "350 m2", "350", true},
		{"vnd", "8.000.000.000 đồng", "8000000000", true},
		{"sex", "Nu", "Nữ", true},
		{"id12", "001 090 123 456", "001090123456", true},
		{"docnum", "12 / QĐ-UBND", "12/QĐ-UBND", true},
	}
	for _, tc := range tests {
		t.Run(tc.format+" "+tc.in, func(t *testing.T) {
			t.Parallel()
			got, valid, _ := e.normalise(tc.format, record.NFC(tc.in), testNow)
			if got != tc.want || valid != tc.valid {
				t.Errorf("normalise(%s, %q) = %q, %v; want %q, %v", tc.format, tc.in, got, valid, tc.want, tc.valid)
			}
		})
	}
}

// TestMarriageColumns reads a two-column marriage certificate from word boxes.
func TestMarriageColumns(t *testing.T) {
	t.Parallel()
	e := newTestExtractor()
	words := func(line int, x0 int, text string) []record.Word {
		var ws []record.Word
		x := x0
		for _, f := range strings.Fields(text) {
			ws = append(ws, record.Word{Text: f, Confidence: 90, Line: line, Box: record.Box{x, line * 40, x + 20*len([]rune(f)), line*40 + 30}})
			x += 20*len([]rune(f)) + 10
		}
		return ws
	}
	l0 := "Họ, chữ đệm, tên vợ: LÊ THỊ HOA"
	r0 := "Họ, chữ đệm, tên chồng: PHẠM VĂN NAM"
	l1 := "Ngày, tháng, năm sinh: 20/01/1993"
	r1 := "Ngày, tháng, năm sinh: 02/03/1990"
	p := record.Page{Number: 1, Width: 2000, Height: 2800, Text: l0 + " " + r0 + "\n" + l1 + " " + r1}
	p.Words = append(p.Words, words(0, 50, l0)...)
	p.Words = append(p.Words, words(0, 1050, r0)...)
	p.Words = append(p.Words, words(1, 50, l1)...)
	p.Words = append(p.Words, words(1, 1050, r1)...)
	got := e.Extract("giay_chung_nhan_ket_hon", []record.Page{p})
	want := map[string]string{"wife_name": "LÊ THỊ HOA", "husband_name": "PHẠM VĂN NAM", "wife_date_of_birth": "1993-01-20", "husband_date_of_birth": "1990-03-02"}
	for k, v := range want {
		if got[k].Value != v {
			t.Errorf("%s = %q, want %q", k, got[k].Value, v)
		}
		// Words at 90 after their printed label: a raw score of 0.9, then calibrated.
		dt, _ := e.tax.Type("giay_chung_nhan_ket_hon")
		format, _ := dt.Format(k)
		tc := 1.0 // the document-level evidence: the classifier's confidence in the type
		if c := e.cls.Classify([]record.Page{p}); c.Type == "giay_chung_nhan_ket_hon" {
			tc = c.Confidence
		}
		wantConf := reported(EvidenceOf(k, format, record.Field{Value: v, Confidence: 0.9, Valid: true}, Doc{Type: dt.Code, TypeConfidence: tc}))
		if got[k].BBox == (record.Box{}) || got[k].Confidence != wantConf {
			t.Errorf("%s: box %v confidence %v, want a box and %v", k, got[k].BBox, got[k].Confidence, wantConf)
		}
	}
}

// TestMarriageColumnsReadAcross reads a marriage certificate whose columns the line finder
// read across, line by line: the wife's date of birth comes after the husband's name, and
// the wife's and husband's identity papers each go on to a line of their own.
func TestMarriageColumnsReadAcross(t *testing.T) {
	t.Parallel()
	e := newTestExtractor()
	p := boxedPage([][3]any{
		{"GIẤY CHỨNG NHẬN KẾT HÔN", 900, 2000},
		{"Họ, chữ đệm, tên vợ: PHAN THANH", 400, 1300},
		{"LOAN", 400, 520},
		{"Họ, chữ đệm, tên chồng: CAO TRỌNG", 1600, 2500},
		{"LÂM", 1600, 1700},
		{"Ngày, tháng, năm sinh: 19/06/1986", 400, 1250},
		{"Ngày, tháng, năm sinh: 06/12/1985", 1600, 2450},
		{"Giấy tờ tùy thân: Căn cước công dân", 400, 1350},
		{"số 091186952574", 400, 800},
		{"Giấy tờ tùy thân: Căn cước công dân", 1600, 2550},
		{"số 001085468296", 1600, 2000},
		{"Nơi đăng ký kết hôn: Ủy ban nhân dân xã An Bình, huyện Vũ Thư, thành phố Hà Nội", 400, 2600},
	})
	got := e.Extract("giay_chung_nhan_ket_hon", []record.Page{p})
	want := map[string]string{
		"wife_name": "PHAN THANH LOAN", "husband_name": "CAO TRỌNG LÂM",
		"wife_date_of_birth": "1986-06-19", "husband_date_of_birth": "1985-12-06",
		"wife_id_number": "091186952574", "husband_id_number": "001085468296",
	}
	for k, v := range want {
		if got[k].Value != v {
			t.Errorf("%s = %q, want %q", k, got[k].Value, v)
		}
	}
}

func BenchmarkClassifyExtract(b *testing.B) {
	text, err := os.ReadFile("../classify/testdata/quyet_dinh.txt")
	if err != nil {
		b.Fatalf("reading testdata: %v", err)
	}
	pages := []record.Page{{Number: 1, Text: record.NFC(string(text))}}
	tax := record.MustTaxonomy()
	c, e := classify.New(tax), New(tax)
	b.ResetTimer()
	for b.Loop() {
		cl := c.Classify(pages)
		e.Extract(cl.Type, pages)
	}
}
