package pdf

import (
	"bytes"
	"image"
	"math"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/record"
)

// Horizontal scaling is kept within what viewers handle: a word squeezed to 1% or
// stretched a hundredfold is still placed right, and extremes only come from odd boxes.
const (
	minScale = 1.0
	maxScale = 10000.0
)

// Text extractors such as poppler's pdftotext rebuild words, blocks and reading order from
// glyph positions and font sizes alone. What poppler's TextOutputDev does decides how the
// layer is written:
//   - a single space character ends a word; a word more than colSpace font sizes beside a
//     block joins it only as one of at most three outliers within one font size;
//   - a block grows from its top-left word by the lines above and below whose baselines are
//     at most 1.5 font sizes away, that overlap it horizontally and whose font size is within
//     5% of that word's, and by every word within half a font size of the baselines of its
//     lines that overlaps it horizontally (within colSpace font sizes), whatever its size
//     within 60%;
//   - within a block, the words within half a font size of a line's baseline make the line,
//     read by position, and a word that starts more than half a font size left of the end of
//     the word before it starts another line;
//   - four blocks two by two, aligned in columns and rows, are a table, read row by row;
//   - other blocks are ordered by a topological sort: of two blocks that overlap horizontally
//     (each widened towards the blocks below it that fit between its neighbours) the higher
//     comes first, and a block entirely left of another comes first unless a third block
//     links them; lines within a block are read top to bottom;
//   - a line that ends with "-" is joined to the next line of its block, without the "-".
//
// So the layer is written in chains: runs of lines that follow each other down the page in
// reading order, each of which poppler makes one block (see chainLines). A chain's font size
// keeps the lines of other chains off its block (see sizeCap); chains that poppler could
// grow into each other get sizes at least minSizeRatio apart, and a chain starts lower on the
// page than the chains before it printed beside it (see sizeChains). Where a column's lines
// are too far apart for such a size, filler lines of white space hold it together (see
// bridge). A gap between words that poppler would not read as one space (see minSpace) is
// written as the gap character, which extracts as two spaces and keeps both words in one
// poppler word: the label and value cells of a form row or the cells of a table row stay on
// their line.
const (
	// pitchPerSize is the baseline distance per font size that the font size of a chain is
	// chosen to keep, safely under poppler's 1.5.
	pitchPerSize = 1.4
	// maxGrow is how far a chain's font size may exceed its line height to hold its lines in
	// one block; the selection boxes viewers draw grow with it.
	maxGrow = 1.15
	// maxTall is how far the font size of a column printed beside other text may exceed its
	// line height. Poppler takes characters less than a tenth of a font size apart for
	// overprinted duplicates; a character of the layer is 0.27 line heights wide or more
	// (1st percentile over 23 pages of OCR), a tenth of 2.5 sizes stays under that.
	maxTall = 2.5
	// minPitchPerSize is the smallest baseline distance per font size kept between lines of a
	// chain: poppler puts words whose baselines are less than half a font size apart on one
	// line.
	minPitchPerSize = 0.55
	// stackedHeight bounds the height of a line in median heights of its words (see
	// groupLines).
	stackedHeight = 2
	// onLine and colSpace are poppler's reach, in font sizes, for words on a block's lines:
	// half a font size off their baselines and 0.7 font sizes beside the block (pdftotext's
	// -colspacing default; releases before it used 0.3).
	onLine   = 0.5
	colSpace = 0.7
	// apart is the ratio of font sizes from which poppler never puts two words in one block
	// (it takes words on a block's lines whose size is within 60%, a ratio of 2.5).
	apart = 3
	// mergePitch is poppler's largest baseline distance, in font sizes, between lines of a block.
	mergePitch = 1.5
	// sizeStep is the ratio between the font sizes tried for a chain that neighbours another,
	// and minSizeRatio the smallest ratio kept between such chains: poppler merges lines whose
	// sizes differ by less than 5%.
	sizeStep     = 1.1
	minSizeRatio = 1.07
	// A gap between words is written as a plain space when it is between minSpace and
	// maxSpace font sizes wide, and as the gap character otherwise: pdftotext -raw only puts
	// a space between words more than 0.15 font sizes apart, and older poppler releases leave
	// a word more than 0.3 font sizes beside a block out of it unless few such words are there
	// (see colSpace). OCR's word spaces are 0.22 to 0.45 line heights (1st to 95th percentile
	// over 23 pages); wider gaps separate the cells of a form or a table row.
	minSpace = 0.2
	maxSpace = 0.6
	// minFit is the least part of its box a word is squeezed into when its line is laid out
	// anew (see placeWords): poppler takes a character less than a tenth of a font size
	// after the previous one for an overprinted duplicate, and a character of the layer is
	// 0.27 line heights wide or more (see maxTall).
	minFit = 0.4
)

