package extract

import (
	"testing"

	"github.com/sohoa/sohoa/record"
)

func TestReasons(t *testing.T) {
	t.Parallel()
	good := record.Fields{
		"number":       {Value: "12/QĐ-UBND", Confidence: 0.97, Valid: true},
		"issued_date":  {Value: "2024-03-01", Confidence: 0.97, Valid: true},
		"issuer":       {Value: "ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM", Confidence: 0.97, Valid: true},
		"signer_title": {Value: "CHỦ TỊCH", Confidence: 0.97, Valid: true},
	}
	cls := record.Classification{Type: "quyet_dinh", Confidence: 0.9}
	if r := Reasons(nil, cls, good); len(r) != 0 {
		t.Fatalf("a clean document has reasons %v", r)
	}
	codes := func(f record.Fields, c record.Classification) map[string]string {
		m := map[string]string{}
		for _, r := range Reasons(nil, c, f) {
			if r.Message == "" {
				t.Errorf("reason %s has no message", r.Code)
			}
			m[r.Field] = r.Code
		}
		return m
	}
	bad := record.Fields{}
	for k, v := range good {
		bad[k] = v
	}
	delete(bad, "number")
	bad["issuer"] = record.Field{Value: "QĐ 0315 2024", Confidence: 0.97, Valid: true} // a serial number, not an agency
	bad["signer_title"] = record.Field{Value: "KT. CHỦ TỊCH", Confidence: 0.97, Valid: true}
	bad["issued_date"] = record.Field{Value: "2024-03-01", Confidence: FieldThreshold - 0.01, Valid: true}
	got := codes(bad, record.Classification{Type: "quyet_dinh", Confidence: 0.3})
	want := map[string]string{"": ReasonTypeUncertain, "number": ReasonMissing, "issuer": ReasonImplausible,
		"signer_title": ReasonImplausible, "issued_date": ReasonLowConfidence}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("field %q: reason %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	if c := codes(good, record.Classification{Type: record.Unknown}); c[""] != ReasonTypeUnknown {
		t.Errorf("unknown type: %v", c)
	}
}

func TestCalibratedMonotone(t *testing.T) {
	t.Parallel()
	for fam := range calibration {
		lo := Calibrated(Evidence{Family: fam, Score: 0.5, Valid: true, Plausible: true})
		hi := Calibrated(Evidence{Family: fam, Score: 0.95, Valid: true, Plausible: true})
		bad := Calibrated(Evidence{Family: fam, Score: 0.95, Valid: false, Plausible: true})
		if !(lo < hi) || !(bad < hi) {
			t.Errorf("%s: score 0.5 → %.3f, 0.95 → %.3f, invalid 0.95 → %.3f", fam, lo, hi, bad)
		}
	}
}
