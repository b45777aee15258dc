package extract

import (
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/sohoa/sohoa/record"
)

// Review thresholds: below these a clerk must look. FieldThreshold is the lowest threshold at
// which the development seed 103 (34 native documents, not used for fitting) had no document
// with a wrong field left unsent (`sohoa eval --set /tmp/fx-103 --pages … --baseline=false`,
// REVIEW POLICY BY FIELD THRESHOLD: 0.85 left 8.8%, 0.90 none, 88% sent). On the html
// development seed 1820 it left one document of 34 unsent, whose registration date's label
// was unreadable: a missing field no threshold flags. Most free-text fields still calibrate
// below it (OCR slips in diacritics that nothing on the page reveals), so most documents go
// to review; the threshold should fall as recognition of text improves and is refitted.
const (
	TypeThreshold  = 0.6
	FieldThreshold = 0.90
)

// Reason codes are stable: the API, the store and the UI key on them.
const (
	ReasonTypeUnknown   = "doc_type_unknown"
	ReasonTypeUncertain = "doc_type_low_confidence"
	ReasonMissing       = "field_missing"
	ReasonInvalid       = "field_invalid"
	ReasonImplausible   = "field_implausible"
	ReasonLowConfidence = "field_low_confidence"
)

// Reason is why a document goes to review: a stable code, the field it concerns (empty for
// the document type) and a message for the clerk in Vietnamese.
type Reason struct {
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// Reasons returns why a clerk must look at a document of classification c with fields f, in
// a stable order; none means it can be filed without review. tax gives field formats; nil
// means the embedded taxonomy.
func Reasons(tax *record.Taxonomy, c record.Classification, f record.Fields) []Reason {
	var out []Reason
	if c.Type == record.Unknown || c.Type == "" {
		return []Reason{{Code: ReasonTypeUnknown, Message: "Không xác định được loại văn bản"}}
	}
	if c.Confidence < TypeThreshold {
		out = append(out, Reason{Code: ReasonTypeUncertain, Message: fmt.Sprintf("Loại văn bản chưa chắc chắn (độ tin cậy %.0f%%)", c.Confidence*100)})
	}
	for _, name := range RequiredFields(c.Type) {
		if v, ok := f[name]; !ok || v.Value == "" {
			out = append(out, Reason{Code: ReasonMissing, Field: name, Message: "Thiếu trường bắt buộc"})
		}
	}
	if _, ok := f["signing_authority"]; ok {
		// KT./TM./TL./TUQ./Q. stand before a title the signer holds; without it the block was
		// not read whole.
		if v, ok := f["signer_title"]; !ok || v.Value == "" {
			out = append(out, Reason{Code: ReasonMissing, Field: "signer_title", Message: "Thiếu trường bắt buộc"})
		}
	}
	if tax == nil {
		tax = defaultTaxonomy()
	}
	dt, _ := tax.Type(c.Type)
	mismatch := DocEvidence(dt, c.Confidence, f).NumberMismatch
	names := make([]string, 0, len(f))
	for n := range f {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		v := f[n]
		format, _ := dt.Format(n)
		switch {
		case v.Value == "":
			// A label without a readable value (a required one is reported above).
			if !slices.Contains(RequiredFields(c.Type), n) {
				out = append(out, Reason{Code: ReasonMissing, Field: n, Message: "Có nhãn nhưng không đọc được giá trị"})
			}
		case !v.Valid:
			out = append(out, Reason{Code: ReasonInvalid, Field: n, Message: "Giá trị không hợp lệ"})
		case !plausible(Family(n, format), v.Value) || n == "number" && mismatch:
			out = append(out, Reason{Code: ReasonImplausible, Field: n, Message: "Giá trị không giống nội dung của trường này"})
		case v.Confidence < FieldThreshold:
			out = append(out, Reason{Code: ReasonLowConfidence, Field: n, Message: fmt.Sprintf("Độ tin cậy thấp (%.0f%%)", v.Confidence*100)})
		}
	}
	return out
}

// NeedsReview says whether a clerk must look at the document: its type is unknown or
// uncertain, a required field is missing, or a field is invalid, implausible or below the
// calibrated confidence threshold.
func NeedsReview(c record.Classification, f record.Fields) bool {
	return len(Reasons(nil, c, f)) > 0
}

// defaultTaxonomy is the embedded taxonomy, parsed once.
var defaultTaxonomy = sync.OnceValue(record.MustTaxonomy)
