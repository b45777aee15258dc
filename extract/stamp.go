package extract

import (
	"regexp"
	"strings"
)

// The receiving office stamps an incoming document on its top third: a box with "ĐẾN", "Số",
// "Giờ", "Ngày", "Chuyển", or the government portal's "CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ /
// ĐẾN / Giờ … Ngày …". Its words are not the document's: they must stay out of the subject
// and of every field. OCR returns them as lines of their own or glued to a header line
// ("ĐẾN Hòa Bình, ngày …", "LÝ NGỌC NGỌC ĐẾN"), so the lines are dropped and the glued word
// cut off, in the top part of the first page only.

// stampTop is how many lines from the top of the first page a stamp is looked for in.
const stampTop = 30

var (
	stampLine = regexp.MustCompile(`^\W*(?:gio\s*:?\s*\d{1,2}\s*[:h.]\s*\d{2}|ngay\s*:\s*\d{1,2}\s*/\s*\d{1,2}|chuyen\s*:|den\s*$)|cong\s*thong\s*tin\s*dien\s*tu`)
	// stampWord is the stamp's "ĐẾN" as OCR reads it: upper case, possibly with a lost mark.
	stampWord = regexp.MustCompile(`^Đ[ẾÉÊEỀÈ]N$`)
	// portal is the government portal stamp's heading as OCR reads it: in capitals, a mark
	// sometimes lost, its last words often run together or garbled ("CÔNG THÔNG
	// TINjAIỆNTRhCHÍNtbPHỦ"). It is cut out of a line it was glued to, and what the line
	// finder read on either side kept ("Người ký: …", "(BẢN SAO)").
	portal = regexp.MustCompile(`C[ỔỒÔỐỖỘO]NG\s+TH[ÔỐỒỔỖOÕ]NG\s+TIN\S*(?:\s+ĐI[ỆÊEỂ]N\S*)?(?:\s+T[ỬỪUỮ]\S*)?(?:\s+CH[ÍIỈ]NH\S*)?(?:\s+PH[ỦUỤ]\S*)?`)
)

// dropStamp removes the received stamp's lines and glued "ĐẾN" from the first page's lines.
func dropStamp(ls []*line) {
	for i, l := range ls {
		if i >= stampTop {
			return
		}
		if m := portal.FindStringIndex(l.text); m != nil {
			l = cutSpan(l, m[0], m[1])
			ls[i] = l
		}
		if stampLine.MatchString(l.fold) {
			ls[i] = blankLine(l)
			continue
		}
		fs := strings.Fields(l.text)
		if len(fs) < 2 {
			continue
		}
		switch {
		case stampWord.MatchString(fs[0]):
			ls[i] = cutWords(l, 1, len(fs))
		case stampWord.MatchString(fs[len(fs)-1]):
			ls[i] = cutWords(l, 0, len(fs)-1)
		default:
			if k := stampAfterSpecks(fs); k > 0 {
				ls[i] = cutWords(l, k+1, len(fs))
			}
		}
	}
}

// stampAfterSpecks returns the index of a stamp's "ĐẾN" that only specks read off the box's
// border stand before ("IĐ ĐẾN quan nhà nước": the line a trích yếu wrapped onto, under the
// stamp), or 0: what follows it is the line's own text.
func stampAfterSpecks(fs []string) int {
	for k := 1; k < len(fs)-1 && k <= 2; k++ {
		if !stampWord.MatchString(fs[k]) {
			continue
		}
		for _, f := range fs[:k] {
			if len([]rune(f)) > 2 {
				return 0
			}
		}
		return k
	}
	return 0
}

func blankLine(l *line) *line {
	n := newLine(l.page, l.idx, "")
	n.pageConf, n.hasWords = l.pageConf, l.hasWords
	return n
}

// cutWords keeps the words [from, to) of l's text, with their boxes.
func cutWords(l *line, from, to int) *line {
	fs := strings.Fields(l.text)
	keep := strings.Join(fs[from:to], " ")
	var ws []placedWord
	for _, w := range l.words {
		if from > 0 && w.start < strings.Index(l.text, fs[from]) || to < len(fs) && w.start >= strings.LastIndex(l.text, fs[to]) {
			continue
		}
		ws = append(ws, w)
	}
	return rebuildAs(l, ws, keep)
}

// cutSpan removes the bytes [from, to) of l's text, and the words in them.
func cutSpan(l *line, from, to int) *line {
	keep := strings.Join(strings.Fields(l.text[:from]+" "+l.text[to:]), " ")
	if keep == "" {
		return blankLine(l)
	}
	var ws []placedWord
	for _, w := range l.words {
		if w.end <= from || w.start >= to {
			ws = append(ws, w)
		}
	}
	return rebuildAs(l, ws, keep)
}

// rebuildAs is l rebuilt from the words ws, whose text should read keep; when words and text
// disagree it keeps the text and loses the boxes.
func rebuildAs(l *line, ws []placedWord, keep string) *line {
	n := rebuild(l, ws)
	if n.text != keep {
		n = newLine(l.page, l.idx, keep)
		n.pageConf, n.hasWords = l.pageConf, l.hasWords
	}
	n.col = l.col
	return n
}
