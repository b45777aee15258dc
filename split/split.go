// Package split finds where one document ends and the next begins in a file that holds
// several: archive staff scan a whole hồ sơ (a report, an invitation, a birth certificate …)
// as one PDF or TIFF, and each paper must be classified, read and indexed on its own.
//
// The rules are those a clerk uses leafing through the pile, over the recognised pages only
// (text and word boxes; barcodes are decoded by the caller): a page whose top carries a
// Decree 30 header (national motto, số/ký hiệu) or a type title ("GIẤY KHAI SINH") opens a
// document; a page numbered 2, 3 … at the top continues the one before; numbering that
// restarts opens a new one; a blank sheet or a sheet that holds little but a barcode
// separates two documents and belongs to neither.
//
// It imports record and classify (for the type headings and the số/ký hiệu, so the two agree
// on what a heading is) and nothing that does I/O.
package split

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/sohoa/sohoa/classify"
	"github.com/sohoa/sohoa/record"
)

// Why a part starts where it does.
const (
	StartFirst      = "first"       // the first page of the file
	StartHeader     = "header"      // national motto or số/ký hiệu at the top
	StartTitle      = "title"       // a type title at the top (certificates, forms)
	StartPageNumber = "page_number" // page numbering restarts
	StartBlank      = "blank"       // after a blank separator sheet
	StartBarcode    = "barcode"     // after a barcode separator sheet
)

// Part is one document found in a file: pages First..Last (1-based numbers of the file's
// pages, separator sheets left out) and why it starts at First.
type Part struct {
	First  int    `json:"first_page"`
	Last   int    `json:"last_page"`
	Reason string `json:"reason"`
}

// Splitter finds parts. It is safe for concurrent use.
type Splitter struct {
	headings *classify.Classifier
}

// New returns a Splitter that knows the type titles c knows.
func New(c *classify.Classifier) *Splitter { return &Splitter{headings: c} }

const (
	// topLines is how many lines from the top of a page may hold a header or a title. A
	// Decree 30 header with a two-line issuer, the motto, số/ký hiệu, place and date and the
	// title takes up to about ten lines as Tesseract reads them; body text further down may
	// quote a title ("theo Giấy khai sinh …") or a number and must not open a document.
	topLines = 14
	// separatorLetters: a sheet with fewer letters and digits than this is blank (dust and
	// punched holes are read as a few characters). With a barcode, a sheet with fewer than
	// barcodeSheetLetters is a separator: a patch sheet prints a short caption at most, while
	// a document that carries a QR code (a new citizen identity card, land certificate) is
	// full of text.
	separatorLetters    = 4
	barcodeSheetLetters = 120
)

// Parts returns the documents in pages, in order. barcodes holds the decoded barcode or QR
// code of the pages that carry one, by page number (nil when none was looked for). A file
// whose pages are all separators is returned as one part, so that nothing is lost.
func (s *Splitter) Parts(pages []record.Page, barcodes map[int]string) []Part {
	var parts []Part
	reason := StartFirst
	pageNo := 0 // the number the last page of the current part shows or would show
	for _, p := range pages {
		letters := countLetters(p.Text)
		if barcodes[p.Number] != "" && letters < barcodeSheetLetters {
			reason = StartBarcode
			continue
		}
		if p.Blank || letters < separatorLetters {
			reason = StartBlank
			continue
		}
		if reason != "" || len(parts) == 0 {
			if reason == "" {
				reason = StartFirst
			}
			parts = append(parts, Part{First: p.Number, Last: p.Number, Reason: reason})
			reason, pageNo = "", 1
			continue
		}
		cur := &parts[len(parts)-1]
		shown := s.topPageNumber(p)
		switch {
		case shown > 0 && shown == pageNo+1:
			// Numbered as the next page: continuation, whatever else the top shows.
		case shown >= 1 && shown <= pageNo:
			// Numbering restarted: the new document began shown-1 pages ago, as far back as
			// its unnumbered first page can be without leaving the current part empty.
			first := max(p.Number-(shown-1), cur.First+1)
			if first > p.Number || !contiguous(pages, first, p.Number) {
				first = p.Number
			}
			cur.Last = first - 1
			parts = append(parts, Part{First: first, Last: p.Number, Reason: StartPageNumber})
			pageNo = shown
			continue
		default:
			if r := s.opens(p); r != "" {
				parts = append(parts, Part{First: p.Number, Last: p.Number, Reason: r})
				pageNo = 1
				continue
			}
		}
		cur.Last = p.Number
		if shown > 0 {
			pageNo = shown
		} else {
			pageNo++
		}
	}
	if len(parts) == 0 && len(pages) > 0 {
		parts = []Part{{First: pages[0].Number, Last: pages[len(pages)-1].Number, Reason: StartFirst}}
	}
	return parts
}

// contiguous reports whether pages numbered first..last are all in pages with no separator
// between them, so that moving a boundary back does not cross a sheet that was left out.
func contiguous(pages []record.Page, first, last int) bool {
	n := 0
	for _, p := range pages {
		if p.Number >= first && p.Number <= last {
			if p.Blank || countLetters(p.Text) < separatorLetters {
				return false
			}
			n++
		}
	}
	return n == last-first+1
}

