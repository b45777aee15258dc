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
//   - a single space character ends a word; a word more than 0.3 font sizes beside a block
//     joins it only as one of at most three outliers within one font size;
//   - a block grows from its top-left word by the lines above and below whose baselines are
//     at most 1.5 font sizes away, that overlap it horizontally and whose font size is within
//     5% of that word's, and by every word within half a font size of the baselines of its
//     lines that overlaps it horizontally, whatever its size within 60%;
//   - blocks are ordered by a topological sort: of two blocks that overlap horizontally (each
//     widened towards the blocks below it) the higher comes first, and a block entirely left
//     of another comes first unless a third block links them; lines within a block are read
//     top to bottom, words of a line left to right;
//   - a line that ends with "-" is joined to the next line of its block, without the "-".
//
// So the layer is written in chains: runs of lines that follow each other down the page in
// reading order, each of which poppler makes one block (see chainLines). Chains that poppler
// could grow into each other get font sizes at least minSizeRatio apart (see sizeChains). A
// gap between words that poppler would not read as one space (see minSpace) is written as the
// gap character, which extracts as two spaces and keeps both words in one poppler word: the
// label and value cells of a form row or the cells of a table row stay on their line.
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
	// half a font size off their baselines and 0.3 font sizes beside the block.
	onLine   = 0.5
	colSpace = 0.3
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
	// a space between words more than 0.15 font sizes apart, and poppler leaves a word more
	// than 0.3 font sizes beside a block out of it unless few such words are there. OCR's word
	// spaces are 0.22 to 0.45 line heights (1st to 95th percentile over 23 pages); wider gaps
	// separate the cells of a form or a table row.
	minSpace = 0.2
	maxSpace = 0.6
)

// gapCode is the character code of the gap character: the ToUnicode CMap maps it to two
// spaces, which poppler keeps inside a word (only a single space character ends one). It is a
// high surrogate, which encode never returns.
const gapCode = 0xD800

// line is one OCR line of the text layer: its words (indices, in order), their union box,
// the pixel row its letters sit on and its height.
type line struct {
	words    []int
	box      record.Box
	baseline int
	height   float64
}