// gapCode is the character code of the gap character: the ToUnicode CMap maps it to two
// spaces, which poppler keeps inside a word (only a single space character ends one). It is a
// high surrogate, which encode never returns.
const gapCode = 0xD800

// line is one OCR line of the text layer: its words (indices, in order), their union box,
// the pixel row its letters sit on, its height and whether another line is printed beside
// it (see markBeside). A filler line (see bridge) has no words.
type line struct {
	words    []int
	box      record.Box
	baseline int
	height   float64
	beside   bool
}

// writeTextLayer writes words as invisible text (render mode 3) into a page content stream.
// origin is the image's top-left pixel, scale converts pixels to points and pageHeight is
// in points (PDF's y axis points up, the image's down).
//
// Each line has one baseline and one font size, that of its chain, so that extraction sees
// one line per OCR line whatever the ascenders and descenders of single words. Each word is
// placed at its box's left edge and scaled horizontally (Tz) so that it spans its box (but
// see placeWords); the space or gap character after it is scaled to span the gap to the next
// word, so the space is really in the text and extraction needs no guessing of word breaks.
func writeTextLayer(c *bytes.Buffer, words []record.Word, origin image.Point, scale, pageHeight float64) {
	codes := make([][]uint16, len(words))
	for i, wd := range words {
		codes[i] = encode(wd.Text)
	}
	lines := groupLines(words, codes)
	if len(lines) == 0 {
		return
	}
	lines, chains := chainLines(lines)
	sizeChains(lines, chains)

	c.WriteString("BT\n3 Tr\n")
	for _, ch := range chains {
		size := max(ch.size*scale, 1)
		for _, li := range ch.lines {
			writeLine(c, words, codes, lines[li], size, origin, scale, pageHeight)
		}
	}
	c.WriteString("ET\n")
}

// writeLine writes the words of l at font size size (points); a filler line (see bridge) is
// one gap character across its box.
func writeLine(c *bytes.Buffer, words []record.Word, codes [][]uint16, l line, size float64, origin image.Point, scale, pageHeight float64) {
	baseline := pageHeight - float64(l.baseline-origin.Y)*scale
	c.WriteString("/F0 ")
	writeNum(c, size)
	c.WriteString(" Tf\n")
	advance := size * glyphWidth / 1000 // of one character at 100% scaling
	if len(l.words) == 0 {
		width := float64(l.box[2]-l.box[0]) * scale
		writeAt(c, []uint16{gapCode}, width/advance, float64(l.box[0]-origin.X)*scale, baseline)
		return
	}
	spans := placeWords(words, l, size/scale)
	for k, i := range l.words {
		x0, x1 := spans[k][0], spans[k][1]
		writeAt(c, codes[i], (x1-x0)*scale/advance, (x0-float64(origin.X))*scale, baseline)
		if k == len(l.words)-1 {
			// A gap character after a final "-" keeps poppler from taking it for a hyphen.
			if codes[i][len(codes[i])-1] == '-' {
				c.WriteString("10 Tz ")
				writeHex(c, []uint16{gapCode})
				c.WriteString(" Tj\n")
			}
			continue
		}
		gap := (spans[k+1][0] - x1) * scale
		writeNum(c, clampScale(100*gap/advance))
		c.WriteString(" Tz ")
		space := uint16(' ')
		if gap < minSpace*size || gap > maxSpace*size {
			space = gapCode
		}
		writeHex(c, []uint16{space})
		c.WriteString(" Tj\n")
	}
}

// writeAt writes codes from x, y (points) scaled horizontally to span width characters of
// 100% scaling.
func writeAt(c *bytes.Buffer, codes []uint16, width, x, y float64) {
	writeNum(c, clampScale(100*width/float64(len(codes))))
	c.WriteString(" Tz 1 0 0 1 ")
	writeNum(c, x)
	c.WriteByte(' ')
	writeNum(c, y)
	c.WriteString(" Tm ")
	writeHex(c, codes)
	c.WriteString(" Tj\n")
}

