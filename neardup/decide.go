package neardup

import "image"

// Signature is what is kept of a prepared, recognised page to find its near-duplicates.
type Signature struct {
	Image uint64 // ImageHash of the prepared page
	Text  TextSignature
}

// Sign computes the Signature of a prepared page and its OCR text.
func Sign(g *image.Gray, text string) Signature {
	return Signature{Image: ImageHash(g), Text: SignText(text)}
}

// The decision's thresholds, chosen on dev seed 111 (50 documents of 10 templates, each
// scanned four ways: clean at 300 and 200 DPI, degraded at 200 DPI, recropped and darkened
// at 300 DPI; TestMeasure): two scans of one paper were 0-12 image bits apart with text
// similarity 0.84-1.00; two papers of one template 0-20 bits apart (the image hash alone
// cannot tell them apart) with similarity 0.12-0.58. The text threshold sits between the
// two, the image one above the scans' worst with some room: it only rules out pages whose
// layouts differ.
const (
	// MaxImageDistance is the most image-hash bits in which two scans of one page differ.
	MaxImageDistance = 16
	// MinTextSimilarity is the least estimated Jaccard similarity of their word pairs.
	MinTextSimilarity = 0.7
	// MinShingles is the fewest word pairs a page needs to be compared at all: on a page
	// with almost no text (a separator sheet, a photo) the text cannot tell two papers apart.
	MinShingles = 12
)

// Match is the comparison of two pages.
type Match struct {
	ImageDistance  int     // bits, 0–64
	TextSimilarity float64 // estimated Jaccard similarity of word pairs, 0–1
	Same           bool    // the same paper, by both measures
}

// Compare decides whether a and b are the same paper scanned twice.
func Compare(a, b Signature) Match {
	m := Match{ImageDistance: ImageDistance(a.Image, b.Image), TextSimilarity: a.Text.Similarity(b.Text)}
	m.Same = a.Text.Shingles >= MinShingles && b.Text.Shingles >= MinShingles &&
		a.Image != 0 && b.Image != 0 &&
		m.ImageDistance <= MaxImageDistance && m.TextSimilarity >= MinTextSimilarity
	return m
}
