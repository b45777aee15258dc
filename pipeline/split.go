package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"path"
	"strings"

	"github.com/sohoa/sohoa/pdf"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/split"
	"github.com/sohoa/sohoa/store"
	"github.com/sohoa/sohoa/task"
)

// splitFile runs when every page of an uploaded file is recognised, before classification:
// a file that holds several documents (a whole hồ sơ scanned in one go) becomes one
// document per part, each then classified, extracted and indexed on its own. The uploaded
// document keeps the first part (so its ID, its original and the check for the same bytes
// uploaded twice are unchanged); the other parts get new documents whose file is a PDF of
// their pages. It does nothing for a part, for a file of one document, or when the upload
// asked for the file to be kept whole. Once split, it only makes sure the other parts are
// on their way, so a task that died between the split and queueing them loses nothing.
func (w *Worker) splitFile(ctx context.Context, docID string) error {
	parts, err := w.Store.Parts(ctx, docID)
	if err != nil {
		return err
	}
	if len(parts) > 0 {
		if parts[0].DocID != docID {
			return nil // a part made by the split
		}
		return w.queueParts(ctx, parts[1:])
	}
	whole, err := w.Store.KeptWhole(ctx, docID)
	if err != nil || whole {
		return err
	}
	recs, err := w.Store.Pages(ctx, docID)
	if err != nil || len(recs) < 2 {
		return err
	}
	pages := make([]record.Page, len(recs))
	for i, r := range recs {
		pages[i] = r.Page
	}
	barcodes, err := w.barcodes(ctx, recs)
	if err != nil {
		return err
	}
	found := split.New(w.Stages.Classifier).Parts(pages, barcodes)
	if len(found) < 2 {
		return nil
	}
	doc, err := w.Store.Document(ctx, docID)
	if err != nil {
		return err
	}
	news := make([]store.NewPart, len(found))
	for i, f := range found {
		news[i] = store.NewPart{FirstPage: f.First, LastPage: f.Last, Reason: f.Reason}
		if i == 0 {
			continue
		}
		data, err := w.partPDF(ctx, doc.FileName, recs, f)
		if err != nil {
			return err
		}
		ref, err := w.Blobs.Put(ctx, data)
		if err != nil {
			return fmt.Errorf("storing part %d of %s: %w", i+1, docID, err)
		}
		news[i].Blob, news[i].Size, news[i].FileName = ref, int64(len(data)), partFileName(doc.FileName, f)
	}
	made, err := w.Store.SplitDocument(ctx, docID, news)
	if err != nil {
		return err
	}
	w.Log.Info("file split into documents", "doc_id", docID, "parts", len(made))
	return w.queueParts(ctx, made[1:])
}

// barcodes reads the barcode of every page that may be a separator sheet (little text), by
// page number. Decoding a page costs about as much as preparing it, so pages full of text
// are not searched.
func (w *Worker) barcodes(ctx context.Context, recs []store.PageRecord) (map[int]string, error) {
	out := map[int]string{}
	for _, r := range recs {
		if !split.MayBeSeparator(r.Page) {
			continue
		}
		img, err := w.pageImage(ctx, r)
		if err != nil {
			return nil, err
		}
		if code := split.ReadBarcode(img); code != "" {
			out[r.Number] = code
		}
	}
	return out, nil
}

// wasSplit reports whether docID's file was split. A file is split once every page is
// recognised, so an OCR task for it that comes after is a duplicate delivery: its page may
// have moved to another part or been renumbered, and it must change nothing.
func (w *Worker) wasSplit(ctx context.Context, docID string) (bool, error) {
	parts, err := w.Store.Parts(ctx, docID)
	return len(parts) > 0, err
}

// queueParts schedules classification of the parts not yet classified.
func (w *Worker) queueParts(ctx context.Context, parts []store.Part) error {
	for _, p := range parts {
		d, err := w.Store.Document(ctx, p.DocID)
		if err != nil {
			return err
		}
		if d.DocType != "" {
			continue
		}
		if err := w.Queue.Enqueue(ctx, task.TypeClassify, task.Payload{DocID: p.DocID}); err != nil {
			return err
		}
	}
	return nil
}

// partPDF writes the part's pages as a searchable PDF: the part's own file, served as its
// original, with the text layer of the recognition already done.
func (w *Worker) partPDF(ctx context.Context, name string, recs []store.PageRecord, f split.Part) ([]byte, error) {
	var pages []pdf.Page
	for _, r := range recs {
		if r.Number < f.First || r.Number > f.Last {
			continue
		}
		img, err := w.pageImage(ctx, r)
		if err != nil {
			return nil, err
		}
		pages = append(pages, pdf.Page{Image: img, DPI: r.DPI, Words: r.Words})
	}
	var buf bytes.Buffer
	if err := pdf.Write(&buf, name, pages); err != nil {
		return nil, fmt.Errorf("writing part of %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// partFileName names a part's file after the uploaded one and its pages:
// "hoso.tif" pages 3–4 → "hoso_trang3-4.pdf".
func partFileName(name string, f split.Part) string {
	base := strings.TrimSuffix(name, path.Ext(name))
	if f.First == f.Last {
		return fmt.Sprintf("%s_trang%d.pdf", base, f.First)
	}
	return fmt.Sprintf("%s_trang%d-%d.pdf", base, f.First, f.Last)
}

// pageImage reads a stored page's prepared image.
func (w *Worker) pageImage(ctx context.Context, r store.PageRecord) (*image.Gray, error) {
	data, err := w.Blobs.Get(ctx, r.Image)
	if err != nil {
		return nil, fmt.Errorf("reading page %d image: %w", r.Number, err)
	}
	return decodePage(data)
}
