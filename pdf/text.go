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

// Text extractors such as poppler's pdftotext rebuild lines, blocks and reading order from
// glyph positions and font sizes alone. Poppler puts two lines in one block only when their
// baselines are at most 1.5 font sizes apart and their font sizes differ by at most 5%;
// lines that end up in no common block are ordered by position, which interleaves the
// two columns of an administrative header or of the recipients and signature area. So the
// lines OCR reported as one block get one font size, large enough for their line pitch.
const (
	// blockPitch is the largest baseline distance, in typical line heights of the page, at
	// which a line still continues the block of the line before it.
	blockPitch = 2.2
	// pitchPerSize is the baseline distance per font size that the font size of a block is
	// chosen to keep, safely under poppler's 1.5.
	pitchPerSize = 1.4
	// snapTolerance is how far, as a share of the page's typical line height, the height of
	// a line outside blocks may stray and still be written at the typical size.
	snapTolerance = 0.25
	// minPitchPerSize is the smallest baseline distance per font size within a block: poppler
	// merges lines whose baselines are less than half a font size apart.
	minPitchPerSize = 0.6
)

// line is one OCR line of the text layer: its words (indices, in order), their union box
// and the pixel row its letters sit on.
type line struct {
	words    []int
	box      record.Box
	baseline int
}

// writeTextLayer writes words as invisible text (render mode 3) into a page content stream.
// origin is the image's top-left pixel, scale converts pixels to points and pageHeight is
// in points (PDF's y axis points up, the image's down).
//
// Each line has one baseline and one font size (see blockSizes), so that extraction sees
// one line per OCR line whatever the ascenders and descenders of single words. Each word
// is placed at its box's left edge and scaled horizontally (Tz) so that it spans its box;
// the space after it is scaled to span the gap to the next word, so the space is really in
// the text and extraction needs no guessing of word breaks.
func writeTextLayer(c *bytes.Buffer, words []record.Word, origin image.Point, scale, pageHeight float64) {
	codes := make([][]uint16, len(words))
	for i, wd := range words {
		codes[i] = encode(wd.Text)
	}
	lines := groupLines(words, codes)
	if len(lines) == 0 {
		return
	}
	sizes := blockSizes(lines)

	c.WriteString("BT\n3 Tr\n")
	for li, l := range lines {
		size := max(sizes[li]*scale, 1)
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
				continue
			}
			gap := float64(words[l.words[k+1]].Box[0]-b[2]) * scale
			writeNum(c, clampScale(100*gap/advance))
			c.WriteString(" Tz <0020> Tj\n")
		}
	}
	c.WriteString("ET\n")
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
		var onBase, all []float64
		for _, i := range l.words {
			b := words[i].Box
			l.box = l.box.Union(b)
			all = append(all, float64(b[3]))
			if sitsOnBaseline(words[i].Text) {
				onBase = append(onBase, float64(b[3]))
			}
		}
		if len(onBase) == 0 {
			onBase = all
		}
		l.baseline = int(median(onBase))
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

// blockSizes returns the font size of each line in pixels.
//
// Most lines get their own height, or the page's typical line height when theirs is
// within snapTolerance of it, so that the lines of a paragraph share one size and the
// font size stays close to the printed one (extractors find word breaks from gaps
// measured in font sizes).
//
// Lines printed beside other lines (the two columns of a header, recipients beside the
// signature) are grouped into blocks: a beside line starts or continues a block, and any
// line continues it that follows in reading order, lies below, overlaps horizontally and
// is at most blockPitch typical line heights further down. A block's lines share one size:
// the median line height, raised so that its largest baseline distance is pitchPerSize
// sizes, but not so far that its smallest is under minPitchPerSize sizes.
func blockSizes(lines []line) []float64 {
	heights := make([]float64, len(lines))
	for i, l := range lines {
		heights[i] = float64(l.box[3] - l.box[1])
	}
	typical := median(heights)
	sizes := make([]float64, len(lines))
	for i, h := range heights {
		sizes[i] = h
		if math.Abs(h-typical) <= snapTolerance*typical {
			sizes[i] = typical
		}
	}
	beside := besideOthers(lines)
	for start := 0; start < len(lines); {
		if !beside[start] {
			start++
			continue
		}
		end := start + 1
		minPitch, maxPitch := math.Inf(1), 0.0
		for ; end < len(lines); end++ {
			a, b := lines[end-1], lines[end]
			p := float64(b.baseline - a.baseline)
			if p <= 0 || p > blockPitch*typical || b.box[0] >= a.box[2] || a.box[0] >= b.box[2] {
				break
			}
			minPitch, maxPitch = min(minPitch, p), max(maxPitch, p)
		}
		if end-start > 1 {
			size := min(max(median(heights[start:end]), maxPitch/pitchPerSize), minPitch/minPitchPerSize)
			for i := start; i < end; i++ {
				sizes[i] = size
			}
		}
		start = end
	}
	return sizes
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
			if 2*overlapY >= minH && (a.box[2] <= b.box[0] || b.box[2] <= a.box[0]) {
				beside[i], beside[j] = true, true
			}
		}
	}
	return beside
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
