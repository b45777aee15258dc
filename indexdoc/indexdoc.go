// Package indexdoc builds a document's search-index entry from the store. The worker's
// index stage, `sohoa reindex` and the API (after a clerk's correction) all build it here,
// so the index never drifts from what one of them would write. It is apart from the
// pipeline so that the API can re-index without linking the stages (Tesseract).
package indexdoc

import (
	"context"
	"strings"

	"github.com/sohoa/sohoa/index"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
)

// Source is the part of the store an index document is read from; *store.SQL implements it.
type Source interface {
	Document(ctx context.Context, id string) (store.Document, error)
	Pages(ctx context.Context, docID string) ([]store.PageRecord, error)
	Fields(ctx context.Context, docID string) (map[string]store.FieldRecord, error)
}

// nameFields are the fields whose values are people's names, indexed for name search.
var nameFields = map[string]bool{}

func init() {
	for _, t := range record.MustTaxonomy().Types {
		for n, f := range t.Fields {
			if f == "name" && !strings.Contains(n, "issuer") && !strings.Contains(n, "company") {
				nameFields[n] = true
			}
		}
	}
}

// Load builds the search document of docID from s.
func Load(ctx context.Context, s Source, docID string) (index.Doc, error) {
	doc, err := s.Document(ctx, docID)
	if err != nil {
		return index.Doc{}, err
	}
	pages, err := s.Pages(ctx, docID)
	if err != nil {
		return index.Doc{}, err
	}
	fields, err := s.Fields(ctx, docID)
	if err != nil {
		return index.Doc{}, err
	}
	d := index.Doc{
		ID: doc.ID, DossierID: doc.DossierID, FileName: doc.FileName, DocType: doc.DocType,
		ReviewState: doc.ReviewState, PageCount: doc.PageCount, Fields: map[string]string{},
	}
	texts := make([]string, 0, len(pages))
	for _, p := range pages {
		texts = append(texts, p.Text)
	}
	d.Text = strings.Join(texts, "\n\n")
	for name, f := range fields {
		d.Fields[name] = f.Value
		if nameFields[name] {
			d.Names = append(d.Names, f.Value)
		}
	}
	d.Number, d.Issuer, d.IssuedDate, d.Subject = fields["number"].Value, fields["issuer"].Value, fields["issued_date"].Value, fields["subject"].Value
	return d, nil
}

// Catalogue is the part of the store a rebuild reads: the indexed documents, then each one.
type Catalogue interface {
	Source
	DocumentsWithStatus(ctx context.Context, status string) ([]store.Document, error)
}

// Writer is the part of the search index a rebuild writes to; *index.Index implements it.
type Writer interface {
	Upsert(ctx context.Context, docs ...index.Doc) error
}

// rebuildBatch is how many documents go to the index in one request: few enough that one
// request stays small, enough that Meilisearch indexes them in one task.
const rebuildBatch = 100

// Rebuild writes every indexed document of s into ix (`sohoa reindex`), rebuildBatch at a time,
// and calls progress after each batch with how many of how many are written.
func Rebuild(ctx context.Context, s Catalogue, ix Writer, progress func(done, total int)) error {
	docs, err := s.DocumentsWithStatus(ctx, store.StatusIndexed)
	if err != nil {
		return err
	}
	for start := 0; start < len(docs); start += rebuildBatch {
		end := min(start+rebuildBatch, len(docs))
		out := make([]index.Doc, 0, end-start)
		for _, d := range docs[start:end] {
			doc, err := Load(ctx, s, d.ID)
			if err != nil {
				return err
			}
			out = append(out, doc)
		}
		if err := ix.Upsert(ctx, out...); err != nil {
			return err
		}
		progress(end, len(docs))
	}
	return nil
}
