package harness

import (
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/sohoa/sohoa/eval"
	"github.com/sohoa/sohoa/record"
)

// mistake is one document with a wrong type or field, for reading errors by hand.
type mistake struct {
	File        string               `json:"file"`
	Type        string               `json:"type"`
	Predicted   string               `json:"predicted_type,omitempty"`
	NeedsReview bool                 `json:"needs_review"`
	Fields      map[string][2]string `json:"fields"` // name → truth, predicted
	Confidence  map[string]float64   `json:"confidence,omitempty"`
}

// writeMistakes writes every document whose type or a field is wrong to path as a JSON line.
func writeMistakes(path string, truth []eval.Truth, preds []eval.Prediction) error {
	byFile := map[string]eval.Prediction{}
	for _, p := range preds {
		byFile[filepath.Base(p.File)] = p
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetEscapeHTML(false)
	for _, t := range truth {
		p := byFile[filepath.Base(t.File)]
		m := mistake{File: t.File, Type: t.DocType, NeedsReview: p.NeedsReview, Fields: map[string][2]string{}, Confidence: map[string]float64{}}
		if p.DocType != t.DocType {
			m.Predicted = p.DocType
		}
		for n := range t.Fields {
			if record.CollapseSpace(record.NFC(t.Fields[n])) != record.CollapseSpace(record.NFC(p.Fields[n])) {
				m.Fields[n] = [2]string{t.Fields[n], p.Fields[n]}
				m.Confidence[n] = p.Evidence[n].Confidence
			}
		}
		for n, v := range p.Fields {
			if _, ok := t.Fields[n]; !ok {
				m.Fields[n] = [2]string{"", v}
				m.Confidence[n] = p.Evidence[n].Confidence
			}
		}
		if m.Predicted == "" && len(m.Fields) == 0 {
			continue
		}
		if err := enc.Encode(m); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}
