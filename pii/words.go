package pii

import (
	"image"
	"slices"
	"strings"

	"github.com/sohoa/sohoa/record"
)

// MaskWords returns a copy of words with every ID number and MRZ data line masked as
// MaskText masks them. The words of one line are read together, so a number printed in
// groups ("001" "085" "012" "345") is masked across its words ("001" "***" "***" "*45").
// The input is not changed.
func MaskWords(words []record.Word) []record.Word {
	out := slices.Clone(words)
	for _, line := range lines(words) {
		text, starts := join(words, line)
		masked, _ := conceal(text)
		if masked == nil {
			continue
		}
		for k, i := range line {
			out[i].Text = string(masked[starts[k] : starts[k]+len(words[i].Text)])
		}
	}
	return out
}

// Boxes returns the boxes of the words that are part of an ID number or of an ID card's
// machine-readable zone (its name line too), so they can be blacked out of a page image.
// Each box is padded by a sixth of its height (at least 2 pixels) to take in the edges of
// the ink that Tesseract's tight boxes leave out; boxes are clipped at 0 but not at the
// page's far edges, which Redact clips.
func Boxes(words []record.Word) []record.Box {
	var out []record.Box
	ls := lines(words)
	for n, line := range ls {
		text, starts := join(words, line)
		_, spans := conceal(text)
		for k, i := range line {
			if overlaps(spans, starts[k], starts[k]+len(words[i].Text)) {
				out = append(out, pad(words[i].Box))
			}
		}
		if n+1 < len(ls) && hasKind(spans, mrzLine2) {
			if next, _ := join(words, ls[n+1]); isMRZName(next) {
				for _, i := range ls[n+1] {
					out = append(out, pad(words[i].Box))
				}
			}
		}
	}
	return out
}

// Redact fills boxes black in img, clipped to the image.
func Redact(img *image.Gray, boxes []record.Box) {
	for _, b := range boxes {
		r := image.Rectangle{Min: image.Pt(b[0], b[1]), Max: image.Pt(b[2], b[3])}.Intersect(img.Rect)
		if r.Empty() {
			continue
		}
		for y := r.Min.Y; y < r.Max.Y; y++ {
			clear(img.Pix[img.PixOffset(r.Min.X, y):img.PixOffset(r.Max.X, y)])
		}
	}
}

// lines groups the indexes of words by Line, lines in ascending order and the words of a
// line from left to right, since a number is read left to right whatever order OCR gave.
func lines(words []record.Word) [][]int {
	byLine := map[int][]int{}
	for i, w := range words {
		byLine[w.Line] = append(byLine[w.Line], i)
	}
	keys := make([]int, 0, len(byLine))
	for k := range byLine {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([][]int, 0, len(keys))
	for _, k := range keys {
		line := byLine[k]
		slices.SortStableFunc(line, func(a, b int) int { return words[a].Box[0] - words[b].Box[0] })
		out = append(out, line)
	}
	return out
}

// join returns the text of a line's words separated by single spaces, and where each
// word starts in it.
func join(words []record.Word, line []int) (string, []int) {
	var b strings.Builder
	starts := make([]int, len(line))
	for k, i := range line {
		if k > 0 {
			b.WriteByte(' ')
		}
		starts[k] = b.Len()
		b.WriteString(words[i].Text)
	}
	return b.String(), starts
}

func overlaps(spans []span, start, end int) bool {
	for _, sp := range spans {
		if sp.start < end && start < sp.end {
			return true
		}
	}
	return false
}

func hasKind(spans []span, k kind) bool {
	for _, sp := range spans {
		if sp.kind == k {
			return true
		}
	}
	return false
}

// isMRZName reports whether text reads as MRZ line 3: at least 20 characters of capitals
// and fillers (OCR may read "<" as "K" or "«"), with at least one filler.
func isMRZName(text string) bool {
	n, fillers := 0, 0
	for _, r := range text {
		switch {
		case r == ' ':
		case r == '<' || r == '«' || r == '‹':
			n++
			fillers++
		case r >= 'A' && r <= 'Z':
			n++
		default:
			return false
		}
	}
	return n >= 20 && fillers > 0
}

func pad(b record.Box) record.Box {
	p := max(2, (b[3]-b[1])/6)
	return record.Box{max(0, b[0]-p), max(0, b[1]-p), b[2] + p, b[3] + p}
}
