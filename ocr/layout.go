package ocr

import (
	"slices"
	"strings"

	"github.com/sohoa/sohoa/record"
)

// tessWord is one word as Tesseract reports it, before reading order is decided.
type tessWord struct {
	Text       string
	Confidence float64
	Box        record.Box
	Block      int
	Par        int
	Line       int
}

// splitGapFactor is the horizontal gap, in multiples of the line's height, above which
// two words on one Tesseract line are taken to belong to different columns. Word spaces
// are about a third of the height and even stretched justified lines stay under one
// height, while the gutter of a Decree 30 header is five or more heights.
const splitGapFactor = 3.0

// gutterFactor is the narrowest gutter, in multiples of the line height, that still
// separates two columns once Tesseract (or splitGapFactor) has put the text on each side
// into separate lines. It only needs to rule out touching lines: a full-width line always
// crosses the gutter and ends the two-column run.
const gutterFactor = 1.0

// segment is a run of words on one printed line within one column.
type segment struct {
	words []tessWord
	box   record.Box
	order int // position in Tesseract's own order, to break ties
}

func (s segment) height() int { return s.box[3] - s.box[1] }

// orderWords puts words into reading order and numbers the lines. Tesseract's lines are
// split where a gap is wider than a column gutter (Tesseract sometimes runs the two header
// columns into one line), then side-by-side columns are read left column first: on a
// Vietnamese administrative document the issuer, "Số: …" and "V/v …" come before the
// national motto and the date, and "Nơi nhận: …" before the signer. The returned words
// carry Line = index of their line in reading order; lines holds the same words grouped.
func orderWords(words []tessWord) (out []record.Word, lines [][]record.Word) {
	segs := splitColumns(groupLines(words))
	for i, s := range readingOrder(segs) {
		line := make([]record.Word, 0, len(s.words))
		for _, w := range s.words {
			rw := record.Word{Text: w.Text, Confidence: w.Confidence, Box: w.Box, Line: i}
			line = append(line, rw)
			out = append(out, rw)
		}
		lines = append(lines, line)
	}
	return out, lines
}

// joinLines builds the page text: words joined by a space, lines by "\n".
func joinLines(lines [][]record.Word) string {
	var b strings.Builder
	for i, line := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		for j, w := range line {
			if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w.Text)
		}
	}
	return b.String()
}

// groupLines groups words by Tesseract line (block, paragraph, line), keeping
// Tesseract's order, and drops words with no visible text.
func groupLines(words []tessWord) [][]tessWord {
	type key struct{ block, par, line int }
	var lines [][]tessWord
	index := map[key]int{}
	for _, w := range words {
		if strings.TrimSpace(w.Text) == "" {
			continue
		}
		k := key{w.Block, w.Par, w.Line}
		i, ok := index[k]
		if !ok {
			i = len(lines)
			index[k] = i
			lines = append(lines, nil)
		}
		lines[i] = append(lines[i], w)
	}
	return lines
}

// splitColumns cuts each line where the gap between neighbouring words is wider than a
// column gutter.
func splitColumns(lines [][]tessWord) []segment {
	var segs []segment
	for _, line := range lines {
		slices.SortStableFunc(line, func(a, b tessWord) int { return a.Box[0] - b.Box[0] })
		gap := splitGapFactor * float64(medianHeight(line))
		start := 0
		for i := 1; i <= len(line); i++ {
			if i < len(line) && float64(line[i].Box[0]-line[i-1].Box[2]) <= gap {
				continue
			}
			s := segment{words: line[start:i], order: len(segs)}
			for _, w := range s.words {
				s.box = s.box.Union(w.Box)
			}
			segs = append(segs, s)
			start = i
		}
	}
	return segs
}

func medianHeight(line []tessWord) int {
	hs := make([]int, len(line))
	for i, w := range line {
		hs[i] = w.Box[3] - w.Box[1]
	}
	slices.Sort(hs)
	return hs[len(hs)/2]
}

// row is a set of segments printed at the same height of the page.
type row struct {
	segs   []segment // sorted left to right
	top    int
	bottom int
}

// readingOrder sorts segments into rows from the top, finds runs of rows that share a
// column gutter, and reads each such run column by column.
func readingOrder(segs []segment) []segment {
	rows := groupRows(segs)
	var out []segment
	for i := 0; i < len(rows); {
		end, left, right := columnRun(rows, i)
		if end == i {
			out = append(out, rows[i].segs...)
			i++
			continue
		}
		out = append(out, left...)
		out = append(out, right...)
		i = end
	}
	return out
}

