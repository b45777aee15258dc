package eval

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// WriteSideBySide writes reports of the same pipeline on sets drawn differently (the native
// and the html renderer, a development and a held-out seed) as one markdown table, a column
// per report, so that where one layout loses a field the row shows it.
func WriteSideBySide(w io.Writer, names []string, rs []Report) error {
	var b strings.Builder
	b.WriteString("| metric | " + strings.Join(names, " | ") + " |\n|---" + strings.Repeat("|---", len(names)) + "|\n")
	row := func(label string, cell func(r Report) string) {
		b.WriteString("| " + label)
		for _, r := range rs {
			b.WriteString(" | " + cell(r))
		}
		b.WriteString(" |\n")
	}
	pct := func(v float64) string { return fmt.Sprintf("%.2f%%", 100*v) }
	row("documents", func(r Report) string { return fmt.Sprint(r.Documents) })
	row("CER", func(r Report) string { return pct(r.Text.CER) })
	row("bag-of-words accuracy", func(r Report) string { return pct(r.Text.BagOfWords) })
	row("type accuracy", func(r Report) string { return pct(r.Classification.Accuracy) })
	row("field micro-F1", func(r Report) string { return pct(r.Fields.Micro.F1) })
	var fields []string
	for _, r := range rs {
		for _, f := range r.Fields.PerField {
			if !slices.Contains(fields, f.Field) {
				fields = append(fields, f.Field)
			}
		}
	}
	slices.Sort(fields)
	for _, name := range fields {
		row(name+" F1", func(r Report) string {
			for _, f := range r.Fields.PerField {
				if f.Field == name {
					return fmt.Sprintf("%s (%d)", pct(f.F1), f.Truth)
				}
			}
			return "–"
		})
	}
	row("sent to review", func(r Report) string {
		return fmt.Sprintf("%s (%d/%d)", pct(r.Review.Share), r.Review.Sent, r.Review.Documents)
	})
	row("sent that had a mistake", func(r Report) string { return pct(r.Review.Precision) })
	row("confident-wrong", func(r Report) string {
		return fmt.Sprintf("%s (%d/%d)", pct(r.Review.ConfidentWrong), r.Review.WithError-r.Review.Caught, r.Review.Documents)
	})
	row("confident-wrong, 95% upper bound", func(r Report) string { return pct(r.Review.ConfidentWrongUpper95) })
	_, err := io.WriteString(w, b.String())
	return err
}
