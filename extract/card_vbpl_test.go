package extract

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/classify"
	"github.com/sohoa/sohoa/record"
)

// vbplPanel is a metadata_panel record of the vbpl sample: a real property card, its values
// as the site lists them (null for a value the site leaves empty).
type vbplPanel struct {
	Kind  string             `json:"body_kind"`
	Attrs map[string]*string `json:"vbpl_attributes"`
	// Order is the panel's label order, read from the record's own key order.
	Order []string `json:"-"`
}

// TestCardVBPLPanels prints each real vbpl.vn metadata panel as a card (its labels in the
// site's order, an empty value as a bare label) and checks the card's number, issuer, signer
// and issued date against the site's values. It tests the card's labels on real values, real
// names and the site's own labels (Ngành, Ngày ký xác thực, Chức danh), not OCR.
func TestCardVBPLPanels(t *testing.T) {
	t.Parallel()
	panels := readPanels(t, vbplPath)
	if len(panels) < 100 {
		t.Fatalf("%d metadata panels, want the sample's 108", len(panels))
	}
	c, e := classify.New(record.MustTaxonomy()), newTestExtractor()
	checks := []struct{ label, field string }{
		{"Số hiệu", "number"}, {"Cơ quan ban hành", "issuer"}, {"Người ký", "signer"}, {"Ngày ban hành", "issued_date"},
	}
	for _, p := range panels {
		lines := []string{"CƠ SỞ DỮ LIỆU QUỐC GIA VỀ VĂN BẢN PHÁP LUẬT", "THUỘC TÍNH VĂN BẢN"}
		for _, k := range p.Order {
			v := ""
			if p.Attrs[k] != nil {
				v = " " + *p.Attrs[k]
			}
			lines = append(lines, k+":"+v)
		}
		pages := []record.Page{{Number: 1, Text: record.NFC(strings.Join(lines, "\n"))}}
		fields := e.Extract(c.Classify(pages).Type, pages)
		for _, ch := range checks {
			want := ""
			if v := p.Attrs[ch.label]; v != nil {
				want = panelValue(ch.field, record.NFC(*v))
			}
			if got := fields[ch.field].Value; got != want {
				t.Errorf("%s: %s = %q, want %q", *p.Attrs["Số hiệu"], ch.field, got, want)
			}
		}
	}
}

// panelValue is the site's value as the field holds it: the number without spaces, the
// issuer in a header's capitals, the date in ISO form.
func panelValue(field, v string) string {
	v = strings.TrimSpace(v)
	switch field {
	case "number":
		// One record's number ends in a bare hyphen ("10/VBHN-"): the separator is trimmed.
		return strings.TrimRight(strings.ReplaceAll(v, " ", ""), "-")
	case "issuer":
		return strings.ToUpper(v)
	case "issued_date":
		if d := strings.Split(v, "/"); len(d) == 3 {
			return d[2] + "-" + d[1] + "-" + d[0]
		}
	}
	return v
}

func readPanels(t *testing.T, path string) []vbplPanel {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("opening vbpl data: %v", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("reading vbpl data: %v", err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var out []vbplPanel
	for sc.Scan() {
		var p vbplPanel
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatalf("decoding vbpl record: %v", err)
		}
		if p.Kind != "metadata_panel" {
			continue
		}
		var raw struct {
			Attrs json.RawMessage `json:"vbpl_attributes"`
		}
		if err := json.Unmarshal(sc.Bytes(), &raw); err != nil {
			t.Fatalf("decoding vbpl attributes: %v", err)
		}
		p.Order = keyOrder(t, raw.Attrs)
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading vbpl data: %v", err)
	}
	return out
}

// keyOrder returns an object's keys in the order they are written.
func keyOrder(t *testing.T, obj json.RawMessage) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(obj)))
	var keys []string
	if _, err := dec.Token(); err != nil {
		t.Fatalf("reading attributes: %v", err)
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatalf("reading attributes: %v", err)
		}
		keys = append(keys, k.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatalf("reading attributes: %v", err)
		}
	}
	return keys
}