// groupRows clusters segments whose vertical extents overlap by at least half the height
// of the smaller one.
func groupRows(segs []segment) []row {
	sorted := slices.Clone(segs)
	slices.SortStableFunc(sorted, func(a, b segment) int {
		if c := (a.box[1] + a.box[3]) - (b.box[1] + b.box[3]); c != 0 {
			return c
		}
		return a.order - b.order
	})
	var rows []row
	for _, s := range sorted {
		if n := len(rows); n > 0 {
			r := &rows[n-1]
			overlap := min(r.bottom, s.box[3]) - max(r.top, s.box[1])
			centre := (s.box[1] + s.box[3]) / 2
			if 2*overlap >= min(r.bottom-r.top, s.height()) && centre >= r.top && centre <= r.bottom {
				r.segs = append(r.segs, s)
				r.top, r.bottom = min(r.top, s.box[1]), max(r.bottom, s.box[3])
				continue
			}
		}
		rows = append(rows, row{segs: []segment{s}, top: s.box[1], bottom: s.box[3]})
	}
	for i := range rows {
		slices.SortStableFunc(rows[i].segs, func(a, b segment) int { return a.box[0] - b.box[0] })
	}
	return rows
}

// columnRun looks for a run of rows starting at rows[i] that all keep clear of one
// vertical gutter, at least one of them having text on both sides. It returns the end of
// the run (exclusive; i when there is none) and the segments left and right of the gutter,
// each top to bottom.
func columnRun(rows []row, i int) (end int, left, right []segment) {
	// Find the first two-sided row and grow the run up and down from there; the run
	// must reach rows[i], or rows[i] is an ordinary row above it.
	for j := i; j < len(rows); j++ {
		g, ok := widestGap(rows[j])
		if !ok {
			continue
		}
		lo := j
		for lo > i {
			ng, fits := fitGutter(rows[lo-1], g)
			if !fits {
				break
			}
			g = ng
			lo--
		}
		if lo != i {
			return i, nil, nil
		}
		hi := j + 1
		for hi < len(rows) {
			ng, fits := fitGutter(rows[hi], g)
			if !fits {
				break
			}
			g = ng
			hi++
		}
		centre := (g.left + g.right) / 2
		for _, r := range rows[lo:hi] {
			for _, s := range r.segs {
				if (s.box[0]+s.box[2])/2 < centre {
					left = append(left, s)
				} else {
					right = append(right, s)
				}
			}
		}
		if labelList(left) {
			return i, nil, nil
		}
		return hi, left, right
	}
	return i, nil, nil
}

// gutter is the empty vertical band between two columns, in x pixels.
type gutter struct{ left, right int }

func (g gutter) width() int { return g.right - g.left }

// widestGap returns the widest horizontal gap between neighbouring segments of a row, if
// the row has more than one segment and the gap is wide enough to be a gutter.
func widestGap(r row) (g gutter, ok bool) {
	for k := 1; k < len(r.segs); k++ {
		a, b := r.segs[k-1], r.segs[k]
		cand := gutter{a.box[2], b.box[0]}
		if cand.width() > g.width() && float64(cand.width()) > gutterFactor*float64(min(a.height(), b.height())) {
			g, ok = cand, true
		}
	}
	return g, ok
}

// fitGutter reports whether row r belongs to the run with gutter g. A row with text on both
// sides narrows the gutter to the overlap of the two gaps; a row with text on one side
// fits if its text stays on its own half of the gutter, which lets a longer "V/v …" line
// under "Số: …" join the left column while a body line running across the page does not.
func fitGutter(r row, g gutter) (gutter, bool) {
	if own, ok := widestGap(r); ok {
		ng := gutter{max(g.left, own.left), min(g.right, own.right)}
		for _, s := range r.segs {
			if s.box[0] < ng.right && s.box[2] > ng.left {
				return g, false
			}
		}
		return ng, float64(ng.width()) > gutterFactor*float64(r.bottom-r.top)
	}
	centre := (g.left + g.right) / 2
	minWidth := int(gutterFactor * float64(r.bottom-r.top))
	for _, s := range r.segs {
		leftSide := s.box[2] <= centre && s.box[2] <= g.right-minWidth
		rightSide := s.box[0] >= centre && s.box[0] >= g.left+minWidth
		if !leftSide && !rightSide {
			return g, false
		}
	}
	return g, true
}

// labelList reports whether every left-column line ends with a colon: that is a form of
// "label: value" lines set with tabs, which reads across, not column by column.
func labelList(left []segment) bool {
	for _, s := range left {
		last := s.words[len(s.words)-1].Text
		if !strings.HasSuffix(last, ":") {
			return false
		}
	}
	return len(left) > 0
}
