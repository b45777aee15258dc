package extract

import (
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/sohoa/sohoa/record"
	"golang.org/x/text/unicode/norm"
)

// line is one line of a page, with a folded copy for matching and the words under it.
type line struct {
	page  int    // 1-based page number
	idx   int    // line index in the page text, as record.Word.Line counts
	text  string // original NFC text
	fold  string // record.Fold of text, rune for rune
	off   []int  // off[i] is the byte offset in text of the rune folded byte i came from
	words []placedWord
	// col is the column of a line split at a wide gap: 0 left, 1 right; -1 when not split.
	col      int
	pageConf float64 // the page's mean OCR confidence, 0–100
	hasWords bool    // the page came with word boxes
}

// placedWord is an OCR word with its byte span in the line text.
type placedWord struct {
	w          record.Word
	start, end int
}

func newLine(page, idx int, text string) *line {
	l := &line{page: page, idx: idx, text: text, col: -1}
	l.fold, l.off = foldOffsets(text)
	return l
}

// foldOffsets folds s like record.Fold, keeping for every folded byte the offset of the
// original rune, so a match on the folded text can be cut out of the original.
func foldOffsets(s string) (string, []int) {
	var b strings.Builder
	off := make([]int, 0, len(s)+1)
	for i, r := range s {
		for _, d := range norm.NFD.String(string(r)) {
			switch {
			case unicode.Is(unicode.Mn, d):
				continue
			case d == 'đ' || d == 'Đ':
				d = 'd'
			default:
				d = unicode.ToLower(d)
			}
			n := b.Len()
			b.WriteRune(d)
			for range b.Len() - n {
				off = append(off, i)
			}
		}
	}
	off = append(off, len(s))
	return b.String(), off
}

// orig maps a folded span to the original text span.
func (l *line) orig(fs, fe int) (int, int) { return l.off[fs], l.off[fe] }

// pageLines splits the pages into lines and places each page's words on their lines.
func pageLines(pages []record.Page) [][]*line {
	out := make([][]*line, 0, len(pages))
	for _, p := range pages {
		texts := strings.Split(record.NFC(p.Text), "\n")
		ls := make([]*line, len(texts))
		for i, t := range texts {
			ls[i] = newLine(p.Number, i, t)
			ls[i].pageConf = p.MeanConfidence
			ls[i].hasWords = len(p.Words) > 0
		}
		byLine := map[int][]record.Word{}
		for _, w := range p.Words {
			byLine[w.Line] = append(byLine[w.Line], w)
		}
		for i, l := range ls {
			pos := 0
			for _, w := range byLine[i] {
				t := record.NFC(strings.TrimSpace(w.Text))
				if t == "" {
					continue
				}
				j := strings.Index(l.text[pos:], t)
				if j < 0 {
					continue
				}
				l.words = append(l.words, placedWord{w: w, start: pos + j, end: pos + j + len(t)})
				pos += j + len(t)
			}
		}
		if len(out) == 0 {
			dropStamp(ls)
		}
		out = append(out, ls)
	}
	return out
}

// splitColumns splits a line printed in two columns (a marriage certificate's vợ | chồng) at
// its widest gap between words, when that gap is wide and near the middle of the page. A line
// with words only in the right half becomes a right-column line.
func splitColumns(l *line, pageWidth int) []*line {
	if len(l.words) == 0 || pageWidth <= 0 {
		return []*line{l}
	}
	ws := append([]placedWord(nil), l.words...)
	sort.Slice(ws, func(i, j int) bool { return ws[i].w.Box[0] < ws[j].w.Box[0] })
	mid := pageWidth / 2
	if ws[0].w.Box[0] > mid-pageWidth/20 {
		r := rebuild(l, ws)
		r.col = 1
		return []*line{r}
	}
	gapAt, gap := -1, 0
	for i := 1; i < len(ws); i++ {
		g := ws[i].w.Box[0] - ws[i-1].w.Box[2]
		if g > gap {
			gap, gapAt = g, i
		}
	}
	if gapAt < 0 || gap < pageWidth/25 {
		return []*line{l}
	}
	centre := (ws[gapAt-1].w.Box[2] + ws[gapAt].w.Box[0]) / 2
	if centre < pageWidth*3/10 || centre > pageWidth*7/10 {
		return []*line{l}
	}
	left, right := rebuild(l, ws[:gapAt]), rebuild(l, ws[gapAt:])
	left.col, right.col = 0, 1
	return []*line{left, right}
}

// rebuild makes a line of the given words, joined by spaces.
func rebuild(l *line, ws []placedWord) *line {
	var b strings.Builder
	placed := make([]placedWord, 0, len(ws))
	for i, w := range ws {
		if i > 0 {
			b.WriteByte(' ')
		}
		t := l.text[w.start:w.end]
		placed = append(placed, placedWord{w: w.w, start: b.Len(), end: b.Len() + len(t)})
		b.WriteString(t)
	}
	n := newLine(l.page, l.idx, b.String())
	n.words, n.pageConf, n.hasWords = placed, l.pageConf, l.hasWords
	return n
}

