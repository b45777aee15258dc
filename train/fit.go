package train

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"

	"github.com/sohoa/sohoa/classify"
	"github.com/sohoa/sohoa/eval"
	"github.com/sohoa/sohoa/extract"
	"github.com/sohoa/sohoa/model"
	"github.com/sohoa/sohoa/record"
)

// Options steer a fit. The zero value is not valid; DefaultOptions is.
type Options struct {
	Seed int64 // shuffles the documents into cross-fitting folds
	// Target is the share of documents the threshold may leave wrong but unsent, judged on
	// cross-fitted confidences of the training documents.
	Target float64
	Folds  int     // cross-fitting folds for the threshold
	Ridge  float64 // precision of the Gaussian prior on the calibration weights
	Alpha  float64 // smoothing of the type model
	Vocab  int     // most words the type model keeps
	// NoTypes leaves the type model out: the classifier stays the rules alone, as the embedded
	// default does, since generated sets hold no document of no known type (khac) for it to
	// learn that such a page is none of the types it knows.
	NoTypes bool
}

// DefaultOptions are the options `sohoa train` uses unless told otherwise. Target is half
// the 1%: the threshold is chosen on documents of the training sets' kind, and a new
// set of the same kind varies around it.
var DefaultOptions = Options{Seed: 1, Target: 0.005, Folds: 4, Ridge: 1, Alpha: 0.1, Vocab: 2000}

// thresholds are the field thresholds a fit chooses among.
var thresholds = func() []float64 {
	var out []float64
	for t := 50; t <= 99; t++ {
		out = append(out, float64(t)/100)
	}
	return out
}()

// Summary says what a fit saw and chose.
type Summary struct {
	Documents int
	Fields    map[string]int // per family
	// CrossFitted is the review policy at each threshold on the training documents, each
	// judged by weights fitted without its fold.
	CrossFitted []eval.PolicyPoint
}

// Fit returns the model fitted to docs, starting from base (whose calibration the type model's
// predictions use): the type model first, since the type a document is given decides which
// fields it has, then the calibration on the fields extracted under it, then the threshold.
func Fit(p *Predictor, docs []Doc, base *model.Model, name string, o Options) (*model.Model, Summary, error) {
	if len(docs) == 0 {
		return nil, Summary{}, fmt.Errorf("fitting: no labelled documents")
	}
	typeDocs := make([]model.TypeDoc, 0, len(docs))
	for _, d := range docs {
		if d.Truth.DocType != "" {
			typeDocs = append(typeDocs, model.TypeDoc{Type: d.Truth.DocType, Text: classify.TypeText(d.Pages)})
		}
	}
	tm, err := model.FitTypes(typeDocs, o.Alpha, o.Vocab)
	if err != nil {
		return nil, Summary{}, fmt.Errorf("fitting the type model: %w", err)
	}
	if o.NoTypes {
		tm = nil
	}
	m := &model.Model{Format: model.FormatVersion, Name: name, Types: tm, Calibration: base.Calibration,
		FieldThreshold: base.FieldThreshold, Lexicon: lexicon(p.tax, docs)}
	truth := truths(docs)
	fold := folds(len(docs), o)
	first := p.Predict(docs, m) // without records: what the machine reads, right or wrong
	m.Records = records(docs, first)
	preds := crossEvidence(p, docs, first, m, fold, o.Folds)
	outcomes := eval.Outcomes(truth, preds)
	m.Calibration = fitCalibration(outcomes, base, o.Ridge)
	sum := Summary{Documents: len(docs), Fields: map[string]int{}}
	for _, o := range outcomes {
		sum.Fields[o.Family]++
	}
	sum.CrossFitted = eval.Sweep(truth, crossFitted(truth, preds, fold, base, o), thresholds)
	m.FieldThreshold = thresholds[len(thresholds)-1]
	for _, pt := range sum.CrossFitted {
		if pt.ConfidentWrong <= o.Target {
			m.FieldThreshold = pt.Threshold
			break
		}
	}
	return m, sum, nil
}

// fitCalibration fits the logistic weights of each family, shrunk towards prior's (the
// model training started from): what few examples cannot show, the model keeps.
func fitCalibration(out []eval.Outcome, prior *model.Model, ridge float64) map[string][]float64 {
	fams := map[string][]eval.Outcome{}
	for _, o := range out {
		fams[o.Family] = append(fams[o.Family], o)
	}
	prev := model.Active()
	model.Use(prior)
	defer model.Use(prev)
	w := map[string][]float64{}
	for _, f := range slices.Sorted(maps.Keys(fams)) {
		w[f] = eval.FitLogistic(fams[f], extract.Coefficients(f), ridge)
	}
	return w
}

