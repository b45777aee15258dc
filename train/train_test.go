package train

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sohoa/sohoa/eval"
	"github.com/sohoa/sohoa/extract"
	"github.com/sohoa/sohoa/model"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
)

func TestMain(m *testing.M) {
	extract.SetRawConfidence(true) // as sohoa train runs: see the package doc
	os.Exit(m.Run())
}

// testDoc is a document of classify's testdata whose truth is what the pipeline reads of it,
// with changes applied.
func testDoc(t *testing.T, p *Predictor, file string, typ string, change map[string]string) Doc {
	t.Helper()
	text, err := os.ReadFile(filepath.Join("..", "classify", "testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	pages := []record.Page{{Number: 1, Width: 2480, Height: 3508, Text: record.NFC(string(text))}}
	d := Doc{ID: file, Pages: pages, Truth: eval.Truth{File: file, DocType: typ, Fields: map[string]string{}}}
	pred := p.Predict([]Doc{d}, model.Default())[0]
	for n, v := range pred.Fields {
		d.Truth.Fields[n] = v
	}
	for n, v := range change {
		if v == "" {
			delete(d.Truth.Fields, n)
		} else {
			d.Truth.Fields[n] = v
		}
	}
	return d
}

// A simulated clerk's corrections go into the store as examples, and the store's approved
// documents come back labelled with the corrected values and type.
func TestSimulateClerksThenLoadStore(t *testing.T) {
	ctx := context.Background()
	st, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p := NewPredictor(record.MustTaxonomy())
	docs := []Doc{
		testDoc(t, p, "quyet_dinh.txt", "quyet_dinh", map[string]string{"signer": "Nguyễn Văn Sửa"}),
		testDoc(t, p, "cong_van.txt", "to_trinh", nil), // reclassified by the clerk
	}
	n, err := SimulateClerks(ctx, st, p, docs, model.Default())
	if err != nil {
		t.Fatal(err)
	}
	ex, err := st.Examples(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(ex) || n < 2 {
		t.Fatalf("SimulateClerks counted %d changes, the store holds %d examples: %+v", n, len(ex), ex)
	}
	got, examples, err := LoadStore(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if examples != len(ex) || len(got) != 2 {
		t.Fatalf("LoadStore: %d documents, %d examples; want 2 and %d", len(got), examples, len(ex))
	}
	byType := map[string]eval.Truth{}
	for _, d := range got {
		byType[d.Truth.DocType] = d.Truth
		if d.Source != SourceSimulated {
			t.Errorf("%s read from the store as %q, want %q", d.ID, d.Source, SourceSimulated)
		}
	}
	if diff := cmp.Diff(docs[0].Truth.Fields, byType["quyet_dinh"].Fields); diff != "" {
		t.Errorf("labels of the corrected decision (-truth +store):\n%s", diff)
	}
	if _, ok := byType["to_trinh"]; !ok {
		t.Errorf("the reclassified document is not labelled to_trinh: %+v", got)
	}
	// A second run over the same store adds nothing.
	if _, err := SimulateClerks(ctx, st, p, docs, model.Default()); err != nil {
		t.Fatal(err)
	}
	if again, _ := st.Examples(ctx, 0, 100); len(again) != len(ex) {
		t.Errorf("a second simulation added examples: %d, was %d", len(again), len(ex))
	}
}

// Fitting on the same documents twice gives the same model, and its threshold is one of the
// candidates.
func TestFitReproducible(t *testing.T) {
	t.Parallel()
	p := NewPredictor(record.MustTaxonomy())
	var docs []Doc
	for _, f := range []struct{ file, typ string }{{"quyet_dinh.txt", "quyet_dinh"}, {"cong_van.txt", "cong_van"},
		{"giay_khai_sinh.txt", "giay_khai_sinh"}, {"to_trinh_hd.txt", "to_trinh"}, {"giay_moi.txt", "giay_moi"}} {
		docs = append(docs, testDoc(t, p, f.file, f.typ, nil))
	}
	docs[0].Truth.Fields["signer"] = "Người Khác" // one wrong field
	m1, _, err := Fit(p, docs, model.Default(), "t", DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	m2, _, _ := Fit(p, docs, model.Default(), "t", DefaultOptions)
	if diff := cmp.Diff(m1.Calibration, m2.Calibration); diff != "" || m1.FieldThreshold != m2.FieldThreshold {
		t.Errorf("two fits differ (threshold %v, %v):\n%s", m1.FieldThreshold, m2.FieldThreshold, diff)
	}
	if m1.FieldThreshold < 0.5 || m1.FieldThreshold > 0.99 || m1.Types == nil || len(m1.Calibration) == 0 {
		t.Errorf("fitted model: threshold %v, types %v, %d families", m1.FieldThreshold, m1.Types != nil, len(m1.Calibration))
	}
}

// TestLexiconOnlyFromClerks: a generated set's values, given as a set or approved by simulated
// clerks, never reach the lexicon; a real clerk's public values do, personal records' do not.
func TestLexiconOnlyFromClerks(t *testing.T) {
	t.Parallel()
	tax := record.MustTaxonomy()
	doc := func(src, typ string, fields map[string]string) Doc {
		return Doc{Source: src, Truth: eval.Truth{DocType: typ, Fields: fields}}
	}
	docs := []Doc{
		doc("/tmp/dev/html-1818", "quyet_dinh", map[string]string{"subject": "Phê duyệt kế hoạch"}),
		doc(SourceSimulated, "cong_van", map[string]string{"subject": "Triển khai đề án"}),
		doc(SourceStore, "thong_bao", map[string]string{"subject": "Lịch tiếp dân", "issuer": "SỞ NỘI VỤ"}),
		doc(SourceStore, "giay_khai_sinh", map[string]string{"full_name": "Trần Thị Bình"}),
	}
	want := []string{"lịch tiếp", "nội vụ", "sở nội", "tiếp dân"}
	if diff := cmp.Diff(want, lexicon(tax, docs)); diff != "" {
		t.Errorf("lexicon (-want +got):\n%s", diff)
	}
}
