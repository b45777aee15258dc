package pipeline

import (
	"context"
	"image"

	"github.com/sohoa/sohoa/neardup"
	"github.com/sohoa/sohoa/store"
)

// savePageHash keeps what finds the page's near-duplicates (the same paper scanned again):
// its prepared image's perceptual hash and its text's MinHash. It runs in the OCR task,
// the one place that holds both the image and the text; the links are decided when a
// document is read. A page with too few words to be compared gets no bands, so it is
// nobody's candidate.
func (w *Worker) savePageHash(ctx context.Context, ref store.Ref, g *image.Gray, text string) error {
	sig := neardup.Sign(g, text)
	h := store.PageHash{Image: ref, ImageHash: sig.Image, TextMinHash: sig.Text.String(), Shingles: sig.Text.Shingles}
	if sig.Text.Shingles >= neardup.MinShingles {
		h.Bands = sig.Text.Bands()
	}
	return w.Store.SavePageHash(ctx, h)
}
