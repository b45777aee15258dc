package extract

import (
	"sort"
	"strings"
	"unicode"
)

// Line geometry from the OCR word boxes. The trích yếu of Decree 30 (ô 5a) is centred under
// the type heading, while the body below it is justified with an indented first line; so
// where the words carry boxes, the subject is the run of centred lines and the body starts at
// the first line that is not centred, whatever its words say.

// extent returns the horizontal span of the words of l, or ok false without word boxes.
// Words without a letter or digit (a rule read as "_", a dash, seal noise) do not count: they
// are not the line's print.
func (l *line) extent() (x0, x1 int, ok bool) {
	for _, w := range l.words {
		if !strings.ContainsFunc(w.w.Text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			continue
		}
		if !ok || w.w.Box[0] < x0 {
			x0 = w.w.Box[0]
		}
		if !ok || w.w.Box[2] > x1 {
			x1 = w.w.Box[2]
		}
		ok = true
	}
	return x0, x1, ok
}

// textColumn is the page's text block: the left and right margins most lines reach.
type textColumn struct{ left, right int }

// columnOf estimates the text block of a page from its lines of several words: the 10th
// percentile of their left edges and the 90th of their right edges, so a stamp, a seal or a
// page number outside the block does not move it. ok is false with too few lines to tell.
func columnOf(ls []*line) (textColumn, bool) {
	var lefts, rights []int
	for _, l := range ls {
		if len(l.words) < 3 {
			continue
		}
		x0, x1, _ := l.extent()
		lefts = append(lefts, x0)
		rights = append(rights, x1)
	}
	if len(lefts) < 6 {
		return textColumn{}, false
	}
	sort.Ints(lefts)
	sort.Ints(rights)
	c := textColumn{left: lefts[len(lefts)/10], right: rights[len(rights)*9/10]}
	return c, c.right-c.left > 0
}

// centredTolerance is how far, as a share of the text width, a centred line's middle may lie
// from the block's middle. A body paragraph's first-line indent (1 cm of 16–17) moves a
// full-width line's middle by 3%; OCR boxes are off by a few pixels.
const centredTolerance = 0.02

// centred reports whether l is printed centred in the text block c: its middle at the
// block's middle. A left-aligned last line of a paragraph and an indented first line are not.
func (c textColumn) centred(l *line) bool {
	x0, x1, ok := l.extent()
	if !ok {
		return true // no geometry: nothing speaks against it
	}
	w := float64(c.right - c.left)
	mid := float64(x0+x1) / 2
	return abs(mid-float64(c.left+c.right)/2) <= centredTolerance*w
}

// shortLine is the widest a line may be, as a share of the text block, to be told from a
// body line by its middle alone: a justified body line is centred too, but full.
const shortLine = 0.85

// shortCentredUnder reports whether l is a short line centred under the line above, as the
// last line of a wrapped trích yếu is under its heading ("… địa phương hai" / "cấp"): their
// middles within the tolerance of a centred line. The heading is a surer axis than the
// block's middle, which a header's right column may pull aside.
func (c textColumn) shortCentredUnder(l, above *line) bool {
	x0, x1, ok := l.extent()
	a0, a1, aok := above.extent()
	w := float64(c.right - c.left)
	if !ok || !aok || float64(x1-x0) > shortLine*w {
		return false
	}
	return abs(float64(x0+x1)/2-float64(a0+a1)/2) <= centredTolerance*w
}

// paragraphIndent is the least first-line indent, as a share of the text block, that tells a
// paragraph's opening line: Decree 30 indents the body's paragraphs by 1–1.27 cm of a 16–17 cm
// block (6–8%); OCR boxes are off by a few pixels.
const paragraphIndent = 0.035

// opensParagraph reports whether l is the indented first line of a justified paragraph whose
// next line is next: next starts at least an indent further left, and l reaches at least as
// far right (a justified line, or next the short last line). A wrapped trích yếu is centred,
// so its next line never starts further left while ending further left too. This holds where
// the page's text block cannot be told (a short body beside a wide header): it compares the
// two lines only.
func opensParagraph(l, next *line, width int) bool {
	x0, x1, ok := l.extent()
	n0, n1, nok := next.extent()
	if !ok || !nok || width <= 0 {
		return false
	}
	slack := int(centredTolerance * float64(width))
	full := float64(x1-x0) >= shortLine*float64(width)
	return full && x0-n0 >= int(paragraphIndent*float64(width)) && x1 >= n1-slack
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
