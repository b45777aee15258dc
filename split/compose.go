package split

import (
	"math/rand/v2"

	"github.com/sohoa/sohoa/record"
)

// Compose builds a whole-dossier scan the way a clerk feeds a pile to the scanner: 3 to 12
// documents drawn from docs (each the recognised pages of one document, up to 4 kept), in
// random order, with a blank sheet between two documents one time in four and a barcode
// sheet one time in six (none when separators is false, so that every boundary must be found
// from the pages themselves). It returns the scan's pages numbered from 1, the barcodes a
// decoder would read on them, and the true parts. docs must not be empty.
func Compose(r *rand.Rand, docs [][]record.Page, separators bool) (pages []record.Page, barcodes map[int]string, truth []Part) {
	barcodes = map[int]string{}
	n := 3 + r.IntN(10)
	for i := range n {
		if v := r.IntN(12); i > 0 && separators {
			switch {
			case v < 3:
				pages = append(pages, record.Page{Number: len(pages) + 1, Blank: true})
			case v < 5:
				num := len(pages) + 1
				pages = append(pages, record.Page{Number: num, Text: "PATCH T"})
				barcodes[num] = "PATCH T"
			}
		}
		doc := docs[r.IntN(len(docs))]
		first := len(pages) + 1
		for _, p := range doc[:min(len(doc), 4)] {
			p.Number = len(pages) + 1
			pages = append(pages, p)
		}
		truth = append(truth, Part{First: first, Last: len(pages)})
	}
	return pages, barcodes, truth
}