// opens returns why p opens a document, or "" when it does not.
func (s *Splitter) opens(p record.Page) string {
	lines := topOf(p.Text)
	for _, l := range lines {
		if motto(l) {
			return StartHeader
		}
	}
	top := []record.Page{{Number: 1, Text: strings.Join(lines, "\n")}}
	if s.headings != nil {
		if _, ok := s.headings.HeadingLine(top); ok {
			return StartTitle
		}
	}
	// A số/ký hiệu counts on a line of its own ("Số: 45/BC-UBND", "Số 12-QĐ/TU"), or
	// followed by a colon when OCR ran the place and date beside it into the line; a body
	// line that wraps to begin with "số 12/2020/NĐ-CP ngày … của Chính phủ …" is neither.
	var numberLines []string
	for _, l := range lines {
		f := strings.TrimSpace(record.Fold(l))
		if numberLabel.MatchString(f) && (len([]rune(f)) <= numberLineRunes || strings.Contains(f[:min(len(f), 6)], ":")) {
			numberLines = append(numberLines, l)
		}
	}
	if len(numberLines) > 0 {
		if _, ok := classify.FindNumber([]record.Page{{Number: 1, Text: strings.Join(numberLines, "\n")}}); ok {
			return StartHeader
		}
	}
	return ""
}

// numberLabel is "Số" as OCR reads it at the start of a line (folded); numberLineRunes is
// the longest a line holding only a số/ký hiệu gets ("Số: 1234/2024/QĐ-UBND-VP" and some).
var numberLabel = regexp.MustCompile(`^s[o0]\b`)

const numberLineRunes = 32

// topOf returns the first topLines lines of text that are not empty.
func topOf(text string) []string {
	var out []string
	for l := range strings.SplitSeq(text, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		out = append(out, l)
		if len(out) == topLines {
			break
		}
	}
	return out
}

// mottos are the folded words of the header lines that open a document: the national motto
// (Decree 30) in its two lines, and the Party's (Hướng dẫn 36-HD/VPTW). OCR drops or damages
// a word or two and may run a motto line into the issuer printed beside it, so a line counts
// when it holds all but two of the words (all but one of the Party's five). Body text quotes
// the motto too ("Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam"), so the upper-case
// lines count only in upper case, and the "Độc lập - Tự do - Hạnh phúc" line only when short.
var mottos = []struct {
	words []string
	miss  int  // words OCR may lose
	upper bool // printed in upper case
}{
	{[]string{"cong", "hoa", "xa", "hoi", "chu", "nghia", "viet", "nam"}, 2, true},
	{[]string{"doc", "lap", "tu", "do", "hanh", "phuc"}, 2, false},
	{[]string{"dang", "cong", "san", "viet", "nam"}, 1, true},
}

// mottoExtraWords is how many words beyond a motto's a line may hold (an issuer's name run
// into it) and still be the motto line.
const mottoExtraWords = 8

func motto(line string) bool {
	fields := strings.FieldsFunc(record.Fold(line), func(r rune) bool { return !unicode.IsLetter(r) })
	words := map[string]bool{}
	for _, w := range fields {
		words[w] = true
	}
	for _, m := range mottos {
		n := 0
		for _, w := range m.words {
			if words[w] {
				n++
			}
		}
		if n < len(m.words)-m.miss || len(fields) > len(m.words)+mottoExtraWords {
			continue
		}
		if m.upper && !mostlyUpper(line) {
			continue
		}
		return true
	}
	return false
}

// mostlyUpper reports whether three letters in four of line are upper-case.
func mostlyUpper(line string) bool {
	var up, all int
	for _, r := range line {
		if unicode.IsLetter(r) {
			all++
			if unicode.IsUpper(r) {
				up++
			}
		}
	}
	return all > 0 && up*4 >= all*3
}

// pageNumberLine matches a line that is only a page number: "2", "- 2 -", "Trang 2", "2/5".
var pageNumberLine = regexp.MustCompile(`^[\s\-–—.]*(?:trang\s*)?(\d{1,3})(?:\s*/\s*\d{1,3})?[\s\-–—.]*$`)

// topPageNumber returns the page number printed at the top of p (Decree 30 numbers pages
// from the second, centred in the top margin), or 0. With word boxes the number must sit in
// the top eighth of the page, above everything else; without them it must be the first line.
func (s *Splitter) topPageNumber(p record.Page) int {
	lines := topOf(p.Text)
	if len(lines) == 0 {
		return 0
	}
	m := pageNumberLine.FindStringSubmatch(record.Fold(lines[0]))
	if m == nil {
		return 0
	}
	if len(p.Words) > 0 && p.Height > 0 {
		top := p.Height
		for _, w := range p.Words {
			if w.Text == strings.TrimSpace(m[1]) || strings.Contains(w.Text, m[1]) {
				top = min(top, w.Box[1])
			}
		}
		if top > p.Height/8 {
			return 0
		}
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n == 0 {
		return 0
	}
	return n
}

// countLetters counts letters and digits, which OCR reads from ink, not from noise alone.
func countLetters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}