// placeWords returns the left and right edges of the words of l, in pixels, for font size
// size (pixels): their boxes' edges, unless the words run back over each other (OCR of
// doubled print, or of a seal across a line). Poppler reads a line's words by position and
// cuts it where a word starts more than half a font size left of the previous one's end,
// so such a line is written with its words side by side across its box, each as wide as
// its box allows in proportion, one plain space apart.
func placeWords(words []record.Word, l line, size float64) [][2]float64 {
	spans := make([][2]float64, len(l.words))
	inOrder := true
	for k, i := range l.words {
		b := words[i].Box
		spans[k] = [2]float64{float64(b[0]), float64(b[2])}
		if k > 0 && (spans[k][0] < spans[k-1][0] || spans[k][0] < spans[k-1][1]-onLine*size) {
			inOrder = false
		}
	}
	if inOrder {
		return spans
	}
	space := (minSpace + maxSpace) / 2 * size
	total := 0.0
	for _, sp := range spans {
		total += sp[1] - sp[0]
	}
	fit := (float64(l.box[2]-l.box[0]) - space*float64(len(spans)-1)) / max(total, 1)
	fit = min(max(fit, minFit), 1)
	x := float64(l.box[0])
	for k, sp := range spans {
		spans[k] = [2]float64{x, x + (sp[1]-sp[0])*fit}
		x = spans[k][1] + space
	}
	return spans
}

// groupLines returns the lines of the words that have text, in Line order, words of a
// line in the order given.
func groupLines(words []record.Word, codes [][]uint16) []line {
	order := make([]int, 0, len(words))
	for i := range words {
		if len(codes[i]) > 0 {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return words[a].Line - words[b].Line })
	var lines []line
	for len(order) > 0 {
		n := 1
		for n < len(order) && words[order[n]].Line == words[order[0]].Line {
			n++
		}
		l := line{words: order[:n:n]}
		var onBase, all, heights []float64
		for _, i := range l.words {
			b := words[i].Box
			l.box = l.box.Union(b)
			all = append(all, float64(b[3]))
			heights = append(heights, float64(b[3]-b[1]))
			if sitsOnBaseline(words[i].Text) {
				onBase = append(onBase, float64(b[3]))
			}
		}
		if len(onBase) == 0 {
			onBase = all
		}
		l.baseline = int(firstQuartile(onBase))
		// The words of a line that OCR misread from vertical text or a seal's rim are
		// stacked: such a line is no taller than stackedHeight of its words.
		l.height = min(float64(l.box[3]-l.box[1]), stackedHeight*median(heights))
		lines = append(lines, l)
		order = order[n:]
	}
	return lines
}

// firstQuartile returns the value a quarter of the way up v sorted, the least for up to
// four values, 0 for none. A line's baseline is taken there among the bottoms of its words,
// not at their median: blur, specks and a seal's ink only ever extend a word's box
// downwards, and on degraded scans OCR boxes half the words of a short line (a header's
// "ỦY BAN NHÂN DÂN", a list's "- Như trên;") a third of a line height too low.
func firstQuartile(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[(len(s)-1)/4]
}

// sitsOnBaseline reports whether the box of a word printed as text ends at the baseline:
// it has a letter or digit and nothing that reaches below the baseline (descenders,
// commas, brackets, the Vietnamese dot below) or stays above it only (a lone dash).
func sitsOnBaseline(text string) bool {
	alnum := false
	for _, r := range norm.NFD.String(text) {
		switch {
		case r == '\u0323' || strings.ContainsRune("gjpqyQJ,;()[]{}/|_@$§µçÇ", r):
			return false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			alnum = true
		}
	}
	return alnum
}

// chain is a run of lines, in reading order, that poppler is to make one block.
type chain struct {
	lines  []int
	height float64 // median line height, pixels
	size   float64 // font size, pixels
}

// newChain returns the chain of the given lines with its natural size: the median line
// height, raised so that the largest baseline distance is pitchPerSize sizes, but no larger
// than keeps other lines off its block (see sizeCap).
func newChain(lines []line, idx []int) chain {
	heights := make([]float64, len(idx))
	for k, li := range idx {
		heights[k] = lines[li].height
	}
	ch := chain{lines: idx, height: median(heights)}
	ch.size = max(ch.height, minSize(lines, idx))
	ch.size = min(ch.size, sizeCap(lines, ch))
	return ch
}

