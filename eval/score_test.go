package eval

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/text/unicode/norm"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// handSet is a small truth and prediction set whose every number is worked out by hand in
// TestScore. It covers a correct and a wrong type, a base-name match, a failure, a missing
// prediction, a stray prediction, an extra page, and right, wrong, missing, unwarranted and
// out-of-type fields.
func handSet() ([]Truth, []Prediction, Options) {
	truth := []Truth{
		{
			File: "qd.pdf", DocType: "quyet_dinh",
			Fields: map[string]string{"number": "15/QĐ-UBND", "issued_date": "2024-01-05", "signer": "Nguyễn Văn An"},
			Pages: []PageTruth{
				{Text: "abcd", SkewDegrees: 3},
				{Text: "efgh ij", SkewDegrees: -2, Rotation: 90},
			},
			Degradations: []string{"skew", "blur"},
		},
		{
			File: "cc.png", DocType: "can_cuoc",
			Fields: map[string]string{"id_number": "001090123456", "full_name": "Trần Thị Bình"},
			Pages:  []PageTruth{{Text: "xyz"}},
		},
		{
			File: "tb.tif", DocType: "thong_bao",
			Fields:       map[string]string{"number": "7/TB-UBND"},
			Pages:        []PageTruth{{Text: "hello world"}},
			Degradations: []string{"noise"},
		},
		{
			File: "missing.jpg", DocType: "quyet_dinh",
			Fields: map[string]string{"number": "1/QĐ-UBND"},
			Pages:  []PageTruth{{Text: "ab"}},
		},
	}
	pred := []Prediction{
		{
			File: "out/qd.pdf", DocType: "quyet_dinh", NeedsReview: true,
			Fields: map[string]string{
				"number":      norm.NFD.String("15/QĐ-UBND"), // right once normalised
				"issued_date": "2024-01-06",                  // wrong
				"subject":     "Về việc thử",                 // in the type but not printed: unwarranted
				"id_number":   "123",                         // not a quyet_dinh field: not judged
			},
			Pages: []PagePrediction{
				{Text: "abcd", SkewDegrees: 2.5, MeanConfidence: 90},
				{Text: "efgh", SkewDegrees: -2, MeanConfidence: 80},
			},
			Duration: 2 * time.Second,
		},
		{
			File: "cc.png", DocType: "giay_khai_sinh",
			Fields: map[string]string{"id_number": "001090123456", "full_name": "Trần  Thị Bình "},
			Pages: []PagePrediction{
				{Text: "xyz", SkewDegrees: 1, MeanConfidence: 70},
				{Text: "extra", MeanConfidence: 60},
			},
			Duration: time.Second,
		},
		{File: "tb.tif", Err: "decoding page 1: unexpected EOF", Duration: 500 * time.Millisecond},
		{File: "stray.png", DocType: "khac"},
	}
	opt := Options{
		Workers: 2,
		Elapsed: 30 * time.Second,
		Baseline: map[string][]string{
			"scans/qd.pdf": {"abXd", "efgh ij"},
			"cc.png":       {"xy"},
		},
	}
	return truth, pred, opt
}

