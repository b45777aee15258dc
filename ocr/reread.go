package ocr

import (
	"cmp"
	"image"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sohoa/sohoa/record"
)

// verticalLines returns the boxes of the Tesseract lines whose words run down the page
// rather than across it: two or more words, each below the one before it and overlapping
// it sideways by at least half the narrower's width. Words on a printed line never overlap
// sideways, so a page of horizontal text yields none.
func verticalLines(words []tessWord) []record.Box {
	var out []record.Box
	for _, line := range groupLines(words) {
		if runsDown(line) {
			out = append(out, lineBox(line))
		}
	}
	return out
}

// runsDown reports whether line has two or more words, each below the one before it and
// overlapping it sideways by at least half the narrower's width.
func runsDown(line []tessWord) bool {
	if len(line) < 2 {
		return false
	}
	for i := 1; i < len(line); i++ {
		a, b := line[i-1].Box, line[i].Box
		o, _ := a.Intersect(b) // its sides are negative where a and b lie apart
		if o[3]-o[1] > 0 || 2*(o[2]-o[0]) < min(a[2]-a[0], b[2]-b[0]) {
			return false
		}
	}
	return true
}

// rereadImage cuts out of g what to read again for the vertical line col: the column and
// each line beside it that starts within a column's width of it (the item the number
// belongs to, or the "." Tesseract split off a "1."), with the rest of the page whitened.
// The numbers need their lines: read alone, or with only the first word of the item, vie
// misreads half of them ("3." as "À-", "5." as "S."), and read with their lines it gets
// them right. It returns the cut-out, where it lies in g, and the test for the words of
// the page pass it replaces.
func rereadImage(g *image.Gray, words []tessWord, col record.Box) (*image.Gray, image.Point, func(tessWord) bool) {
	wide := col[2] - col[0]
	lines := map[lineKey]record.Box{}
	for _, w := range words {
		if contains(col, w.Box) {
			continue
		}
		k := keyOf(w)
		lines[k] = lines[k].Union(w.Box)
	}
	taken := map[lineKey]record.Box{}
	rect := col
	for k, b := range lines {
		cy := (b[1] + b[3]) / 2
		if cy > col[1]-2*wide && cy < col[3]+2*wide && b[0] >= col[0] && b[0] < col[2]+wide {
			taken[k] = b
			rect = rect.Union(b)
		}
	}
	replaced := func(w tessWord) bool {
		_, ok := taken[keyOf(w)]
		return ok || contains(col, w.Box)
	}
	pad := wide / 2
	r := image.Rect(rect[0]-pad, rect[1]-pad, rect[2]+pad, rect[3]+pad).Intersect(g.Rect)
	out := image.NewGray(r.Sub(r.Min))
	for y := r.Min.Y; y < r.Max.Y; y++ {
		end := col[2] + 1 // the column's own width, between the lines taken
		for _, b := range taken {
			if y >= b[1]-pad/2 && y < b[3]+pad/2 {
				end = max(end, b[2]+1)
			}
		}
		row := out.Pix[(y-r.Min.Y)*out.Stride:][:r.Dx()]
		n := copy(row, g.Pix[g.PixOffset(r.Min.X, y):][:max(0, min(end, r.Max.X)-r.Min.X)])
		for x := n; x < len(row); x++ {
			row[x] = 0xff
		}
	}
	return out, r.Min, replaced
}

func contains(outer, inner record.Box) bool {
	return inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] && inner[3] <= outer[3]
}

// grow widens b by pad pixels each way, within page.
func grow(b record.Box, pad int, page record.Box) record.Box {
	return record.Box{max(page[0], b[0]-pad), max(page[1], b[1]-pad), min(page[2], b[2]+pad), min(page[3], b[3]+pad)}
}

