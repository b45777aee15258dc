package eval

import (
	"cmp"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sohoa/sohoa/record"
)

// PagePrediction is what the pipeline produced for one page.
type PagePrediction struct {
	Text string
	// SkewDegrees is the skew the pipeline found, counter-clockwise positive.
	SkewDegrees float64
	// Rotation is the clockwise quarter-turn the pipeline applied to make the page upright.
	Rotation       int
	MeanConfidence float64 // Tesseract's, 0–100
	// PDFText is the page's text as pdftotext extracts it from the searchable PDF (see
	// PDFText); it is scored when Options.PDFText is set.
	PDFText string
}

// Prediction is what the pipeline produced for one file.
type Prediction struct {
	File        string
	Err         string // non-empty when the pipeline failed on the file
	DocType     string
	NeedsReview bool
	// SentForOther says the document was sent to review for a reason other than a field's
	// low confidence (type, missing, invalid or implausible field), for Sweep.
	SentForOther bool
	// Reasons are why the document was sent to review, each a reason code and the field it
	// concerns ("field_missing signer_title"), for the per-reason table of the review score.
	Reasons []string
	Fields  map[string]string // normalised values
	// Evidence holds, per predicted field, its family, confidence and model features, for
	// the reliability table and for fitting the calibration.
	Evidence map[string]Outcome
	Pages    []PagePrediction
	Duration time.Duration // wall time of the pipeline on the file
}

// Options carries what Score needs beyond truth and predictions. The zero value is valid.
type Options struct {
	// Baseline maps a file to the page texts raw tesseract gives on its unprocessed images
	// (see RawTesseract). Nil leaves the baseline out of the report.
	Baseline map[string][]string
	Workers  int           // parallelism of the run, for pages per minute per worker
	Elapsed  time.Duration // wall time of the whole run, for pages per minute; 0 leaves it out
	// Taxonomy names the fields each document type has, which decides which predicted fields
	// are judged. Nil means the taxonomy embedded in record.
	Taxonomy *record.Taxonomy
	// PDFText says the pages of every document the pipeline processed carry their PDFText,
	// so the report scores the searchable PDF's text. When it is false, PDFTextSkipped is why
	// the PDF text was not measured, which the report then prints; both zero leave the PDF
	// text out of the report.
	PDFText        bool
	PDFTextSkipped string
	// Required returns the fields a document of a type must have to be filed without review
	// (extract.RequiredFields): a document whose truth lacks one must be sent by rule, which
	// the review score counts in its floor. Nil counts none.
	Required func(docType string) []string
}

// HandwrittenDigits is the degradation of documents whose number or day was filled in by
// hand: they must be sent to review whatever was read (issue 18).
const HandwrittenDigits = "handwritten_number"

// Labels used in the confusion matrix for documents without a usable predicted type.
const (
	LabelFailed = "(failed)" // the pipeline failed on the file or gave no prediction
	LabelNone   = "(none)"   // the pipeline gave an empty doc_type
)

// CleanGroup is the degradation group of documents generated without any degradation.
const CleanGroup = "clean"

// worstPages is how many of the worst pages by CER a report keeps.
const worstPages = 10

// Report is the outcome of Score. Rates are fractions (0.25, not 25%); a rate whose
// denominator is zero is 0, and the counts beside it show that.
type Report struct {
	Documents int `json:"documents"`
	Pages     int `json:"pages"` // pages in the truth
	// Failures counts documents the pipeline failed on or gave no prediction for; their
	// pages score as empty text and their fields as missing, so failing never improves a
	// number.
	Failures int          `json:"failures"`
	Missing  int          `json:"missing"` // the part of Failures with no prediction at all
	Failed   []FailedFile `json:"failed,omitempty"`
	// Unmatched lists predicted files that have no truth; they are not scored.
	Unmatched []string `json:"unmatched,omitempty"`
	// ExtraPages counts predicted pages beyond the truth's page count; they are not scored.
	ExtraPages int `json:"extra_pages"`

	Text           TextScore           `json:"text"`
	Degradations   []GroupScore        `json:"degradations"`
	Geometry       GeometryScore       `json:"geometry"`
	Classification ClassificationScore `json:"classification"`
	Fields         FieldsScore         `json:"fields"`
	Review         ReviewScore         `json:"review"`
	Speed          SpeedScore          `json:"speed"`
	Baseline       *BaselineScore      `json:"baseline,omitempty"`
	PDFText        *PDFTextScore       `json:"pdf_text,omitempty"`
	WorstPages     []PageScore         `json:"worst_pages"`
}