func TestScore(t *testing.T) {
	t.Parallel()
	truth, pred, opt := handSet()
	got := Score(truth, pred, opt)
	want := Report{
		Documents: 4, Pages: 5, Failures: 2, Missing: 1,
		Failed: []FailedFile{
			{File: "tb.tif", Err: "decoding page 1: unexpected EOF"},
			{File: "missing.jpg", Err: "no prediction"},
		},
		Unmatched:  []string{"stray.png"},
		ExtraPages: 1,
		// Pages: abcd/abcd 0 of 4, "efgh ij"/efgh 3 of 7, xyz/xyz 0 of 3, failed 11 of 11, missing 2 of 2.
		Text: TextScore{
			Chars: 27, Words: 7,
			CER: 16.0 / 27, MeanPageCER: (3.0/7 + 1 + 1) / 5,
			WER: 4.0 / 7, MeanPageWER: (0.5 + 1 + 1) / 5,
			BagOfWords:     3.0 / 7,
			MeanConfidence: (90 + 80 + 70 + 60) / 4.0,
		},
		Degradations: []GroupScore{
			{Degradation: "blur", Pages: 2, Chars: 11, CER: 3.0 / 11, MeanPageCER: 3.0 / 14},
			{Degradation: "clean", Pages: 2, Chars: 5, CER: 2.0 / 5, MeanPageCER: 0.5},
			{Degradation: "noise", Pages: 1, Chars: 11, CER: 1, MeanPageCER: 1},
			{Degradation: "skew", Pages: 2, Chars: 11, CER: 3.0 / 11, MeanPageCER: 3.0 / 14},
		},
		Geometry: GeometryScore{
			Pages: 3, SkewErrorMean: 0.5, SkewErrorMax: 1,
			RotationCorrect: 2, RotationAccuracy: 2.0 / 3,
		},
		Classification: ClassificationScore{
			Correct: 1, Accuracy: 0.25,
			Labels: []string{"can_cuoc", "giay_khai_sinh", "quyet_dinh", "thong_bao", LabelFailed},
			Confusion: [][]int{
				{0, 1, 0, 0, 0},
				{0, 0, 0, 0, 0},
				{0, 0, 1, 0, 1},
				{0, 0, 0, 0, 1},
				{0, 0, 0, 0, 0},
			},
		},
		Fields: FieldsScore{
			Micro: FieldScore{Field: "all", Predicted: 5, Truth: 7, Correct: 3, Precision: 0.6, Recall: 3.0 / 7, F1: 0.5},
			PerField: []FieldScore{
				{Field: "full_name", Predicted: 1, Truth: 1, Correct: 1, Precision: 1, Recall: 1, F1: 1},
				{Field: "id_number", Predicted: 1, Truth: 1, Correct: 1, Precision: 1, Recall: 1, F1: 1},
				{Field: "issued_date", Predicted: 1, Truth: 1},
				{Field: "number", Predicted: 1, Truth: 3, Correct: 1, Precision: 1, Recall: 1.0 / 3, F1: 0.5},
				{Field: "signer", Truth: 1},
				{Field: "subject", Predicted: 1},
			},
		},
		// qd.pdf is flagged and has mistakes; cc.png has the wrong type and is not flagged.
		Review: ReviewScore{Documents: 2, Sent: 1, Share: 0.5, WithError: 2, Precision: 1, Caught: 1, Recall: 0.5, ConfidentWrong: 0.5, ConfidentWrongUpper95: UpperBound95(1, 2),
			Floor: ReviewFloor{ByRuleOrMistake: 2}},
		Speed: SpeedScore{
			Workers: 2, ElapsedSeconds: 30, PagesPerMinute: 10, PagesPerMinutePerWorker: 5,
			SecondsPerPage: 3.5 / 5,
		},
		// Raw tesseract: abXd 1 of 4, "efgh ij" 0 of 7, xy 1 of 3; the pipeline 3 on the same 14.
		Baseline: &BaselineScore{Pages: 3, Chars: 14, CER: 2.0 / 14, PipelineCER: 3.0 / 14, Delta: 1.0 / 14},
		WorstPages: []PageScore{
			{File: "missing.jpg", Page: 1, Chars: 2, CER: 1, WER: 1, Failed: true},
			{File: "tb.tif", Page: 1, Chars: 11, CER: 1, WER: 1, Failed: true, Degradations: []string{"noise"}},
			{File: "qd.pdf", Page: 2, Chars: 7, CER: 3.0 / 7, WER: 0.5, Degradations: []string{"skew", "blur"}},
			{File: "cc.png", Page: 1, Chars: 3},
			{File: "qd.pdf", Page: 1, Chars: 4, Degradations: []string{"skew", "blur"}},
		},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("Score mismatch (-want +got):\n%s", diff)
	}
}

