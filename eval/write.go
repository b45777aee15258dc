package eval

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteJSON writes the report as one indented JSON object.
func (r Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("encoding report: %w", err)
	}
	return nil
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func pct(x float64) string { return fmt.Sprintf("%.2f%%", 100*x) }

func share(x float64, n, d int) string { return fmt.Sprintf("%s (%d/%d)", pct(x), n, d) }

// summary is the one-line headline both outputs start with.
func (r Report) summary() string {
	s := fmt.Sprintf("%d documents, %d pages, %d failed", r.Documents, r.Pages, r.Failures)
	if r.Missing > 0 {
		s += fmt.Sprintf(" (%d without prediction)", r.Missing)
	}
	if len(r.Unmatched) > 0 {
		s += fmt.Sprintf(", %s without truth", plural(len(r.Unmatched), "prediction"))
	}
	if r.ExtraPages > 0 {
		s += fmt.Sprintf(", %s beyond the truth", plural(r.ExtraPages, "predicted page"))
	}
	return s
}

// WriteTable writes the report as fixed-width sections for a terminal. The confusion matrix
// and the worst pages are left to WriteMarkdown, where they have room.
func (r Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	line := func(cells ...string) { fmt.Fprintln(tw, strings.Join(cells, "\t")) }

	line("sohoa eval: " + r.summary())
	line()
	line("TEXT", "micro", "mean per page")
	line("CER", pct(r.Text.CER), pct(r.Text.MeanPageCER))
	line("WER", pct(r.Text.WER), pct(r.Text.MeanPageWER))
	line("bag-of-words accuracy", pct(r.Text.BagOfWords))
	line("mean OCR confidence", fmt.Sprintf("%.1f", r.Text.MeanConfidence))
	if b := r.Baseline; b != nil {
		line(fmt.Sprintf("raw tesseract CER (%d pages)", b.Pages), pct(b.CER))
		line("pipeline CER, same pages", pct(b.PipelineCER))
		line("pipeline − raw tesseract", fmt.Sprintf("%+.2f pp", 100*b.Delta))
	}
	if pt := r.PDFText; pt != nil {
		line()
		if pt.Skipped != "" {
			line("PDF TEXT", "not measured: "+pt.Skipped)
		} else {
			line(fmt.Sprintf("PDF TEXT (pdftotext, %d pages)", pt.Pages), "micro", "mean per page")
			line("CER", pct(pt.CER), pct(pt.MeanPageCER))
			line("OCR CER, same pages", pct(pt.OCRCER), pct(pt.OCRMeanPageCER))
			line("PDF − OCR", fmt.Sprintf("%+.2f pp", 100*(pt.CER-pt.OCRCER)))
		}
	}
	line()
	line("CER BY DEGRADATION", "pages", "CER", "mean page CER")
	for _, g := range r.Degradations {
		line(g.Degradation, fmt.Sprint(g.Pages), pct(g.CER), pct(g.MeanPageCER))
	}
	line()
	line("GEOMETRY", fmt.Sprintf("%d pages", r.Geometry.Pages))
	line("skew error mean", fmt.Sprintf("%.2f°", r.Geometry.SkewErrorMean))
	line("skew error max", fmt.Sprintf("%.2f°", r.Geometry.SkewErrorMax))
	line("rotation accuracy", share(r.Geometry.RotationAccuracy, r.Geometry.RotationCorrect, r.Geometry.Pages))
	line()
	line("CLASSIFICATION")
	line("accuracy", share(r.Classification.Accuracy, r.Classification.Correct, r.Documents))
	line()
	line("FIELDS", "predicted", "truth", "correct", "precision", "recall", "F1")
	for _, f := range r.Fields.rows() {
		line(f.cells()...)
	}
	line()
	line("REVIEW", fmt.Sprintf("%d documents", r.Review.Documents))
	line("sent to review", share(r.Review.Share, r.Review.Sent, r.Review.Documents))
	line("sent that had a mistake", share(r.Review.Precision, r.Review.Caught, r.Review.Sent))
	line("mistakes sent to review", share(r.Review.Recall, r.Review.Caught, r.Review.WithError))
	line("confident-wrong (mistake, not sent)", share(r.Review.ConfidentWrong, r.Review.WithError-r.Review.Caught, r.Review.Documents))
	line("confident-wrong, 95% upper bound", fmt.Sprintf("%.2f%%", 100*r.Review.ConfidentWrongUpper95))
	fl := r.Review.Floor
	line("must be sent: handwritten digits", share(ratio(fl.Handwritten, r.Review.Documents), fl.Handwritten, r.Review.Documents))
	hd := r.Review.Hand
	line("hand-filled values flagged", share(ratio(hd.Flagged, hd.Values), hd.Flagged, hd.Values))
	line("hand-filled, unflagged and wrong", share(ratio(hd.UnflaggedWrong, hd.Values), hd.UnflaggedWrong, hd.Values))
	line("must be sent: required field absent", share(ratio(fl.RequiredAbsent, r.Review.Documents), fl.RequiredAbsent, r.Review.Documents))
	line("must be sent by rule", share(ratio(fl.ByRule, r.Review.Documents), fl.ByRule, r.Review.Documents))
	line("floor: by rule or with a mistake", share(ratio(fl.ByRuleOrMistake, r.Review.Documents), fl.ByRuleOrMistake, r.Review.Documents))
	if len(r.Review.Reasons) > 0 {
		line()
		line("REVIEW REASONS (sent documents)", "with mistake", "right", "right, only reason")
		for _, c := range r.Review.Reasons {
			line(c.Reason, fmt.Sprint(c.Wrong), fmt.Sprint(c.Right), fmt.Sprint(c.Alone))
		}
	}
	line()
	line("SPEED")
	if r.Speed.ElapsedSeconds > 0 {
		line("pages per minute", fmt.Sprintf("%.1f", r.Speed.PagesPerMinute))
		if r.Speed.Workers > 0 {
			line(fmt.Sprintf("per worker (%d)", r.Speed.Workers), fmt.Sprintf("%.1f", r.Speed.PagesPerMinutePerWorker))
		}
		line("elapsed", fmt.Sprintf("%.1f s", r.Speed.ElapsedSeconds))
	}
	line("pipeline time per page", fmt.Sprintf("%.2f s", r.Speed.SecondsPerPage))
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing table: %w", err)
	}
	return nil
}