// textBlocks keeps the picture blocks that could hold lines of text: at least minPictureSide
// of the page's shorter side each way, and less than half the page (a page Tesseract takes
// for one picture reads no better on its own).
func textBlocks(pictures []record.Box, page record.Box) []record.Box {
	side := min(page[2]-page[0], page[3]-page[1])
	area := (page[2] - page[0]) * (page[3] - page[1])
	var out []record.Box
	for _, b := range pictures {
		w, h := b[2]-b[0], b[3]-b[1]
		if float64(w) >= minPictureSide*float64(side) && float64(h) >= minPictureSide*float64(side) && 2*w*h < area {
			out = append(out, b)
		}
	}
	return out
}

// minPictureSide is the least width and height, as a fraction of the page's shorter side,
// of a picture block worth reading again: two or three lines of small print on an A4 page.
const minPictureSide = 0.04

func centreIn(b, r record.Box) bool {
	cx, cy := (b[0]+b[2])/2, (b[1]+b[3])/2
	return cx >= r[0] && cx < r[2] && cy >= r[1] && cy < r[3]
}

// replace returns words without those drop picks and with got after them, numbered into
// blocks past every block of words so that their lines stay apart.
func replace(words, got []tessWord, drop func(tessWord) bool) []tessWord {
	block := 0
	for _, w := range words {
		block = max(block, w.Block)
	}
	words = slices.DeleteFunc(words, drop)
	for _, w := range got {
		w.Block += block
		words = append(words, w)
	}
	return words
}

// inside picks the words whose centre lies in r.
func inside(r record.Box) func(tessWord) bool {
	return func(w tessWord) bool { return centreIn(w.Box, r) }
}

func wordsIn(words []tessWord, r record.Box) []tessWord {
	var out []tessWord
	for _, w := range words {
		if centreIn(w.Box, r) {
			out = append(out, w)
		}
	}
	return out
}

// meanConfidence is the character-weighted mean confidence of words, 0 for none.
func meanConfidence(words []tessWord) float64 {
	return charMean(len(words), func(i int) (string, float64) { return words[i].Text, words[i].Confidence })
}

// textLength is the number of characters in words.
func textLength(words []tessWord) int {
	n := 0
	for _, w := range words {
		n += utf8.RuneCountInString(w.Text)
	}
	return n
}

// letterCount is the number of letters in words.
func letterCount(words []tessWord) int {
	n := 0
	for _, w := range words {
		for _, r := range w.Text {
			if unicode.IsLetter(r) {
				n++
			}
		}
	}
	return n
}

// charMean is the mean of n words' confidences weighted by their lengths in characters, 0
// for none; word gives the text and confidence of the i-th.
func charMean(n int, word func(i int) (string, float64)) float64 {
	var sum, chars float64
	for i := range n {
		text, conf := word(i)
		k := float64(utf8.RuneCountInString(text))
		sum += conf * k
		chars += k
	}
	if chars == 0 {
		return 0
	}
	return sum / chars
}

// A Tesseract line read with a mean confidence under weakConfidence is read again on its
// own, unless it has fewer than weakChars characters: those are mostly specks, strokes of a
// signature or the rim of a seal, which no second reading turns into text.
const (
	weakConfidence = 50
	weakChars      = 6
)

// maxWeakLines bounds the lines read again on one page, the least confident first: a page
// of noise or scribbles would otherwise cost a reading per line.
const maxWeakLines = 16

// machineReadable reports whether l has the "<" fillers of an ID card's machine-readable
// zone. Read again as a block, the zone's line breaks into words at the fillers ("KHAN H<
// T HA0<<"), which fixMRZ cannot put together again; read as it is, fixMRZ mends it by its
// check digits.
func machineReadable(l []tessWord) bool {
	return slices.ContainsFunc(l, func(w tessWord) bool { return strings.Contains(w.Text, "<<") })
}

// weakLine is a Tesseract line to read again: its key, its words' box, the rectangle to
// read (the box padded by a third of the page's typical line height) and its confidence.
type weakLine struct {
	key        lineKey
	box, rect  record.Box
	confidence float64 // the line's mean confidence
	letters    int     // the letters in the line
}

