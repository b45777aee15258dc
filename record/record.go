// Package record holds the domain types shared by every stage of sohoa: pages with their
// words and boxes, extracted fields, document types and dossier codes, and the Vietnamese
// text normalisation all stages agree on.
//
// It does no I/O and must not import the queue, database, search or HTTP packages.
package record

// Box is a rectangle in pixels of the prepared page: [x0, y0, x1, y1], x1/y1 exclusive.
type Box [4]int

// Union returns the smallest box that holds both b and o. A zero box is treated as empty.
func (b Box) Union(o Box) Box {
	if b == (Box{}) {
		return o
	}
	if o == (Box{}) {
		return b
	}
	return Box{min(b[0], o[0]), min(b[1], o[1]), max(b[2], o[2]), max(b[3], o[3])}
}

// Intersect returns the part of the page that both b and o cover, and whether there is any.
func (b Box) Intersect(o Box) (Box, bool) {
	i := Box{max(b[0], o[0]), max(b[1], o[1]), min(b[2], o[2]), min(b[3], o[3])}
	return i, i[0] < i[2] && i[1] < i[3]
}

// Word is one recognised word with its position and Tesseract confidence (0–100).
type Word struct {
	Text       string  `json:"text"`
	Confidence float64 `json:"confidence"`
	Box        Box     `json:"box"`
	// Line numbers words in reading order across the page: words with the same Line value
	// were printed on one line of one text block.
	Line int `json:"line"`
}

// Page is one prepared and recognised page of a document.
type Page struct {
	Number int `json:"number"` // 1-based
	Width  int `json:"width"`
	Height int `json:"height"`
	// Rotation is the clockwise quarter-turn (0, 90, 180, 270) applied to make the page upright.
	Rotation int `json:"rotation"`
	// SkewDegrees is the skew found in the input, counter-clockwise positive; the page was
	// rotated by the opposite angle.
	SkewDegrees    float64 `json:"skew_degrees"`
	Blank          bool    `json:"blank,omitempty"`
	MeanConfidence float64 `json:"mean_confidence"`
	// Text is NFC, lines separated by "\n", in reading order.
	Text  string `json:"text"`
	Words []Word `json:"-"`
}

// Field is one extracted value with its provenance.
type Field struct {
	// Value is normalised as the taxonomy format says (ISO dates, digits-only IDs …).
	Value      string  `json:"value"`
	Confidence float64 `json:"confidence"` // 0–1
	Page       int     `json:"page"`
	BBox       Box     `json:"bbox"`
	// Valid is false when the value failed its format's validation (check digit, calendar …).
	Valid bool `json:"valid"`
	// Read is the text as recognised when Value differs from it because a closed vocabulary or
	// the language model corrected it, so a clerk sees what was changed; empty otherwise.
	Read string `json:"read,omitempty"`
}

// Fields maps taxonomy field names to extracted values.
type Fields map[string]Field

// Classification is a document type code with the classifier's confidence (0–1).
type Classification struct {
	Type       string  `json:"doc_type"`
	Confidence float64 `json:"doc_type_confidence"`
}

// Unknown is the taxonomy code for a document whose type was not recognised.
const Unknown = "khac"