// TestScorePDFText scores the PDF text of handSet's two processed documents; the failed and
// the missing one have no PDF.
func TestScorePDFText(t *testing.T) {
	t.Parallel()
	truth, pred, opt := handSet()
	pred[0].Pages[0].PDFText = "abcd"   // 0 edits of 4; the OCR 0
	pred[0].Pages[1].PDFText = "efgh i" // 1 of 7; the OCR 3
	pred[1].Pages[0].PDFText = "xy z"   // 1 of 3; the OCR 0
	pred[1].Pages[1].PDFText = "extra"  // beyond the truth: not scored
	opt.PDFText = true
	want := &PDFTextScore{
		Pages: 3, Chars: 14,
		CER: 2.0 / 14, MeanPageCER: (1.0/7 + 1.0/3) / 3,
		OCRCER: 3.0 / 14, OCRMeanPageCER: 3.0 / 7 / 3,
	}
	if diff := cmp.Diff(want, Score(truth, pred, opt).PDFText, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("PDF text score (-want +got):\n%s", diff)
	}

	opt.PDFText, opt.PDFTextSkipped = false, "pdftotext not found"
	want = &PDFTextScore{Skipped: "pdftotext not found"}
	if diff := cmp.Diff(want, Score(truth, pred, opt).PDFText); diff != "" {
		t.Errorf("skipped PDF text score (-want +got):\n%s", diff)
	}
}

// TestReportPDFText checks that both text reports print the PDF text score, or why it is
// missing. (The golden files cover reports without it.)
func TestReportPDFText(t *testing.T) {
	t.Parallel()
	measured := Report{PDFText: &PDFTextScore{Pages: 3, Chars: 14, CER: 2.0 / 14, MeanPageCER: 0.16, OCRCER: 3.0 / 14, OCRMeanPageCER: 0.14}}
	skipped := Report{PDFText: &PDFTextScore{Skipped: "pdftotext not found"}}
	cases := []struct {
		name  string
		write func(*bytes.Buffer) error
		want  []string
	}{
		{"table", func(b *bytes.Buffer) error { return measured.WriteTable(b) },
			[]string{"PDF TEXT (pdftotext, 3 pages)", "14.29%", "16.00%", "OCR CER, same pages", "21.43%", "14.00%", "-7.14 pp"}},
		{"markdown", func(b *bytes.Buffer) error { return measured.WriteMarkdown(b) },
			[]string{"## Searchable PDF text", "| PDF (pdftotext) | 14.29% | 16.00% |", "| OCR | 21.43% | 14.00% |"}},
		{"table, skipped", func(b *bytes.Buffer) error { return skipped.WriteTable(b) },
			[]string{"not measured: pdftotext not found"}},
		{"markdown, skipped", func(b *bytes.Buffer) error { return skipped.WriteMarkdown(b) },
			[]string{"Not measured: pdftotext not found."}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := c.write(&b); err != nil {
				t.Fatal(err)
			}
			for _, w := range c.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("report lacks %q:\n%s", w, b.String())
				}
			}
		})
	}
}

func TestScoreEdges(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		truth []Truth
		pred  []Prediction
		check func(t *testing.T, r Report)
	}{
		{
			name: "nothing to score",
			check: func(t *testing.T, r Report) {
				if r.Pages != 0 || r.Text.CER != 0 || r.Baseline != nil || len(r.WorstPages) != 0 {
					t.Errorf("empty report = %+v", r)
				}
			},
		},
		{
			name:  "rotation compares modulo a full turn",
			truth: []Truth{{File: "a.png", DocType: "khac", Pages: []PageTruth{{Text: "a", Rotation: 270}}}},
			pred:  []Prediction{{File: "a.png", DocType: "khac", Pages: []PagePrediction{{Text: "a", Rotation: -90}}}},
			check: func(t *testing.T, r Report) {
				if r.Geometry.RotationAccuracy != 1 || r.Classification.Accuracy != 1 {
					t.Errorf("geometry %+v, classification %+v", r.Geometry, r.Classification)
				}
			},
		},
		{
			name:  "empty predicted type and ambiguous base names",
			truth: []Truth{{File: "x/a.png", DocType: "khac", Pages: []PageTruth{{Text: "a"}}}},
			pred:  []Prediction{{File: "y/a.png"}, {File: "z/a.png"}, {File: "x/a.png"}},
			check: func(t *testing.T, r Report) {
				want := []string{"khac", LabelNone}
				if diff := cmp.Diff(want, r.Classification.Labels); diff != "" {
					t.Errorf("labels (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff([]string{"y/a.png", "z/a.png"}, r.Unmatched); diff != "" {
					t.Errorf("unmatched (-want +got):\n%s", diff)
				}
				if r.Text.CER != 1 {
					t.Errorf("CER = %v, want 1: the exact name, with no text, must be the match", r.Text.CER)
				}
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.check(t, Score(c.truth, c.pred, Options{}))
		})
	}
}

