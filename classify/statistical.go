package classify

import (
	"strings"

	"github.com/sohoa/sohoa/record"
)

// The statistical fallback: `sohoa train` fits a word-count classifier (model.TypeModel) on
// documents whose type clerks confirmed or corrected and on generated sets. The rules stay in
// charge where a heading or number settles the type; below settled the model may name a type
// the rules could not, confirm the rules' guess, or cast doubt on it.
const (
	// settled is the rules' confidence from which the model is not asked: a heading
	// confirmed by the ký hiệu, or a heading alone.
	settled = confHeading
	// statSure is the posterior from which the model's word counts count as a cue.
	statSure = 0.9
	// statOnly is the confidence of a type only the model names: under TypeThreshold, so a
	// clerk still confirms it, but its fields are read for the clerk to check.
	statOnly = 0.55
	// statAgree is the confidence of a weak rule the model agrees with: two cues that do not
	// share a cause (a verb or a form label, and the words of the whole page).
	statAgree = 0.8
	// statDoubt caps the confidence of a weak rule the model is sure contradicts it, so that
	// a clerk looks.
	statDoubt = 0.5
)

// statistical lets the type model of the model in use adjust the rules' classification cl of
// pages where the rules are unsure.
func (c *Classifier) statistical(pages []record.Page, cl record.Classification) record.Classification {
	tm := c.types()
	if tm == nil || cl.Confidence >= settled {
		return cl
	}
	text := TypeText(pages)
	if strings.TrimSpace(text) == "" {
		return cl
	}
	typ, p := tm.Predict(text)
	if _, ok := c.tax.Type(typ); !ok || typ == record.Unknown || p < statSure {
		return cl
	}
	switch {
	case cl.Type == record.Unknown || cl.Type == "":
		return record.Classification{Type: typ, Confidence: statOnly}
	case cl.Type == typ:
		cl.Confidence = max(cl.Confidence, statAgree)
	default:
		cl.Confidence = min(cl.Confidence, statDoubt)
	}
	return cl
}

// TypeText is the text of pages the type model reads, in training as in classification: the
// first lines of the first page with text, where a document shows what kind it is.
func TypeText(pages []record.Page) string {
	return strings.Join(firstLines(pages, headingLines), "\n")
}
