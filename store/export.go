package store

import (
	"context"
	"strings"
)

// ExportFilter selects the documents of an export; an empty field does not filter.
type ExportFilter struct {
	DossierID   string
	DocType     string
	ReviewState string
	Status      string
	// From and To bound the upload time (created_at) as stamps (Stamp); To is exclusive.
	From, To string
}

// ExportPage lists up to limit documents matching f, in upload order, after the document
// (afterCreated, afterID) ("", "" for the first page). Exports walk the pages so that an
// export of a whole archive never holds it in memory.
func (s *SQL) ExportPage(ctx context.Context, f ExportFilter, afterCreated, afterID string, limit int) ([]Document, error) {
	var where []string
	var args []any
	add := func(cond string, v string) {
		if v != "" {
			where = append(where, cond)
			args = append(args, v)
		}
	}
	add("dossier_id = ?", f.DossierID)
	add("doc_type = ?", f.DocType)
	add("review_state = ?", f.ReviewState)
	add("status = ?", f.Status)
	add("created_at >= ?", f.From)
	add("created_at < ?", f.To)
	if afterCreated != "" || afterID != "" {
		// A row comparison, which both backends read as a range of the (created_at, id)
		// index: each page starts where the last ended instead of sorting the whole archive.
		where = append(where, "(created_at, id) > (?, ?)")
		args = append(args, afterCreated, afterID)
	}
	if len(where) == 0 {
		where = []string{"1 = 1"}
	}
	args = append(args, limit)
	return s.queryDocuments(ctx, `SELECT `+documentColumns+` FROM documents WHERE `+strings.Join(where, " AND ")+` ORDER BY created_at, id LIMIT ?`, args...)
}