// chainLines splits lines, in reading order, into chains: a line continues the chain of
// the line before it when it lies below that line and overlaps it horizontally, the chain
// can be held in one block (see holds, bridge), and no other line would fall into that block
// (see intruded). It returns the lines with the filler lines of bridges added after them.
func chainLines(lines []line) ([]line, []chain) {
	markBeside(lines)
	chains := []chain{newChain(lines, []int{0})}
	for i, n := 1, len(lines); i < n; i++ {
		cur := &chains[len(chains)-1]
		a, b := lines[i-1], lines[i]
		if b.baseline > a.baseline && overlapX(a.box, b.box, 0) {
			next := newChain(lines, append(cur.lines[:len(cur.lines):len(cur.lines)], i))
			if holds(lines, *cur, next) && !intruded(lines, next) {
				*cur = next
				continue
			}
			if longer, next, ok := bridge(lines, *cur, i); ok {
				lines, *cur = longer, next
				continue
			}
		}
		chains = append(chains, newChain(lines, []int{i}))
	}
	return lines, chains
}

// bridge returns lines with filler lines added and the chain cur continued by line i through
// them, when poppler would not hold cur and i in one block otherwise: they are too far apart
// for the chain's size, or that size has to stay small to keep other lines off the block
// (see sizeCap). A filler line is one gap character (white space to extract) across the
// width two neighbouring lines share; between lines further apart than pitchPerSize sizes,
// fillers are spaced so that each baseline is within that of the next. The fillers cur had
// are laid anew. Only a column printed beside other text is bridged, by a line that lies
// mostly within it: the title, the "(Ký, ghi rõ họ tên)" line and the name of a signature
// are far apart, and so are the rows of a form's two columns for the size that keeps one
// column off the other; poppler would take such columns, cut into blocks, for a table and
// read them row by row.
func bridge(lines []line, cur chain, i int) ([]line, chain, bool) {
	if !besideOthers(lines, cur.lines) || !withinColumn(lines, cur, lines[i]) {
		return nil, chain{}, false
	}
	keep, text := len(lines), []int{}
	for _, li := range cur.lines {
		if len(lines[li].words) == 0 {
			keep = min(keep, li)
		} else {
			text = append(text, li)
		}
	}
	text = append(text, i)
	lines = lines[:keep:keep]
	direct := newChain(lines, text)
	size := min(direct.height, direct.size)
	idx := []int{text[0]}
	for k := 1; k < len(text); k++ {
		lines, idx = addFillers(lines, idx, text[k-1], text[k], direct.height, size)
		idx = append(idx, text[k])
	}
	next := newChain(lines, idx)
	if len(lines) == keep || !holds(lines, chain{lines: text[:len(text)-1]}, next) || intruded(lines, next) {
		return nil, chain{}, false
	}
	return lines, next, true
}

// addFillers appends to lines and to the chain idx the filler lines of the given height
// that bring lines a and b within pitchPerSize font sizes of size of each other.
func addFillers(lines []line, idx []int, a, b int, height, size float64) ([]line, []int) {
	la, lb := lines[a], lines[b]
	pitch := float64(lb.baseline - la.baseline)
	n := int(math.Ceil(pitch/(pitchPerSize*size))) - 1
	x0, x1 := max(la.box[0], lb.box[0]), min(la.box[2], lb.box[2])
	for k := 1; k <= n; k++ {
		base := la.baseline + int(math.Round(pitch*float64(k)/float64(n+1)))
		idx = append(idx, len(lines))
		lines = append(lines, line{box: record.Box{x0, base - int(height), x1, base}, baseline: base, height: height})
	}
	return lines, idx
}

// withinColumn reports whether at least half of the width of l lies within the span of
// the chain's lines.
func withinColumn(lines []line, ch chain, l line) bool {
	box, _, _ := span(lines, ch.lines)
	within := min(box[2], l.box[2]) - max(box[0], l.box[0])
	return 2*within >= l.box[2]-l.box[0]
}

// holds reports whether next, the chain cur with one more line, can be one poppler block
// whose lines stay apart (minPitchPerSize) at a size that keeps the lines of other chains off
// it (see newChain) and is no more than maxGrow times its line height. A column printed
// beside other text (in a header or a signature area) may grow up to maxTall when the new
// line lies mostly within the column: poppler would otherwise read the parts of one column
// around those of the other. A paragraph spaced wider is better split into chains, which
// poppler reads top to bottom anyway.
func holds(lines []line, cur, next chain) bool {
	if minPitch(lines, next.lines) < minPitchPerSize*next.size || minSize(lines, next.lines) > next.size {
		return false
	}
	if next.size <= maxGrow*next.height {
		return true
	}
	return next.size <= maxTall*next.height && withinColumn(lines, cur, lines[next.lines[len(next.lines)-1]]) &&
		besideOthers(lines, cur.lines)
}

