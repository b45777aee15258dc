// Package model holds what `sohoa train` learns from clerks' corrections and generated sets:
// the calibration of field confidence per field family, the review threshold chosen with it,
// and a statistical document-type classifier for the documents whose headings do not settle
// their type. A model is small versioned JSON; one is embedded (default.json, committed, made
// by `sohoa train`) and another may be loaded from a file named in the configuration.
//
// It is data and the arithmetic to apply it, so that classify and extract can import it: it
// must not import classify, extract, the store, the pipeline or any service client.
package model

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"sync/atomic"
)

// FormatVersion is the version of the JSON layout; Load refuses other versions.
const FormatVersion = 1

// Model is one trained model.
type Model struct {
	Format int `json:"format"`
	// Name says what trained it ("train seeds 101,102,1818,1819 + store"), for logs and reports.
	Name string `json:"name"`
	// Calibration holds, per field family, the logistic weights over extract's evidence
	// features (see extract.Evidence); a family without weights keeps extract's own table.
	Calibration map[string][]float64 `json:"calibration,omitempty"`
	// FieldThreshold is the confidence under which a field sends its document to review,
	// chosen with this calibration; 0 keeps extract's default.
	FieldThreshold float64 `json:"field_threshold,omitempty"`
	// Lexicon is the sorted word pairs of right values (see Unfamiliar); empty means none.
	Lexicon []string `json:"lexicon,omitempty"`
	// Records holds, per "type/field", how often the machine's value was right (see FieldRate).
	Records map[string]Record `json:"records,omitempty"`
	// Types is the statistical document-type classifier; nil means none.
	Types *TypeModel `json:"types,omitempty"`
	// Trained records what the model was fitted on, so that training can be checked and
	// repeated.
	Trained Provenance `json:"trained"`
}

// Provenance is what a model was fitted on.
type Provenance struct {
	Seed      int64    `json:"seed"`
	Sources   []string `json:"sources"`
	Documents int      `json:"documents"`
	Fields    int      `json:"fields"`
	Examples  int      `json:"examples"` // clerks' corrections and reclassifications in the store
}

//go:embed default.json
var defaultJSON []byte

// Default returns the embedded model.
func Default() *Model {
	m, err := Parse(defaultJSON)
	if err != nil {
		panic("model: embedded default.json: " + err.Error())
	}
	return m
}

// Parse decodes a model and checks it.
func Parse(data []byte) (*Model, error) {
	var m Model
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("decoding model: %w", err)
	}
	if m.Format != FormatVersion {
		return nil, fmt.Errorf("decoding model: format %d, this sohoa reads format %d", m.Format, FormatVersion)
	}
	for fam, w := range m.Calibration {
		if len(w) != Features {
			return nil, fmt.Errorf("decoding model: family %s has %d weights, want %d", fam, len(w), Features)
		}
	}
	if !slices.IsSorted(m.Lexicon) {
		return nil, fmt.Errorf("decoding model: the lexicon is not sorted")
	}
	if m.FieldThreshold < 0 || m.FieldThreshold >= 1 {
		return nil, fmt.Errorf("decoding model: field threshold %v is not in [0, 1)", m.FieldThreshold)
	}
	if m.Types != nil {
		if err := m.Types.prepare(); err != nil {
			return nil, fmt.Errorf("decoding model: %w", err)
		}
	}
	return &m, nil
}

// Load reads a model file.
func Load(path string) (*Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading model: %w", err)
	}
	m, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// Save writes m as indented JSON, the form committed as default.json.
func (m *Model) Save(path string) error {
	data, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return fmt.Errorf("encoding model: %w", err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing model: %w", err)
	}
	return nil
}

// Features is the number of calibration inputs (extract.Evidence.Features).
const Features = 8

// Probability applies the calibration of family to features x; ok is false when the model has
// no weights for the family.
func (m *Model) Probability(family string, x []float64) (p float64, ok bool) {
	w, ok := m.Calibration[family]
	if !ok || len(x) != len(w) {
		return 0, false
	}
	z := 0.0
	for i := range w {
		z += w[i] * x[i]
	}
	return 1 / (1 + math.Exp(-z)), true
}

// active is the model the process uses. It is set once at start-up (Use), before any
// document is classified; classify and extract read it on every call, so that `sohoa train`
// can compare two models in one process.
var active atomic.Pointer[Model]

// Active returns the model in use: the one given to Use, else the embedded default.
func Active() *Model {
	if m := active.Load(); m != nil {
		return m
	}
	m := Default()
	active.CompareAndSwap(nil, m)
	return active.Load()
}

// Use makes m the model in use; nil goes back to the embedded default.
func Use(m *Model) { active.Store(m) }
