package api

import (
	"fmt"
	"net/http"
	"path"
	"strings"

	"github.com/sohoa/sohoa/pdf"
	"github.com/sohoa/sohoa/pii"
	"github.com/sohoa/sohoa/store"
)

// documentPDF answers GET /v1/documents/{id}/pdf: the searchable PDF of a document, built
// from the stored page images and OCR words (ID numbers in the text layer masked for roles
// without pii). Pages are decoded and written one at a time, so a long document never has
// more than one page image in memory; a failure after the first byte can only cut the
// download short, which leaves a PDF without its trailer that no reader accepts as whole.
func (s *Server) documentPDF(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
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
	if len(pages) == 0 {
		writeError(w, http.StatusConflict, "not_ready", "the document has no prepared pages yet; try again when it has been processed")
		return
	}
	mask := !seesPII(ctx)
	if mask && identityDocument(doc, pages) {
		refuseIdentityImage(w)
		return
	}
	if err := s.audit(r, store.AuditEntry{Action: "read_pdf", DocID: doc.ID, DossierID: doc.DossierID}); err != nil {
		s.storeError(w, r, err)
		return
	}
	base := path.Base(doc.FileName)
	if mask {
		base = pii.MaskText(base)
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", attachment(strings.TrimSuffix(base, path.Ext(base))+".pdf"))
	pw := pdf.NewWriter(w, base)
	for _, p := range pages {
		if err := ctx.Err(); err != nil {
			return
		}
		page, err := s.pdfPage(r, p, mask)
		if err == nil {
			err = pw.AddPage(page)
		}
		if err != nil {
			s.Log.Error("writing pdf", "doc_id", doc.ID, "page", p.Number, "err", err)
			return
		}
	}
	if err := pw.Close(); err != nil {
		s.Log.Error("writing pdf", "doc_id", doc.ID, "err", err)
	}
}

// pdfPage loads one stored page for the PDF.
func (s *Server) pdfPage(r *http.Request, p store.PageRecord, mask bool) (pdf.Page, error) {
	data, err := s.Blobs.Get(r.Context(), p.Image)
	if err != nil {
		return pdf.Page{}, fmt.Errorf("reading page image: %w", err)
	}
	g, err := decodePage(data)
	if err != nil {
		return pdf.Page{}, err
	}
	words := p.Words
	if mask {
		pii.Redact(g, pii.Boxes(p.Words))
		words = pii.MaskWords(p.Words)
	}
	return pdf.Page{Image: g, DPI: p.DPI, Words: words}, nil
}
