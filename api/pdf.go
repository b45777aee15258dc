package api

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/sohoa/sohoa/pdf"
	"github.com/sohoa/sohoa/record"
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
	if err := s.audit(r, store.AuditEntry{Action: "read_pdf", DocID: doc.ID, DossierID: doc.DossierID}); err != nil {
		s.storeError(w, r, err)
		return
	}
	mask := !allowed(actorFrom(ctx).Role, permPII)

	base := path.Base(doc.FileName)
	name := strings.TrimSuffix(base, path.Ext(base)) + ".pdf"
	w.Header().Set("Content-Type", "application/pdf")
	// FormatMediaType writes a Vietnamese file name as RFC 2231 filename*=utf-8''….
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	pw := pdf.NewWriter(w, doc.FileName)
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
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return pdf.Page{}, fmt.Errorf("decoding page image: %w", err)
	}
	g, ok := img.(*image.Gray)
	if !ok {
		// The pipeline stores gray PNGs; anything else is converted rather than refused.
		g = image.NewGray(img.Bounds())
		draw.Draw(g, g.Bounds(), img, img.Bounds().Min, draw.Src)
	}
	words := p.Words
	if mask {
		words = make([]record.Word, len(p.Words))
		for i, wd := range p.Words {
			wd.Text = maskText(wd.Text)
			words[i] = wd
		}
	}
	return pdf.Page{Image: g, DPI: p.DPI, Words: words}, nil
}
