package api

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/sohoa/sohoa/index"
	"github.com/sohoa/sohoa/pii"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
)

// BatchProgress answers GET /v1/batches/{id}.
type BatchProgress struct {
	Batch     store.Batch      `json:"batch"`
	Total     int              `json:"total"`
	Counts    map[string]int   `json:"counts"` // by document status
	Done      bool             `json:"done"`   // every document indexed or failed
	Documents []store.Document `json:"documents"`
}

func (s *Server) batch(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	b, err := s.Store.Batch(ctx, r.PathValue("id"))
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	docs, err := s.Store.BatchDocuments(ctx, b.ID)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	p := BatchProgress{Batch: b, Total: len(docs), Counts: map[string]int{}, Done: true, Documents: docs}
	for i, d := range docs {
		if !seesPII(ctx) {
			docs[i].FileName = pii.MaskText(d.FileName)
		}
		p.Counts[d.Status]++
		if d.Status != store.StatusIndexed && d.Status != store.StatusFailed {
			p.Done = false
		}
	}
	writeJSON(w, http.StatusOK, p)
}

// DocumentView is a document with its fields and pages, as the API serves it.
type DocumentView struct {
	store.Document
	NeedsReview bool `json:"needs_review"`
	// ReviewReasons say why the pipeline sent the document to review (stable code, field,
	// Vietnamese message); empty when it did not.
	ReviewReasons []store.ReviewReason         `json:"review_reasons"`
	Fields        map[string]store.FieldRecord `json:"fields"`
	Pages         []PageView                   `json:"pages,omitempty"`
	// OriginalURL is set only for callers who may download the original (roles with pii).
	OriginalURL string `json:"original_url,omitempty"`
	// Part is set for a document found in an uploaded file that held several: the uploaded
	// document (source_id) and the file's pages it covers. Parts lists every document of
	// that file in order.
	Part  *store.Part  `json:"part,omitempty"`
	Parts []store.Part `json:"parts,omitempty"`
	// NearDuplicates are pages of other documents that are the same paper as one of its
	// pages; only GET /v1/documents/{id} finds them.
	NearDuplicates []NearDuplicate `json:"near_duplicates,omitempty"`
}

// PageView is a page of a document; Words only with ?words=1.
type PageView struct {
	record.Page
	DPI   float64 `json:"dpi"`
	Image string  `json:"image_url,omitempty"`
	// ImageWithheld: the page image of an identity card is shown only to roles with pii, so
	// the others get no image_url (the text and words are served masked).
	ImageWithheld bool          `json:"image_withheld,omitempty"`
	Words         []record.Word `json:"words,omitempty"`
}

var id12Pattern = regexp.MustCompile(`^\d{12}$`)

func (s *Server) loadDocument(r *http.Request, id string, withPages, withWords bool) (DocumentView, error) {
	ctx := r.Context()
	doc, err := s.Store.Document(ctx, id)
	if err != nil {
		return DocumentView{}, err
	}
	fields, err := s.Store.Fields(ctx, id)
	if err != nil {
		return DocumentView{}, err
	}
	reasons, err := s.Store.ReviewReasons(ctx, id)
	if err != nil {
		return DocumentView{}, err
	}
	v := DocumentView{Document: doc, Fields: fields, ReviewReasons: reasons, NeedsReview: doc.ReviewState == store.ReviewNeeded}
	if v.Parts, err = s.Store.Parts(ctx, id); err != nil {
		return DocumentView{}, err
	}
	for i := range v.Parts {
		if v.Parts[i].DocID == id {
			v.Part = &v.Parts[i]
		}
	}
	if withPages {
		if v.NearDuplicates, err = s.nearDuplicates(ctx, id); err != nil {
			return DocumentView{}, err
		}
		pages, err := s.Store.Pages(ctx, id)
		if err != nil {
			return DocumentView{}, err
		}
		withheld := !seesPII(ctx) && identityDocument(doc, pages)
		for _, p := range pages {
			pv := PageView{Page: p.Page, DPI: p.DPI, ImageWithheld: withheld}
			if !withheld {
				pv.Image = "/v1/documents/" + id + "/pages/" + strconv.Itoa(p.Number) + "/image"
			}
			if withWords {
				pv.Words = p.Words
			}
			v.Pages = append(v.Pages, pv)
		}
	}
	if seesPII(ctx) {
		v.OriginalURL = "/v1/documents/" + id + "/original"
	} else {
		maskDocument(&v)
	}
	return v, nil
}

