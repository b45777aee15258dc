package train

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sohoa/sohoa/eval"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
)

// Doc is one labelled document: its recognised pages and what is right about it (its type
// and field values, in Truth).
type Doc struct {
	ID     string
	Source string // the set it came from, SourceStore or SourceSimulated
	Pages  []record.Page
	Truth  eval.Truth
}

// cachedPage is the page cache's form of a recognised page (`sohoa eval --pages`): a
// record.Page with its words, which record.Page leaves out of JSON.
type cachedPage struct {
	record.Page
	Words []record.Word `json:"words"`
}

// LoadSet reads a generated set (dir with truth.jsonl) whose pages were recognised into the
// page cache pagesDir by `sohoa eval --set DIR --pages PAGES`. Every file must be cached:
// training does no OCR.
func LoadSet(dir, pagesDir string) ([]Doc, error) {
	truth, err := eval.ReadTruth(filepath.Join(dir, "truth.jsonl"))
	if err != nil {
		return nil, err
	}
	docs := make([]Doc, 0, len(truth))
	for _, t := range truth {
		at := filepath.Join(pagesDir, filepath.Base(t.File)+".pages.json")
		data, err := os.ReadFile(at)
		if err != nil {
			return nil, fmt.Errorf("reading recognised pages of %s (run sohoa eval --set %s --pages %s first): %w", t.File, dir, pagesDir, err)
		}
		var cp []cachedPage
		if err := json.Unmarshal(data, &cp); err != nil {
			return nil, fmt.Errorf("decoding %s: %w", at, err)
		}
		pages := make([]record.Page, len(cp))
		for i, p := range cp {
			pages[i] = p.Page
			pages[i].Words = p.Words
		}
		t.File = filepath.Base(dir) + "/" + t.File // sets name their files alike: 0001_quyet_dinh.tif
		docs = append(docs, Doc{ID: t.File, Source: dir, Pages: pages, Truth: t})
	}
	return docs, nil
}

// Sources of documents read from the store: approved by a clerk, or by SimulateClerks from a
// generated set's truth. A generated set's values are the generator's own lists (its
// subjects, issuers, titles), which every seed draws from again, so they must not teach the
// lexicon anything a held-out generated set could then be judged with.
const (
	SourceStore     = "store"
	SourceSimulated = "store (simulated clerks)"
)

// Store is what training reads of the store.
type Store interface {
	ReviewedDocuments(ctx context.Context) ([]string, error)
	Document(ctx context.Context, id string) (store.Document, error)
	Fields(ctx context.Context, id string) (map[string]store.FieldRecord, error)
	Pages(ctx context.Context, id string) ([]store.PageRecord, error)
	Examples(ctx context.Context, afterID int64, limit int) ([]store.Example, error)
}

// LoadStore returns the documents clerks approved, labelled with their type and field values
// as approved (a clerk's correction or reclassification, or the machine's value the clerk let
// stand; a field a clerk emptied is labelled absent), and the number of correction examples
// the store holds.
func LoadStore(ctx context.Context, st Store) ([]Doc, int, error) {
	examples, after := 0, int64(0)
	for {
		ex, err := st.Examples(ctx, after, 1000)
		if err != nil {
			return nil, 0, err
		}
		if len(ex) == 0 {
			break
		}
		examples += len(ex)
		after = ex[len(ex)-1].ID
	}
	ids, err := st.ReviewedDocuments(ctx)
	if err != nil {
		return nil, 0, err
	}
	var docs []Doc
	for _, id := range ids {
		d, err := st.Document(ctx, id)
		if err != nil {
			return nil, 0, fmt.Errorf("loading approved document %s: %w", id, err)
		}
		fields, err := st.Fields(ctx, id)
		if err != nil {
			return nil, 0, fmt.Errorf("loading fields of %s: %w", id, err)
		}
		recs, err := st.Pages(ctx, id)
		if err != nil {
			return nil, 0, fmt.Errorf("loading pages of %s: %w", id, err)
		}
		t := eval.Truth{File: id, DossierID: d.DossierID, DocType: d.DocType, Fields: map[string]string{}}
		for name, f := range fields {
			if f.Value != "" {
				t.Fields[name] = f.Value
			}
		}
		pages := make([]record.Page, len(recs))
		for i, p := range recs {
			pages[i] = p.Page
		}
		src := SourceStore
		if strings.HasPrefix(d.BatchID, simBatchPrefix) {
			src = SourceSimulated
		}
		docs = append(docs, Doc{ID: id, Source: src, Pages: pages, Truth: t})
	}
	return docs, examples, nil
}
