package train

import (
	"math"

	"github.com/sohoa/sohoa/classify"
	"github.com/sohoa/sohoa/eval"
	"github.com/sohoa/sohoa/extract"
	"github.com/sohoa/sohoa/model"
	"github.com/sohoa/sohoa/record"
)

// Predictor classifies and extracts documents as the pipeline does.
type Predictor struct {
	tax *record.Taxonomy
	cls *classify.Classifier
	ext *extract.Extractor
}

// NewPredictor returns a predictor for the types of tax.
func NewPredictor(tax *record.Taxonomy) *Predictor {
	return &Predictor{tax: tax, cls: classify.New(tax), ext: extract.New(tax)}
}

// Predict classifies and extracts every document with m as the process's model, and returns
// one prediction each: its type, values, whether it was sent to review for a reason other
// than confidence, and each field's raw evidence features (Outcome.Features) with the
// confidence m gives them. NeedsReview applies m's threshold.
func (p *Predictor) Predict(docs []Doc, m *model.Model) []eval.Prediction {
	prev := model.Active()
	model.Use(m)
	defer model.Use(prev)
	threshold := extract.ReviewThreshold()
	out := make([]eval.Prediction, len(docs))
	for i, d := range docs {
		c := p.cls.Classify(d.Pages)
		fields := p.ext.Extract(c.Type, d.Pages) // raw scores: see the package doc
		pr := eval.Prediction{File: d.Truth.File, DocType: c.Type, Fields: map[string]string{}, Evidence: map[string]eval.Outcome{}}
		for _, r := range extract.Reasons(p.tax, c, fields) {
			pr.SentForOther = pr.SentForOther || r.Code != extract.ReasonLowConfidence
		}
		dt, _ := p.tax.Type(c.Type)
		doc := extract.DocEvidence(dt, c.Confidence, fields)
		pr.NeedsReview = pr.SentForOther
		for n, f := range fields {
			pr.Fields[n] = f.Value
			format, _ := dt.Format(n)
			e := extract.EvidenceOf(n, format, f, doc)
			o := eval.Outcome{Family: e.Family, Confidence: reported(extract.Calibrated(e)), Features: e.Features()}
			pr.Evidence[n] = o
			pr.NeedsReview = pr.NeedsReview || o.Confidence < threshold
		}
		for _, pg := range d.Pages {
			pr.Pages = append(pr.Pages, eval.PagePrediction{Text: pg.Text, SkewDegrees: pg.SkewDegrees, Rotation: pg.Rotation, MeanConfidence: pg.MeanConfidence})
		}
		out[i] = pr
	}
	return out
}

// reported is a probability as the extractor stores it: in hundredths, never 0 or 1.
func reported(p float64) float64 { return math.Round(min(max(p, 0.01), 0.99)*100) / 100 }

// truths returns the labels of docs.
func truths(docs []Doc) []eval.Truth {
	out := make([]eval.Truth, len(docs))
	for i, d := range docs {
		out[i] = d.Truth
	}
	return out
}
