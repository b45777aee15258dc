package eval

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestReliability(t *testing.T) {
	t.Parallel()
	out := []Outcome{{Confidence: 0.95, Correct: true}, {Confidence: 0.95, Correct: false}, {Confidence: 0.15, Correct: false}}
	bins, ece := Reliability(out, 10)
	if bins[9].N != 2 || bins[9].Observed != 0.5 || bins[1].N != 1 {
		t.Fatalf("bins %+v", bins)
	}
	// (2·|0.95-0.5| + 1·|0.15-0|) / 3
	if want := (2*0.45 + 0.15) / 3; math.Abs(ece-want) > 1e-9 {
		t.Errorf("ECE %v, want %v", ece, want)
	}
}

// FitLogistic must recover the weights that generated the outcomes.
func TestFitLogistic(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	want := []float64{0.5, 2, -1.5}
	var out []Outcome
	for range 20000 {
		x := []float64{1, r.NormFloat64(), float64(r.IntN(2))}
		z := want[0]*x[0] + want[1]*x[1] + want[2]*x[2]
		out = append(out, Outcome{Features: x, Correct: r.Float64() < 1/(1+math.Exp(-z))})
	}
	got := FitLogistic(out, nil, 1e-2)
	for i := range want {
		if math.Abs(got[i]-want[i]) > 0.15 {
			t.Errorf("weight %d = %.3f, want %.3f", i, got[i], want[i])
		}
	}
}

func TestSweep(t *testing.T) {
	t.Parallel()
	truth := []Truth{
		{File: "a", DocType: "x", Fields: map[string]string{"f": "1"}},
		{File: "b", DocType: "x", Fields: map[string]string{"f": "1"}},
		{File: "c", DocType: "x", Fields: map[string]string{"f": "1"}},
	}
	pred := []Prediction{
		{File: "a", DocType: "x", Fields: map[string]string{"f": "1"}, Evidence: map[string]Outcome{"f": {Confidence: 0.95}}},
		{File: "b", DocType: "x", Fields: map[string]string{"f": "2"}, Evidence: map[string]Outcome{"f": {Confidence: 0.8}}},                                         // wrong
		{File: "c", DocType: "x", Fields: map[string]string{"f": "9"}, NeedsReview: true, SentForOther: true, Evidence: map[string]Outcome{"f": {Confidence: 0.99}}}, // wrong, sent
	}
	pts := Sweep(truth, pred, []float64{0.5, 0.9})
	if p := pts[0]; p.Sent != 1.0/3 || p.SentWrong != 1 || p.ConfidentWrong != 1.0/3 {
		t.Errorf("at 0.5: %+v", p)
	}
	if p := pts[1]; p.Sent != 2.0/3 || p.SentWrong != 1 || p.ConfidentWrong != 0 {
		t.Errorf("at 0.9: %+v", p)
	}
}

// With no cases of a feature, its weight stays at the prior.
func TestFitLogisticPrior(t *testing.T) {
	t.Parallel()
	var out []Outcome
	for i := range 200 {
		out = append(out, Outcome{Features: []float64{1, 0}, Correct: i%4 != 0})
	}
	got := FitLogistic(out, []float64{0, -2}, 1)
	if math.Abs(got[1]+2) > 1e-9 || math.Abs(got[0]-math.Log(3)) > 0.05 {
		t.Errorf("weights %v, want [≈ln 3, -2]", got)
	}
}

// On outcomes that a constant feature cannot tell apart from the intercept (score and type
// confidence at their caps), the fit stays near the prior and predicts the observed rate.
func TestFitLogisticStaysFinite(t *testing.T) {
	t.Parallel()
	var out []Outcome
	for i := range 200 {
		out = append(out, Outcome{Features: []float64{1, 3.476, 0, 0, 3.476}, Correct: i%20 != 0})
	}
	w := FitLogistic(out, []float64{0, 1, -2, -2, 0.5}, 1)
	for i, x := range w {
		if x < -10 || x > 10 {
			t.Fatalf("weight %d = %v: the fit ran away (%v)", i, x, w)
		}
	}
	if p := sigmoid(dot(w, out[0].Features)); p < 0.9 || p > 0.97 {
		t.Errorf("predicted %.3f for outcomes right 95%% of the time", p)
	}
}
