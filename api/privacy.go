package api

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"regexp"
	"strings"

	"github.com/sohoa/sohoa/index"
	"github.com/sohoa/sohoa/pii"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
)

// Roles without the pii permission (reader, uploader) see personal identifiers masked on every
// path: fields, page text and words, search snippets, exports, the PDF's text layer, file names,
// and page images with the identifiers' boxes blacked out. What cannot be masked is refused:
// originals (the untouched scan, in whatever format it came) and every image of an identity
// card, whose portrait is personal data that OCR boxes do not locate.

// idFormats are the taxonomy formats of personal identifiers.
var idFormats = map[string]bool{"id12": true, "id9": true}

// identityTypes are the document types that are identity cards.
var identityTypes = map[string]bool{"can_cuoc": true, "cmnd": true}

// mrzRun finds the filler runs of a machine-readable zone, so that an identity card the
// classifier missed is still treated as one.
var mrzRun = regexp.MustCompile(`[A-Z0-9]<<|<<<`)

var taxonomy = record.MustTaxonomy()

// seesPII reports whether the caller may see personal identifiers unmasked.
func seesPII(ctx context.Context) bool { return allowed(actorFrom(ctx).Role, permPII) }

// personalField reports whether a field holds a personal identifier (by its format, or by its
// name for free-text ID fields such as owner_id_number).
func personalField(docType, name string) bool {
	if t, ok := taxonomy.Type(docType); ok {
		if f, _ := t.Format(name); idFormats[f] {
			return true
		}
	}
	return strings.Contains(name, "id_number")
}

// maskDocument masks a document view for a caller without pii.
func maskDocument(v *DocumentView) {
	v.FileName = pii.MaskText(v.FileName)
	for name, f := range v.Fields {
		if personalField(v.DocType, name) {
			f.Value, f.Read = record.MaskID(f.Value), record.MaskID(f.Read)
		} else {
			f.Value, f.Read = pii.MaskText(f.Value), pii.MaskText(f.Read)
		}
		v.Fields[name] = f
	}
	for i := range v.Pages {
		v.Pages[i].Text = pii.MaskText(v.Pages[i].Text)
		v.Pages[i].Words = pii.MaskWords(v.Pages[i].Words)
	}
}

// identityDocument reports whether a document is an identity card: by its type, or by a
// machine-readable zone on any of its pages.
func identityDocument(doc store.Document, pages []store.PageRecord) bool {
	if identityTypes[doc.DocType] {
		return true
	}
	for _, p := range pages {
		if mrzRun.MatchString(p.Text) {
			return true
		}
	}
	return false
}

// decodePage decodes a stored page image.
func decodePage(data []byte) (*image.Gray, error) {
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decoding page image: %w", err)
	}
	g, ok := img.(*image.Gray)
	if !ok {
		// The pipeline stores gray PNGs; anything else is converted rather than refused.
		g = image.NewGray(img.Bounds())
		draw.Draw(g, g.Bounds(), img, img.Bounds().Min, draw.Src)
	}
	return g, nil
}

// redactedPNG returns the page image with the boxes of its personal identifiers blacked out.
func redactedPNG(data []byte, words []record.Word) ([]byte, error) {
	g, err := decodePage(data)
	if err != nil {
		return nil, err
	}
	pii.Redact(g, pii.Boxes(words))
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, g); err != nil {
		return nil, fmt.Errorf("encoding page image: %w", err)
	}
	return buf.Bytes(), nil
}

// maskHits masks search hits for a caller without pii. The index already searched and
// highlighted a masked copy; this is the second lock on the same door.
func maskHits(hits []index.Hit) {
	for i := range hits {
		h := &hits[i]
		h.Snippet = pii.MaskText(h.Snippet)
		h.FileName = pii.MaskText(h.FileName)
		for name, v := range h.Fields {
			if personalField(h.DocType, name) {
				h.Fields[name] = record.MaskID(v)
			} else {
				h.Fields[name] = pii.MaskText(v)
			}
		}
	}
}