func (s *Server) document(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	v, err := s.loadDocument(r, id, true, r.URL.Query().Get("words") == "1")
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	if err := s.audit(r, store.AuditEntry{Action: "read_document", DocID: id, DossierID: v.DossierID}); err != nil {
		s.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// audit records a read or change by the caller; an unaudited read of personal data must not
// be served, so callers answer 500 when it fails.
func (s *Server) audit(r *http.Request, e store.AuditEntry) error {
	e.Actor = actorFrom(r.Context())
	return s.Store.Audit(r.Context(), e)
}

func (s *Server) pageImage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		writeError(w, http.StatusBadRequest, "invalid_parameter", "n: the page number is a whole number from 1")
		return
	}
	doc, err := s.Store.Document(ctx, r.PathValue("id"))
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	pages, err := s.Store.Pages(ctx, doc.ID)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	if n > len(pages) {
		writeError(w, http.StatusNotFound, "not_found", fmt.Sprintf("the document has %d prepared pages", len(pages)))
		return
	}
	p := pages[n-1]
	mask := !seesPII(ctx)
	if mask && identityDocument(doc, pages) {
		refuseIdentityImage(w)
		return
	}
	data, err := s.Blobs.Get(ctx, p.Image)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	if mask {
		if data, err = redactedPNG(data, p.Words); err != nil {
			s.storeError(w, r, err)
			return
		}
	}
	if err := s.audit(r, store.AuditEntry{Action: "read_page_image", DocID: doc.ID, DossierID: doc.DossierID, Field: "page " + strconv.Itoa(n)}); err != nil {
		s.storeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(data)
}

// refuseIdentityImage answers a request for an image of an identity card by a caller without
// pii: its portrait cannot be masked from OCR boxes.
func refuseIdentityImage(w http.ResponseWriter) {
	writeError(w, http.StatusForbidden, "pii_required",
		"images of identity cards are shown only to roles with the pii permission; the text and fields are served masked")
}

// original serves the uploaded file as it came, to roles with pii only (the route table): an
// original (PDF, TIFF, JPEG, zip member) cannot be masked in its own format, so the other
// roles read the masked searchable PDF instead.
func (s *Server) original(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	doc, err := s.Store.Document(ctx, r.PathValue("id"))
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	data, err := s.Blobs.Get(ctx, doc.Blob)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	if err := s.audit(r, store.AuditEntry{Action: "read_original", DocID: doc.ID, DossierID: doc.DossierID}); err != nil {
		s.storeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", http.DetectContentType(data))
	w.Header().Set("Content-Disposition", attachment(path.Base(doc.FileName)))
	w.Write(data)
}

// attachment is a Content-Disposition for a download named name; FormatMediaType writes a
// Vietnamese file name as RFC 2231 (filename*=utf-8 followed by the escaped name).
func attachment(name string) string {
	return mime.FormatMediaType("attachment", map[string]string{"filename": name})
}

// DossierView answers GET /v1/dossiers/{code}: every document of the dossier with its fields.
type DossierView struct {
	DossierID string         `json:"dossier_id"`
	Documents []DocumentView `json:"documents"`
}

func (s *Server) dossier(w http.ResponseWriter, r *http.Request) {
	code, err := record.ParseDossierID(r.PathValue("code"))
	if err != nil {
		writeParamError(w, &paramError{Name: "code", Reason: err.Error()})
		return
	}
	docs, err := s.Store.DossierDocuments(r.Context(), code.String())
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	if len(docs) == 0 {
		writeError(w, http.StatusNotFound, "not_found", "no documents in dossier "+code.String())
		return
	}
	v := DossierView{DossierID: code.String(), Documents: []DocumentView{}}
	for _, d := range docs {
		dv, err := s.loadDocument(r, d.ID, false, false)
		if err != nil {
			s.storeError(w, r, err)
			return
		}
		v.Documents = append(v.Documents, dv)
	}
	if err := s.audit(r, store.AuditEntry{Action: "read_dossier", DossierID: code.String(), DocIDs: viewIDs(v.Documents)}); err != nil {
		s.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// personFields are the fields that hold a person's 12-digit ID number in some document type.
var personFields = func() []string {
	seen := map[string]bool{}
	var names []string
	for _, t := range taxonomy.Types {
		for n, f := range t.Fields {
			if (f == "id12" || strings.Contains(n, "id_number")) && !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	return names
}()

// PersonView answers GET /v1/people/{id}: every document that names this ID number.
type PersonView struct {
	IDNumber  string         `json:"id_number"`
	Documents []DocumentView `json:"documents"`
}

func (s *Server) person(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !id12Pattern.MatchString(id) {
		writeError(w, http.StatusBadRequest, "invalid_parameter", "an ID number (số định danh cá nhân) has 12 digits")
		return
	}
	ids, err := s.Store.DocumentsByFieldValue(r.Context(), personFields, id)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	v := PersonView{IDNumber: id, Documents: []DocumentView{}}
	for _, docID := range ids {
		dv, err := s.loadDocument(r, docID, false, false)
		if err != nil {
			s.storeError(w, r, err)
			return
		}
		v.Documents = append(v.Documents, dv)
	}
	if err := s.audit(r, store.AuditEntry{Action: "read_person", Subject: record.MaskID(id), DocIDs: ids}); err != nil {
		s.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	query, perr := parseSearch(r.URL.Query())
	if perr != nil {
		writeParamError(w, perr)
		return
	}
	// Callers without pii search a masked copy of the text and fields, so a digit prefix of an
	// ID number can neither be highlighted out of a snippet nor confirm that the number exists.
	query.Masked = !seesPII(r.Context())
	res, err := s.Index.Search(r.Context(), query)
	if errors.Is(err, index.ErrUnavailable) {
		writeError(w, http.StatusServiceUnavailable, "search_unavailable", "search is unavailable right now; documents can still be read by ID and by dossier")
		return
	}
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	if query.Masked {
		maskHits(res.Hits)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	if err := s.audit(r, store.AuditEntry{Action: "search", DocIDs: ids}); err != nil {
		s.storeError(w, r, err)
		return
	}
	if res.Hits == nil {
		res.Hits = []index.Hit{} // [] for no hits, never null
	}
	writeJSON(w, http.StatusOK, res)
}

func viewIDs(views []DocumentView) []string {
	ids := make([]string, len(views))
	for i, v := range views {
		ids[i] = v.ID
	}
	return ids
}