// span is a value's place: a byte range of one line's original text.
type span struct {
	l          *line
	start, end int
}

func (s span) text() string { return s.l.text[s.start:s.end] }

// locate returns the box around the words of the span and their mean confidence (0–1).
// found is false when no word lies under the span.
func (s span) locate() (box record.Box, conf float64, found bool) {
	var sum float64
	n := 0
	for _, w := range s.l.words {
		if w.end <= s.start || w.start >= s.end {
			continue
		}
		box = box.Union(w.w.Box)
		sum += w.w.Confidence
		n++
	}
	if n == 0 {
		return record.Box{}, 0, false
	}
	return box, sum / float64(n) / 100, true
}

// digitConf returns the lowest OCR confidence of the words of s that hold a digit, 1 when
// none does: a value is as sure as its least sure digit, where the mean of its words hides
// one misread digit among sure words ("ngày 26" at 0.73 in "Hà Tĩnh, ngày 26 tháng 12 năm
// 2022", whose words average 0.93).
func (s span) digitConf() float64 {
	c := 1.0
	for _, w := range s.l.words {
		if w.end <= s.start || w.start >= s.end || !strings.ContainsFunc(w.w.Text, unicode.IsDigit) {
			continue
		}
		c = min(c, w.w.Confidence/100)
	}
	return c
}

// labelDef is one label of a form: a pattern on folded text and the kind of value it opens.
type labelDef struct {
	kind string
	re   *regexp.Regexp
}

func lbl(kind, pattern string) labelDef {
	return labelDef{kind: kind, re: regexp.MustCompile(pattern)}
}

// hit is a label found on a line, as a folded byte range.
type hit struct {
	kind       string
	start, end int
}

// findLabels returns the non-overlapping labels of defs on a folded line, in order. Labels
// must start and end at word boundaries; where two overlap, the earlier and then the longer
// wins ("quyển số" over "số").
func findLabels(defs []labelDef, fold string) []hit {
	var hs []hit
	for _, d := range defs {
		for _, m := range d.re.FindAllStringIndex(fold, -1) {
			if m[1] == m[0] || !boundaryBefore(fold, m[0]) || !boundaryAfter(fold, m[1]) {
				continue
			}
			hs = append(hs, hit{kind: d.kind, start: m[0], end: m[1]})
		}
	}
	sort.Slice(hs, func(i, j int) bool {
		if hs[i].start != hs[j].start {
			return hs[i].start < hs[j].start
		}
		return hs[i].end > hs[j].end
	})
	out := hs[:0]
	last := -1
	for _, h := range hs {
		if h.start < last {
			continue
		}
		out = append(out, h)
		last = h.end
	}
	return out
}

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c >= 0x80
}

func boundaryBefore(s string, i int) bool { return i == 0 || !isWordByte(s[i-1]) || !isWordByte(s[i]) }
func boundaryAfter(s string, i int) bool {
	return i == len(s) || !isWordByte(s[i]) || !isWordByte(s[i-1])
}

// valueTrim is what surrounds a value but is not part of it: separators left by the label,
// and the enumerator of the next item ("đ)") that OCR glued to the value.
var (
	leadTrim   = regexp.MustCompile(`^[\s:;,.\-–—_|/=>)*]+`)
	trailTrim  = regexp.MustCompile(`(?:\s+(?:[a-hđ]\)|\d{1,2}\.)|[\s:;,\-–—_|/=(*])+$`)
	parenTrail = regexp.MustCompile(`\s*\($`)
	// leaderAfterDigit is a run of dots (a form's dotted leader) after a value's last digit.
	leaderAfterDigit = regexp.MustCompile(`\d[.…]{2,}$`)
)

// trimValue narrows [start,end) of text to the value proper.
func trimValue(text string, start, end int) (int, int) {
	v := text[start:end]
	if m := leadTrim.FindStringIndex(v); m != nil {
		start += m[1]
		v = text[start:end]
	}
	for {
		m := trailTrim.FindStringIndex(v)
		if m == nil {
			m = parenTrail.FindStringIndex(v)
		}
		if m == nil || m[0] == len(v) {
			break
		}
		end = start + m[0]
		v = text[start:end]
	}
	// Dots after a number are the form's leader, not an ellipsis ("035143542099...").
	if m := leaderAfterDigit.FindStringIndex(v); m != nil {
		end = start + m[0] + 1
		v = text[start:end]
	}
	// A dot after the last word ends a sentence, except after an abbreviation (short and
	// in capitals: "TP.", "Q.") or a number; a short word in lower case ends one too ("Sở
	// Nội vụ.").
	if strings.HasSuffix(v, ".") && !strings.HasSuffix(v, "..") {
		fs := strings.Fields(v)
		lastw := fs[len(fs)-1]
		if len([]rune(lastw)) > 3 || strings.ToUpper(lastw) != lastw {
			end--
		}
	}
	return start, end
}