func TestReportGolden(t *testing.T) {
	t.Parallel()
	truth, pred, opt := handSet()
	r := Score(truth, pred, opt)
	cases := []struct {
		name, file string
		write      func(*bytes.Buffer) error
	}{
		{"table", "report.txt", func(b *bytes.Buffer) error { return r.WriteTable(b) }},
		{"markdown", "report.md", func(b *bytes.Buffer) error { return r.WriteMarkdown(b) }},
		{"json", "report.json", func(b *bytes.Buffer) error { return r.WriteJSON(b) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := c.write(&b); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", c.file)
			if *update {
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("reading golden file (run go test -update to create it): %v", err)
			}
			if diff := cmp.Diff(string(want), b.String()); diff != "" {
				t.Errorf("%s differs from the golden file (-want +got):\n%s", c.file, diff)
			}
		})
	}
}

func TestReportJSONRoundTrip(t *testing.T) {
	t.Parallel()
	truth, pred, opt := handSet()
	r := Score(truth, pred, opt)
	var b bytes.Buffer
	if err := r.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, back); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
}

// BenchmarkScore scores 200 pages of about 3000 characters, each with a raw-tesseract
// baseline, the size of a typical `sohoa eval` run.
func BenchmarkScore(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	alphabet := []rune("aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặ      ")
	noisy := func(s []rune, every int) string {
		out := slices.Clone(s)
		for i := range out {
			if rng.IntN(every) == 0 {
				out[i] = alphabet[rng.IntN(len(alphabet))]
			}
		}
		return string(out)
	}
	var truth []Truth
	var pred []Prediction
	opt := Options{Baseline: map[string][]string{}}
	for d := range 50 {
		file := fmt.Sprintf("doc%03d.pdf", d)
		t := Truth{File: file, DocType: "quyet_dinh", Fields: map[string]string{"number": "1/QĐ-UBND"}}
		p := Prediction{File: file, DocType: "quyet_dinh", Fields: map[string]string{"number": "1/QĐ-UBND"}}
		for range 4 {
			page := make([]rune, 3000)
			for i := range page {
				page[i] = alphabet[rng.IntN(len(alphabet))]
			}
			t.Pages = append(t.Pages, PageTruth{Text: string(page)})
			p.Pages = append(p.Pages, PagePrediction{Text: noisy(page, 30)})
			opt.Baseline[file] = append(opt.Baseline[file], noisy(page, 8))
		}
		truth, pred = append(truth, t), append(pred, p)
	}
	for b.Loop() {
		Score(truth, pred, opt)
	}
}

