package eval

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
)

// Outcome is one predicted field: its family, the confidence sohoa gave it and whether its
// value was exactly right.
type Outcome struct {
	Family     string    `json:"family"`
	Confidence float64   `json:"confidence"`
	Correct    bool      `json:"correct"`
	Features   []float64 `json:"features,omitempty"` // model inputs, for fitting
}

// Bin is one row of a reliability table.
type Bin struct {
	Lo, Hi    float64
	N         int
	Predicted float64 // mean confidence
	Observed  float64 // share correct
}

// Reliability bins outcomes by confidence into n equal-width bins and returns the table and
// the expected calibration error (the N-weighted mean |predicted - observed|).
func Reliability(out []Outcome, n int) ([]Bin, float64) {
	bins := make([]Bin, n)
	for i := range bins {
		bins[i].Lo, bins[i].Hi = float64(i)/float64(n), float64(i+1)/float64(n)
	}
	for _, o := range out {
		i := min(int(o.Confidence*float64(n)), n-1)
		bins[i].N++
		bins[i].Predicted += o.Confidence
		if o.Correct {
			bins[i].Observed++
		}
	}
	ece := 0.0
	for i := range bins {
		if b := &bins[i]; b.N > 0 {
			b.Predicted /= float64(b.N)
			b.Observed /= float64(b.N)
			ece += float64(b.N) * math.Abs(b.Predicted-b.Observed)
		}
	}
	if len(out) > 0 {
		ece /= float64(len(out))
	}
	return bins, ece
}

// WriteReliability prints a reliability table and the ECE per family, and over all fields.
func WriteReliability(w io.Writer, out []Outcome) {
	fams := map[string][]Outcome{"(all)": out}
	for _, o := range out {
		fams[o.Family] = append(fams[o.Family], o)
	}
	for _, f := range slices.Sorted(maps.Keys(fams)) {
		bins, ece := Reliability(fams[f], 10)
		fmt.Fprintf(w, "\nRELIABILITY %s: %d fields, ECE %.3f\n  bin        n  predicted observed\n", f, len(fams[f]), ece)
		for _, b := range bins {
			if b.N > 0 {
				fmt.Fprintf(w, "  %.1f-%.1f %5d  %.3f     %.3f\n", b.Lo, b.Hi, b.N, b.Predicted, b.Observed)
			}
		}
	}
}

// FitLogistic fits logistic-regression weights to the outcomes' features by Newton's method,
// as the most probable weights under a Gaussian prior centred on prior with precision
// ridge: a feature the data rarely shows (few invalid dates, say) keeps its prior weight
// instead of swinging on a handful of cases. A nil prior means zeros. A Newton step that
// does not lower the penalised loss is halved until it does: on a few hundred fields whose
// features are nearly constant (type confidence and score both at their cap) a full step
// overshoots and leaves weights in the hundreds.
func FitLogistic(out []Outcome, prior []float64, ridge float64) []float64 {
	if len(out) == 0 {
		return prior
	}
	k := len(out[0].Features)
	if prior == nil {
		prior = make([]float64, k)
	}
	w := append([]float64(nil), prior...)
	next := make([]float64, k)
	for range 100 {
		g := make([]float64, k)
		h := make([][]float64, k)
		for i := range h {
			h[i] = make([]float64, k)
			h[i][i] = ridge
			g[i] = ridge * (w[i] - prior[i])
		}
		for _, o := range out {
			p := sigmoid(dot(w, o.Features))
			y := 0.0
			if o.Correct {
				y = 1
			}
			for i, xi := range o.Features {
				g[i] += (p - y) * xi
				for j, xj := range o.Features {
					h[i][j] += p * (1 - p) * xi * xj
				}
			}
		}
		step := solve(h, g)
		before := penalisedLoss(out, w, prior, ridge)
		for t := 1.0; t > 1e-6; t /= 2 {
			for i := range w {
				next[i] = w[i] - t*step[i]
			}
			if penalisedLoss(out, next, prior, ridge) <= before {
				break
			}
		}
		moved := 0.0
		for i := range w {
			moved = max(moved, math.Abs(next[i]-w[i]))
			w[i] = next[i]
		}
		if moved < 1e-9 {
			break
		}
	}
	return w
}

// penalisedLoss is the negative log-likelihood of the outcomes under weights w plus the
// prior's penalty.
func penalisedLoss(out []Outcome, w, prior []float64, ridge float64) float64 {
	l := 0.0
	for i := range w {
		l += ridge / 2 * (w[i] - prior[i]) * (w[i] - prior[i])
	}
	for _, o := range out {
		z := dot(w, o.Features)
		if o.Correct {
			l += math.Log1p(math.Exp(-z))
		} else {
			l += math.Log1p(math.Exp(z))
		}
	}
	return l
}

