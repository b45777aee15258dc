package ocr

import (
	"slices"
	"strings"
	"unicode"

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

// A two-column form (the wife and the husband side by side on a marriage certificate) can
// have a gutter narrower than a line height, which the rules above do not take for one,
// and Tesseract then runs the columns together into single lines. What marks the second
// column is its left edge: line after line, a word starts at the same x after a gap wider
// than a word space. The words of justified text never line up that way.
const (
	edgeGapFactor = 0.8  // the gap before a column's first word, in line heights (a space is 0.3–0.5)
	edgeTolerance = 0.25 // how far apart, in line heights, word starts still make one edge
	minEdgeLines  = 3    // lines with a word starting at the edge
)

// segment is a run of words on one printed line within one column.
type segment struct {
	words []tessWord
	box   record.Box
	// top and bottom are the median top and bottom of the words: the line's own extent,
	// which one word's box stretched by a speck, a stroke or a misreading into the next
	// line ("HƯỚNH" 90 px tall for "huyện" on a 45 px line) does not move.
	top, bottom int
	order       int // position in Tesseract's own order, to break ties
}

func (s segment) height() int { return s.bottom - s.top }

// orderWords puts words into reading order and numbers the lines. Tesseract's lines are
// split where a gap is wider than a column gutter (Tesseract sometimes runs the two header
// columns into one line), then side-by-side columns are read left column first: on a
// Vietnamese administrative document the issuer, "Số: …" and "V/v …" come before the
// national motto and the date, and "Nơi nhận: …" before the signer. Outside such columns a
// printed row is one line, read across, the way a table row or a row of "label: value"
// cells reads. The returned words carry Line = index of their line in reading order; lines
// holds the same words grouped.
func orderWords(words []tessWord) (out []record.Word, lines [][]record.Word) {
	segs, edges := splitColumns(groupLines(dropTallScribbles(words)))
	for i, segs := range readingOrder(segs, edges) {
		var line []record.Word
		for _, s := range segs {
			for _, w := range s.words {
				rw := record.Word{Text: w.Text, Confidence: w.Confidence, Box: w.Box, Line: i}
				line = append(line, rw)
				out = append(out, rw)
			}
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

// A signature or a pen stroke that Tesseract reads as a word comes out taller than the
// page's print, with little confidence, as a jumble of letters and symbols ("Yvy#xé*",
// "3>x>>", "/YS/v^°^nnA"), while a printed word it is unsure of is about as tall as the rest
// and, without the punctuation around it, letters only or digits only ("PHÓ" of a "\"PHÓ"
// a pen stroke touched). Kept, such a scribble is a junk word in the text.
const (
	scribbleConfidence = 30
	scribbleHeight     = 1.3 // times the page's median word height
)

// dropTallScribbles removes the words that are taller than scribbleHeight times the
// median, read with a confidence under scribbleConfidence and not plain (see plainWord).
func dropTallScribbles(words []tessWord) []tessWord {
	if len(words) == 0 {
		return words
	}
	tall := scribbleHeight * float64(medianHeight(words))
	return slices.DeleteFunc(slices.Clone(words), func(w tessWord) bool {
		return w.Confidence < scribbleConfidence && float64(w.Box[3]-w.Box[1]) > tall && !plainWord(w.Text)
	})
}

// plainWord reports whether s, without the punctuation around it, is letters (with their
// marks) only or digits only, or holds an ID card's "<<" fillers.
func plainWord(s string) bool {
	if strings.Contains(s, "<<") {
		return true
	}
	t := strings.TrimFunc(s, unicode.IsPunct)
	letter := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsMark(r) }
	return t != "" && (!strings.ContainsFunc(t, func(r rune) bool { return !letter(r) }) ||
		!strings.ContainsFunc(t, func(r rune) bool { return !unicode.IsDigit(r) }))
}

// groupLines groups words by Tesseract line (block, paragraph, line), keeping
// Tesseract's order, and drops words with no visible text and stray marks.
func groupLines(words []tessWord) [][]tessWord {
	var lines [][]tessWord
	index := map[lineKey]int{}
	for _, w := range words {
		if strings.TrimSpace(w.Text) == "" || strayMark(w) {
			continue
		}
		k := keyOf(w)
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

// Printed punctuation reads with confidences of 75 and more, while the strokes of a
// signature, the rim of a seal or a speck that Tesseract takes for a character come out as
// symbols it is unsure of ("`", "„", "<<—~", "{©"). Such a word, kept, is an error in the
// text and can bridge the gutter between two columns.
const minMarkConfidence = 60

// strayMark reports whether w is a word of symbols only (no letter or digit) read with a
// confidence under minMarkConfidence. Modifier letters (ˆ, ˇ, ˘: Unicode's Lm) count as
// symbols: Vietnamese writes its marks on the letter, never alone, and a speck of a seal
// read as "ˆ" in a header's gutter hid the gutter from the column split.
func strayMark(w tessWord) bool {
	return w.Confidence < minMarkConfidence && !strings.ContainsFunc(w.Text, func(r rune) bool {
		return unicode.IsLetter(r) && !unicode.Is(unicode.Lm, r) || unicode.IsDigit(r)
	})
}

// splitColumns cuts each line where the gap between neighbouring words is wider than a
// column gutter, or where a word starts at a column edge (see columnEdges), which it returns.
func splitColumns(lines [][]tessWord) ([]segment, []edge) {
	for _, line := range lines {
		slices.SortStableFunc(line, func(a, b tessWord) int { return a.Box[0] - b.Box[0] })
	}
	edges := columnEdges(lines)
	var segs []segment
	for _, line := range lines {
		h := float64(medianHeight(line))
		start := 0
		for i := 1; i <= len(line); i++ {
			if i < len(line) {
				gap := float64(line[i].Box[0] - line[i-1].Box[2])
				if gap <= splitGapFactor*h && !startsAtEdge(line[i], edges) {
					continue
				}
			}
			segs = append(segs, newSegment(line[start:i], len(segs)))
			start = i
		}
	}
	return splitCentred(segs), edges
}

// A header whose columns are set close together (a long issuer beside the motto) can
// print its two columns' first lines a word space apart, and Tesseract then reads them as
// one line ("BỘ KHOA HỌC VÀ CÔNG NGHỆ CỘNG HÒA XÃ HỘI …") that no gap rule splits. Decree 30
// centres each column's lines on the column, so the lines printed near such a line, wholly
// on either side of it, show where it breaks: its left piece is centred like a line wholly
// to the left, its right piece like a line wholly to the right.
const (
	centreTolerance = 0.6 // how far apart, in line heights, two centres still line up
	centreReach     = 3   // how far above or below, in line heights, the next line may lie
	// centredApartFactor is how far apart, in line heights, two lines centred alike must
	// start to show that they are centred (see centredApart): about a word space.
	centredApartFactor = 0.3
)

// splitCentred cuts each segment in two where centredSplit finds the break of two
// columns' lines run together.
func splitCentred(segs []segment) []segment {
	out := make([]segment, 0, len(segs))
	for i, s := range segs {
		if k, ok := centredSplit(segs, i); ok {
			out = append(out, newSegment(s.words[:k], s.order), newSegment(s.words[k:], s.order))
			continue
		}
		out = append(out, s)
	}
	return out
}

// centredSplit returns the word index at which segs[i] splits into a left piece centred
// like a segment printed near it wholly to its left and a right piece centred like one
// wholly to its right, the two side by side on one printed line (see besideCentred): the
// split whose centres line up best.
func centredSplit(segs []segment, i int) (int, bool) {
	s := segs[i]
	tol := centreTolerance * float64(s.height())
	best, bestErr := 0, 2*tol
	for k := 1; k < len(s.words); k++ {
		l, r := wordsBox(s.words[:k]), wordsBox(s.words[k:])
		if e, ok := besideCentred(segs, i, l, r, tol); ok && e < bestErr {
			best, bestErr = k, e
		}
	}
	return best, best > 0
}

// besideCentred looks, on the printed lines next above or below segs[i] (within
// centreReach line heights, nothing between), for a segment wholly left of r centred on l
// and one wholly right of l centred on r, beside each other and a gutter apart (two pieces
// of one line, each splitting the other, are not columns), no other segment of the first's
// line crossing the middle of the gap between l and r. It returns the sum of the two centres' distances, the least found. A line
// split only by its own lining up with one other line is not enough: the last line of one
// paragraph and the indented first line of the next line up with the first word of a
// justified line and the rest of it, but never lie side by side.
func besideCentred(segs []segment, i int, l, r record.Box, tol float64) (float64, bool) {
	s := segs[i]
	h := s.height()
	x := (l[2] + r[0]) / 2
	best, ok := 2*tol, false
	for a, ea := range segs {
		if a == i || !sized(ea, h) || float64(ea.box[2]) > float64(r[0])+tol || abs(ea.centreY()-s.centreY()) > centreReach*h {
			continue
		}
		dl := float64(abs(centre(ea.box) - centre(l)))
		if dl > tol || between(segs, s, ea) {
			continue
		}
		for b, eb := range segs {
			if b == i || b == a || !sized(eb, h) || float64(eb.box[0]) < float64(l[2])-tol || !besideEachOther(s, ea, eb, h) ||
				float64(eb.box[0]-ea.box[2]) < gutterFactor*float64(h) || between(segs, s, eb) {
				continue
			}
			dr := float64(abs(centre(eb.box) - centre(r)))
			apart := centredApart(ea.box, l, h) || centredApart(eb.box, r, h)
			if dr <= tol && apart && dl+dr < best && !crossedOnLine(segs, a, b, x) {
				best, ok = dl+dr, true
			}
		}
	}
	return best, ok
}

// centredApart reports whether a and b, centred alike on lines h high, start more than
// centredApartFactor line heights apart: two lines of different lengths centred on one
// column. Two cells of a form that start at one tab stop, or two words that start at the
// margin, share a centre only by having the same length, which proves nothing, so one of
// the two pieces must show it; an issuer and the office under it ("ỦY BAN NHÂN DÂN TỈNH
// ĐẮK NÔNG" over "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG") may differ by less than a letter at each
// end, and a "V/v …" line may be just as long as the number over it.
func centredApart(a, b record.Box, h int) bool {
	return float64(abs(a[0]-b[0])) > centredApartFactor*float64(h)
}

// sized reports whether s is about as tall as a line h high: not half, not twice.
func sized(s segment, h int) bool { return 2*s.height() >= h && s.height() <= 2*h }

// besideEachOther reports whether a and b lie on the same side of s (both under it or
// both over it) less than a line height h apart in height: on one printed line, or on the
// lines of two columns set at different pitches.
func besideEachOther(s, a, b segment, h int) bool {
	return (a.centreY() > s.centreY()) == (b.centreY() > s.centreY()) && abs(a.centreY()-b.centreY()) < h
}

// sameLine reports whether a and b overlap in height by half the smaller one.
func sameLine(a, b segment) bool {
	return 2*(min(a.bottom, b.bottom)-max(a.top, b.top)) >= min(a.height(), b.height())
}

// crossedOnLine reports whether a segment on segs[a]'s line other than segs[a] and
// segs[b] crosses x.
func crossedOnLine(segs []segment, a, b, x int) bool {
	for k, c := range segs {
		if k != a && k != b && sameLine(segs[a], c) && c.box[0] < x && c.box[2] > x {
			return true
		}
	}
	return false
}

// between reports whether a segment is printed between a and b, on neither's line and
// above or below b: what lies beside b is another column's.
func between(segs []segment, a, b segment) bool {
	lo, hi := min(a.centreY(), b.centreY()), max(a.centreY(), b.centreY())
	for _, c := range segs {
		y := c.centreY()
		if y > lo && y < hi && (y < a.top || y > a.bottom) && (y < b.top || y > b.bottom) &&
			c.box[0] < b.box[2] && c.box[2] > b.box[0] {
			return true
		}
	}
	return false
}

func (s segment) centreY() int { return (s.top + s.bottom) / 2 }

// centre is the x at the middle of b.
func centre(b record.Box) int { return (b[0] + b[2]) / 2 }

// wordsBox is the box round words.
func wordsBox(words []tessWord) record.Box {
	b := words[0].Box
	for _, w := range words[1:] {
		b = b.Union(w.Box)
	}
	return b
}

// edge is the left edge of a column: the x where its words start, give or take tol pixels,
// between the rows top and bottom.
type edge struct{ x, tol, top, bottom int }

// startsAtEdge reports whether w starts a column at one of edges. Once an edge is known,
// a word there starts the column whatever the gap before it: on a degraded page a stroke
// of a signature in the gutter can read as a word that narrows the gap to a space.
func startsAtEdge(w tessWord, edges []edge) bool {
	c := (w.Box[1] + w.Box[3]) / 2
	for _, e := range edges {
		if abs(w.Box[0]-e.x) <= e.tol && c >= e.top && c <= e.bottom {
			return true
		}
	}
	return false
}

// columnEdges finds the x positions where, on at least minEdgeLines lines (sorted left to
// right), a word starts after a gap of edgeGapFactor line heights or more, with no word
// running across that x between them. In justified text a few stretched gaps line up by
// chance, but the lines between them run across; a header's right column may start at the
// same x as a form's right column further down, but the title between them runs across.
func columnEdges(lines [][]tessWord) []edge {
	var starts []edgeStart
	for li, line := range lines {
		h := medianHeight(line)
		for k := 1; k < len(line); k++ {
			if float64(line[k].Box[0]-line[k-1].Box[2]) >= edgeGapFactor*float64(h) {
				b := line[k].Box
				starts = append(starts, edgeStart{x: b[0], h: h, line: li, top: b[1], bottom: b[3]})
			}
		}
	}
	slices.SortFunc(starts, func(a, b edgeStart) int { return a.x - b.x })
	var edges []edge
	for i := 0; i < len(starts); {
		tol := int(edgeTolerance * float64(starts[i].h))
		j := i
		for j < len(starts) && starts[j].x-starts[i].x <= tol {
			j++
		}
		edges = append(edges, edgesAt(lines, starts[i:j], starts[(i+j)/2].x, tol)...)
		i = j
	}
	return edges
}

// edgeStart is a word that may start a column: its x, its line's height, the line's index
// and the word's top and bottom.
type edgeStart struct{ x, h, line, top, bottom int }

// edgesAt splits starts, which line up at x, where a word runs across x between them, and
// returns an edge for each group that has enough lines.
func edgesAt(lines [][]tessWord, starts []edgeStart, x, tol int) []edge {
	var across []int // the centre rows of words running across x
	for _, line := range lines {
		for _, w := range line {
			if w.Box[0] < x-tol && w.Box[2] > x-tol {
				across = append(across, (w.Box[1]+w.Box[3])/2)
			}
		}
	}
	starts = slices.Clone(starts)
	slices.SortFunc(starts, func(a, b edgeStart) int { return a.top - b.top })
	var edges []edge
	first := 0
	for k := 1; k <= len(starts); k++ {
		if k < len(starts) && !slices.ContainsFunc(across, func(c int) bool { return c > starts[k-1].bottom && c < starts[k].top }) {
			continue
		}
		group := starts[first:k]
		first = k
		lineSet := map[int]bool{}
		e := edge{x: x, tol: tol, top: group[0].top, bottom: group[0].bottom}
		for _, s := range group {
			lineSet[s.line] = true
			e.top, e.bottom = min(e.top, s.top), max(e.bottom, s.bottom)
		}
		if len(lineSet) >= minEdgeLines {
			edges = append(edges, e)
		}
	}
	return edges
}

func abs(v int) int { return max(v, -v) }

func newSegment(words []tessWord, order int) segment {
	s := segment{words: words, order: order}
	tops, bottoms := make([]int, len(words)), make([]int, len(words))
	for i, w := range words {
		s.box = s.box.Union(w.Box)
		tops[i], bottoms[i] = w.Box[1], w.Box[3]
	}
	slices.Sort(tops)
	slices.Sort(bottoms)
	s.top, s.bottom = tops[len(tops)/2], bottoms[len(bottoms)/2]
	return s
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
// column edge or gutter, and reads each such run column by column. It returns the lines in
// reading order, each as its segments left to right.
func readingOrder(segs []segment, edges []edge) [][]segment {
	var out [][]segment
	for _, r := range layoutRuns(groupRows(segs), edges) {
		out = append(out, r.left...)
		out = append(out, r.right...)
	}
	return out
}

// run is a stretch of rows read as a unit: two columns, each a list of lines top to
// bottom, or (right empty) lines read across the page. byEdge marks columns found by the
// second column's aligned left edge rather than by a gutter.
type run struct {
	left, right [][]segment
	byEdge      bool
}

// layoutRuns cuts rows into runs, top to bottom.
func layoutRuns(rows []row, edges []edge) []run {
	var out []run
	for i := 0; i < len(rows); {
		if end, left, right := edgeRun(rows, i, edges); end > i {
			out = append(out, run{left: left, right: right, byEdge: true})
			i = end
			continue
		}
		end, left, right := columnRun(rows, i)
		// Columns centred on their own lines, as a header's are, may go on where the gutter
		// of a header set tight ran out (a number reaching in under the motto).
		if cend, cl, cr := centredRun(rows, i); cend > i && (left == nil && right == nil || cend > end) {
			out = append(out, run{left: cl, right: cr})
			i = cend
			continue
		}
		if left == nil && right == nil {
			// No columns: every row of the run (or the one row) reads across.
			for _, r := range rows[i:max(end, i+1)] {
				out = append(out, run{left: [][]segment{r.segs}})
			}
			i = max(end, i+1)
			continue
		}
		out = append(out, run{left: left, right: right})
		i = end
	}
	return out
}

// lineHeight is the median height of r's words: unlike the row's extent, it does not grow
// with one word's box stretched by an accent or a stroke beside it.
func (r row) lineHeight() int {
	var words []tessWord
	for _, s := range r.segs {
		words = append(words, s.words...)
	}
	return medianHeight(words)
}

// groupRows clusters segments whose vertical extents overlap by at least half the height
// of the smaller one; a segment more than twice the median height is a row of its own.
func groupRows(segs []segment) []row {
	sorted := slices.Clone(segs)
	slices.SortStableFunc(sorted, func(a, b segment) int {
		if c := (a.top + a.bottom) - (b.top + b.bottom); c != 0 {
			return c
		}
		return a.order - b.order
	})
	// A segment much taller than a text line (a seal, a photo, a column of list numbers
	// Tesseract read as one line of noise) would chain the lines beside it into one row.
	heights := make([]int, len(sorted))
	for k, s := range sorted {
		heights[k] = s.height()
	}
	slices.Sort(heights)
	tall := func(s segment) bool { return len(heights) > 0 && s.height() > 2*heights[len(heights)/2] }
	var rows []row
	for _, s := range sorted {
		if n := len(rows); n > 0 && !tall(s) && !tall(rows[n-1].segs[0]) {
			r := &rows[n-1]
			overlap := min(r.bottom, s.bottom) - max(r.top, s.top)
			centre := (s.top + s.bottom) / 2
			if 2*overlap >= min(r.bottom-r.top, s.height()) && centre >= r.top && centre <= r.bottom {
				r.segs = append(r.segs, s)
				r.top, r.bottom = min(r.top, s.top), max(r.bottom, s.bottom)
				continue
			}
		}
		rows = append(rows, row{segs: []segment{s}, top: s.top, bottom: s.bottom})
	}
	for i := range rows {
		slices.SortStableFunc(rows[i].segs, func(a, b segment) int { return a.box[0] - b.box[0] })
	}
	return rows
}

// edgeRun looks for a run of rows starting at rows[i], with text starting at a column edge
// in its first row, whose rows keep clear of the edge and follow each other with no blank
// line between. It returns the end of the run (exclusive; i when there is none) and the
// lines left and right of the edge, each top to bottom. As for columnRun, a table, a list
// of "label:" lines and a single right-hand line are no columns.
func edgeRun(rows []row, i int, edges []edge) (end int, left, right [][]segment) {
	for _, e := range edges {
		if !clearOf(rows[i], e) || !slices.ContainsFunc(rows[i].segs, func(s segment) bool { return abs(s.box[0]-e.x) <= e.tol }) {
			continue
		}
		end = i + 1
		for end < len(rows) && clearOf(rows[end], e) && adjacent(rows[end-1], rows[end]) {
			end++
		}
		left, right = splitRun(rows[i:end], func(s segment) bool { return s.box[0] < e.x-e.tol })
		if len(left) == 0 || len(right) < 2 || labelList(left) || table(rows[i:end]) {
			continue
		}
		return end, left, right
	}
	return i, nil, nil
}

// splitRun cuts each row of run into its segments on the left (those inLeft says so of) and
// the rest, and returns the left lines and the right lines, each top to bottom.
func splitRun(run []row, inLeft func(segment) bool) (left, right [][]segment) {
	for _, r := range run {
		var l, rt []segment
		for _, s := range r.segs {
			if inLeft(s) {
				l = append(l, s)
			} else {
				rt = append(rt, s)
			}
		}
		if l != nil {
			left = append(left, l)
		}
		if rt != nil {
			right = append(right, rt)
		}
	}
	return left, right
}

// clearOf reports whether no segment of r crosses edge e: each ends before it or starts at it.
func clearOf(r row, e edge) bool {
	for _, s := range r.segs {
		if s.box[0] < e.x-e.tol && s.box[2] > e.x-e.tol {
			return false
		}
	}
	return true
}

// columnRun looks for a run of rows starting at rows[i] that all keep clear of one
// vertical gutter, at least one of them having text on both sides. It returns the end of
// the run (exclusive; i when there is none) and the lines left and right of the gutter,
// each top to bottom. A run that is a table, a list of "label:" lines or a single cell
// on the right has no left and
// right lines: those read across, and so does every later row of the run, which is why
// its end is still returned.
func columnRun(rows []row, i int) (end int, left, right [][]segment) {
	// Find the first two-sided row and grow the run up and down from there; the run
	// must reach rows[i], or rows[i] is an ordinary row above it.
	for j := i; j < len(rows); j++ {
		g, ok := widestGap(rows[j])
		if !ok {
			g, ok = staggeredGap(rows, j)
		}
		if !ok {
			continue
		}
		run := []row{rows[j]}
		lo := j
		for lo > i {
			r, ng, fits := fitGutter(rows[lo-1], g, adjacent(rows[lo-1], run[len(run)-1]), false)
			if !fits {
				break
			}
			run = append(run, r) // reversed below
			g = ng
			lo--
		}
		if lo != i {
			return i, nil, nil
		}
		slices.Reverse(run)
		hi := j + 1
		for hi < len(rows) {
			r, ng, fits := fitGutter(rows[hi], g, follows(run[len(run)-1], rows[hi]), true)
			if !fits {
				break
			}
			run = append(run, r)
			g = ng
			hi++
		}
		if table(run) {
			return hi, nil, nil
		}
		centre := (g.left + g.right) / 2
		left, right = splitRun(run, func(s segment) bool { return (s.box[0]+s.box[2])/2 < centre })
		// A right side of one line is a cell of a row ("Giới tính: Nam      Quốc tịch:
		// Việt Nam" on an ID card), not a column.
		if labelList(left) || len(right) == 1 {
			return hi, nil, nil
		}
		return hi, left, right
	}
	return i, nil, nil
}

// centredRun looks for a run of rows starting at rows[i] that are the lines of two
// columns, each centred on its own column as Decree 30 sets a header, however close
// together: the gutter rules of columnRun need a gap wider than a line height between the
// columns, and a header set tight leaves less than a word space (its first lines often run
// together, see splitCentred). The first row gives the two columns, split between two of
// its segments; each following row, with no blank line between, must have its segments on
// each side line up with that side of the first. It returns the end of the run (exclusive;
// i when there is none) and the lines left and right, each top to bottom; a run needs two
// lines on each side, of different lengths, and is no table.
func centredRun(rows []row, i int) (end int, left, right [][]segment) {
	first := rows[i]
	tol := int(centreTolerance * float64(first.lineHeight()))
	for k := 1; k < len(first.segs); k++ {
		cols := centredColumns{left: segsBox(first.segs[:k]), right: segsBox(first.segs[k:]), tol: tol}
		if cols.left[2] > cols.right[0]+tol {
			continue
		}
		end = i + 1
		for end < len(rows) && follows(rows[end-1], rows[end]) && cols.fit(rows[end]) {
			end++
		}
		left, right = splitRun(rows[i:end], cols.inLeft)
		if len(left) >= 2 && len(right) >= 2 && cols.centred(left) && cols.centred(right) && !table(rows[i:end]) {
			return end, left, right
		}
	}
	return i, nil, nil
}

// centredColumns are two columns given by the boxes of their first lines.
type centredColumns struct {
	left, right record.Box
	tol         int
}

// inLeft reports whether s lies in the left column: its centre is nearer the left line's.
func (c centredColumns) inLeft(s segment) bool {
	return abs(centre(s.box)-centre(c.left)) < abs(centre(s.box)-centre(c.right))
}

// fit reports whether row r is a line of the columns: what it has on each side is centred
// on that side's first line and stays out of the other side's first line. A line of the
// body that starts at the margin like the left column does is not centred on it.
func (c centredColumns) fit(r row) bool {
	var l, rt []segment
	for _, s := range r.segs {
		if c.inLeft(s) {
			l = append(l, s)
		} else {
			rt = append(rt, s)
		}
	}
	if l != nil {
		b := segsBox(l)
		if abs(centre(b)-centre(c.left)) > c.tol || b[2] > c.right[0]+c.tol {
			return false
		}
	}
	if rt != nil {
		b := segsBox(rt)
		if abs(centre(b)-centre(c.right)) > c.tol || b[0] < c.left[2]-c.tol {
			return false
		}
	}
	return true
}

// centred reports whether two of lines start more than the tolerance apart: the lines of
// a centred column differ in length, while the cells of a table's column, which line up
// with each other as well, start at one x.
func (c centredColumns) centred(lines [][]segment) bool {
	lo, hi := segsBox(lines[0])[0], segsBox(lines[0])[0]
	for _, l := range lines[1:] {
		x := segsBox(l)[0]
		lo, hi = min(lo, x), max(hi, x)
	}
	return hi-lo > c.tol
}

// segsBox is the box round segs.
func segsBox(segs []segment) record.Box {
	b := segs[0].box
	for _, s := range segs[1:] {
		b = b.Union(s.box)
	}
	return b
}

// table reports whether at least half of the rows of a run have three or more cells: a
// ruled or tabbed table reads row by row, while two text columns never have a third.
func table(run []row) bool {
	n := 0
	for _, r := range run {
		if cells(r) >= 3 {
			n++
		}
	}
	return n >= 2 && 2*n >= len(run)
}

// cells counts the runs of segments of r separated by gutter-wide gaps.
func cells(r row) int {
	n := 1
	for k := 1; k < len(r.segs); k++ {
		a, b := r.segs[k-1], r.segs[k]
		if float64(b.box[0]-a.box[2]) > gutterFactor*float64(min(a.height(), b.height())) {
			n++
		}
	}
	return n
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

// staggeredGap returns the gutter between rows[j] and rows[j+1] when the two are lines of
// two columns printed at different line pitches: they overlap in height, so neither follows
// the other as the next line of one column, yet lie side by side with a gutter-wide gap
// between them. A header whose left column wraps a long issuer ("ỦY BAN NHÂN DÂN TỈNH THỪA
// / THIÊN HUẾ / SỞ TÀI CHÍNH") beside the motto and the date has no row with text on both
// sides once its first line is run together across the gutter, and without this it read
// row by row, the two columns interleaved.
func staggeredGap(rows []row, j int) (gutter, bool) {
	if j+1 >= len(rows) {
		return gutter{}, false
	}
	a, b := rows[j], rows[j+1]
	if min(a.bottom, b.bottom) <= max(a.top, b.top) {
		return gutter{}, false
	}
	ab, bb := rowBox(a), rowBox(b)
	if ab[0] > bb[0] {
		ab, bb = bb, ab
	}
	g := gutter{ab[2], bb[0]}
	return g, float64(g.width()) > gutterFactor*float64(max(a.lineHeight(), b.lineHeight()))
}

// rowBox is the box round all of r's segments.
func rowBox(r row) record.Box {
	b := r.segs[0].box
	for _, s := range r.segs[1:] {
		b = b.Union(s.box)
	}
	return b
}

// fitGutter reports whether row r belongs to the run with gutter g, and returns the row
// and the gutter as they are with r in the run. A row with text on both sides narrows the
// gutter to the overlap of the two gaps. A row with text on one side fits if its text
// stays on its own side, clear of the other column by a line height; it may reach into the
// gutter (a "V/v …" line longer than the "Số: …" above it), which narrows the gutter. A row
// whose one line crosses the gutter fits if the line has a wide gap inside the gutter:
// Tesseract ran the two columns together, and the row is split there. adjacent says that r
// follows the run with no blank line between, below that it does so under the run.
func fitGutter(r row, g gutter, adjacent, below bool) (row, gutter, bool) {
	if ng, ok := fitTwoSided(r, g); ok {
		return r, ng, true
	}
	if _, ok := widestGap(r); ok {
		return r, g, false
	}
	centre := (g.left + g.right) / 2
	minWidth := int(gutterFactor * float64(r.lineHeight()))
	if adjacent && below {
		// A line that follows the run without a blank line between is kept out of the
		// other column by a word space: the second line of a "V/v …" under the
		// issuer, after a first line that reached to a line height of the motto
		// (blur and heavy print widen each word by a few pixels and left no more).
		// Above the run the rule stays: there, a line as close to the other column
		// is the end of the paragraph before a signature block.
		minWidth /= 2
	}
	ng := g
	for _, s := range r.segs {
		leftSide := s.box[2] <= g.right-minWidth && (s.box[2] <= centre || adjacent && s.box[0] < g.left)
		rightSide := s.box[0] >= g.left+minWidth && (s.box[0] >= centre || adjacent && s.box[2] > g.right)
		switch {
		case leftSide:
			ng.left = max(ng.left, s.box[2])
		case rightSide:
			ng.right = min(ng.right, s.box[0])
		default:
			split, ok := splitAt(r, g)
			if !ok {
				return r, g, false
			}
			if ng, ok := fitTwoSided(split, g); ok {
				return split, ng, true
			}
			return r, g, false
		}
	}
	if ng.width() <= minWidth {
		return r, g, false
	}
	return r, ng, true
}

// adjacent reports whether row below follows row above with less than a blank line
// between them.
func adjacent(above, below row) bool {
	h := min(above.bottom-above.top, below.bottom-below.top)
	return 2*(below.top-above.bottom) <= 3*h
}

// follows is adjacent measured by the taller of the two lines, for a line under a run: a
// line of lower-case words measures its x-height and ascenders only, a line of capitals and
// digits ("Số: 250/UBND-VHXH") the whole body, and a "V/v …" line set a paragraph's space
// under the number (one and a half of its own heights) otherwise came after the motto.
func follows(above, below row) bool {
	h := max(above.bottom-above.top, below.bottom-below.top)
	return 2*(below.top-above.bottom) <= 3*h
}

// fitTwoSided fits a row that has text on both sides of its own widest gap.
func fitTwoSided(r row, g gutter) (gutter, bool) {
	own, ok := widestGap(r)
	if !ok {
		return g, false
	}
	ng := gutter{max(g.left, own.left), min(g.right, own.right)}
	for _, s := range r.segs {
		if s.box[0] < ng.right && s.box[2] > ng.left {
			return g, false
		}
	}
	return ng, float64(ng.width()) > gutterFactor*float64(r.lineHeight())
}

// splitAt cuts the segments of r that cross gutter g at a word gap that covers at least a
// line height of the gutter and is at least twice the segment's usual word gap, so that
// the evenly stretched spaces of a justified line never count.
func splitAt(r row, g gutter) (row, bool) {
	out := row{top: r.top, bottom: r.bottom}
	split := false
	for _, s := range r.segs {
		if s.box[0] >= g.left || s.box[2] <= g.right || len(s.words) < 2 {
			out.segs = append(out.segs, s)
			continue
		}
		gaps := make([]int, 0, len(s.words)-1)
		for k := 1; k < len(s.words); k++ {
			gaps = append(gaps, s.words[k].Box[0]-s.words[k-1].Box[2])
		}
		usual := slices.Clone(gaps)
		slices.Sort(usual)
		typical := usual[len(usual)/2]
		best, bestOverlap := -1, int(gutterFactor*float64(s.height()))
		for k, gap := range gaps {
			a, b := s.words[k].Box[2], s.words[k+1].Box[0]
			overlap := min(b, g.right) - max(a, g.left)
			if overlap > bestOverlap && gap >= 2*typical {
				best, bestOverlap = k, overlap
			}
		}
		if best < 0 {
			out.segs = append(out.segs, s)
			continue
		}
		out.segs = append(out.segs, newSegment(s.words[:best+1], s.order), newSegment(s.words[best+1:], s.order))
		split = true
	}
	return out, split
}

// labelList reports whether every left-column line ends with a colon: that is a form of
// "label: value" lines set with tabs, which reads across, not column by column.
func labelList(left [][]segment) bool {
	for _, line := range left {
		s := line[len(line)-1]
		last := s.words[len(s.words)-1].Text
		if !strings.HasSuffix(last, ":") {
			return false
		}
	}
	return len(left) > 0
}

// crossedColumns returns, for each two-column run in which Tesseract ran the columns
// together (a line of its has words on both sides), the boxes of the run's left and right
// column. Columns found only by their aligned edge (a form's two halves a narrow gutter
// apart) are left out: read apart, their lines no longer show the edge inside them, and the
// form would read across. Columns found by their centres (centredRun) are read again: a
// header set tight has its lines run together, and on the joined-header dev sets reading
// its columns apart gave back more words ("SỞ Y TẾ" read "SƠ Y TE" across) than it lost.
func crossedColumns(words []tessWord) [][2]record.Box {
	segs, edges := splitColumns(groupLines(words))
	var out [][2]record.Box
	for _, r := range layoutRuns(groupRows(segs), edges) {
		if len(r.right) == 0 || r.byEdge {
			continue
		}
		left, right := lineKeys(r.left), lineKeys(r.right)
		crossed := false
		for k := range left {
			crossed = crossed || right[k]
		}
		if crossed {
			out = append(out, [2]record.Box{linesBox(r.left), linesBox(r.right)})
		}
	}
	return out
}

// lineKey names a Tesseract line: block, paragraph and line number.
type lineKey struct{ block, par, line int }

func keyOf(w tessWord) lineKey { return lineKey{w.Block, w.Par, w.Line} }

// lineKeys returns the Tesseract lines the words of lines come from.
func lineKeys(lines [][]segment) map[lineKey]bool {
	keys := map[lineKey]bool{}
	for _, l := range lines {
		for _, s := range l {
			for _, w := range s.words {
				keys[keyOf(w)] = true
			}
		}
	}
	return keys
}

func linesBox(lines [][]segment) record.Box {
	b := lines[0][0].box
	for _, l := range lines {
		for _, s := range l {
			b = b.Union(s.box)
		}
	}
	return b
}