// FailedFile is a document the pipeline failed on.
type FailedFile struct {
	File string `json:"file"`
	Err  string `json:"error"`
}

// TextScore holds the OCR text metrics over all truth pages.
type TextScore struct {
	Chars       int     `json:"chars"` // reference runes after NormalizeText
	Words       int     `json:"words"` // reference words
	CER         float64 `json:"cer"`   // micro-averaged: all edits / all reference runes
	MeanPageCER float64 `json:"mean_page_cer"`
	WER         float64 `json:"wer"` // micro-averaged over words
	MeanPageWER float64 `json:"mean_page_wer"`
	// BagOfWords is the order-free word accuracy, micro-averaged over reference words.
	BagOfWords float64 `json:"bag_of_words_accuracy"`
	// MeanConfidence is Tesseract's mean confidence (0–100) over the predicted pages.
	MeanConfidence float64 `json:"mean_confidence"`
}

// GroupScore is the CER of the pages of documents that had one degradation applied
// (CleanGroup for none). A document with several degradations counts in each group.
type GroupScore struct {
	Degradation string  `json:"degradation"`
	Pages       int     `json:"pages"`
	Chars       int     `json:"chars"`
	CER         float64 `json:"cer"`
	MeanPageCER float64 `json:"mean_page_cer"`
}

// GeometryScore compares the skew and rotation the pipeline found with the ones applied,
// over the pages the pipeline returned.
type GeometryScore struct {
	Pages            int     `json:"pages"`
	SkewErrorMean    float64 `json:"skew_error_mean_deg"` // mean |predicted − truth| in degrees
	SkewErrorMax     float64 `json:"skew_error_max_deg"`
	RotationCorrect  int     `json:"rotation_correct"`
	RotationAccuracy float64 `json:"rotation_accuracy"`
}

// ClassificationScore holds document type accuracy over all documents and the confusion
// matrix: Confusion[i][j] counts documents of truth type Labels[i] predicted as Labels[j].
type ClassificationScore struct {
	Correct   int      `json:"correct"`
	Accuracy  float64  `json:"accuracy"`
	Labels    []string `json:"labels"`
	Confusion [][]int  `json:"confusion"`
}

