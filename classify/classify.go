package classify

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sohoa/sohoa/model"
	"github.com/sohoa/sohoa/record"
)

// Classifier assigns taxonomy type codes to documents. It holds no mutable state and is safe
// for concurrent use.
type Classifier struct {
	tax      *record.Taxonomy
	headings []heading
	abbrs    abbrIndex
	// types returns the trained type model to consult (nil: none); tests pin it.
	types func() *model.TypeModel
}

// New returns a classifier for the types of tax.
func New(tax *record.Taxonomy) *Classifier {
	return &Classifier{tax: tax, headings: buildHeadings(tax), abbrs: newAbbrIndex(tax),
		types: func() *model.TypeModel { return model.Active().Types }}
}

// headingLines is how many lines from the top of the first page may hold the type heading:
// it sits under the header, well before the body.
const headingLines = 60

// Confidence levels. A heading confirmed by the ký hiệu is as sure as classification gets;
// one cue alone is less sure, and a heading contradicted by the ký hiệu needs a clerk: its
// level, like the other single weak cues', is under extract.TypeThreshold (0.6; a document is
// sent when its type confidence is below it).
const (
	confAgree        = 0.97
	confHeading      = 0.85
	confConflict     = 0.55
	confAbbrOnly     = 0.75
	confCongVan      = 0.85
	confCongVanWeak  = 0.5
	confVerbOnly     = 0.55
	confFormCues     = 0.45
	confCueStep      = 0.05
	confCueMax       = 0.7
	fuzzyPenalty     = 0.9
	partyConfidence  = 0.5
	minFormCueHits   = 3
	formAgreeMinHits = 2
)

// Classify returns the type of the document made of pages, or record.Unknown with confidence
// 0 when no cue names a type. The rules decide; the trained type model of the model in use
// (see statistical) speaks only where they are unsure.
func (c *Classifier) Classify(pages []record.Page) record.Classification {
	return c.statistical(pages, c.rules(pages))
}

// rules classifies by the heading, the number's ký hiệu and the forms' labels.
func (c *Classifier) rules(pages []record.Page) record.Classification {
	lines := firstLines(pages, headingLines)
	folded := make([]string, len(lines))
	for i, l := range lines {
		folded[i] = record.Fold(l)
	}
	h, hasHeading := c.findHeading(lines)
	num, hasNum := FindNumber(pages)
	if !hasNum {
		num, hasNum = findKyHieu(pages)
	}
	var numCodes []string
	exactAbbr := false
	if hasNum {
		numCodes, exactAbbr = c.numberCodes(num)
	}
	cues := formCues(allFolded(pages))
	if !hasHeading {
		h, hasHeading = c.cutHeading(lines, cues)
	}
	if !hasHeading {
		h, hasHeading = sentenceApplication(lines)
	}

	var cl record.Classification
	switch {
	case hasHeading && h.code == "":
		return record.Classification{Type: record.Unknown, Confidence: confHeading}
	case hasNum && num.Abbr == "VBHN":
		// A consolidated text is headed by the type of the document it consolidates.
		cl = record.Classification{Type: "van_ban_hop_nhat", Confidence: confAgree}
		if !hasHeading {
			cl.Confidence = confAbbrOnly
		}
	case hasHeading && contains(numCodes, h.code):
		cl = record.Classification{Type: h.code, Confidence: confAgree}
	case hasHeading && len(numCodes) > 0 && !personalTypes[h.code]:
		// The heading wins over the ký hiệu, whose Đ and case OCR often damages.
		conf := confConflict
		if !exactAbbr {
			conf = confHeading - 0.1
		}
		cl = record.Classification{Type: h.code, Confidence: conf}
	case hasHeading:
		cl = record.Classification{Type: h.code, Confidence: confHeading}
		if personalTypes[h.code] && cues[h.code] >= formAgreeMinHits {
			cl.Confidence = confAgree
		}
	case len(numCodes) > 0:
		cl = record.Classification{Type: pick(numCodes, num.Label, folded), Confidence: confAbbrOnly}
		if !exactAbbr {
			cl.Confidence -= 0.1
		}
		if bodyAgrees(cl.Type, lines, cues) {
			// The ký hiệu and the body's own formula are two cues that do not share a cause.
			cl.Confidence = confHeading
		}
	case hasNum && !legalAbbr(num.Abbr) && congVanCue(folded):
		// A ký hiệu of issuer and unit only ("1234/UBND-VP") above a "V/v" or "Kính gửi:"
		// is a công văn's.
		cl = record.Classification{Type: "cong_van", Confidence: confCongVan}
	case hasNum && !legalAbbr(num.Abbr) && !enactedOrForm(lines, cues):
		// Without them a ký hiệu that names no type is weak evidence of a công văn: a
		// decision whose QĐ was misread, a form's own code ("238/XN") look the same.
		cl = record.Classification{Type: "cong_van", Confidence: confCongVanWeak}
	default:
		if code, ok := verbCue(lines); ok {
			cl = record.Classification{Type: code, Confidence: confVerbOnly}
		} else if code, n := formCue(cues, hasNum); n >= minFormCueHits {
			cl = record.Classification{Type: code, Confidence: min(confCueMax, confFormCues+confCueStep*float64(n))}
		} else if vvCue(folded) || congVanCue(folded) && hasNum {
			// The trích yếu "V/v …" is printed only on a công văn (Decree 30, Phụ lục I ô 5b);
			// "Kính gửi:" alone is shared with tờ trình and đơn, so it needs a number too.
			cl = record.Classification{Type: "cong_van", Confidence: confVerbOnly}
		} else {
			return record.Classification{Type: record.Unknown}
		}
	}
	if h.fuzzy {
		cl.Confidence *= fuzzyPenalty
	}
	if partyDocument(folded) {
		// Party documents follow their own rules (Hướng dẫn 36-HD/VPTW); a clerk should look.
		cl.Confidence = min(cl.Confidence, partyConfidence)
	}
	if _, ok := c.tax.Type(cl.Type); !ok {
		return record.Classification{Type: record.Unknown}
	}
	return cl
}

