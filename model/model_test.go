package model

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseRejects(t *testing.T) {
	t.Parallel()
	for name, doc := range map[string]string{
		"other format":      `{"format": 2}`,
		"short weights":     `{"format": 1, "calibration": {"date": [1, 2]}}`,
		"threshold of one":  `{"format": 1, "field_threshold": 1}`,
		"unsorted lexicon":  `{"format": 1, "lexicon": ["b c", "a b"]}`,
		"types without any": `{"format": 1, "types": {"classes": [], "docs": [], "counts": {}, "alpha": 1}}`,
		"not json":          `{"format": 1`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := Parse([]byte(doc)); err == nil {
				t.Errorf("Parse(%s) = nil error", doc)
			}
		})
	}
}

// The embedded default parses, and a model saved and loaded again predicts alike.
func TestSaveLoad(t *testing.T) {
	t.Parallel()
	if Default().Format != FormatVersion {
		t.Fatalf("default model format %d", Default().Format)
	}
	tm, err := FitTypes([]TypeDoc{
		{"giay_khai_sinh", "GIẤY KHAI SINH Họ, chữ đệm, tên: Nơi sinh: Quê quán: Dân tộc:"},
		{"giay_khai_sinh", "GIẤY KHAI SINH Họ, chữ đệm, tên: Ngày, tháng, năm sinh: Nơi sinh:"},
		{"to_trinh", "TỜ TRÌNH Kính gửi: Căn cứ Luật đề nghị phê duyệt Kính gửi"},
		{"to_trinh", "TỜ TRÌNH Kính gửi: Căn cứ đề nghị Ủy ban nhân dân phê duyệt"},
	}, 0.1, 100)
	if err != nil {
		t.Fatal(err)
	}
	m := &Model{Format: FormatVersion, Name: "test", Calibration: map[string][]float64{"date": {0, 1, -2, -2, 0.5, -2, 0, 0}},
		FieldThreshold: 0.9, Types: tm, Trained: Provenance{Seed: 1, Sources: []string{"x"}}}
	path := filepath.Join(t.TempDir(), "m.json")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m, got, cmpopts.IgnoreUnexported(TypeModel{})); diff != "" {
		t.Errorf("loaded model (-saved +loaded):\n%s", diff)
	}
	typ, p := got.Types.Predict("Kính gửi: Ủy ban nhân dân, đề nghị phê duyệt")
	if typ != "to_trinh" || p < 0.9 {
		t.Errorf("Predict = %s %.3f, want to_trinh with posterior over 0.9", typ, p)
	}
	if p, ok := got.Probability("date", []float64{1, 0, 0, 0, 0, 0, 0, 0}); !ok || p != 0.5 {
		t.Errorf("Probability(date, intercept only) = %v %v, want 0.5 true", p, ok)
	}
	if _, ok := got.Probability("name", make([]float64, Features)); ok {
		t.Error("Probability of a family the model has no weights for is ok")
	}
}

// Fitting is deterministic: the same documents give the same vocabulary and counts, and words
// seen in one document only stay out.
func TestFitTypesDeterministic(t *testing.T) {
	t.Parallel()
	docs := []TypeDoc{{"a", "xin chào bạn 12/2024"}, {"b", "chào bạn hiếm"}, {"a", "xin bạn 31/12"}}
	m1, _ := FitTypes(docs, 1, 10)
	m2, _ := FitTypes(docs, 1, 10)
	if diff := cmp.Diff(m1, m2, cmpopts.IgnoreUnexported(TypeModel{})); diff != "" {
		t.Fatalf("two fits differ:\n%s", diff)
	}
	var vocab []string
	for w := range m1.Counts {
		vocab = append(vocab, w)
	}
	if got := strings.Join(slices.Sorted(slices.Values(vocab)), " "); got != "00 ban chao xin" {
		t.Errorf("vocabulary %q, want the words of two documents or more, folded, digits as 0", got)
	}
}

// A diacritic slip that makes another real word leaves a word pair no right value had; a
// field often corrected rates below one never seen, which rates 0.
func TestLexiconAndRecords(t *testing.T) {
	t.Parallel()
	m := &Model{Lexicon: BuildLexicon([]string{"Quy định chi tiết một số điều", "CHI TIẾT thi hành"}),
		Records: map[string]Record{"quyet_dinh/issuer": {Right: 2, Seen: 10}, "quyet_dinh/subject": {Right: 50, Seen: 50}}}
	for value, want := range map[string]float64{
		"Quy định chi tiết":             0,
		"quy định chỉ tiết":             2, // both pairs of the slipped word
		"Quy định chỉ tiết một số điều": 2,
		"một":         0,
		"a b c d e f": 3,
	} {
		if got := m.Unfamiliar(value); got != want {
			t.Errorf("Unfamiliar(%q) = %v, want %v", value, got, want)
		}
	}
	if (&Model{}).Unfamiliar("x y") != 0 {
		t.Error("a model without a lexicon finds pairs unfamiliar")
	}
	bad, good, unseen := m.FieldRate("quyet_dinh", "issuer"), m.FieldRate("quyet_dinh", "subject"), m.FieldRate("to_trinh", "issuer")
	if !(bad < 0 && good > 0 && unseen == 0) {
		t.Errorf("FieldRate: often corrected %v, always right %v, never seen %v; want <0, >0, 0", bad, good, unseen)
	}
}
