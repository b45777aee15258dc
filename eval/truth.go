package eval

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// PageTruth is the ground truth of one generated page. It mirrors fixtures.PageTruth field
// for field so that eval does not depend on the generator.
type PageTruth struct {
	// Text is NFC, lines "\n"-joined, in reading order.
	Text string `json:"text"`
	// SkewDegrees is the skew applied to the page, counter-clockwise positive.
	SkewDegrees float64 `json:"skew_degrees"`
	// Rotation is the clockwise quarter-turn needed to make the page upright.
	Rotation int `json:"rotation"`
	DPI      int `json:"dpi"`
}

// Truth is the ground truth of one generated file, one line of truth.jsonl.
type Truth struct {
	File      string `json:"file"`
	DossierID string `json:"dossier_id"`
	DocType   string `json:"doc_type"`
	// Fields holds every printed field, normalised as the taxonomy says.
	Fields       map[string]string `json:"fields"`
	Pages        []PageTruth       `json:"pages"`
	Degradations []string          `json:"degradations"`
	// Handwritten names the fields whose digits were filled in by hand.
	Handwritten []string `json:"handwritten,omitempty"`
}

// ReadTruth reads a JSON Lines file of Truth records, such as the generator's truth.jsonl.
func ReadTruth(path string) ([]Truth, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening truth: %w", err)
	}
	defer f.Close()
	// A decoder rather than a line scanner: a record holds whole page texts, which can be
	// longer than any fixed line buffer.
	dec := json.NewDecoder(f)
	var out []Truth
	for n := 1; ; n++ {
		var t Truth
		err := dec.Decode(&t)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("decoding truth record %d of %s: %w", n, path, err)
		}
		out = append(out, t)
	}
}