// typeLabel is the labelled type of a database summary ("Loại văn bản: Quyết định"), which
// prints no heading: the value names the type as a heading would.
var typeLabel = regexp.MustCompile(`^\W*loai\s*van\s*ban\s*:\s*`)

func (c *Classifier) findHeading(lines []string) (headingMatch, bool) {
	for i, l := range lines {
		if m := typeLabel.FindStringIndex(record.Fold(l)); m != nil {
			if h, ok := labelledType(c.headings, labelValue(l, m[1])); ok {
				h.line = i
				return h, true
			}
		}
		if m, ok := matchHeading(c.headings, l); ok {
			m.line = i
			return m, true
		}
		// A title broken over two lines: "GIẤY CHỨNG NHẬN" / "QUYỀN SỬ DỤNG ĐẤT, …", or a
		// short one split where a narrow column or OCR's line finder cut it ("QUYẾT" /
		// "ĐỊNH"). A personal type's heading goes on after its first words, so it needs
		// three on the first line; another type's must be the two lines exactly.
		if i+1 < len(lines) && upperLine(l) && !isHeading(c.headings, lines[i+1]) {
			m, ok := matchHeading(c.headings, l+" "+lines[i+1])
			if ok && !m.fuzzy && (personalTypes[m.code] && (len(foldWords(l)) >= 3 || applicationWord(l)) || !personalTypes[m.code] && upperLine(lines[i+1])) {
				m.line = i
				return m, true
			}
		}
	}
	return headingMatch{}, false
}

// sentenceApplication finds the title of a citizen's application typed as a sentence
// ("Đơn đề nghị cấp lại giấy chứng nhận … do bị mất", "Tờ khai đăng ký khai sinh") above
// the "Kính gửi:" it is addressed with. Above that line a letter prints its V/v and a report
// its heading, never a sentence opening with Đơn, so a body's "Đơn đề nghị của bà A …" is not
// taken; the title counts as a fuzzy heading.
func sentenceApplication(lines []string) (headingMatch, bool) {
	for i, l := range lines {
		f := record.Fold(l)
		if kinhGuiLine.MatchString(f) || vvLine.MatchString(f) {
			// Past the addressee, or in a letter's trích yếu ("V/v trả lời" / "Đơn kiến
			// nghị của ông A").
			return headingMatch{}, false
		}
		words := foldWords(l)
		first, _ := utf8.DecodeRuneInString(strings.TrimSpace(l))
		if !unicode.IsUpper(first) || len(words) < 3 {
			continue
		}
		if isApplication(words) || words[0] == "to" && words[1] == "khai" {
			for _, next := range lines[i+1:] {
				if kinhGuiLine.MatchString(record.Fold(next)) {
					return headingMatch{code: "don", line: i, fuzzy: true}, true
				}
			}
			return headingMatch{}, false
		}
	}
	return headingMatch{}, false
}

