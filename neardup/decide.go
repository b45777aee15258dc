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

// The decision's thresholds, chosen on rendered pages (see the package tests and the README's
// measurement): two scans of one page differ in a few image bits and share most word pairs;
// two documents of one template may differ in as few image bits but share far fewer pairs.
const (
	// MaxImageDistance is the most image-hash bits in which two scans of one page differ.
	MaxImageDistance = 12
	// MinTextSimilarity is the least estimated Jaccard similarity of their word pairs.
	MinTextSimilarity = 0.6
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