// sizeCap returns the largest font size at which poppler keeps the lines outside a chain
// off its block: it puts on the block's lines every word whose baseline lies within onLine
// font sizes of them and that overlaps the block horizontally within colSpace font sizes,
// whatever the word's size within 60% of the block's. A line too close on both counts caps
// the chain's size at the larger of the two distances over those reaches (with
// minPitchPerSize for a margin on onLine); a line inside the chain's span, which no size
// keeps off (see intruded), sets no cap. OCR boxes too tall or with a baseline too low put
// lines closer to their neighbours than their height, and the two columns of a form are
// often less than colSpace line heights apart.
func sizeCap(lines []line, ch chain) float64 {
	box, lo, hi := span(lines, ch.lines)
	limit := math.Inf(1)
	for j, l := range lines {
		if slices.Contains(ch.lines, j) || sizesApart(ch.size, l.height) {
			continue
		}
		dx := float64(max(l.box[0]-box[2], box[0]-l.box[2], 0))
		dy := max(lo-float64(l.baseline), float64(l.baseline)-hi, 0)
		if dx > 0 || dy > 0 {
			limit = min(limit, max(dx/colSpace, dy/minPitchPerSize))
		}
	}
	return limit
}

// markBeside marks the lines another line is printed beside: at the same height for at
// least half the smaller line height, without horizontal overlap.
func markBeside(lines []line) {
	for i, a := range lines {
		for j := i + 1; j < len(lines); j++ {
			b := lines[j]
			overlapY := min(a.box[3], b.box[3]) - max(a.box[1], b.box[1])
			minH := min(a.box[3]-a.box[1], b.box[3]-b.box[1])
			if 2*overlapY >= minH && !overlapX(a.box, b.box, 0) {
				lines[i].beside, lines[j].beside = true, true
			}
		}
	}
}

// besideOthers reports whether one of the given lines is printed beside another line.
func besideOthers(lines []line, idx []int) bool {
	return slices.ContainsFunc(idx, func(li int) bool { return lines[li].beside })
}

// intruded reports whether poppler would put a line outside a chain and the chain into one
// block whatever their font sizes: the line's baseline lies between the chain's first and
// last, it overlaps the chain horizontally, and the chain's size and the line's height are
// less than apart times apart.
func intruded(lines []line, ch chain) bool {
	box, lo, hi := span(lines, ch.lines)
	for j, l := range lines {
		base := float64(l.baseline)
		if !slices.Contains(ch.lines, j) && !sizesApart(ch.size, l.height) && base >= lo && base <= hi && overlapX(box, l.box, 0) {
			return true
		}
	}
	return false
}

// sizesApart reports whether poppler never puts words of sizes a and b in one block.
func sizesApart(a, b float64) bool { return max(a, b) >= apart*min(a, b) }

// span returns the union box of a chain's lines and its highest and lowest baselines.
func span(lines []line, chain []int) (box record.Box, lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, li := range chain {
		box = box.Union(lines[li].box)
		lo, hi = min(lo, float64(lines[li].baseline)), max(hi, float64(lines[li].baseline))
	}
	return box, lo, hi
}

// overlapX reports whether a and b overlap horizontally once a is widened by margin on
// both sides.
func overlapX(a, b record.Box, margin float64) bool {
	return float64(b[0]) < float64(a[2])+margin && float64(b[2]) > float64(a[0])-margin
}

// sizeChains sets the font size of each chain. A chain starts from its natural size, or
// from the largest size that keeps it off other lines (sizeCap) and starts it below the
// chains before it beside it (startBelow) when that is smaller; when poppler could grow it
// into a chain sized before it (their baselines within mergePitch sizes, overlapping
// horizontally) and the two sizes are less than minSizeRatio apart, the size is stepped by
// sizeStep, up first, until no such neighbour is left. A step never lowers the size below
// what holds the chain together, nor raises it so far that two of its lines come within
// minPitchPerSize sizes or beyond those limits. Keeping blocks apart comes first: when no
// size below startBelow avoids a neighbour, that limit is dropped; a chain left with no
// step keeps its size.
func sizeChains(lines []line, chains []chain) {
	for ci := range chains {
		ch := &chains[ci]
		limit := sizeCap(lines, *ch)
		if below := startBelow(lines, chains[:ci], ch.lines); below < limit && stepSize(lines, chains[:ci], ch, below) {
			continue
		}
		if !stepSize(lines, chains[:ci], ch, limit) {
			ch.size = min(ch.size, limit)
		}
	}
}