// isHeading reports whether line is a heading by itself, so that the line above it, a stamp's
// ĐẾN or the issuer, is not taken for the heading's first half.
func isHeading(hs []heading, line string) bool {
	_, ok := matchHeading(hs, line)
	return ok
}

// labelledType returns the type a "Loại văn bản:" value names. The value is the type's name
// alone, so marks a seal or the page's edge left after it ("Quyết định £n") are dropped: its
// first words naming a type exactly win over the whole value naming one fuzzily.
func labelledType(hs []heading, value string) (headingMatch, bool) {
	ws := strings.Fields(strings.ToUpper(value))
	whole, ok := matchHeading(hs, strings.Join(ws, " "))
	if ok && !whole.fuzzy {
		return whole, true
	}
	for n := len(ws) - 1; n >= 1; n-- {
		if m, ok := matchHeading(hs, strings.Join(ws[:n], " ")); ok && !m.fuzzy {
			return m, true
		}
	}
	return whole, ok
}

// cutHeading finds a form's heading cut short by OCR ("XÁC NHẬN THÔNG" of XÁC NHẬN THÔNG
// TIN VỀ CƯ TRÚ, the rest lost under a stamp): an upper-case line of three words at least
// that begins a personal type's heading, which the form's own labels confirm. Such a
// heading counts as a fuzzy one.
func (c *Classifier) cutHeading(lines []string, cues map[string]int) (headingMatch, bool) {
	for i, l := range lines {
		words := foldWords(l)
		if len(words) < 3 || !upperLine(l) {
			continue
		}
		for _, h := range c.headings {
			if personalTypes[h.code] && len(h.words) > len(words) && equalWords(h.words[:len(words)], words) && cues[h.code] >= formAgreeMinHits {
				return headingMatch{code: h.code, line: i, fuzzy: true}, true
			}
		}
	}
	return headingMatch{}, false
}

// numberCodes returns the types the number's ký hiệu may stand for.
func (c *Classifier) numberCodes(n Number) ([]string, bool) {
	codes, exact := c.abbrs.lookup(n.Abbr)
	if len(codes) > 1 {
		// "Luật số: …/QH15" is a law, "Nghị quyết số: …/QH15" a resolution.
		var narrowed []string
		for _, code := range codes {
			if t, ok := c.tax.Type(code); ok && n.Label != "" && strings.Join(foldWords(t.Name), " ") == n.Label {
				narrowed = append(narrowed, code)
			}
		}
		if len(narrowed) > 0 {
			codes = narrowed
		}
	}
	return codes, exact
}

// pick chooses among the types one abbreviation may stand for, without a heading.
func pick(codes []string, label string, folded []string) string {
	if len(codes) == 1 {
		return codes[0]
	}
	for _, code := range codes {
		if code == "nghi_quyet" && anyHas(folded, "quyet nghi") {
			return code
		}
	}
	return codes[0]
}

// legalAbbr reports ký hiệu segments that belong to legal documents and never to a công văn.
func legalAbbr(a string) bool {
	return strings.HasPrefix(a, "QH") || strings.HasPrefix(a, "UBTVQH") || a == "VBHN"
}

// firstLines returns up to n lines from the first page that has text.
func firstLines(pages []record.Page, n int) []string {
	for _, p := range pages {
		if strings.TrimSpace(p.Text) == "" {
			continue
		}
		lines := strings.Split(p.Text, "\n")
		if len(lines) > n {
			lines = lines[:n]
		}
		return lines
	}
	return nil
}

func allFolded(pages []record.Page) string {
	var b strings.Builder
	for _, p := range pages {
		b.WriteString(strings.Join(strings.Fields(record.Fold(p.Text)), " "))
		b.WriteByte('\n')
	}
	return b.String()
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func anyHas(lines []string, sub string) bool {
	for _, l := range lines {
		if strings.Contains(l, sub) {
			return true
		}
	}
	return false
}

// HeadingLine returns the index, in the text of the first page with text, of the line that
// holds the type heading, for extractors that read the trích yếu under it.
func (c *Classifier) HeadingLine(pages []record.Page) (int, bool) {
	h, ok := c.findHeading(firstLines(pages, headingLines))
	return h.line, ok
}

// labelValue returns what follows the first foldEnd bytes of the folded line l in l itself:
// folding keeps one rune for one rune, so the value starts after as many runes.
func labelValue(l string, foldEnd int) string {
	n := len([]rune(record.Fold(l)[:foldEnd]))
	r := []rune(l)
	if n > len(r) {
		return ""
	}
	return strings.TrimSpace(string(r[n:]))
}