func dot(w, x []float64) float64 {
	z := 0.0
	for i := range x {
		z += w[i] * x[i]
	}
	return z
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// solve returns x with a·x = b by Gaussian elimination with partial pivoting.
func solve(a [][]float64, b []float64) []float64 {
	n := len(b)
	m := make([][]float64, n)
	for i := range a {
		m[i] = append(append([]float64{}, a[i]...), b[i])
	}
	for c := 0; c < n; c++ {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[p][c]) {
				p = r
			}
		}
		m[c], m[p] = m[p], m[c]
		for r := c + 1; r < n; r++ {
			f := m[r][c] / m[c][c]
			for k := c; k <= n; k++ {
				m[r][k] -= f * m[c][k]
			}
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		s := m[r][n]
		for k := r + 1; k < n; k++ {
			s -= m[r][k] * x[k]
		}
		x[r] = s / m[r][r]
	}
	return x
}

// Outcomes judges every predicted field that carries evidence against the truth of its file:
// correct when its value equals the truth's exactly (in the compared form).
func Outcomes(truth []Truth, pred []Prediction) []Outcome {
	byFile := map[string]Prediction{}
	for _, p := range pred {
		byFile[p.File] = p
	}
	var out []Outcome
	for _, t := range truth {
		p, ok := byFile[t.File]
		if !ok || p.Err != "" {
			continue
		}
		names := make([]string, 0, len(p.Evidence))
		for n := range p.Evidence {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			o := p.Evidence[n]
			o.Correct = p.DocType == t.DocType && fieldValue(p.Fields[n]) == fieldValue(t.Fields[n])
			out = append(out, o)
		}
	}
	return out
}

// PolicyPoint is the review policy's outcome at one field-confidence threshold.
type PolicyPoint struct {
	Threshold      float64
	Sent           float64 // share of documents sent to review
	SentWrong      float64 // share of sent documents that had a mistake
	ConfidentWrong float64 // share of all documents with a mistake that were not sent
}

// Sweep recomputes the review policy for each threshold: a document is sent when the
// pipeline sent it for another reason (type, missing, invalid or implausible field), or any
// field's confidence is under the threshold.
func Sweep(truth []Truth, pred []Prediction, thresholds []float64) []PolicyPoint {
	byFile := map[string]Prediction{}
	for _, p := range pred {
		byFile[p.File] = p
	}
	var pts []PolicyPoint
	for _, th := range thresholds {
		docs, sent, sentWrong, cw := 0, 0, 0, 0
		for _, t := range truth {
			p, ok := byFile[t.File]
			if !ok || p.Err != "" {
				continue
			}
			docs++
			s := p.SentForOther
			for _, e := range p.Evidence {
				if e.Confidence < th {
					s = true
				}
			}
			wrong := docWrong(t, p)
			switch {
			case s:
				sent++
				if wrong {
					sentWrong++
				}
			case wrong:
				cw++
			}
		}
		pts = append(pts, PolicyPoint{Threshold: th, Sent: ratio(sent, docs), SentWrong: ratio(sentWrong, sent), ConfidentWrong: ratio(cw, docs)})
	}
	return pts
}

// docWrong reports whether p has a wrong type, or a field value that differs from the truth's
// (missing, wrong, or predicted where the truth has none although the type has the field).
func docWrong(t Truth, p Prediction) bool {
	if p.DocType != t.DocType {
		return true
	}
	for n, v := range t.Fields {
		if fieldValue(v) != "" && fieldValue(p.Fields[n]) != fieldValue(v) {
			return true
		}
	}
	for n, v := range p.Fields {
		if fieldValue(v) != "" && fieldValue(t.Fields[n]) == "" {
			if _, inType := p.Evidence[n]; inType {
				return true
			}
		}
	}
	return false
}

// WriteSweep prints the policy at each threshold.
func WriteSweep(w io.Writer, pts []PolicyPoint) {
	fmt.Fprintf(w, "\nREVIEW POLICY BY FIELD THRESHOLD\n  threshold  sent     sent-with-mistake  confident-wrong\n")
	for _, p := range pts {
		fmt.Fprintf(w, "  %.2f       %6.2f%%  %6.2f%%            %6.2f%%\n", p.Threshold, 100*p.Sent, 100*p.SentWrong, 100*p.ConfidentWrong)
	}
}