// folds deals n documents into o.Folds folds, shuffled by o.Seed.
func folds(n int, o Options) []int {
	order := rand.New(rand.NewPCG(uint64(o.Seed), 17)).Perm(n)
	fold := make([]int, n)
	for pos, i := range order {
		fold[i] = pos % o.Folds
	}
	return fold
}

// lexicon returns the word pairs of docs' right values that are public text: the issuer,
// titles and free text of issued documents (Decree 30). Citizens' names, addresses and other
// values of personal records stay out: a model file is copied and committed, and must not
// carry personal data. Only documents real clerks approved (SourceStore) count: a generated
// set's values, given as a set or through simulated clerks, come from the generator's fixed
// lists, and a lexicon of them already held 87% of the word pairs of a seed it never saw
// (html 1820 against 1818, 1819 and native 101), so it would flatter any generated set it
// was judged on and tell nothing of real records.
func lexicon(tax *record.Taxonomy, docs []Doc) []string {
	var values []string
	for _, d := range docs {
		if d.Source != SourceStore {
			continue
		}
		dt, ok := tax.Type(d.Truth.DocType)
		if _, issued := dt.Fields["subject"]; !ok || !issued {
			continue
		}
		for name, v := range d.Truth.Fields {
			format, _ := dt.Format(name)
			if fam := extract.Kind(extract.Family(name, format)); fam == extract.FamilyIssuer || fam == extract.FamilyTitle || fam == extract.FamilyText {
				values = append(values, v)
			}
		}
	}
	return model.BuildLexicon(values)
}

// records counts, per "type/field", how often docs' predicted values were right.
func records(docs []Doc, preds []eval.Prediction) map[string]model.Record {
	out := map[string]model.Record{}
	for i, pr := range preds {
		t := docs[i].Truth
		for n, v := range pr.Fields {
			k := pr.DocType + "/" + n
			r := out[k]
			r.Seen++
			if pr.DocType == t.DocType && same(v, t.Fields[n]) {
				r.Right++
			}
			out[k] = r
		}
	}
	return out
}

func same(a, b string) bool {
	return record.CollapseSpace(record.NFC(a)) == record.CollapseSpace(record.NFC(b))
}

// crossEvidence predicts each document with m whose lexicon and field records come only from
// the other folds' documents (first holds every document's prediction without them): a
// document's own right values would make each of its word pairs familiar and its own fields'
// records flatter it, and the calibration would learn to trust both too much.
func crossEvidence(p *Predictor, docs []Doc, first []eval.Prediction, m *model.Model, fold []int, k int) []eval.Prediction {
	out := make([]eval.Prediction, len(docs))
	for f := range k {
		var in, rest []Doc
		var restPreds []eval.Prediction
		var at []int
		for i, d := range docs {
			if fold[i] == f {
				in, at = append(in, d), append(at, i)
			} else {
				rest, restPreds = append(rest, d), append(restPreds, first[i])
			}
		}
		mf := *m
		mf.Lexicon, mf.Records = lexicon(p.tax, rest), records(rest, restPreds)
		for j, pr := range p.Predict(in, &mf) {
			out[at[j]] = pr
		}
	}
	return out
}

// crossFitted returns preds with each field's confidence given by weights fitted on the other
// folds' documents, so that choosing a threshold on them does not reward overfitting.
func crossFitted(truth []eval.Truth, preds []eval.Prediction, fold []int, base *model.Model, o Options) []eval.Prediction {
	out := make([]eval.Prediction, len(preds))
	for k := range o.Folds {
		var tr []eval.Truth
		var pr []eval.Prediction
		for i := range preds {
			if fold[i] != k {
				tr, pr = append(tr, truth[i]), append(pr, preds[i])
			}
		}
		m := &model.Model{Calibration: fitCalibration(eval.Outcomes(tr, pr), base, o.Ridge)}
		for i := range preds {
			if fold[i] != k {
				continue
			}
			p := preds[i]
			p.Evidence = map[string]eval.Outcome{}
			for n, e := range preds[i].Evidence {
				if c, ok := m.Probability(e.Family, e.Features); ok {
					e.Confidence = reported(c)
				} else {
					e.Confidence = 0 // a family no other fold showed: never confident
				}
				p.Evidence[n] = e
			}
			out[i] = p
		}
	}
	return out
}