// WriteMarkdown writes the report as a Markdown document, with the confusion matrix and the
// worst pages by CER.
func (r Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	row := func(cells ...string) {
		for i, c := range cells {
			cells[i] = mdCell(c)
		}
		p("| %s |\n", strings.Join(cells, " | "))
	}
	head := func(cells ...string) {
		row(cells...)
		p("|%s\n", strings.Repeat(" --- |", len(cells)))
	}

	p("# sohoa evaluation\n\n%s.\n\n", r.summary())

	p("## Text\n\n")
	head("metric", "micro", "mean per page")
	row("CER", pct(r.Text.CER), pct(r.Text.MeanPageCER))
	row("WER", pct(r.Text.WER), pct(r.Text.MeanPageWER))
	row("bag-of-words accuracy", pct(r.Text.BagOfWords), "")
	p("\n%d reference characters, %d words; mean OCR confidence %.1f.\n", r.Text.Chars, r.Text.Words, r.Text.MeanConfidence)
	if bs := r.Baseline; bs != nil {
		p("\nRaw tesseract on the unprocessed images of %d pages: CER %s; the pipeline on the same pages: %s (%+.2f points).\n",
			bs.Pages, pct(bs.CER), pct(bs.PipelineCER), 100*bs.Delta)
	}

	p("\n### CER by degradation\n\n")
	head("degradation", "pages", "CER", "mean page CER")
	for _, g := range r.Degradations {
		row(g.Degradation, fmt.Sprint(g.Pages), pct(g.CER), pct(g.MeanPageCER))
	}

	p("\n### Worst pages by CER\n\n")
	head("file", "page", "chars", "CER", "WER", "degradations")
	for _, ps := range r.WorstPages {
		d := strings.Join(ps.Degradations, ", ")
		if ps.Failed {
			d = strings.TrimPrefix(d+", failed", ", ")
		}
		row(ps.File, fmt.Sprint(ps.Page), fmt.Sprint(ps.Chars), pct(ps.CER), pct(ps.WER), d)
	}

	if pt := r.PDFText; pt != nil {
		p("\n## Searchable PDF text\n\n")
		if pt.Skipped != "" {
			p("Not measured: %s.\n", mdText(pt.Skipped))
		} else {
			p("The text pdftotext extracts from the searchable PDF of the %d pages of processed documents, against the OCR text of the same pages.\n\n", pt.Pages)
			head("text", "CER", "mean page CER")
			row("PDF (pdftotext)", pct(pt.CER), pct(pt.MeanPageCER))
			row("OCR", pct(pt.OCRCER), pct(pt.OCRMeanPageCER))
		}
	}

	g := r.Geometry
	p("\n## Geometry\n\nOver %d pages: skew error mean %.2f°, max %.2f°; rotation accuracy %s.\n",
		g.Pages, g.SkewErrorMean, g.SkewErrorMax, share(g.RotationAccuracy, g.RotationCorrect, g.Pages))

	c := r.Classification
	p("\n## Classification\n\nAccuracy %s. Rows are the true type, columns the predicted one.\n\n",
		share(c.Accuracy, c.Correct, r.Documents))
	head(append([]string{"truth \\ predicted"}, c.Labels...)...)
	for i, l := range c.Labels {
		cells := []string{l}
		for _, n := range c.Confusion[i] {
			cells = append(cells, fmt.Sprint(n))
		}
		row(cells...)
	}

	p("\n## Fields\n\n")
	head("field", "predicted", "truth", "correct", "precision", "recall", "F1")
	for _, f := range r.Fields.rows() {
		row(f.cells()...)
	}

	rv := r.Review
	p("\n## Review\n\nOf %d documents processed, %s were sent to review; %s of those had a mistake, and %s of the documents with a mistake were sent.\n",
		rv.Documents, share(rv.Share, rv.Sent, rv.Documents), share(rv.Precision, rv.Caught, rv.Sent),
		share(rv.Recall, rv.Caught, rv.WithError))
	p("No policy that leaves no mistake unsent can send fewer than %s: %s must be sent by rule (%d with digits filled in by hand, %d without a required field) and the rest had a mistake.\n",
		share(ratio(rv.Floor.ByRuleOrMistake, rv.Documents), rv.Floor.ByRuleOrMistake, rv.Documents),
		share(ratio(rv.Floor.ByRule, rv.Documents), rv.Floor.ByRule, rv.Documents), rv.Floor.Handwritten, rv.Floor.RequiredAbsent)
	if len(rv.Reasons) > 0 {
		p("\n")
		head("reason (sent documents)", "with a mistake", "right", "right, only reason")
		for _, c := range rv.Reasons {
			row(c.Reason, fmt.Sprint(c.Wrong), fmt.Sprint(c.Right), fmt.Sprint(c.Alone))
		}
	}

	s := r.Speed
	p("\n## Speed\n\n")
	if s.ElapsedSeconds > 0 {
		p("%.1f pages per minute over %.1f s", s.PagesPerMinute, s.ElapsedSeconds)
		if s.Workers > 0 {
			p(" with %d workers (%.1f per worker)", s.Workers, s.PagesPerMinutePerWorker)
		}
		p("; ")
	}
	p("pipeline time %.2f s per page.\n", s.SecondsPerPage)

	if len(r.Failed) > 0 || len(r.Unmatched) > 0 {
		p("\n## Failures\n\n")
		for _, f := range r.Failed {
			p("- %s: %s\n", mdText(f.File), mdText(f.Err))
		}
		for _, f := range r.Unmatched {
			p("- %s: prediction without truth\n", mdText(f))
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("writing markdown: %w", err)
	}
	return nil
}

// mdCell keeps a value inside its table cell.
func mdCell(s string) string {
	return strings.ReplaceAll(mdText(s), "|", `\|`)
}

// mdText keeps a value on one line; file names and error messages come from outside.
func mdText(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// rows lists the micro total first, then every field: the order both reports print.
func (fs FieldsScore) rows() []FieldScore { return append([]FieldScore{fs.Micro}, fs.PerField...) }

// cells are a field's columns in the reports: name, counts, then precision, recall and F1.
func (f FieldScore) cells() []string {
	return []string{f.Field, fmt.Sprint(f.Predicted), fmt.Sprint(f.Truth), fmt.Sprint(f.Correct),
		pct(f.Precision), pct(f.Recall), pct(f.F1)}
}
