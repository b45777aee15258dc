package api

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/sohoa/sohoa/pii"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
)

// Open-data exports: documents and their fields as JSON Lines or CSV, walked page by page
// from the store so that an export of a whole archive is streamed, never held in memory.
//
// A caller without the pii permission gets no personal field at all, not even masked: an
// open-data file is copied and joined with others, and a masked ID number still narrows who a
// record is about. A field is personal when it holds an identifier (personalField), or when it
// belongs to a document that identifies a person (its type has an ID-number field: birth and
// marriage records, ID cards, land certificates, applications …): of those only the fields
// saying who registered or issued the record, and when, are open.

// exportPageSize is how many documents are read, audited and written at a time.
const exportPageSize = 500

// recordFields are the open fields of a document about a person.
var recordFields = map[string]bool{"issuer": true, "issued_date": true, "registration_place": true, "registration_date": true}

// aboutPerson reports whether documents of the type identify a person. An unknown type is
// treated as one: what it holds is not known.
func aboutPerson(docType string) bool {
	t, ok := taxonomy.Type(docType)
	if !ok {
		return true
	}
	for _, name := range t.FieldNames() {
		if personalField(docType, name) {
			return true
		}
	}
	return false
}

// openField reports whether a field may go into an export for a caller without pii.
func openField(docType, name string) bool {
	if personalField(docType, name) {
		return false
	}
	return !aboutPerson(docType) || recordFields[name]
}

// exportQuery is a parsed GET /v1/exports/documents.
type exportQuery struct {
	store.ExportFilter
	CSV bool
}

var exportStatuses = map[string]bool{store.StatusReceived: true, store.StatusQueued: true, store.StatusProcessing: true, store.StatusIndexed: true, store.StatusFailed: true}

// parseExport reads the query of GET /v1/exports/documents. Without a dossier or a status,
// only indexed documents are exported (what is finished).
func parseExport(q url.Values) (exportQuery, *paramError) {
	var e exportQuery
	var perr *paramError
	if e.DossierID, perr = dossierParam(q, "dossier_id"); perr != nil {
		return e, perr
	}
	if v := q.Get("doc_type"); v != "" {
		if _, ok := taxonomy.Type(v); !ok {
			return e, &paramError{"doc_type", "unknown document type " + strconv.Quote(v)}
		}
		e.DocType = v
	}
	if v := q.Get("review_state"); v != "" {
		if !searchReviewStates[v] {
			return e, &paramError{"review_state", "one of needs_review, auto, approved"}
		}
		e.ReviewState = v
	}
	if v := q.Get("status"); v != "" {
		if !exportStatuses[v] {
			return e, &paramError{"status", "one of received, queued, processing, indexed, failed"}
		}
		e.Status = v
	}
	if e.Status == "" && e.DossierID == "" {
		e.Status = store.StatusIndexed
	}
	from, perr := dateParam(q, "from")
	if perr != nil {
		return e, perr
	}
	to, perr := dateParam(q, "to")
	if perr != nil {
		return e, perr
	}
	if from != "" && to != "" && from > to {
		return e, &paramError{"from", "after to"}
	}
	if from != "" {
		d, _ := time.ParseInLocation(time.DateOnly, from, vietnam)
		e.From = store.Stamp(d)
	}
	if to != "" { // to is inclusive: up to the start of the next day
		d, _ := time.ParseInLocation(time.DateOnly, to, vietnam)
		e.To = store.Stamp(d.AddDate(0, 0, 1))
	}
	switch q.Get("format") {
	case "", "jsonl":
	case "csv":
		e.CSV = true
	default:
		return e, &paramError{"format", "jsonl or csv"}
	}
	return e, nil
}

// exportColumns are the document columns of a CSV export, before the fields.
var exportColumns = []string{"id", "dossier_id", "batch_id", "doc_type", "doc_type_confidence", "status", "review_state", "page_count", "created_at", "updated_at"}

// csvFieldColumns are the field columns of a CSV export: the filtered type's fields, or every
// type's; for a caller without pii only those open in at least one type of the export.
func csvFieldColumns(docType string, pii bool) []string {
	types := taxonomy.Types
	if t, ok := taxonomy.Type(docType); ok {
		types = []record.DocType{t}
	}
	var cols []string
	for _, t := range types {
		for _, name := range t.FieldNames() {
			if (pii || openField(t.Code, name)) && !slices.Contains(cols, name) {
				cols = append(cols, name)
			}
		}
	}
	slices.Sort(cols)
	return cols
}

// export streams the documents matching the query, a page at a time, each page audited
// before it is written.
func (s *Server) export(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q, perr := parseExport(r.URL.Query())
	if perr != nil {
		writeParamError(w, perr)
		return
	}
	sees := seesPII(ctx)
	first, err := s.Store.ExportPage(ctx, q.ExportFilter, "", "", exportPageSize)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	var row func(DocumentView) error
	var fieldCols []string
	var cw *csv.Writer
	if q.CSV {
		fieldCols = csvFieldColumns(q.DocType, sees)
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="sohoa-documents.csv"`)
		w.Write([]byte("\uFEFF")) // the BOM makes spreadsheet programs read the file as UTF-8
		cw = csv.NewWriter(w)
		header := slices.Concat(exportColumns, fieldCols)
		if sees {
			header = append(header, "file_name")
		}
		cw.Write(header)
		row = func(v DocumentView) error {
			rec := []string{v.ID, v.DossierID, v.BatchID, v.DocType, strconv.FormatFloat(v.DocTypeConfidence, 'f', 3, 64), v.Status,
				v.ReviewState, strconv.Itoa(v.PageCount), v.CreatedAt, v.UpdatedAt}
			for _, name := range fieldCols {
				rec = append(rec, v.Fields[name].Value)
			}
			if sees {
				rec = append(rec, v.FileName)
			}
			return cw.Write(rec)
		}
	} else {
		w.Header().Set("Content-Type", "application/x-ndjson; charset=utf-8")
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		row = func(v DocumentView) error { return enc.Encode(v) }
	}
	flush := func() {
		if cw != nil {
			cw.Flush()
		}
		http.NewResponseController(w).Flush()
	}
	for page := first; len(page) > 0; {
		ids := make([]string, len(page))
		for i, d := range page {
			ids[i] = d.ID
		}
		if err := s.audit(r, store.AuditEntry{Action: "export", DossierID: q.DossierID, DocIDs: ids}); err != nil {
			// The answer has begun: stopping short is all that is left, and the file is cut.
			s.Log.ErrorContext(ctx, "export: audit failed, export cut short", "err", err)
			return
		}
		for _, d := range page {
			v, err := s.loadDocument(r, d.ID, false, false)
			if err != nil {
				s.Log.ErrorContext(ctx, "export", "doc_id", d.ID, "err", err)
				return
			}
			if !sees {
				for name := range v.Fields {
					if !openField(v.DocType, name) {
						delete(v.Fields, name)
					}
				}
				v.FileName = pii.MaskText(v.FileName)
			}
			if err := row(v); err != nil {
				return // the client went away
			}
		}
		flush()
		if len(page) < exportPageSize {
			break
		}
		last := page[len(page)-1]
		if page, err = s.Store.ExportPage(ctx, q.ExportFilter, last.CreatedAt, last.ID, exportPageSize); err != nil {
			s.Log.ErrorContext(ctx, "export", "err", err)
			return
		}
	}
	flush()
}