// TestReviewReasonsAndFloor checks the per-reason counts over sent documents and the floor of
// what any policy must send, on four documents worked out by hand.
func TestReviewReasonsAndFloor(t *testing.T) {
	t.Parallel()
	truth := []Truth{
		// Right, sent for two reasons.
		{File: "a.png", DocType: "quyet_dinh", Fields: map[string]string{"number": "1/QĐ-UBND", "subject": "Về việc A"}},
		// Right, sent for the issuer alone.
		{File: "b.png", DocType: "quyet_dinh", Fields: map[string]string{"number": "2/QĐ-UBND", "subject": "Về việc B"}},
		// Wrong, sent; its number was filled in by hand.
		{File: "c.png", DocType: "quyet_dinh", Fields: map[string]string{"number": "3/QĐ-UBND", "subject": "Về việc C"}, Degradations: []string{HandwrittenDigits, "blur"}},
		// Right, not sent, but the truth has no subject, which is required.
		{File: "d.png", DocType: "quyet_dinh", Fields: map[string]string{"number": "4/QĐ-UBND"}},
	}
	low := func(f string) string { return "field_low_confidence " + f }
	pred := []Prediction{
		{File: "a.png", DocType: "quyet_dinh", NeedsReview: true, Reasons: []string{low("issuer"), low("subject"), low("issuer")},
			Fields: map[string]string{"number": "1/QĐ-UBND", "subject": "Về việc A"}},
		{File: "b.png", DocType: "quyet_dinh", NeedsReview: true, Reasons: []string{low("issuer")},
			Fields: map[string]string{"number": "2/QĐ-UBND", "subject": "Về việc B"}},
		{File: "c.png", DocType: "quyet_dinh", NeedsReview: true, Reasons: []string{low("issuer"), "field_missing number"},
			Fields: map[string]string{"subject": "Về việc C"}},
		{File: "d.png", DocType: "quyet_dinh", Fields: map[string]string{"number": "4/QĐ-UBND"}},
	}
	required := func(string) []string { return []string{"number", "subject"} }
	got := Score(truth, pred, Options{Required: required}).Review
	wantReasons := []ReasonCount{
		{Reason: low("issuer"), Wrong: 1, Right: 2, Alone: 1},
		{Reason: low("subject"), Right: 1},
		{Reason: "field_missing number", Wrong: 1},
	}
	if diff := cmp.Diff(wantReasons, got.Reasons); diff != "" {
		t.Errorf("reasons (-want +got):\n%s", diff)
	}
	wantFloor := ReviewFloor{Handwritten: 1, RequiredAbsent: 1, ByRule: 2, ByRuleOrMistake: 2}
	if diff := cmp.Diff(wantFloor, got.Floor); diff != "" {
		t.Errorf("floor (-want +got):\n%s", diff)
	}
	var table bytes.Buffer
	if err := (Report{Review: got}).WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"floor: by rule or with a mistake", "field_low_confidence issuer"} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}
}

// TestHandScore: a hand-filled value counts as flagged only when it was not read or a review
// reason names its field; a sent document alone does not tell the clerk which value to check.
func TestHandScore(t *testing.T) {
	t.Parallel()
	doc := func(file, number, date string, hand ...string) Truth {
		return Truth{File: file, DocType: "quyet_dinh", Fields: map[string]string{"number": number, "issued_date": date}, Handwritten: hand}
	}
	truth := []Truth{
		doc("a.png", "238/QĐ-UBND", "2024-05-25", "number"),                // read wrong, sent for the subject only
		doc("b.png", "121/QĐ-UBND", "2024-05-25", "issued_date"),           // read right, unflagged
		doc("c.png", "315/QĐ-UBND", "2024-06-06", "number", "issued_date"), // number not read, date named
		doc("d.png", "7/QĐ-UBND", "2024-06-07"),                            // printed: not counted
	}
	pred := []Prediction{
		{File: "a.png", DocType: "quyet_dinh", NeedsReview: true, Reasons: []string{"field_low_confidence subject"},
			Fields: map[string]string{"number": "258/QĐ-UBND", "issued_date": "2024-05-25"}},
		{File: "b.png", DocType: "quyet_dinh", Fields: map[string]string{"number": "121/QĐ-UBND", "issued_date": "2024-05-25"}},
		{File: "c.png", DocType: "quyet_dinh", NeedsReview: true, Reasons: []string{"field_low_confidence issued_date"},
			Fields: map[string]string{"issued_date": "2024-06-06"}},
		{File: "d.png", DocType: "quyet_dinh", Fields: map[string]string{"number": "1/QĐ-UBND", "issued_date": "2024-06-07"}},
	}
	got := Score(truth, pred, Options{}).Review
	if want := (HandScore{Values: 4, Flagged: 2, UnflaggedWrong: 1}); got.Hand != want {
		t.Errorf("hand = %+v, want %+v", got.Hand, want)
	}
	if got.Floor.Handwritten != 3 {
		t.Errorf("floor counts %d documents with hand-filled digits, want 3", got.Floor.Handwritten)
	}
}
