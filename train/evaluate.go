package train

import (
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/sohoa/sohoa/eval"
	"github.com/sohoa/sohoa/extract"
	"github.com/sohoa/sohoa/model"
)

// Result is one model judged on one set of labelled documents.
type Result struct {
	Model     string
	Set       string
	Threshold float64
	Report    eval.Report
	Outcomes  []eval.Outcome // every predicted field with its confidence, for reliability
}

// Evaluate judges m on docs: type accuracy, field scores, and the review policy at m's
// threshold.
func Evaluate(p *Predictor, docs []Doc, m *model.Model, modelName, set string) Result {
	truth := truths(docs)
	preds := p.Predict(docs, m)
	prev := model.Active()
	model.Use(m)
	th := extract.ReviewThreshold()
	model.Use(prev)
	return Result{Model: modelName, Set: set, Threshold: th, Report: eval.Score(truth, preds, eval.Options{}),
		Outcomes: eval.Outcomes(truth, preds)}
}

// WriteComparison prints results as one markdown table, a row each, then the expected
// calibration error per field family of each. "docs with a mistake" bounds what any
// threshold can do: to leave none wrong unsent, at least those must be sent.
func WriteComparison(w io.Writer, results []Result) {
	fmt.Fprintln(w, "| set | model | threshold | docs | type accuracy | field F1 (micro) | docs with a mistake | sent to review | sent with a mistake | confident-wrong (95% upper) | ECE (all fields) |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range results {
		rv := r.Report.Review
		_, ece := eval.Reliability(r.Outcomes, 10)
		fmt.Fprintf(w, "| %s | %s | %.2f | %d | %.1f%% (%d/%d) | %.2f%% | %.1f%% (%d) | %.1f%% (%d) | %.1f%% | %.2f%% (%d; %.2f%%) | %.3f |\n",
			r.Set, r.Model, r.Threshold, r.Report.Documents, 100*r.Report.Classification.Accuracy, r.Report.Classification.Correct, r.Report.Documents,
			100*r.Report.Fields.Micro.F1, 100*float64(rv.WithError)/float64(max(rv.Documents, 1)), rv.WithError, 100*rv.Share, rv.Sent, 100*rv.Precision, 100*rv.ConfidentWrong, rv.WithError-rv.Caught, 100*rv.ConfidentWrongUpper95, ece)
	}
	for _, r := range results {
		fmt.Fprintf(w, "\n%s, %s: ECE per family:", r.Set, r.Model)
		fams := map[string][]eval.Outcome{}
		for _, o := range r.Outcomes {
			fams[o.Family] = append(fams[o.Family], o)
		}
		for _, f := range slices.Sorted(maps.Keys(fams)) {
			_, ece := eval.Reliability(fams[f], 10)
			fmt.Fprintf(w, " %s %.3f (%d)", f, ece, len(fams[f]))
		}
		fmt.Fprintln(w)
	}
}

// WriteReliability prints the reliability tables of r (per family and over all fields).
func WriteReliability(w io.Writer, r Result) {
	fmt.Fprintf(w, "\n## Reliability: %s, %s\n", r.Set, r.Model)
	eval.WriteReliability(w, r.Outcomes)
}
