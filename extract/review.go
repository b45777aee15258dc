package extract

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/sohoa/sohoa/record"
)

// Review thresholds: below these a clerk must look. FieldThreshold puts safety first: what a
// clerk does not check must be right. Chosen at 0.90 on development seed 103 (34 documents, no
// unsent mistake), it left 2.7% (native seed 401, 300 documents) and 4.0% (html seeds 501-503,
// 300) of documents wrong but unsent; 0.97 left 0.33% and 0% there, sending 98.7% and 99.3%.
// Those sets decided this value, so they are development data from now on: final numbers need
// new seeds. Most free-text fields still calibrate below it (OCR slips in diacritics that
// nothing on the page reveals), so nearly every document goes to review; the threshold should
// fall as recognition improves and is refitted, and only on evidence from 300+ documents.
const (
	TypeThreshold  = 0.6
	FieldThreshold = 0.97
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
	} else if deputy(f["signer_title"].Value) {
		// A deputy signs for the head (KT.) or as acting head (Q.), never alone: the line
		// above the title was not read.
		out = append(out, Reason{Code: ReasonMissing, Field: "signing_authority", Message: "Cấp phó ký nhưng không đọc được dòng thẩm quyền ký (KT., Q.)"})
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
		case !plausibleIn(c.Type, Family(n, format), v.Value) || n == "number" && mismatch:
			out = append(out, Reason{Code: ReasonImplausible, Field: n, Message: implausibleMessage(Family(n, format))})
		case v.Confidence < ReviewThreshold():
			out = append(out, Reason{Code: ReasonLowConfidence, Field: n, Message: fmt.Sprintf("Độ tin cậy thấp (%.0f%%)", v.Confidence*100)})
		}
	}
	return out
}

// implausibleMessages tell the clerk what to look for in an implausible value of a family.
var implausibleMessages = map[string]string{
	FamilyName: "Không giống họ tên người Việt (thiếu họ, dính chữ hoặc sai dấu)",
	FamilyText: "Có chữ có thể bị đọc sai dấu",
}

// implausibleMessage is the message of an implausible value of family.
func implausibleMessage(family string) string {
	if m, ok := implausibleMessages[Kind(family)]; ok {
		return m
	}
	return "Giá trị không giống nội dung của trường này"
}

// deputy reports whether title is a deputy's: PHÓ … or THỨ TRƯỞNG.
func deputy(title string) bool {
	t := record.Fold(title)
	return strings.HasPrefix(t, "pho ") || t == "thu truong"
}

// NeedsReview says whether a clerk must look at the document: its type is unknown or
// uncertain, a required field is missing, or a field is invalid, implausible or below the
// calibrated confidence threshold.
func NeedsReview(c record.Classification, f record.Fields) bool {
	return len(Reasons(nil, c, f)) > 0
}

// defaultTaxonomy is the embedded taxonomy, parsed once.
var defaultTaxonomy = sync.OnceValue(record.MustTaxonomy)