// FieldScore counts one field's outcomes. Predicted counts non-empty predicted values of a
// field the truth's document type has; Truth counts non-empty truth values; Correct counts
// predicted values equal to the truth after NFC and white-space collapse.
type FieldScore struct {
	Field     string  `json:"field"`
	Predicted int     `json:"predicted"`
	Truth     int     `json:"truth"`
	Correct   int     `json:"correct"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// FieldsScore holds per-field scores sorted by field name and their micro totals.
type FieldsScore struct {
	Micro    FieldScore   `json:"micro"`
	PerField []FieldScore `json:"per_field"`
}

// ReviewScore tells how well the review flag points at documents with a mistake, that is a
// wrong type or any wrong, missing or unwarranted field. Failed documents are left out: they
// are reported as failures, not reviewed.
type ReviewScore struct {
	Documents int     `json:"documents"` // documents the pipeline did not fail on
	Sent      int     `json:"sent"`      // documents flagged for review
	Share     float64 `json:"share"`     // Sent / Documents
	WithError int     `json:"with_error"`
	// Precision is the share of flagged documents that really had a mistake.
	Precision float64 `json:"precision"`
	Caught    int     `json:"caught"` // flagged documents with a mistake
	// Recall is the share of documents with a mistake that were flagged.
	Recall float64 `json:"recall"`
	// ConfidentWrong is the share of all documents that had a mistake but were not flagged.
	ConfidentWrong float64 `json:"confident_wrong"`
	// ConfidentWrongUpper95 is the one-sided 95% upper confidence bound on the confident-wrong
	// rate (Clopper-Pearson): what the set can promise about documents it did not see.
	ConfidentWrongUpper95 float64 `json:"confident_wrong_upper95"`
	// Reasons counts, per review reason, the sent documents it fired on, split by whether the
	// document had a mistake: a reason that fires mostly on right documents costs clerks time
	// for nothing. Sorted by Right, most first.
	Reasons []ReasonCount `json:"reasons,omitempty"`
	// Floor is what no review policy may leave unsent.
	Floor ReviewFloor `json:"floor"`
	// Hand counts the values filled in by hand, which must never come back as sure ones.
	Hand HandScore `json:"hand"`
}

// HandScore counts the fields whose digits were filled in by hand (Truth.Handwritten) in
// the documents the pipeline did not fail on: sending the document is not enough, the clerk
// must be told which value to check, so a hand-filled value counts as flagged only when it
// was not read or a review reason names its field.
type HandScore struct {
	Values  int `json:"values"`
	Flagged int `json:"flagged"` // not read, or named by a review reason
	// UnflaggedWrong are values returned unflagged and wrong: what a clerk would approve.
	UnflaggedWrong int `json:"unflagged_wrong"`
}

// ReviewFloor counts the documents any policy must send: by rule (digits filled in by hand,
// a required field the document does not have) and, at no confident-wrong, every document
// with a mistake (ReviewScore.WithError). The share sent can fall no lower than WithError.
type ReviewFloor struct {
	Handwritten    int `json:"handwritten"`     // the truth's degradations include HandwrittenDigits
	RequiredAbsent int `json:"required_absent"` // the truth has no value for a required field
	ByRule         int `json:"by_rule"`         // either of the two
	// ByRuleOrMistake adds the documents with a mistake: the least any policy with no
	// confident-wrong sends.
	ByRuleOrMistake int `json:"by_rule_or_mistake"`
}

// ReasonCount is how often one review reason fired on sent documents.
type ReasonCount struct {
	Reason string `json:"reason"` // code and field, as in Prediction.Reasons
	Wrong  int    `json:"wrong"`  // sent documents with a mistake it fired on
	Right  int    `json:"right"`  // sent documents without a mistake it fired on
	// Alone counts the right documents it was the only reason for: without it they would
	// not have been sent.
	Alone int `json:"alone"`
}

// SpeedScore is throughput. Rates based on Elapsed are 0 when Options.Elapsed was not given.
type SpeedScore struct {
	Workers                 int     `json:"workers"`
	ElapsedSeconds          float64 `json:"elapsed_seconds"`
	PagesPerMinute          float64 `json:"pages_per_minute"`
	PagesPerMinutePerWorker float64 `json:"pages_per_minute_per_worker"`
	// SecondsPerPage is the summed per-file pipeline time divided by the truth pages.
	SecondsPerPage float64 `json:"seconds_per_page"`
}

// BaselineScore compares raw tesseract with the pipeline on the pages that have a baseline.
type BaselineScore struct {
	Pages       int     `json:"pages"`
	Chars       int     `json:"chars"`
	CER         float64 `json:"cer"`          // raw tesseract, micro-averaged
	PipelineCER float64 `json:"pipeline_cer"` // the pipeline on the same pages
	// Delta is PipelineCER − CER: negative when the pipeline beats raw tesseract.
	Delta float64 `json:"delta"`
}

// PDFTextScore measures the text layer of the searchable PDF as pdftotext extracts it, over
// the pages of the documents the pipeline processed (a failed document has no PDF; Failures
// counts it), beside the OCR text of the same pages: the gap is what writing the layer and
// reading it back lose.
type PDFTextScore struct {
	// Skipped is why the PDF text was not measured; the other fields are then zero.
	Skipped        string  `json:"skipped,omitempty"`
	Pages          int     `json:"pages"`
	Chars          int     `json:"chars"`
	CER            float64 `json:"cer"` // micro-averaged
	MeanPageCER    float64 `json:"mean_page_cer"`
	OCRCER         float64 `json:"ocr_cer"` // the OCR text of the same pages, micro-averaged
	OCRMeanPageCER float64 `json:"ocr_mean_page_cer"`
}

// PageScore is the text score of one page.
type PageScore struct {
	File         string   `json:"file"`
	Page         int      `json:"page"` // 1-based
	Chars        int      `json:"chars"`
	CER          float64  `json:"cer"`
	WER          float64  `json:"wer"`
	Failed       bool     `json:"failed,omitempty"`
	Degradations []string `json:"degradations,omitempty"`
}

// pageJob is one truth page with what it is compared against, and its measured counts.
type pageJob struct {
	doc, page   int
	ref, hyp    string
	baseline    string
	hasBaseline bool
	pdfText     string
	hasPDFText  bool

	charEdits, chars int
	wordEdits, words int
	bagMatched       int
	baseEdits        int
	pdfEdits         int
}

// Score matches predictions to truth by File (exactly, or else by base name when that is
// unambiguous) and measures them. Pages are compared by position.
func Score(truth []Truth, pred []Prediction, opt Options) Report {
	tax := opt.Taxonomy
	if tax == nil {
		tax = record.MustTaxonomy()
	}
	matched := matchPredictions(truth, pred)
	baselines := matchBaselines(truth, opt.Baseline)

	r := Report{Documents: len(truth)}
	used := make([]bool, len(pred))
	var jobs []pageJob
	for i, t := range truth {
		p := matched[i]
		if p >= 0 {
			used[p] = true
		}
		var pp []PagePrediction
		hasPDFText := false
		switch {
		case p < 0:
			r.Failures++
			r.Missing++
			r.Failed = append(r.Failed, FailedFile{File: t.File, Err: "no prediction"})
		case pred[p].Err != "":
			r.Failures++
			r.Failed = append(r.Failed, FailedFile{File: t.File, Err: pred[p].Err})
		default:
			pp = pred[p].Pages
			hasPDFText = opt.PDFText
			r.ExtraPages += max(0, len(pp)-len(t.Pages))
		}
		for j, pt := range t.Pages {
			job := pageJob{doc: i, page: j, ref: pt.Text, hasPDFText: hasPDFText}
			if j < len(pp) {
				job.hyp, job.pdfText = pp[j].Text, pp[j].PDFText
			}
			if b, ok := baselines[i]; ok {
				job.hasBaseline = true
				if j < len(b) {
					job.baseline = b[j]
				}
			}
			jobs = append(jobs, job)
		}
	}
	for p := range pred {
		if !used[p] {
			r.Unmatched = append(r.Unmatched, pred[p].File)
		}
	}
	slices.Sort(r.Unmatched)
	r.Pages = len(jobs)

	measurePages(jobs)
	r.Text, r.Degradations, r.WorstPages, r.Baseline = textScores(truth, pred, matched, jobs)
	r.PDFText = pdfTextScore(jobs, opt)
	r.Geometry = geometryScore(truth, pred, matched)
	r.Classification = classificationScore(truth, pred, matched)
	var docErr []bool
	r.Fields, docErr = fieldScores(truth, pred, matched, tax)
	r.Review = reviewScore(truth, pred, matched, docErr)
	r.Review.Floor = reviewFloor(truth, pred, matched, docErr, opt.Required)
	r.Review.Hand = handScore(truth, pred, matched)
	r.Speed = speedScore(pred, matched, r.Pages, opt)
	return r
}

// matchPredictions returns, for each truth, the index of its prediction or -1.
func matchPredictions(truth []Truth, pred []Prediction) []int {
	byFile := make(map[string]int, len(pred))
	byBase := make(map[string]int, len(pred))
	for i, p := range pred {
		if _, dup := byFile[p.File]; !dup {
			byFile[p.File] = i
		}
		b := filepath.Base(p.File)
		if _, dup := byBase[b]; dup {
			byBase[b] = -1 // ambiguous: only exact names match it
		} else {
			byBase[b] = i
		}
	}
	out := make([]int, len(truth))
	taken := make(map[int]bool, len(pred))
	for i, t := range truth {
		out[i] = -1
		if p, ok := byFile[t.File]; ok && !taken[p] {
			out[i] = p
		} else if p, ok := byBase[filepath.Base(t.File)]; ok && p >= 0 && !taken[p] {
			out[i] = p
		}
		if out[i] >= 0 {
			taken[out[i]] = true
		}
	}
	return out
}

// matchBaselines looks each truth file up in the baseline map, by exact name or base name.
func matchBaselines(truth []Truth, baseline map[string][]string) map[int][]string {
	if baseline == nil {
		return nil
	}
	byBase := make(map[string][]string, len(baseline))
	for f, pages := range baseline {
		byBase[filepath.Base(f)] = pages
	}
	out := make(map[int][]string)
	for i, t := range truth {
		if b, ok := baseline[t.File]; ok {
			out[i] = b
		} else if b, ok := byBase[filepath.Base(t.File)]; ok {
			out[i] = b
		}
	}
	return out
}

// measurePages fills in the edit counts of every job. A page of ~3000 characters costs
// about 9 million table cells per comparison, so the pages are spread over the CPUs.
func measurePages(jobs []pageJob) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(1, len(jobs))) {
		wg.Go(func() {
			for i := range next {
				j := &jobs[i]
				j.charEdits, j.chars = charEdits(j.ref, j.hyp)
				rw, hw := words(j.ref), words(j.hyp)
				j.wordEdits, j.words = levenshtein(rw, hw), len(rw)
				j.bagMatched, _ = bagMatches(rw, hw)
				if j.hasBaseline {
					j.baseEdits, _ = charEdits(j.ref, j.baseline)
				}
				if j.hasPDFText {
					j.pdfEdits, _ = charEdits(j.ref, j.pdfText)
				}
			}
		})
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
}

func textScores(truth []Truth, pred []Prediction, matched []int, jobs []pageJob) (TextScore, []GroupScore, []PageScore, *BaselineScore) {
	var ts TextScore
	var charEditsSum, wordEditsSum, bagSum int
	var cerSum, werSum float64
	type group struct {
		pages, edits, chars int
		cerSum              float64
	}
	groups := map[string]*group{}
	var base BaselineScore
	var baseEdits, pipeEdits int
	pages := make([]PageScore, 0, len(jobs))
	for _, j := range jobs {
		t := truth[j.doc]
		cer, wer := rate(j.charEdits, j.chars), rate(j.wordEdits, j.words)
		charEditsSum += j.charEdits
		ts.Chars += j.chars
		wordEditsSum += j.wordEdits
		ts.Words += j.words
		bagSum += j.bagMatched
		cerSum += cer
		werSum += wer
		for _, d := range degradationGroups(t.Degradations) {
			g := groups[d]
			if g == nil {
				g = &group{}
				groups[d] = g
			}
			g.pages++
			g.edits += j.charEdits
			g.chars += j.chars
			g.cerSum += cer
		}
		if j.hasBaseline {
			base.Pages++
			base.Chars += j.chars
			baseEdits += j.baseEdits
			pipeEdits += j.charEdits
		}
		p := matched[j.doc]
		pages = append(pages, PageScore{
			File: t.File, Page: j.page + 1, Chars: j.chars, CER: cer, WER: wer,
			Failed:       p < 0 || pred[p].Err != "",
			Degradations: t.Degradations,
		})
	}
	ts.CER = rate(charEditsSum, ts.Chars)
	ts.WER = rate(wordEditsSum, ts.Words)
	ts.BagOfWords = ratio(bagSum, ts.Words)
	if n := len(jobs); n > 0 {
		ts.MeanPageCER = cerSum / float64(n)
		ts.MeanPageWER = werSum / float64(n)
	}
	var confSum float64
	var confPages int
	for i := range truth {
		if p := matched[i]; p >= 0 && pred[p].Err == "" {
			for _, pp := range pred[p].Pages {
				confSum += pp.MeanConfidence
				confPages++
			}
		}
	}
	if confPages > 0 {
		ts.MeanConfidence = confSum / float64(confPages)
	}

	gs := make([]GroupScore, 0, len(groups))
	for name, g := range groups {
		gs = append(gs, GroupScore{
			Degradation: name, Pages: g.pages, Chars: g.chars,
			CER: rate(g.edits, g.chars), MeanPageCER: g.cerSum / float64(g.pages),
		})
	}
	slices.SortFunc(gs, func(a, b GroupScore) int { return strings.Compare(a.Degradation, b.Degradation) })

	slices.SortStableFunc(pages, func(a, b PageScore) int {
		return cmp.Or(cmp.Compare(b.CER, a.CER), strings.Compare(a.File, b.File), cmp.Compare(a.Page, b.Page))
	})
	pages = pages[:min(worstPages, len(pages))]

	var bs *BaselineScore
	if base.Pages > 0 {
		base.CER = rate(baseEdits, base.Chars)
		base.PipelineCER = rate(pipeEdits, base.Chars)
		base.Delta = base.PipelineCER - base.CER
		bs = &base
	}
	return ts, gs, pages, bs
}

// pdfTextScore sums the edits of the PDF text and of the OCR text over the pages that have
// a PDF text; it is nil when the PDF text was neither measured nor skipped.
func pdfTextScore(jobs []pageJob, opt Options) *PDFTextScore {
	if !opt.PDFText {
		if opt.PDFTextSkipped == "" {
			return nil
		}
		return &PDFTextScore{Skipped: opt.PDFTextSkipped}
	}
	var s PDFTextScore
	var edits, ocrEdits int
	for _, j := range jobs {
		if !j.hasPDFText {
			continue
		}
		s.Pages++
		s.Chars += j.chars
		edits += j.pdfEdits
		ocrEdits += j.charEdits
		s.MeanPageCER += rate(j.pdfEdits, j.chars)
		s.OCRMeanPageCER += rate(j.charEdits, j.chars)
	}
	s.CER, s.OCRCER = rate(edits, s.Chars), rate(ocrEdits, s.Chars)
	if s.Pages > 0 {
		s.MeanPageCER /= float64(s.Pages)
		s.OCRMeanPageCER /= float64(s.Pages)
	}
	return &s
}

// degradationGroups returns the distinct groups a document's pages count in.
func degradationGroups(d []string) []string {
	if len(d) == 0 {
		return []string{CleanGroup}
	}
	out := slices.Clone(d)
	slices.Sort(out)
	return slices.Compact(out)
}

func geometryScore(truth []Truth, pred []Prediction, matched []int) GeometryScore {
	var g GeometryScore
	var sum float64
	for i, t := range truth {
		p := matched[i]
		if p < 0 || pred[p].Err != "" {
			continue
		}
		pp := pred[p].Pages
		for j, pt := range t.Pages {
			if j >= len(pp) {
				break
			}
			g.Pages++
			e := math.Abs(pp[j].SkewDegrees - pt.SkewDegrees)
			sum += e
			g.SkewErrorMax = max(g.SkewErrorMax, e)
			if quarterTurn(pp[j].Rotation) == quarterTurn(pt.Rotation) {
				g.RotationCorrect++
			}
		}
	}
	if g.Pages > 0 {
		g.SkewErrorMean = sum / float64(g.Pages)
	}
	g.RotationAccuracy = ratio(g.RotationCorrect, g.Pages)
	return g
}

// quarterTurn maps a rotation in degrees to [0, 360), so -90 and 270 compare equal.
func quarterTurn(deg int) int { return ((deg % 360) + 360) % 360 }

// pseudo is 1 for the parenthesised labels that are not type codes, else 0.
func pseudo(label string) int {
	if strings.HasPrefix(label, "(") {
		return 1
	}
	return 0
}

// predictedType is the confusion-matrix column of a document.
func predictedType(pred []Prediction, p int) string {
	switch {
	case p < 0 || pred[p].Err != "":
		return LabelFailed
	case pred[p].DocType == "":
		return LabelNone
	}
	return pred[p].DocType
}

func classificationScore(truth []Truth, pred []Prediction, matched []int) ClassificationScore {
	var c ClassificationScore
	seen := map[string]bool{}
	for i, t := range truth {
		seen[t.DocType] = true
		seen[predictedType(pred, matched[i])] = true
	}
	for l := range seen {
		c.Labels = append(c.Labels, l)
	}
	// Real type codes first, alphabetically; the parenthesised pseudo-labels last.
	slices.SortFunc(c.Labels, func(a, b string) int {
		return cmp.Or(cmp.Compare(pseudo(a), pseudo(b)), strings.Compare(a, b))
	})
	index := make(map[string]int, len(c.Labels))
	c.Confusion = make([][]int, len(c.Labels))
	for i, l := range c.Labels {
		index[l] = i
		c.Confusion[i] = make([]int, len(c.Labels))
	}
	for i, t := range truth {
		got := predictedType(pred, matched[i])
		c.Confusion[index[t.DocType]][index[got]]++
		if got == t.DocType {
			c.Correct++
		}
	}
	c.Accuracy = ratio(c.Correct, len(truth))
	return c
}

// fieldValue is the form in which field values compare.
func fieldValue(v string) string { return record.CollapseSpace(record.NFC(v)) }

// fieldScores counts field outcomes and reports, for each document, whether it has a wrong,
// missing or unwarranted field or a wrong type (the mistakes review should catch).
//
// A predicted field is judged when the truth's document type has it in the taxonomy, or the
// truth has a value for it: a field of the truth's type that the truth leaves out was not
// printed, so predicting it is a mistake, while a field only a wrongly predicted type has is
// already paid for by the classification score.
func fieldScores(truth []Truth, pred []Prediction, matched []int, tax *record.Taxonomy) (FieldsScore, []bool) {
	stats := map[string]*FieldScore{}
	stat := func(name string) *FieldScore {
		s := stats[name]
		if s == nil {
			s = &FieldScore{Field: name}
			stats[name] = s
		}
		return s
	}
	docErr := make([]bool, len(truth))
	for i, t := range truth {
		var got map[string]string
		p := matched[i]
		if p >= 0 && pred[p].Err == "" {
			got = pred[p].Fields
		}
		docErr[i] = predictedType(pred, p) != t.DocType
		want := map[string]string{}
		for name, v := range t.Fields {
			if v = fieldValue(v); v != "" {
				want[name] = v
				stat(name).Truth++
				if fieldValue(got[name]) != v {
					docErr[i] = true
				}
			}
		}
		ty, _ := tax.Type(t.DocType)
		for name, v := range got {
			if v = fieldValue(v); v == "" {
				continue
			}
			_, inType := ty.Format(name)
			w, inTruth := want[name]
			if !inType && !inTruth {
				continue
			}
			s := stat(name)
			s.Predicted++
			if v == w {
				s.Correct++
			} else {
				docErr[i] = true
			}
		}
	}
	fs := FieldsScore{Micro: FieldScore{Field: "all"}}
	for _, s := range stats {
		s.finish()
		fs.PerField = append(fs.PerField, *s)
		fs.Micro.Predicted += s.Predicted
		fs.Micro.Truth += s.Truth
		fs.Micro.Correct += s.Correct
	}
	fs.Micro.finish()
	slices.SortFunc(fs.PerField, func(a, b FieldScore) int { return strings.Compare(a.Field, b.Field) })
	return fs, docErr
}

func (s *FieldScore) finish() {
	s.Precision = ratio(s.Correct, s.Predicted)
	s.Recall = ratio(s.Correct, s.Truth)
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
}

func reviewScore(truth []Truth, pred []Prediction, matched []int, docErr []bool) ReviewScore {
	var r ReviewScore
	counts := map[string]*ReasonCount{}
	for i := range truth {
		p := matched[i]
		if p < 0 || pred[p].Err != "" {
			continue
		}
		r.Documents++
		if docErr[i] {
			r.WithError++
		}
		if pred[p].NeedsReview {
			r.Sent++
			if docErr[i] {
				r.Caught++
			}
			counts = countReasons(counts, pred[p].Reasons, docErr[i])
		}
	}
	r.Reasons = sortedReasons(counts)
	r.Share = ratio(r.Sent, r.Documents)
	r.Precision = ratio(r.Caught, r.Sent)
	r.Recall = ratio(r.Caught, r.WithError)
	r.ConfidentWrong = ratio(r.WithError-r.Caught, r.Documents)
	r.ConfidentWrongUpper95 = UpperBound95(r.WithError-r.Caught, r.Documents)
	return r
}

// reviewFloor counts the documents the pipeline did not fail on that must be sent by rule or
// because they have a mistake.
func reviewFloor(truth []Truth, pred []Prediction, matched []int, docErr []bool, required func(string) []string) ReviewFloor {
	var f ReviewFloor
	for i, t := range truth {
		if p := matched[i]; p < 0 || pred[p].Err != "" {
			continue
		}
		hand := len(t.Handwritten) > 0 || slices.Contains(t.Degradations, HandwrittenDigits)
		absent := false
		if required != nil {
			for _, name := range required(t.DocType) {
				absent = absent || fieldValue(t.Fields[name]) == ""
			}
		}
		f.Handwritten += b2i(hand)
		f.RequiredAbsent += b2i(absent)
		f.ByRule += b2i(hand || absent)
		f.ByRuleOrMistake += b2i(hand || absent || docErr[i])
	}
	return f
}

// handScore counts the hand-filled values and how they came back.
func handScore(truth []Truth, pred []Prediction, matched []int) HandScore {
	var h HandScore
	for i, t := range truth {
		p := matched[i]
		if p < 0 || pred[p].Err != "" {
			continue
		}
		for _, name := range t.Handwritten {
			h.Values++
			got := fieldValue(pred[p].Fields[name])
			named := slices.ContainsFunc(pred[p].Reasons, func(r string) bool { return strings.HasSuffix(r, " "+name) })
			switch {
			case got == "" || named:
				h.Flagged++
			case got != fieldValue(t.Fields[name]):
				h.UnflaggedWrong++
			}
		}
	}
	return h
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// countReasons adds the distinct reasons of one sent document to counts.
func countReasons(counts map[string]*ReasonCount, reasons []string, wrong bool) map[string]*ReasonCount {
	distinct := slices.Compact(slices.Sorted(slices.Values(reasons)))
	for _, reason := range distinct {
		c := counts[reason]
		if c == nil {
			c = &ReasonCount{Reason: reason}
			counts[reason] = c
		}
		switch {
		case wrong:
			c.Wrong++
		case len(distinct) == 1:
			c.Right++
			c.Alone++
		default:
			c.Right++
		}
	}
	return counts
}

// sortedReasons returns the counts, those firing on the most right documents first.
func sortedReasons(counts map[string]*ReasonCount) []ReasonCount {
	var out []ReasonCount // nil when none: the JSON report leaves it out
	for _, c := range counts {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b ReasonCount) int {
		if a.Right != b.Right {
			return b.Right - a.Right
		}
		if a.Wrong != b.Wrong {
			return b.Wrong - a.Wrong
		}
		return strings.Compare(a.Reason, b.Reason)
	})
	return out
}

func speedScore(pred []Prediction, matched []int, pages int, opt Options) SpeedScore {
	s := SpeedScore{Workers: opt.Workers, ElapsedSeconds: opt.Elapsed.Seconds()}
	if opt.Elapsed > 0 {
		s.PagesPerMinute = float64(pages) / opt.Elapsed.Minutes()
		if opt.Workers > 0 {
			s.PagesPerMinutePerWorker = s.PagesPerMinute / float64(opt.Workers)
		}
	}
	var total time.Duration
	for _, p := range matched {
		if p >= 0 {
			total += pred[p].Duration
		}
	}
	if pages > 0 {
		s.SecondsPerPage = total.Seconds() / float64(pages)
	}
	return s
}

// ratio is a share that is 0 when there is nothing to share.
func ratio(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}
