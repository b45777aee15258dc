package extract

import (
	"slices"
	"strconv"
	"time"

	"github.com/sohoa/sohoa/classify"
	"github.com/sohoa/sohoa/record"
)

// Extractor reads the fields of classified documents. It holds no mutable state and is safe
// for concurrent use.
type Extractor struct {
	tax   *record.Taxonomy
	cls   *classify.Classifier
	forms map[string]*form
	// now is the clock dates are checked against; tests pin it.
	now func() time.Time
}

// New returns an extractor for the types of tax.
func New(tax *record.Taxonomy) *Extractor {
	return &Extractor{tax: tax, cls: classify.New(tax), forms: buildForms(), now: time.Now}
}

// Label strengths: how much a value's confidence is discounted for how it was found.
const (
	strengthLabel    = 1.0  // after its printed label, diacritics intact
	strengthFolded   = 0.92 // after a label that OCR read without diacritics
	strengthNextLine = 0.9  // on the line after its label
	strengthLayout   = 0.85 // from the layout alone (header column, signature block)
	strengthGuess    = 0.6  // no label: a pattern anywhere on the page
	// noWordsConf stands for the OCR confidence of text that came without word scores.
	noWordsConf = 0.95
	// unplacedFactor discounts a value whose words could not be found on its line.
	unplacedFactor = 0.8
	// unsureDigits is the OCR confidence under which a date's digits are no sure reading
	// (issue 18: digits read with low confidence are never a confident value). A 3 read as
	// a 5 ("10/11/1995" for 1993, "21/01/1965" for 1963) came at 0.86 and 0.87, where the
	// calibration, led by the document's type confidence, still said 0.99; in the html and
	// native dev sets 2 of the 8 dates read under 0.90 were wrong, none of the 501 above.
	unsureDigits = 0.9
)

// Extract returns the fields of docType found in pages. Every value is normalised to its
// taxonomy format and carries its page, box, confidence and validity; fields that are not
// found are absent. An unknown type has no fields.
func (e *Extractor) Extract(docType string, pages []record.Page) record.Fields {
	dt, ok := e.tax.Type(docType)
	out := record.Fields{}
	if !ok || len(dt.Fields)+len(dt.Extra) == 0 {
		return out
	}
	s := &state{e: e, dt: dt, pages: pages, lines: pageLines(pages), now: e.now(), out: out}
	if _, isIssued := dt.Fields["subject"]; isIssued {
		s.issued()
	} else if f, ok := e.forms[docType]; ok {
		s.form(f)
	}
	s.crossCheck()
	s.mendValues()
	s.calibrate()
	return out
}

// state is one Extract call.
type state struct {
	e     *Extractor
	dt    record.DocType
	pages []record.Page
	lines [][]*line
	now   time.Time
	out   record.Fields
}

// set normalises raw as field name's format and records it, unless the field already has a
// value or the type has no such field.
func (s *state) set(name string, sp span, strength float64) bool {
	format, ok := s.dt.Format(name)
	if !ok {
		return false
	}
	if _, done := s.out[name]; done {
		return false
	}
	v, valid, ok := s.e.normalise(format, sp.text(), s.now)
	if !ok || v == "" {
		return false
	}
	s.put(name, v, valid, sp, strength)
	return true
}

// put records an already normalised value.
func (s *state) put(name, value string, valid bool, sp span, strength float64) {
	if _, ok := s.dt.Format(name); !ok {
		return
	}
	if _, done := s.out[name]; done {
		return
	}
	f := record.Field{Value: value, Valid: valid}
	var conf float64
	if sp.l != nil {
		f.Page = sp.l.page
		box, c, found := sp.locate()
		switch {
		case found:
			f.BBox, conf = box, c
			if format, _ := s.dt.Format(name); format == "date" && min(c, sp.digitConf()) < unsureDigits {
				strength = min(strength, strengthGuess)
			}
		case sp.l.hasWords:
			conf = unplacedFactor * sp.l.pageConf / 100
		case sp.l.pageConf > 0:
			conf = sp.l.pageConf / 100
		default:
			conf = noWordsConf
		}
		if strength == strengthLabel && !hasDiacritics(sp.l.text) {
			strength = strengthFolded
		}
	}
	f.Confidence = round2(clamp01(conf * strength))
	s.out[name] = f
}

func hasDiacritics(s string) bool {
	for _, r := range s {
		if r >= 0xc0 {
			return true
		}
	}
	return false
}

func clamp01(v float64) float64 { return max(0, min(1, v)) }

func round2(v float64) float64 { return float64(int(v*100+0.5)) / 100 }

// personFields groups an identity number with the birth date and sex it must agree with.
var personFields = []struct{ id, dob, sex, fixedSex string }{
	{"id_number", "date_of_birth", "sex", ""},
	{"applicant_id_number", "applicant_date_of_birth", "", ""},
	{"wife_id_number", "wife_date_of_birth", "", "Nữ"},
	{"husband_id_number", "husband_date_of_birth", "", "Nam"},
}

// crossCheck marks a CCCD number invalid when its century/sex digit and birth year disagree
// with the birth date and sex printed beside it.
func (s *state) crossCheck() {
	for _, p := range personFields {
		id, ok := s.out[p.id]
		if !ok || !id.Valid || len(id.Value) != 12 {
			continue
		}
		if dob, ok := s.out[p.dob]; ok && dob.Valid && len(dob.Value) >= 4 {
			if dob.Value[:4] != strconv.Itoa(cccdBirthYear(id.Value)) {
				id.Valid = false
			}
		}
		sex := p.fixedSex
		if f, ok := s.out[p.sex]; ok && f.Valid {
			sex = f.Value
		}
		if sex != "" && sex != cccdSex(id.Value) {
			id.Valid = false
		}
		s.out[p.id] = id
	}
}

// requiredFields are the fields without which a document of the type cannot be filed: the
// number, date and issuer of issued documents, the identity of personal ones.
//
// A civil-status paper is always dated by its registration and a residence certificate by its
// issue (Decree 123/2015's forms and the Law on Residence's): a missing date there is lost ink,
// not a paper without one.
var requiredFields = map[string][]string{
	"giay_khai_sinh":           {"full_name", "date_of_birth", "registration_date"},
	"giay_chung_nhan_ket_hon":  {"wife_name", "husband_name", "registration_date"},
	"trich_luc_khai_tu":        {"full_name", "date_of_death", "registration_date"},
	"xac_nhan_cu_tru":          {"full_name", "id_number", "issued_date"},
	"can_cuoc":                 {"id_number", "full_name"},
	"cmnd":                     {"id_number_old", "full_name"},
	"gcn_quyen_su_dung_dat":    {"serial", "owner_name", "parcel_number"}, // the serial is printed on every page 1
	"gcn_dang_ky_doanh_nghiep": {"enterprise_code", "company_name"},
	"don":                      {"applicant_name"},
}

// Every issued document has a trích yếu and is signed (Decree 30, ô 5 and 7): when either is
// not found, the page lost it (a seal, a stamp, a signature over the lines) and a clerk must
// supply it, or the document would be filed with a gap no confidence could flag.
var issuedRequired = []string{"number", "issued_date", "issuer", "subject", "signer"}

// RequiredFields returns the fields a document of the type cannot be filed without (the
// number, date, issuer, subject and signer of issued documents by default), or nil for an unknown type, which
// has no fields. The caller may keep the slice.
func RequiredFields(docType string) []string {
	if docType == record.Unknown || docType == "" {
		return nil
	}
	req, ok := requiredFields[docType]
	if !ok {
		req = issuedRequired
	}
	return slices.Clone(req)
}
