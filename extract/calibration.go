package extract

// calibration holds, per field family, the logistic coefficients over Evidence.features
// (intercept, logit of the score, invalid, implausible). Until fitted, the score is passed
// through and a failed validation or plausibility check costs odds of e^-2.
var calibration = map[string][4]float64{
	FamilyDate:   {0, 1, -2, -2},
	FamilyID:     {0, 1, -2, -2},
	FamilyName:   {0, 1, -2, -2},
	FamilyIssuer: {0, 1, -2, -2},
	FamilyTitle:  {0, 1, -2, -2},
	FamilyText:   {0, 1, -2, -2},
}