// stepSize sets the size of ch to the first of the steps from its natural size (capped at
// limit) that keeps it apart from the chains before it, and reports whether one did; when
// none does, ch keeps its natural size.
func stepSize(lines []line, before []chain, ch *chain, limit float64) bool {
	natural := min(ch.size, limit)
	lo, hi := minSize(lines, ch.lines), min(max(natural, minPitch(lines, ch.lines)/minPitchPerSize), limit)
	for _, k := range []float64{0, 1, -1, 2, -2} {
		size := natural * math.Pow(sizeStep, k)
		if size >= lo && size <= hi && !clashes(lines, before, ch.lines, size) {
			ch.size = size
			return true
		}
	}
	return false
}

// minSize returns the smallest font size at which a chain's lines stay one poppler block.
func minSize(lines []line, idx []int) float64 {
	lo := 0.0
	for k := 1; k < len(idx); k++ {
		lo = max(lo, float64(lines[idx[k]].baseline-lines[idx[k-1]].baseline)/pitchPerSize)
	}
	return lo
}

// minPitch returns the smallest baseline distance in a chain, +Inf for a single line.
func minPitch(lines []line, idx []int) float64 {
	p := math.Inf(1)
	for k := 1; k < len(idx); k++ {
		p = min(p, float64(lines[idx[k]].baseline-lines[idx[k-1]].baseline))
	}
	return p
}

// startBelow returns the largest font size at which a chain's block starts lower on the
// page than every chain before it printed beside it (overlapping it vertically, not
// horizontally), +Inf for none. Poppler widens a block towards the blocks below it that fit
// between its neighbours, so two columns side by side above a narrower centred line (a
// header's over the document's title, signatures over the signer's name) often overlap once
// widened, and poppler then reads first the block that starts higher.
func startBelow(lines []line, before []chain, idx []int) float64 {
	box, lo, _ := span(lines, idx)
	limit := math.Inf(1)
	for _, other := range before {
		if obox, _, _ := span(lines, other.lines); sideBySide(box, obox) {
			limit = min(limit, (lo-top(lines, other)-1)*1000/ascent)
		}
	}
	return limit
}

// top returns where the block of a chain starts, in pixels from the top of the page.
func top(lines []line, ch chain) float64 {
	_, lo, _ := span(lines, ch.lines)
	return lo - ascent*ch.size/1000
}

// sideBySide reports whether boxes a and b overlap vertically but not horizontally.
func sideBySide(a, b record.Box) bool {
	return a[1] < b[3] && a[3] > b[1] && !overlapX(a, b, 0)
}

// clashes reports whether a chain of the given size could be merged by poppler with one of
// the chains before it.
func clashes(lines []line, before []chain, idx []int, size float64) bool {
	box, lo, hi := span(lines, idx)
	for _, other := range before {
		obox, olo, ohi := span(lines, other.lines)
		reach := mergePitch * max(size, other.size)
		ratio := max(size, other.size) / min(size, other.size)
		if ratio < minSizeRatio && olo <= hi+reach && ohi >= lo-reach && overlapX(box, obox, 0) {
			return true
		}
	}
	return false
}

// median returns the median of v (the upper one for an even count), 0 for none.
func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

func clampScale(v float64) float64 { return min(max(v, minScale), maxScale) }

// encode returns the character codes of a word: NFC UTF-16 code units, one per character
// since Vietnamese is all in the BMP. White space becomes a plain space, other control
// characters are dropped, and characters outside the BMP become U+FFFD, because a
// two-byte code cannot hold them and a surrogate pair would be read as two characters.
func encode(s string) []uint16 {
	var out []uint16
	for _, r := range record.NFC(s) {
		switch {
		case unicode.IsSpace(r):
			out = append(out, ' ')
		case unicode.IsControl(r):
		case r > 0xFFFF || (r >= 0xD800 && r <= 0xDFFF):
			out = append(out, unicode.ReplacementChar)
		default:
			out = append(out, uint16(r))
		}
	}
	// A word that is only white space carries nothing to extract.
	for _, u := range out {
		if u != ' ' {
			return out
		}
	}
	return nil
}

func writeHex(c *bytes.Buffer, codes []uint16) {
	const digits = "0123456789ABCDEF"
	c.WriteByte('<')
	for _, u := range codes {
		c.WriteByte(digits[u>>12])
		c.WriteByte(digits[u>>8&0xF])
		c.WriteByte(digits[u>>4&0xF])
		c.WriteByte(digits[u&0xF])
	}
	c.WriteByte('>')
}