// weakLines returns the lines of words read so badly that a second reading of the line on
// its own may do better. Two causes were seen on the generated sets, both in heavy or
// blurred print on tightly set lines: two printed lines run together into one ("HD VI hệ
// Go nh hô g To Ba" for "quan, đơn vị kịp thời phản ánh …"), and a line of small type
// that took in the accents of a heading in large type under it (".Jndpertlenosc- Freedom
// - HgHpiDbes." for "Independence - Freedom - Happiness"). A column read as vertical text
// is left to rereadColumns.
func weakLines(words []tessWord, page record.Box) []weakLine {
	lines := groupLines(words)
	typical := typicalLineHeight(lines)
	if typical == 0 {
		return nil
	}
	pad := typical / 3
	var out []weakLine
	taken := accentsTaken(lines)
	for i, l := range lines {
		conf := meanConfidence(l)
		if (conf < weakConfidence || taken[i]) && textLength(l) >= weakChars && !runsDown(l) && !machineReadable(l) {
			b := lineBox(l)
			out = append(out, weakLine{key: keyOf(l[0]), box: b, rect: grow(b, pad, page), confidence: conf, letters: letterCount(l)})
		}
	}
	slices.SortStableFunc(out, func(a, b weakLine) int { return cmp.Compare(a.confidence, b.confidence) })
	return out[:min(len(out), maxWeakLines)]
}

// accentsTaken returns the indices of lines that took in the accents of a line under them,
// with those of the lines they took them from. Such a line has words that reach down, by
// three fifths of a word's height or more, past where its other words end, into the band
// of another line (words without letters, whose boxes are short, left out). Stacked lines of bold capitals with tone marks, as in the signer's block of a
// certificate ("TM. ỦY BAN NHÂN DÂN" over "KT. GIÁM ĐỐC"), are read that way with enough
// confidence to pass as good: "TM.UY BAN NHAN DAN", each line stripped of its own marks.
// Descenders reach down about a third of a word's height, the dot of "ọ" under a capital
// less than half.
func accentsTaken(lines [][]tessWord) map[int]bool {
	out := map[int]bool{}
	for i, l := range lines {
		l = slices.DeleteFunc(slices.Clone(l), func(w tessWord) bool { return !strings.ContainsFunc(w.Text, unicode.IsLetter) })
		if len(l) < 2 {
			continue
		}
		floor, height := l[0].Box[3], l[0].Box[3]-l[0].Box[1]
		for _, w := range l[1:] {
			floor, height = min(floor, w.Box[3]), min(height, w.Box[3]-w.Box[1])
		}
		deep := slices.MaxFunc(l, func(a, b tessWord) int { return cmp.Compare(a.Box[3], b.Box[3]) }).Box
		if 5*(deep[3]-floor) < 3*height {
			continue
		}
		for j, o := range lines {
			b := lineBox(o)
			if j != i && b[1] > floor && b[1] < deep[3] && b[0] < deep[2] && b[2] > deep[0] {
				out[i], out[j] = true, true
			}
		}
	}
	return out
}

func lineBox(l []tessWord) record.Box {
	b := l[0].Box
	for _, w := range l[1:] {
		b = b.Union(w.Box)
	}
	return b
}

// dropScribbles removes from words read as one block what Tesseract's page layout would
// have left out as no text: the edge of a ruled box read as a letter one or two pixels
// wide ("Ị", "|"), and a signature read as a word several lines tall that it is unsure of.
func dropScribbles(words []tessWord) []tessWord {
	if len(words) == 0 {
		return words
	}
	typical := medianHeight(words)
	return slices.DeleteFunc(words, func(w tessWord) bool {
		wd, ht := w.Box[2]-w.Box[0], w.Box[3]-w.Box[1]
		return 8*wd < ht || ht > 2*typical && w.Confidence < minMarkConfidence
	})
}
