package pipeline

import (
	"context"
	"strings"

	"github.com/sohoa/sohoa/extract"
	"github.com/sohoa/sohoa/index"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
)

// reviewReasons are why a clerk must look at a document (none: it is filed without review),
// in the store's form.
func reviewReasons(c record.Classification, f record.Fields) []store.ReviewReason {
	var out []store.ReviewReason
	for _, r := range extract.Reasons(nil, c, f) {
		out = append(out, store.ReviewReason{Code: r.Code, Field: r.Field, Message: r.Message})
	}
	return out
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

// LoadIndexDoc builds the search document of docID from the store: the worker's index
// stage, `sohoa reindex` and clerk corrections all use it, so the index never drifts from
// what one of them would write.
func LoadIndexDoc(ctx context.Context, s *store.SQL, docID string) (index.Doc, error) {
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
