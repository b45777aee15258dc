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
	s := splitter(t)
	for _, dir := range strings.Split(*caches, ",") {
		docs := readCache(t, dir)
		for _, separators := range []bool{true, false} {
			var sc Score
			cont, seps := 0, 0
			for i := range 40 {
				pages, codes, truth := Compose(rand.New(rand.NewPCG(uint64(i), 20)), docs, separators)
				got := s.Parts(pages, codes)
				sc.Add(truth, got)
				for _, p := range truth {
					cont += p.Last - p.First
				}
				for _, p := range pages {
					if p.Blank || codes[p.Number] != "" {
						seps++
					}
				}
				if testing.Verbose() && sc.Correct < sc.Found {
					t.Logf("%s scan %d: truth %v got %v", filepath.Base(dir), i, truth, got)
				}
			}
			fmt.Printf("%s: %d documents; 40 scans, %d continuation pages, %d separator sheets; boundaries P %.3f R %.3f F1 %.3f (%d found, %d true, %d right)\n",
				filepath.Base(dir), len(docs), cont, seps, sc.Precision(), sc.Recall(), sc.F1(), sc.Found, sc.True, sc.Correct)
		}
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

// TestCachedPages counts, over every cached document, first pages that would not open a
// document (missed boundaries when no separator sheet helps) and later pages that would (false
// boundaries): the two ways the rules can fail, independent of how scans are composed.
func TestCachedPages(t *testing.T) {
	if *caches == "" {
		t.Skip("no -caches given")
	}
	s := splitter(t)
	for _, dir := range strings.Split(*caches, ",") {
		firsts, missed, later, falseStarts := 0, 0, 0, 0
		for _, doc := range readCache(t, dir) {
			for i, p := range doc {
				// The page as it would follow the first page of another document.
				prev := record.Page{Number: 1, Text: report}
				p.Number = 2
				got := s.Parts([]record.Page{prev, p}, nil)
				if i == 0 {
					firsts++
					if len(got) != 2 {
						missed++
						t.Logf("%s: first page not recognised as one:\n%.300s", filepath.Base(dir), p.Text)
					}
					continue
				}
				later++
				if len(got) != 1 {
					falseStarts++
					t.Logf("%s: page %d opens a document (%s):\n%.300s", filepath.Base(dir), i+1, got[1].Reason, p.Text)
				}
			}
		}
		fmt.Printf("%s: %d first pages, %d not opening a document; %d later pages, %d opening one\n",
			filepath.Base(dir), firsts, missed, later, falseStarts)
	}
}
