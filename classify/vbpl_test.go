package classify

import (
	"testing"

	"github.com/sohoa/sohoa/fixtures"
	"github.com/sohoa/sohoa/record"
)

// vbplPath is the real legal-document sample shared by the project (shared/data/README.md).
const vbplPath = "../testdata/shared/vbpl/vbpl_dev.jsonl.gz"

type vbplDoc struct {
	Title string
	Type  string // taxonomy code
	Pages []record.Page
}

// loadVBPL reads the full-text records as two pages: the first and the last 40 lines of the
// body, the parts a scanner sees on the first and the last page.
func loadVBPL(t testing.TB) []vbplDoc {
	t.Helper()
	recs, err := fixtures.ReadVBPL(vbplPath)
	if err != nil {
		t.Fatal(err)
	}
	var docs []vbplDoc
	for _, r := range recs {
		if r.BodyKind == "full_text" {
			docs = append(docs, vbplDoc{Title: record.NFC(r.Title), Type: r.Code(), Pages: r.ScanPages(40)})
		}
	}
	return docs
}

// TestVBPLTypeAccuracy measures type accuracy on real legal documents. The floor sits a little
// under the measured value so a regression fails the test.
func TestVBPLTypeAccuracy(t *testing.T) {
	t.Parallel()
	const floor = 0.97
	c := New(record.MustTaxonomy())
	docs := loadVBPL(t)
	right := 0
	for _, d := range docs {
		got := c.Classify(d.Pages)
		if got.Type == d.Type {
			right++
			continue
		}
		t.Logf("%s: got %s (%.2f), want %s", d.Title, got.Type, got.Confidence, d.Type)
	}
	acc := float64(right) / float64(len(docs))
	t.Logf("vbpl type accuracy: %d/%d = %.3f", right, len(docs), acc)
	if acc < floor {
		t.Errorf("type accuracy %.3f below floor %.2f", acc, floor)
	}
}
