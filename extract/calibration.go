package extract

// calibration holds, per field family, the logistic coefficients over Evidence.features
// (intercept, logit of the score, invalid, implausible), fitted by
//
//	sohoa eval --seed 101 --baseline=false --fit-out dev101.jsonl
//	sohoa eval --seed 102 --baseline=false --fit-out dev102.jsonl
//	sohoa eval --fit dev101.jsonl,dev102.jsonl
//
// on the development seeds 101 and 102 (34 native-renderer documents each, 680 fields), with
// a Gaussian prior (precision 1) centred on CalibrationPrior. Seeds 201+ and the html
// renderer's sets are held out for the reported numbers.
var calibration = map[string][4]float64{
	FamilyDate:   {0.149, 1.848, -2.191, -2.000},  // 116 fields
	FamilyID:     {0.640, 1.877, -2.000, -2.000},  // 97 fields
	FamilyIssuer: {-0.046, 1.463, -2.000, -0.950}, // 48 fields
	FamilyName:   {1.135, 0.441, -2.000, -2.000},  // 87 fields
	FamilyText:   {-0.028, 0.702, -2.000, -2.000}, // 293 fields
	FamilyTitle:  {1.099, 1.232, -2.000, -2.866},  // 39 fields
}

// CalibrationPrior is the model before any data: the score passed through, a failed
// validation or plausibility check costing odds of e^-2. Fitting shrinks towards it.
var CalibrationPrior = []float64{0, 1, -2, -2}
