package split

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/classify"
	"github.com/sohoa/sohoa/record"
)

// -caches names page caches written by `sohoa eval --pages DIR` (comma-separated): recognised
// pages of generated documents, composed here into whole-dossier scans to measure boundaries
// on real OCR output without recognising anything again.
var caches = flag.String("caches", "", "comma-separated page cache dirs to measure boundaries on")

func TestCachedScans(t *testing.T) {
	if *caches == "" {
		t.Skip("no -caches given")
	}
	tax, err := record.LoadTaxonomy()
	if err != nil {
		t.Fatal(err)
	}
	s := New(classify.New(tax))
	for _, dir := range strings.Split(*caches, ",") {
		docs := readCache(t, dir)
		var sc Score
		for i := range 40 {
			pages, codes, truth := Compose(rand.New(rand.NewPCG(uint64(i), 20)), docs)
			got := s.Parts(pages, codes)
			sc.Add(truth, got)
			if testing.Verbose() {
				t.Logf("%s scan %d: truth %v got %v", filepath.Base(dir), i, truth, got)
			}
		}
		fmt.Printf("%s: %d documents, boundaries P %.3f R %.3f F1 %.3f (%d found, %d true, %d right)\n",
			filepath.Base(dir), len(docs), sc.Precision(), sc.Recall(), sc.F1(), sc.Found, sc.True, sc.Correct)
	}
}

func readCache(t *testing.T, dir string) [][]record.Page {
	files, err := filepath.Glob(filepath.Join(dir, "*.pages.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no page cache in %s", dir)
	}
	var docs [][]record.Page
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cp []struct {
			record.Page
			Words []record.Word `json:"words"`
		}
		if err := json.Unmarshal(data, &cp); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		pages := make([]record.Page, len(cp))
		for i, p := range cp {
			pages[i] = p.Page
			pages[i].Words = p.Words
		}
		docs = append(docs, pages)
	}
	return docs
}