// writeTextLayer writes words as invisible text (render mode 3) into a page content stream.
// origin is the image's top-left pixel, scale converts pixels to points and pageHeight is
// in points (PDF's y axis points up, the image's down).
//
// Each line has one baseline and one font size, that of its chain, so that extraction sees
// one line per OCR line whatever the ascenders and descenders of single words. Each word is
// placed at its box's left edge and scaled horizontally (Tz) so that it spans its box; the
// space or gap character after it is scaled to span the gap to the next word, so the space is
// really in the text and extraction needs no guessing of word breaks.
func writeTextLayer(c *bytes.Buffer, words []record.Word, origin image.Point, scale, pageHeight float64) {
	codes := make([][]uint16, len(words))
	for i, wd := range words {
		codes[i] = encode(wd.Text)
	}
	lines := groupLines(words, codes)
	if len(lines) == 0 {
		return
	}
	chains := chainLines(lines)
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

// writeLine writes the words of l at font size size (points).
func writeLine(c *bytes.Buffer, words []record.Word, codes [][]uint16, l line, size float64, origin image.Point, scale, pageHeight float64) {
	baseline := pageHeight - float64(l.baseline-origin.Y)*scale
	c.WriteString("/F0 ")
	writeNum(c, size)
	c.WriteString(" Tf\n")
	advance := size * glyphWidth / 1000 // of one character at 100% scaling
	for k, i := range l.words {
		b := words[i].Box
		width := float64(b[2]-b[0]) * scale
		writeNum(c, clampScale(100*width/(advance*float64(len(codes[i])))))
		c.WriteString(" Tz 1 0 0 1 ")
		writeNum(c, float64(b[0]-origin.X)*scale)
		c.WriteByte(' ')
		writeNum(c, baseline)
		c.WriteString(" Tm ")
		writeHex(c, codes[i])
		c.WriteString(" Tj\n")
		if k == len(l.words)-1 {
			// A gap character after a final "-" keeps poppler from taking it for a hyphen.
			if codes[i][len(codes[i])-1] == '-' {
				c.WriteString("10 Tz ")
				writeHex(c, []uint16{gapCode})
				c.WriteString(" Tj\n")
			}
			continue
		}
		gap := float64(words[l.words[k+1]].Box[0]-b[2]) * scale
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
		l.baseline = int(median(onBase))
		// The words of a line that OCR misread from vertical text or a seal's rim are
		// stacked: such a line is no taller than stackedHeight of its words.
		l.height = min(float64(l.box[3]-l.box[1]), stackedHeight*median(heights))
		lines = append(lines, l)
		order = order[n:]
	}
	return lines
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
// height, raised so that the largest baseline distance is pitchPerSize sizes.
func newChain(lines []line, idx []int) chain {
	heights := make([]float64, len(idx))
	for k, li := range idx {
		heights[k] = lines[li].height
	}
	ch := chain{lines: idx, height: median(heights)}
	ch.size = max(ch.height, minSize(lines, idx))
	return ch
}

// chainLines splits lines, in reading order, into chains: a line continues the chain of
// the line before it when it lies below that line and overlaps it horizontally, the chain
// can be held in one block (see holds), and no other line would fall into that block (see
// intruded).
func chainLines(lines []line) []chain {
	beside := besideOthers(lines)
	chains := []chain{newChain(lines, []int{0})}
	for i := 1; i < len(lines); i++ {
		cur := chains[len(chains)-1]
		next := newChain(lines, append(cur.lines[:len(cur.lines):len(cur.lines)], i))
		a, b := lines[i-1], lines[i]
		if b.baseline > a.baseline && overlapX(a.box, b.box, 0) && holds(lines, cur, next, beside) && !intruded(lines, next) {
			chains[len(chains)-1] = next
			continue
		}
		chains = append(chains, newChain(lines, []int{i}))
	}
	return chains
}

// holds reports whether next, the chain cur with one more line, can be one poppler block
// whose lines stay apart (see mixPitch) without growing its font size beyond maxGrow times
// its line height. A column printed
// beside other text (in a header or a signature area) may grow up to maxTall when the new line
// lies mostly within the column: poppler would otherwise read the parts of one column around
// those of the other. A paragraph spaced wider is better split into chains, which poppler
// reads top to bottom anyway.
func holds(lines []line, cur, next chain, beside []bool) bool {
	if mixPitch(lines, next.lines) < minPitchPerSize*next.size {
		return false
	}
	if next.size <= maxGrow*next.height {
		return true
	}
	box, _, _ := span(lines, cur.lines)
	b := lines[next.lines[len(next.lines)-1]].box
	within := min(box[2], b[2]) - max(box[0], b[0])
	return next.size <= maxTall*next.height && 2*within >= b[2]-b[0] &&
		slices.ContainsFunc(cur.lines, func(li int) bool { return beside[li] })
}

// besideOthers reports for each line whether another line is printed beside it: at the
// same height for at least half the smaller line height, without horizontal overlap.
func besideOthers(lines []line) []bool {
	beside := make([]bool, len(lines))
	for i, a := range lines {
		for j := i + 1; j < len(lines); j++ {
			b := lines[j]
			overlapY := min(a.box[3], b.box[3]) - max(a.box[1], b.box[1])
			minH := min(a.box[3]-a.box[1], b.box[3]-b.box[1])
			if 2*overlapY >= minH && !overlapX(a.box, b.box, 0) {
				beside[i], beside[j] = true, true
			}
		}
	}
	return beside
}

// intruded reports whether poppler could put a line outside a chain and the chain into one
// block whatever their font sizes: the line's baseline lies within onLine sizes of the
// chain's baselines, it overlaps the chain horizontally (within colSpace sizes), and the
// chain's size and the line's height are less than apart times apart.
func intruded(lines []line, ch chain) bool {
	box, lo, hi := span(lines, ch.lines)
	for j, l := range lines {
		if slices.Contains(ch.lines, j) {
			continue
		}
		h := l.height
		if max(ch.size, h) >= apart*min(ch.size, h) {
			continue
		}
		base, reach := float64(l.baseline), max(ch.size, h)
		if base >= lo-onLine*reach && base <= hi+onLine*reach && overlapX(box, l.box, colSpace*reach) {
			return true
		}
	}
	return false
}

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

// sizeChains sets the font size of each chain. A chain starts from its natural size; when
// poppler could grow it into a chain sized before it (their baselines within mergePitch
// sizes, overlapping horizontally) and the two sizes are less than minSizeRatio apart, the
// size is stepped by sizeStep, up first, until no such neighbour is left. A step never
// lowers the size below what holds the chain together, nor raises it so far that two of its
// lines come within minPitchPerSize sizes; a chain left with no step keeps its size.
func sizeChains(lines []line, chains []chain) {
	for ci := range chains {
		ch := &chains[ci]
		natural := ch.size
		lo, hi := minSize(lines, ch.lines), max(natural, minPitch(lines, ch.lines)/minPitchPerSize)
		for _, k := range []float64{0, 1, -1, 2, -2} {
			size := natural * math.Pow(sizeStep, k)
			if size >= lo && size <= hi && !clashes(lines, chains[:ci], ch.lines, size) {
				ch.size = size
				break
			}
		}
	}
}

// minSize returns the smallest font size at which a chain's lines stay one poppler block.
func minSize(lines []line, idx []int) float64 {
	lo := 0.0
	for k := 1; k < len(idx); k++ {
		lo = max(lo, float64(lines[idx[k]].baseline-lines[idx[k-1]].baseline)/pitchPerSize)
	}
	return lo
}

// mixPitch returns the smallest baseline distance in a chain between lines of several
// words, +Inf for none. Poppler puts lines closer than half a font size on one line, word
// by word from the left: a line of one word (a stamp's or a seal's fragment, often) merely
// lands among the other's words, but two lines of several words are interleaved.
func mixPitch(lines []line, idx []int) float64 {
	p := math.Inf(1)
	for k := 1; k < len(idx); k++ {
		a, b := lines[idx[k-1]], lines[idx[k]]
		if len(a.words) > 1 && len(b.words) > 1 {
			p = min(p, float64(b.baseline-a.baseline))
		}
	}
	return p
}

// minPitch returns the smallest baseline distance in a chain, +Inf for a single line.
func minPitch(lines []line, idx []int) float64 {
	p := math.Inf(1)
	for k := 1; k < len(idx); k++ {
		p = min(p, float64(lines[idx[k]].baseline-lines[idx[k-1]].baseline))
	}
	return p
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
