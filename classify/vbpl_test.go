package classify

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/record"
)

// vbplPath is the real legal-document sample shared by the project (shared/data/README.md).
const vbplPath = "../../shared/data/vbpl/vbpl_dev.jsonl.gz"

// vbplTypes maps vbpl.vn's doc_type names to taxonomy codes.
var vbplTypes = map[string]string{
	"Luật": "luat", "Nghị định": "nghi_dinh", "Thông tư": "thong_tu",
	"Thông tư liên tịch": "thong_tu_lien_tich", "Nghị quyết": "nghi_quyet",
	"Quyết định": "quyet_dinh", "Văn bản hợp nhất": "van_ban_hop_nhat", "Pháp lệnh": "phap_lenh",
}

type vbplDoc struct {
	Title string
	Type  string // taxonomy code
	Pages []record.Page
}

// loadVBPL reads the full-text records as two pages: the first and the last 40 lines of the
// body, the parts a scanner sees on the first and the last page.
func loadVBPL(t testing.TB) []vbplDoc {
	t.Helper()
	f, err := os.Open(vbplPath)
	if err != nil {
		t.Fatalf("opening vbpl sample: %v", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("reading vbpl sample: %v", err)
	}
	var docs []vbplDoc
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var r struct {
			DocType  string `json:"doc_type"`
			Title    string `json:"vbpl_title"`
			BodyKind string `json:"body_kind"`
			Body     string `json:"body_text"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("decoding vbpl record: %v", err)
		}
		if r.BodyKind != "full_text" {
			continue
		}
		lines := strings.Split(record.NFC(r.Body), "\n")
		first, last := lines, lines
		if len(first) > 40 {
			first = first[:40]
		}
		if len(last) > 40 {
			last = last[len(last)-40:]
		}
		docs = append(docs, vbplDoc{
			Title: record.NFC(r.Title),
			Type:  vbplTypes[r.DocType],
			Pages: []record.Page{
				{Number: 1, Text: strings.Join(first, "\n")},
				{Number: 2, Text: strings.Join(last, "\n")},
			},
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading vbpl sample: %v", err)
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
