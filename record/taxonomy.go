package record

import (
	_ "embed"
	"fmt"
	"sort"

	"gopkg.in/yaml.v3"
)

// taxonomyYAML is a copy of shared/spec/taxonomy.yaml, embedded so the binary needs no files
// beside it. TestTaxonomyMatchesShared keeps the copy in step with the shared spec.
//
//go:embed taxonomy.yaml
var taxonomyYAML []byte

// DocType is one document type of the taxonomy.
type DocType struct {
	Code string   `yaml:"code"`
	Name string   `yaml:"name"`
	Abbr []string `yaml:"abbr"`
	// Fields maps field names to value formats (text, name, date, id12, docnum …).
	Fields map[string]string `yaml:"fields"`
	Extra  map[string]string `yaml:"extra"`
}

// FieldNames returns the type's field names, extras included, sorted.
func (t DocType) FieldNames() []string {
	names := make([]string, 0, len(t.Fields)+len(t.Extra))
	for n := range t.Fields {
		names = append(names, n)
	}
	for n := range t.Extra {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Format returns the value format of field name, and false when the type has no such field.
func (t DocType) Format(name string) (string, bool) {
	if f, ok := t.Fields[name]; ok {
		return f, true
	}
	f, ok := t.Extra[name]
	return f, ok
}

// Taxonomy is the list of document types, in the order of the spec.
type Taxonomy struct {
	Types  []DocType
	byCode map[string]int
}

// LoadTaxonomy parses the embedded taxonomy.
func LoadTaxonomy() (*Taxonomy, error) { return ParseTaxonomy(taxonomyYAML) }

// ParseTaxonomy parses a taxonomy document in the shape of shared/spec/taxonomy.yaml.
func ParseTaxonomy(data []byte) (*Taxonomy, error) {
	var doc struct {
		Types []DocType `yaml:"types"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("parsing taxonomy: %w", err)
	}
	t := &Taxonomy{Types: doc.Types, byCode: make(map[string]int, len(doc.Types))}
	for i, ty := range doc.Types {
		if _, dup := t.byCode[ty.Code]; dup {
			return nil, fmt.Errorf("parsing taxonomy: type %q listed twice", ty.Code)
		}
		t.byCode[ty.Code] = i
	}
	if _, ok := t.byCode[Unknown]; !ok {
		return nil, fmt.Errorf("parsing taxonomy: no %q type for unknown documents", Unknown)
	}
	return t, nil
}

// MustTaxonomy returns the embedded taxonomy and panics if it does not parse; the embedded
// file is checked by the package tests, so a panic here is a build defect.
func MustTaxonomy() *Taxonomy {
	t, err := LoadTaxonomy()
	if err != nil {
		panic(err)
	}
	return t
}

// Type returns the type with the given code.
func (t *Taxonomy) Type(code string) (DocType, bool) {
	i, ok := t.byCode[code]
	if !ok {
		return DocType{}, false
	}
	return t.Types[i], true
}
