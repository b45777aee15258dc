package extract

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/classify"
	"github.com/sohoa/sohoa/record"
)

// headerLines bounds the header: số, địa danh and the issuing body sit in the first lines.
const headerLines = 25

var (
	// datePlace is the date line's "ngày … tháng … năm …"; "năm", between the month and four
	// digits, may be read as another short word ("nănn", "hăm").
	datePlace = regexp.MustCompile(`ngay\s*([0-9olis]{1,2})\s*thang\s*([0-9olis]{1,2})\s*(?:nam|[a-z]{2,4})\s*([0-9olis]{4})`)
	quocHieu  = regexp.MustCompile(`c[o0]ng\s*h[o0]a\s*xa\s*h[o0]i|chu\s*nghia\s*viet\s*nam|doc\s*lap\s*[-–—.,x]?\s*tu\s*do|hanh\s*phuc|socialist\s*republic|independence`)
	separator = regexp.MustCompile(`^[\s\-–—_=.*~]*$`)
	vvLabel   = regexp.MustCompile(`^[^a-z0-9]*v\s*/\s*v\s*[:.]?`)
	kinhGui   = regexp.MustCompile(`^[^a-z0-9]*kinh\s*gui\s*[:.]?`)
	// kinhGuiColon is "Kính gửi:" after other marks on its line; the colon tells the label
	// from a sentence's "kính gửi".
	kinhGuiColon = regexp.MustCompile(`(?:^|[^a-z])kinh\s*gui\s*:`)
	bodyStart    = regexp.MustCompile(`^[^a-z0-9]*(?:can\s*cu\b|kinh\s*gui|thuc\s*hien|theo\s*de\s*nghi|xet\s|dieu\s*\d|chuong\s|phan\s|so\s*:|noi\s*nhan|quyet\s*dinh\s*:|quyet\s*nghi\s*:|ngay\s|thoi\s*gian|dia\s*diem|.*tran\s*trong|.*kinh\s*moi)`)
	// bodyStart's "căn cứ" is a whole word: a trích yếu may go on with "căn cước".
	// authority is a signing-authority prefix; OCR often reads its dot as a comma ("KT, CHỦ TỊCH").
	authority = regexp.MustCompile(`(?:^|[^a-z])(tm|kt|tl|tuq|q)\s?[.,]\s*`)
)

// bodyWords start the name of a body in the header column, so a line that starts with one is
// a new body ("UBND TỈNH X" / "SỞ TƯ PHÁP") and any other line goes on with the one above
// ("ỦY BAN NHÂN DÂN" / "THÀNH PHỐ ĐÀ NẴNG").
var bodyWords = regexp.MustCompile(`^(?:bo|so|uy\s*ban|ubnd|hoi\s*dong|hdnd|cuc|tong\s*cuc|chi\s*cuc|vu|phong|ban|truong|benh\s*vien|cong\s*an|toa\s*an|vien|van\s*phong|trung\s*tam|cong\s*ty|tong\s*cong\s*ty|chinh\s*phu|thu\s*tuong|kho\s*bac|ngan\s*hang|thanh\s*tra|dang\s*uy|hoc\s*vien|dai\s*hoc|chu\s*tich|doan|kiem\s*toan|bao\s*hiem|quan\s*uy|tinh\s*uy|huyen\s*uy|thanh\s*uy|mat\s*tran|lien\s*doan|hoi|cong\s*doan|ban\s*quan\s*ly)(?:\s|$)`)

// headerElement starts the header element after the issuer on the same line: the number
// (its label with a colon, its ố read as 6 or not, or without a colon before a number with a
// slash: "Số 690/TB-BYT"; a body's own "SỐ 1" has no slash; its S lost, "ố: 530/TTr-UBND",
// before a colon and a number with a slash) or the V/v. The date line is a stop of its own.
var headerElement = regexp.MustCompile(`(?:^|\s)(?:(?:s|§|\$|5)[o6]\s*(?:[:.]|\d+\s*/)|[o6]\s*:\s*\d+\s*/|v\s*/\s*v\s)`)

// quocHieuFragment is the quốc hiệu with letters or words OCR lost, beside the body ("ỘNG HÒA
// XÃ HỘI …", "G HÒA XÃ CHỦ NGHĨA AM"): quocHieu would find the first only at "CHỦ NGHĨA VIỆT
// NAM" and the second not at all. What is left of CỘNG goes with it; a body's own words before
// "HÒA XÃ" do not ("BỘ Y TẾ HÒA XÃ HỘI" keeps TẾ). "CỘNG HO" counts with one of the quốc
// hiệu's later words after it ("CỘNG HO V VẦ HỘI CHỦ NGHĨ VVI PNAM").
var quocHieuFragment = regexp.MustCompile(`(?:^|\s)(?:c?[o0]?n?g\s*)?h[o0]a\s*xa\s*(?:h[o0]i|chu)|chu\s*nghia(?:\s|$)|nghia\s*viet\s*nam|(?:^|\s)c[o0]ng\s*h[o0]a?\s.*\b(?:h[o0]i|chu|nghi|viet|nam)\b`)

// quocHieuStub is the quốc hiệu's first words at the end of a body's line, the line finder
// having put the rest on a line of its own ("… HẢI PHÒNG CỘNG" / "HÒA XÃ HỘI …"), which
// quocHieuRest finds. Folded, CỘNG is CÔNG, which can end a line of a body broken over two
// ("BỘ KHOA HỌC VÀ CÔNG" / "NGHỆ"): the stub is cut only when the rest is there.
var (
	quocHieuStub = regexp.MustCompile(`(?:^|\s)c[o0]ng(?:\s*h[o0]a(?:\s*xa(?:\s*h[o0]i)?)?)?\s*$`)
	quocHieuRest = regexp.MustCompile(`^[^a-z0-9]*(?:h[o0]a\s*)?(?:xa\s*)?h[o0]i\s*chu\s*nghia`)
)

// continuation says a header line goes on with the body above even if it starts like a body.
var openEnd = regexp.MustCompile(`(?:\s(?:va|cua)|,|-|thuong\s*vu|nha\s*nuoc)$`)

func (s *state) firstPage() []*line {
	for _, ls := range s.lines {
		for _, l := range ls {
			if strings.TrimSpace(l.text) != "" {
				return ls
			}
		}
	}
	return nil
}

func (s *state) lastPage() []*line {
	for i := len(s.lines) - 1; i >= 0; i-- {
		for _, l := range s.lines[i] {
			if strings.TrimSpace(l.text) != "" {
				return s.lines[i]
			}
		}
	}
	return nil
}

// issued extracts the Decree 30 / legal-document fields.
func (s *state) issued() {
	first := s.firstPage()
	if first == nil || s.card() {
		return
	}
	headLine, hasHeading := s.e.cls.HeadingLine(s.pages)
	if !hasHeading {
		headLine = -1
	}
	numLine := -1
	if n, ok := classify.FindNumber(s.pages); ok {
		numLine = n.Line
		value := n.Value
		for _, a := range s.dt.Abbr {
			value = classify.Restore(value, a)
		}
		sp := span{}
		if ls := s.linesOf(n.Page); n.Line < len(ls) {
			sp = span{l: ls[n.Line], start: n.Start, end: n.End}
		}
		strength := strengthLabel
		if handFilled(s.pages, n) {
			strength = strengthGuess
		}
		s.put("number", value, docnumPattern.MatchString(value), sp, strength)
		normative := "false"
		if n.Year != "" {
			normative = "true"
		}
		s.put("normative", normative, true, sp, strengthLabel)
	} else if v, ok := normativeOfType(s.dt.Code); ok {
		// The number was not read (written by hand, under a stamp): the type still says
		// whether the document is a legal one, and the missing number sends it to review.
		s.put("normative", v, true, span{}, strengthLayout)
	} else if v, sp, ok := normativeOfCode(first); ok {
		// A type that may be either (quyết định): the printed ký hiệu says.
		s.put("normative", v, true, sp, strengthLayout)
	}
	dateLine := s.issuedDate(first, headLine, numLine)
	// The date line sits in the right column, so the left column's body name can go on below
	// it ("SỞ VĂN HÓA, THỂ THAO VÀ DU" / date / "LỊCH"); a few lines past it are still header.
	afterDate := -1
	if dateLine >= 0 {
		afterDate = dateLine + 3
	}
	s.issuerUpTo(first, firstPositive(numLine, headLine, afterDate), numLine)
	s.subject(first, headLine)
	s.recipient(first)
	s.signature()
	if _, ok := s.dt.Extra["event_time"]; ok {
		s.form(invitationForm)
		s.clockTime()
	}
}

// clockValue is a value that opens with a clock time after a colon ("…: 09 giờ 30 phút,
// ngày …"), on folded text.
var clockValue = regexp.MustCompile(`:\s*\d{1,2}\s*(?:gio|h)\b`)

// clockLine is a line that opens with a clock time and goes on to a day ("09 giờ 30 phút,
// ngày 25 …"), on folded text: a time whose label was lost (under a stamp's words).
var clockLine = regexp.MustCompile(`^\s*\d{1,2}\s*(?:gio|h)\b[^:]*\bngay\b`)

// clockTime reads a giấy mời's time where OCR garbled its label ("Thời ø ian: 09 giờ …",
// "clhizgz¿an: 09 giờ …") or lost it: the first value after a colon that opens with a clock
// time, or else the first line that opens with one and names a day. It is found by its
// shape alone, so it is kept at the strength of a layout guess.
func (s *state) clockTime() {
	for _, ls := range s.lines {
		for _, l := range ls {
			m := clockValue.FindStringIndex(l.fold)
			if m == nil {
				continue
			}
			st, en := l.orig(m[0]+1, len(l.fold))
			st, en = trimValue(l.text, st, en)
			if en > st && s.set("event_time", span{l: l, start: st, end: en}, strengthLayout) {
				return
			}
		}
	}
	for _, ls := range s.lines {
		for _, l := range ls {
			if !clockLine.MatchString(l.fold) {
				continue
			}
			st, en := trimValue(l.text, 0, len(l.text))
			if en > st && s.set("event_time", span{l: l, start: st, end: en}, strengthLayout) {
				return
			}
		}
	}
}

// gapBeforeSlash is a number's digits apart from its slash ("15 /GM-UBND").
var gapBeforeSlash = regexp.MustCompile(`^\d+\s+/`)

// handFilled reports whether number n was written into the gap a template leaves before
// "/QĐ-UBND": its digits stand apart from the slash, as no typed number's do. Handwritten
// digits are often read short or wrong ("15" for 157) with the printed text's confidence,
// so such a number is kept for the clerk but never as a sure one.
func handFilled(pages []record.Page, n classify.Number) bool {
	for _, p := range pages {
		if p.Number != n.Page {
			continue
		}
		lines := strings.Split(p.Text, "\n")
		if n.Line >= len(lines) || n.End > len(lines[n.Line]) || n.Start >= n.End {
			return false
		}
		return gapBeforeSlash.MatchString(lines[n.Line][n.Start:n.End])
	}
	return false
}

func (s *state) linesOf(page int) []*line {
	for _, ls := range s.lines {
		if len(ls) > 0 && ls[0].page == page {
			return ls
		}
	}
	return nil
}

func firstPositive(v ...int) int {
	best := -1
	for _, x := range v {
		if x >= 0 && (best < 0 || x < best) {
			best = x
		}
	}
	return best
}

// issuedDate reads "<địa danh>, ngày DD tháng MM năm YYYY" from the header and returns its line.
func (s *state) issuedDate(ls []*line, headLine, numLine int) int {
	limit := headerLines
	if headLine >= 0 {
		limit = headLine + 1
	}
	for i := 0; i < len(ls) && i < limit; i++ {
		if textStart.MatchString(ls[i].fold) {
			// The text begins ("Căn cứ Luật … ngày 21 tháng 6 năm 2024;"): its dates are
			// other documents', and the date line above it was not read.
			break
		}
		d, m := matchDate(ls, i)
		if m == nil {
			if m := dateUnread.FindStringIndex(ls[i].fold); m != nil {
				// The day or month written by hand or under a stamp: the place is printed,
				// the date is not read but named for review, and no later date (a "Căn
				// cứ … ngày …" of the body) is taken for it.
				s.unread(map[string]bool{"issued_date": true})
				s.place(ls[i], m[0]+strings.Index(ls[i].fold[m[0]:], "ngay"), i == numLine)
				return i
			}
			continue
		}
		s.putDate("issued_date", ls[i], d, m)
		s.place(ls[i], m[0], i == numLine)
		return i
	}
	return -1
}

// dateUnread is a place-and-date line whose day or month was not read: ", ngày" then
// "tháng" and "năm" a few letters apart, whatever stands between them.
var dateUnread = regexp.MustCompile(`,\s*ngay\b.{0,12}?\bthang\b.{0,8}?\bnam\b`)

// dateBreak ends a line whose date goes on on the next one: "Hòa Bình, ngày 06" over
// "tháng 12 năm 2023", or "…, ngày 17 tháng 02 năm" over "2022".
var dateBreak = regexp.MustCompile(`ngay\s*[0-9olis]{0,2}\s*(?:thang\s*[0-9olis]{0,2}\s*(?:nam\s*)?)?[.,]?\s*$`)

// matchDate finds the "ngày … tháng … năm …" of line i, running line i+1 on when the date
// breaks over the two. It returns the line matched (line i, or the two joined, which shares
// line i's offsets) and the match's folded byte range, nil when there is no date.
func matchDate(ls []*line, i int) (*line, []int) {
	l := ls[i]
	if m := datePlace.FindStringIndex(l.fold); m != nil {
		return l, m
	}
	if i+1 >= len(ls) || !dateBreak.MatchString(l.fold) {
		return l, nil
	}
	joined := newLine(l.page, l.idx, l.text+" "+strings.TrimSpace(ls[i+1].text))
	m := datePlace.FindStringIndex(joined.fold)
	if m == nil || m[0] >= len(l.fold) {
		return l, nil
	}
	return joined, m
}

// putDate records as name the date matched at m of d, which matchDate found from line l.
// A date joined from two lines is boxed on l, where it starts.
func (s *state) putDate(name string, l, d *line, m []int) {
	st, en := d.orig(m[0], m[1])
	if d == l {
		strength := strengthLabel
		if handDate(l) {
			strength = strengthGuess
		}
		s.set(name, span{l: l, start: st, end: en}, strength)
	} else if v, valid, ok := parseDate(d.text[st:en], s.now); ok {
		s.put(name, v, valid, span{l: l, start: st, end: len(l.text)}, strengthLabel)
	}
	s.dayUnread(name)
}

// isoDay is a whole date as the taxonomy writes it.
var isoDay = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// dayUnread leaves date field name unread, for review, when the "ngày … tháng … năm" line gave
// less than a whole date: its day or month was not read as digits (a day filled in by hand
// read as "S"), and the year alone is not the date.
func (s *state) dayUnread(name string) {
	if f, ok := s.out[name]; ok && f.Value != "" && !isoDay.MatchString(f.Value) {
		delete(s.out, name)
		s.unread(map[string]bool{name: true})
	}
}

// place reads the địa danh before ", ngày" on the date line.
func (s *state) place(l *line, foldDate int, hasNumber bool) {
	from := 0
	if hasNumber {
		if n, ok := classify.FindNumber([]record.Page{{Number: 1, Text: l.text}}); ok {
			from = n.End
		}
	}
	end, _ := l.orig(foldDate, foldDate)
	if end <= from {
		return
	}
	// A place name has no digit and no slash: a number the finder could not read as one
	// ("§ố:227/BNNMT-PC Hà Nội") ends before it.
	if i := strings.LastIndexFunc(l.text[from:end], func(r rune) bool { return unicode.IsDigit(r) || r == '/' }); i >= 0 {
		from += i + 1
		if sp := strings.IndexFunc(l.text[from:end], unicode.IsSpace); sp >= 0 {
			from += sp
		} else {
			return
		}
	}
	seg := l.text[from:end]
	if qh := quocHieu.FindAllStringIndex(record.Fold(seg), -1); len(qh) > 0 {
		return // a header line run together; the place cannot be told apart
	}
	st, en := trimValue(l.text, from, end)
	if en <= st {
		return
	}
	words := strings.Fields(l.text[st:en])
	if len(words) > 6 {
		// Keep the last words: the place is the end of what precedes ", ngày".
		cut := strings.Index(l.text[st:en], words[len(words)-6])
		st += cut
	}
	st += placeStart(l.text[st:en])
	s.putPlace("place", span{l: l, start: st, end: en})
}

// placeStart returns where the place name begins in seg, the text before ", ngày": its last
// run of capitalised words. A place is a proper name ("Lào Cai", "Bà Rịa - Vũng Tàu"), in
// which a lower-case word follows a capitalised one ("Thành phố Hồ Chí Minh"); lower-case
// words before it are another line's run into the date line ("… trụ sở làm việc Lào Cai").
// A lower-case word that opens seg stays: nothing else could be the place ("lây Ninh", T
// misread).
func placeStart(seg string) int {
	type word struct {
		text  string
		start int
	}
	var ws []word
	for i, f := range strings.Fields(seg) {
		from := 0
		if i > 0 {
			from = ws[i-1].start + len(ws[i-1].text)
		}
		ws = append(ws, word{f, from + strings.Index(seg[from:], f)})
	}
	keep := len(ws)
	for i := len(ws) - 1; i >= 0; i-- {
		w := ws[i].text
		inName := startsUpper(w) || !strings.ContainsFunc(w, unicode.IsLetter) ||
			i > 0 && i+1 < len(ws) && startsUpper(ws[i-1].text) && startsUpper(ws[i+1].text) ||
			i == 0 && keep == 1
		if !inName {
			break
		}
		keep = i
	}
	for keep < len(ws) && !strings.ContainsFunc(ws[keep].text, unicode.IsLetter) {
		keep++ // marks before the name ("`. Hà Nội")
	}
	if keep == len(ws) {
		return 0 // no capitalised word: leave the segment as read
	}
	return ws[keep].start
}

// issuer reads the issuing body from the header's left column: the upper-case lines above
// line stop, without the quốc hiệu and tiêu ngữ run into them. The last body is the issuer;
// the one above it, if any, is its parent.
func (s *state) issuer(ls []*line, stop int) { s.issuerUpTo(ls, stop, -1) }

// issuerUpTo is issuer, the number's line numLine read too up to the number when it is the
// stop, for the line finder may have run the body into it ("BỘ TƯ PHÁP Số: 671/BC-BTP").
func (s *state) issuerUpTo(ls []*line, stop, numLine int) {
	if stop < 0 {
		stop = min(len(ls), 8)
	}
	last := stop
	if numLine == stop {
		last++
	}
	var bodies [][]part
	var cut headerCut
	cut.right, cut.hasRight = rightColumn(ls[:min(stop, len(ls))])
	cut.splitQuocHieu = slices.ContainsFunc(ls[:min(last+3, len(ls))], func(l *line) bool { return quocHieuRest.MatchString(l.fold) })
	for i := 0; i < last && i < len(ls); i++ {
		p, ok, more := cut.body(ls[i])
		if !more {
			break
		}
		if !ok {
			continue
		}
		if len(bodies) == 0 || newBody(joinParts(bodies[len(bodies)-1]), p.text) {
			bodies = append(bodies, []part{p})
			continue
		}
		bodies[len(bodies)-1] = append(bodies[len(bodies)-1], p)
	}
	if len(bodies) == 0 {
		return
	}
	body := bodies[len(bodies)-1]
	t := joinParts(body)
	if full, ok := completeLocality(t, s.out["place"].Value); ok {
		s.putIssuer(full, body[0].sp, strengthLayout*strengthCorrected)
		if f, ok := s.out["issuer"]; ok {
			f.Read = record.CollapseSpace(t)
			s.out["issuer"] = f
		}
		return
	}
	s.putIssuer(t, body[0].sp, strengthLayout)
}

// markCount is the number of marks on the letters of w (Đ's stroke aside, which folding keeps
// apart).
func markCount(w string) int {
	n := 0
	for _, r := range norm.NFD.String(w) {
		if unicode.Is(unicode.Mn, r) {
			n++
		}
	}
	return n
}

// councilBody is a people's committee or council, whose documents print their own locality's
// name as the place (Decree 30/2020, Appendix I: "địa danh" of a commune's UBND is the
// commune's name).
var councilBody = regexp.MustCompile(`(?:uybannhandan|hoidongnhandan|ubnd|hdnd)$`)

// completeLocality completes a people's committee's or council's locality name cut short where
// the line finder lost words at the gutter ("ỦY BAN NHÂN DÂN XÃ HƯNG" beside "Hưng Đạo, ngày
// …") from the place, when the name read is the place's first words; of a word read in both,
// the reading with more marks wins, for OCR loses marks more often than it makes them up
// ("XÃ ĐÔNG TÂM" beside "Đồng Tâm, ngày …" takes Ồ; "XÃ PHÚ THƯỢNG" beside "Phu Thượng" keeps
// Ú). ok is false when nothing is to change.
func completeLocality(issuer, place string) (string, bool) {
	w, p := strings.Fields(issuer), strings.Fields(place)
	for i := len(w) - 2; i >= 1; i-- {
		for _, lw := range localityWords {
			n := len(strings.Fields(lw.word))
			if i+n >= len(w) || vocabKey(strings.Join(w[i:i+n], " ")) != lw.key || !councilBody.MatchString(vocabKey(strings.Join(w[:i], " "))) {
				continue
			}
			name := w[i+n:]
			if len(p) < len(name) {
				return issuer, false
			}
			for j, x := range name {
				if vocabKey(x) != vocabKey(p[j]) {
					return issuer, false
				}
			}
			out := slices.Clone(w[:i+n])
			for j, x := range p {
				if j >= len(name) || markCount(x) > markCount(name[j]) {
					x, _ = strings.CutSuffix(x, ",")
					out = append(out, strings.ToUpper(x))
					continue
				}
				out = append(out, name[j])
			}
			full := strings.Join(out, " ")
			return full, full != strings.Join(w, " ")
		}
	}
	return issuer, false
}

// headerCut is what a header's lines tell about where a body's name ends on a line: the
// right column's left edge (hasRight) and whether the line finder split the quốc hiệu.
type headerCut struct {
	right                   int
	hasRight, splitQuocHieu bool
}

// body reads the part of header line l that can be a body's name: the line up to the next
// header element the line finder ran into it, wherever it put it (the quốc hiệu or tiêu ngữ,
// the right column, the number or V/v, the place and date). ok is false when no upper-case
// name is left; more is false when the line starts with the number or V/v, which ends the
// bodies.
func (c headerCut) body(l *line) (p part, ok, more bool) {
	end := len(l.fold)
	for _, rx := range []*regexp.Regexp{quocHieu, quocHieuFragment} {
		if m := rx.FindStringIndex(l.fold); m != nil {
			end = min(end, m[0])
		}
	}
	if c.hasRight {
		end = min(end, l.foldBefore(c.right))
	}
	if m := quocHieuStub.FindStringIndex(l.fold[:end]); m != nil && c.splitQuocHieu {
		end = m[0]
	}
	// The number ("… TỈNH QUẢNG NGÃI Số: 6§0/TB-UBND") or a V/v.
	if m := headerElement.FindStringIndex(l.fold[:end]); m != nil {
		end = m[0]
		if end == 0 {
			return part{}, false, false
		}
	}
	dated := false
	if m := datePlace.FindStringIndex(l.fold[:end]); m != nil {
		end, dated = m[0], true
	}
	st, en := l.orig(0, end)
	st, en = trimValue(l.text, st, en)
	if en <= st {
		return part{}, false, true
	}
	t, sp := trimMarks(l.text[st:en], span{l: l, start: st, end: en})
	if dated {
		// The place before ", ngày" is written in running-text case, the body in capitals.
		t, sp = dropTitleCase(t, sp)
	}
	if separator.MatchString(t) || !upperText(t) || len([]rune(t)) < 3 {
		return part{}, false, true
	}
	return part{sp: sp, text: t}, true, true
}

// dropTitleCase drops the words at the end of t that are not upper-case, and the commas
// between them ("SỞ Y TẾ Quảng Ngãi," → "SỞ Y TẾ"), narrowing sp to what is left.
func dropTitleCase(t string, sp span) (string, span) {
	ws := strings.Fields(t)
	n := len(ws)
	for n > 0 && !upperText(ws[n-1]) {
		n--
	}
	if n == len(ws) || n == 0 {
		return t, sp
	}
	cut := 0 // the end of the n-th word, found word by word: it may occur earlier in t
	for _, w := range ws[:n] {
		cut += strings.Index(t[cut:], w) + len(w)
	}
	sp.end = sp.start + cut
	return t[:cut], sp
}

// rightColumn returns where the header's right column starts on the page: the left edge of
// the quốc hiệu's first word. ok is false without word boxes or a quốc hiệu, and when the
// quốc hiệu is centred over the text (as some forms print it, the issuer centred under it):
// there is no right column then.
func rightColumn(ls []*line) (int, bool) {
	left, right, found := 0, 0, false
	for _, l := range ls {
		if x0, x1, ok := l.extent(); ok {
			if !found || x0 < left {
				left = x0
			}
			right, found = max(right, x1), true
		}
	}
	for _, l := range ls {
		m := quocHieu.FindStringIndex(l.fold)
		if m == nil {
			continue
		}
		// The quốc hiệu runs from its match to the end of its line.
		st, _ := l.orig(m[0], m[0])
		x0, x1, seen := 0, 0, false
		for _, w := range l.words {
			if w.end <= st {
				continue
			}
			if !seen {
				x0 = w.w.Box[0]
			}
			x1, seen = w.w.Box[2], true
		}
		if !seen {
			return 0, false
		}
		centred := abs(float64(x0+x1)/2-float64(left+right)/2) < 0.1*float64(right-left)
		return x0, !centred
	}
	return 0, false
}

// foldBefore returns the folded offset where the first word of l at or right of x starts,
// or the end of the line when there is none.
func (l *line) foldBefore(x int) int {
	for _, w := range l.words {
		if w.w.Box[0] >= x {
			return sort.Search(len(l.fold), func(i int) bool { return l.off[i] >= w.start })
		}
	}
	return len(l.fold)
}

// newBody reports whether line t of a header or signature block starts a body of its own
// rather than going on with the body above. A body's name is two words at least ("TRƯỜNG"
// alone ends "… VÀ MÔI" above it), and a known body's name broken over lines, or above
// words that cannot end a name (VÀ, CỦA, a comma), goes on whatever the next line says.
func newBody(above, t string) bool {
	if unfinished(above) {
		return false
	}
	f := strings.Join(strings.Fields(record.Fold(t)), " ")
	return bodyWords.MatchString(f) && strings.Contains(f, " ") || startsAgency(t)
}

// unfinished reports whether a body's name cannot end with above: it ends on VÀ, CỦA or a
// comma, or is the start of a known body's name ("SỞ TÀI NGUYÊN VÀ MÔI").
func unfinished(above string) bool {
	return openEnd.MatchString(record.Fold(above)) || unfinishedAgency(above)
}

// part is one line's piece of a body's name.
type part struct {
	sp   span
	text string
}

// joinParts joins the pieces of a name read over several lines.
func joinParts(ps []part) string {
	texts := make([]string, len(ps))
	for i, p := range ps {
		texts[i] = p.text
	}
	return strings.Join(texts, " ")
}

// putText records a value assembled from several lines; its box covers the first line's part.
func (s *state) putText(name, text string, sp span, strength float64) {
	v := record.CollapseSpace(text)
	if v == "" {
		return
	}
	s.put(name, v, true, sp, strength)
}

// upperText reports whether most letters of t are upper-case.
func upperText(t string) bool {
	var up, all int
	for _, r := range t {
		if isLetterRune(r) || r > 0x7f {
			if strings.ToUpper(string(r)) == string(r) && strings.ToLower(string(r)) != string(r) {
				up++
				all++
			} else if strings.ToLower(string(r)) == string(r) && strings.ToUpper(string(r)) != string(r) {
				all++
			}
		}
	}
	return all >= 2 && up*4 >= all*3
}

// subject reads the trích yếu: "V/v …" under the number of a công văn, or the lines under the
// type heading up to the body.
func (s *state) subject(ls []*line, headLine int) {
	for i := 0; i < len(ls) && i < headerLines+5; i++ {
		l := ls[i]
		m := vvLabel.FindStringIndex(l.fold)
		if m == nil {
			continue
		}
		st, _ := l.orig(m[1], m[1])
		st, en := trimValue(l.text, st, len(l.text))
		en = beforeDateLine(l, m[1], st, en)
		parts := []string{l.text[st:en]}
		// A narrow header column wraps a long V/v onto four lines, its last maybe the year
		// alone; what is not the subject stops it below.
		for j := i + 1; j < len(ls) && j <= i+4; j++ {
			n := ls[j]
			t := strings.TrimSpace(n.text)
			// A list item is the recipients' ("- Các sở, ban, ngành;"), which the line
			// finder may put under the V/v when "Kính gửi:" stands beside it.
			if t == "" || bodyStart.MatchString(n.fold) || quocHieu.MatchString(n.fold) || datePlace.MatchString(n.fold) || upperText(t) || separator.MatchString(t) || listItem(t) {
				break
			}
			parts = append(parts, t)
		}
		s.putMended("subject", strings.Join(parts, " "), span{l: l, start: st, end: en}, strengthLabel)
		return
	}
	headed := headLine >= 0
	if !headed {
		// The heading lost under a stamp or a seal ("QIIVẾT ĐỊNH", "KẾ TIN ĐIỆN TỬ CHÍNH
		// PHỦ"): a trích yếu that opens with "Về việc" still starts where it is printed.
		if headLine = veViecLine(ls) - 1; headLine < 0 {
			return
		}
	}
	var parts []string
	var first span
	upper := false
	col, hasCol := columnOf(ls)
	for j := headLine + 1; j < len(ls) && len(parts) < 5; j++ {
		l := ls[j]
		t := strings.TrimSpace(l.text)
		// A short line centred under the heading that the block's middle disowns is the last
		// of a wrapped trích yếu: nothing after it belongs to the subject.
		lastLine := false
		if len(parts) > 0 && hasCol && !col.centred(l) {
			if !headed || !col.shortCentredUnder(l, ls[headLine]) {
				break // the body: justified, its first line indented
			}
			lastLine = true
		}
		if t == "" || separator.MatchString(t) || strings.HasPrefix(t, "(") && len(parts) == 0 {
			if len(parts) > 0 && t != "" {
				break
			}
			continue
		}
		if bodyStart.MatchString(l.fold) || quocHieu.MatchString(l.fold) {
			break
		}
		if len(parts) > 0 && hasCol && j+1 < len(ls) && opensParagraph(l, ls[j+1], col.right-col.left) {
			break // the body's first paragraph, whatever the block's middle says
		}
		u := upperText(t)
		if len(parts) == 0 {
			upper = u
			first = span{l: l, start: strings.Index(l.text, t), end: strings.Index(l.text, t) + len(t)}
		} else if u != upper {
			break // "Về việc …" then "CHỦ TỊCH ỦY BAN NHÂN DÂN …": the enacting authority
		}
		parts = append(parts, t)
		if lastLine {
			break
		}
	}
	if len(parts) > 0 {
		strength := strengthLayout
		if r, _ := utf8.DecodeRuneInString(parts[0]); unicode.IsLower(r) {
			// A trích yếu under the heading opens with a capital ("Về việc", "Quy định",
			// "Hướng dẫn"): one read opening in lower case lost its start ("xà biện pháp …").
			strength = strengthGuess
		}
		s.putMended("subject", strings.TrimSuffix(joinWrapped(parts), "."), first, strength)
	}
}

// beforeDateLine returns where a value on l from st to en ends when the line finder ran it on
// into the date line beside it ("V/v cấp kinh phí … làm việc Lào Cai, ngày 05 tháng 12 năm
// 2019"): before the place that opens that line, since a header field stops at the next header
// element. from is the fold index where the value starts.
func beforeDateLine(l *line, from, st, en int) int {
	m := datePlace.FindStringIndex(l.fold[from:])
	if m == nil {
		return en
	}
	o, _ := l.orig(from+m[0], from+m[0])
	if o <= st || o > en {
		return en
	}
	seg := strings.TrimRight(l.text[st:o], " ,")
	p := placeStart(seg)
	if p == 0 {
		return en // no place before the date: the subject cannot be told from it
	}
	_, e := trimValue(l.text, st, st+p)
	return e
}

// joinWrapped joins the lines of a trích yếu, which ends without a stop (Decree 30). A full stop at the end of a line that the next
// goes on in lower case is a speck read as a dot ("… và tìm." / "kiếm cứu nạn"): a
// sentence does not go on in lower case after its stop, and a trích yếu has no stop inside.
func joinWrapped(parts []string) string {
	out := slices.Clone(parts)
	for i := 1; i < len(out); i++ {
		// A rule or a speck read before a wrapped line ("_ kiếm cứu nạn") is no word of it.
		if t := strings.TrimLeft(out[i], "_~ "); t != "" {
			out[i] = t
		}
	}
	for i := 0; i+1 < len(out); i++ {
		r, _ := utf8.DecodeRuneInString(out[i+1])
		if strings.HasSuffix(out[i], ".") && !strings.HasSuffix(out[i], "..") && unicode.IsLower(r) {
			out[i] = strings.TrimSuffix(out[i], ".")
		}
	}
	return strings.Join(out, " ")
}

// veViec opens a trích yếu: "Về việc …" (Decree 30, Phụ lục I).
var veViec = regexp.MustCompile(`^[^a-z0-9]*ve\s*viec\s`)

// textStart is the first line of a document's text under its header: the legal bases, the
// salutation, an article or a chapter.
var textStart = regexp.MustCompile(`^[^a-z0-9]*(?:can\s*cu\b|kinh\s*gui|dieu\s*\d|chuong\s|noi\s*nhan)`)

// veViecLine returns the header line that opens with "Về việc", or -1: the header ends where
// the text begins.
func veViecLine(ls []*line) int {
	for i := 0; i < len(ls) && i < headerLines; i++ {
		if textStart.MatchString(ls[i].fold) {
			break
		}
		if veViec.MatchString(ls[i].fold) {
			return i
		}
	}
	return -1
}

// recipient reads "Kính gửi: …", or the "- …;" lines under it.
func (s *state) recipient(ls []*line) {
	if _, ok := s.dt.Format("recipient"); !ok {
		return
	}
	for i, l := range ls {
		m := kinhGui.FindStringIndex(l.fold)
		if m == nil {
			// A stamp's or a seal's marks read in front of it ("ị CHẾ. Kính gửi: …"): the
			// label with its colon still names the recipient.
			if m = kinhGuiColon.FindStringIndex(l.fold); m == nil {
				continue
			}
		}
		st, _ := l.orig(m[1], m[1])
		st, en := trimValue(l.text, st, len(l.text))
		if en > st {
			s.putMended("recipient", l.text[st:en], span{l: l, start: st, end: en}, strengthLabel)
			return
		}
		var items []string
		var sp span
		add := func(l *line) {
			a, b := trimValue(l.text, 0, len(l.text))
			if len(items) == 0 {
				sp = span{l: l, start: a, end: b}
			}
			items = append(items, l.text[a:b])
		}
		for _, l := range orphanItems(ls[max(0, i-8):i]) {
			add(l)
		}
		for j := i + 1; j < len(ls) && j <= i+6; j++ {
			if !listItem(ls[j].text) {
				break
			}
			add(ls[j])
		}
		if len(items) > 0 {
			s.putMended("recipient", strings.Join(items, "; "), sp, strengthNextLine)
		}
		return
	}
}

// listItem reports whether t is an item of a list: "- …" or "+ …".
func listItem(t string) bool {
	t = strings.TrimSpace(t)
	return strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+")
}

// orphanItems returns the recipients' items that the line finder put above "Kính gửi:",
// among the header's lines (the first item, printed on the label's line in the right
// column, read before the quốc hiệu): items that end with ";", as all but the last one do.
// The header prints no other list.
func orphanItems(above []*line) []*line {
	var out []*line
	for _, l := range above {
		if listItem(l.text) && strings.HasSuffix(strings.TrimSpace(l.text), ";") {
			out = append(out, l)
		}
	}
	return out
}

// titleWords are the chức vụ a signature block prints above the name.
var titleWords = regexp.MustCompile(`^(?:pho\s*)?(?:chu\s*tich|bo\s*truong|thu\s*truong|giam\s*doc|tong\s*giam\s*doc|thu\s*tuong|truong\s*phong|chanh\s*van\s*phong|chanh\s*an|cuc\s*truong|vu\s*truong|vien\s*truong|hieu\s*truong|truong\s*ban|chu\s*nhiem|tong\s*cuc\s*truong|chanh\s*thanh\s*tra|thong\s*doc|tong\s*kiem\s*toan|truong\s*khoa|thu\s*ky|chu\s*toa|chu\s*tri|tong\s*thu\s*ky|bi\s*thu|truong|pho\s*truong|nguoi\s*ky)`)

// danglingTitle is a title line that cannot end a title: the rest is on the next line.
var danglingTitle = regexp.MustCompile(`^(?:pho|pho\s*tong|tong|chanh|vu|cuc|pho\s*chanh|pho\s*vu|pho\s*cuc|pho\s*truong)$`)

// brokenTitle reports whether first and second are one signer's title printed on two lines:
// first cannot end a title, or is no known title while the two together are.
func brokenTitle(first, second string) bool {
	joined := first + " " + second
	if danglingTitle.MatchString(strings.Join(strings.Fields(record.Fold(first)), " ")) {
		_, near := snapTitle(joined)
		return titleWords.MatchString(record.Fold(joined)) || near
	}
	return !knownTitle(first) && knownTitle(joined)
}

// trimMarks drops from both ends of a signature line what is no letter: a stroke of the
// pen or the seal read as a quote or a dash ('"PHÓ' over 'TRƯỞNG PHÒNG').
func trimMarks(t string, sp span) (string, span) {
	notLetter := func(r rune) bool { return !unicode.IsLetter(r) }
	a := len(t) - len(strings.TrimLeftFunc(t, notLetter))
	b := len(strings.TrimRightFunc(t, notLetter))
	if b <= a {
		return "", span{}
	}
	sp.end = sp.start + b
	sp.start += a
	return t[a:b], sp
}

// scrap reports whether t has no word of two letters or more besides one: every signer's
// title has two syllables at least ("THỦ TƯỚNG", "GIÁM ĐỐC"), and a line of one short word
// under the authority line is the scribble of a signature read as letters.
func scrap(t string) bool {
	words := 0
	for _, f := range strings.Fields(t) {
		n := 0
		for _, r := range f {
			if unicode.IsLetter(r) {
				n++
			}
		}
		if n >= 2 {
			words++
		}
	}
	return words < 2
}

// nameLine matches a person's name: two to six capitalised words.
var nameLine = regexp.MustCompile(`^(?:\p{Lu}[\p{L}]*\.?\s+){1,5}\p{Lu}[\p{L}]*$`)

var notName = regexp.MustCompile(`^(?:noi\s*nhan|luu|nhu\s*(?:tren|dieu)|da\s*ky|ky|ghi\s*ro|dong\s*dau|ban\s*sao|sao\s*y|tm|kt|tl|tuq|q)(?:[^a-z]|$)`)

// signature reads the signature block at the end of the last page or, when that page has
// none (an annex, a list of recipients printed after the text), on the last earlier page
// that prints the "Nơi nhận" the block sits beside.
func (s *state) signature() {
	last := s.lastPage()
	if s.signatureOn(last) {
		return
	}
	for i := len(s.lines) - 1; i >= 0; i-- {
		ls := s.lines[i]
		if len(ls) == 0 || len(last) > 0 && ls[0].page >= last[0].page || !hasNoiNhan(ls) {
			continue
		}
		s.signatureOn(ls)
		return
	}
}

// hasNoiNhan reports whether a page prints a "Nơi nhận:" line.
func hasNoiNhan(ls []*line) bool {
	for _, l := range ls {
		if noiNhan.MatchString(l.text) {
			return true
		}
	}
	return false
}

// signatureOn reads the signature block at the end of page ls and reports whether it found
// one: an authority line, or a title followed by a name.
func (s *state) signatureOn(ls []*line) bool {
	from := max(0, len(ls)-45)
	tail := ls[from:]
	// With an authority prefix: "KT. BỘ TRƯỞNG" / "THỨ TRƯỞNG" / name.
	for i, l := range tail {
		m := authority.FindStringSubmatchIndex(l.fold)
		if m == nil {
			continue
		}
		rs, _ := l.orig(m[1], m[1])
		rest := strings.TrimSpace(l.text[rs:])
		if !upperText(rest) {
			continue
		}
		if innerAuthority(tail, i) {
			// "TM. ỦY BAN NHÂN DÂN" over "KT. CHỦ TỊCH": the deputy signs, so the inner prefix counts.
			continue
		}
		ps, pe := l.orig(m[2], m[3])
		s.put("signing_authority", strings.ToUpper(l.text[ps:pe]), true, span{l: l, start: ps, end: pe}, strengthLabel)
		titleAt := -1
		// The title is within three lines of the authority, not counting the "Nơi nhận"
		// list the line finder may have put between them ("Nơi nhận: TL. CHỦ TỊCH" over
		// "- Như Điều 3;" … "- Lưu: VT." over "CHÁNH VĂN PHÒNG").
		for j, seen := i+1, 0; j < len(tail) && seen < 3; j++ {
			t, sp := trimMarks(listTail(tail[j]))
			if t == "" || notName.MatchString(record.Fold(t)) {
				continue
			}
			seen++
			// A title broken over two lines ("PHÓ" / "GIÁM ĐỐC", "PHÓ CHÁNH" / "VĂN PHÒNG")
			// is one title: the first part alone is no title, the two together are. The
			// first part can look like a name ("PHÓ CHÁNH": two capitalised words), so the
			// pair is tried before the line alone.
			broken := false
			if j+1 < len(tail) && upperText(t) {
				if n, _ := trimMarks(listTail(tail[j+1])); upperText(n) && !authority.MatchString(tail[j+1].fold) && brokenTitle(t, n) {
					t, broken = t+" "+n, true
				}
			}
			if !broken && scrap(t) {
				// A pen signature's strokes read as a letter or two ("TH.") are no title.
				continue
			}
			_, near := snapTitle(t)
			if broken || upperText(t) && (!nameLine.MatchString(t) || titleWords.MatchString(record.Fold(t)) || near) {
				titleAt = j
				if broken {
					titleAt = j + 1
				}
				s.putTitle(t, sp)
				if record.Fold(l.text[ps:pe]) == "kt" {
					s.deputyTitle(rest, sp)
				}
			}
			break
		}
		if titleAt < 0 {
			titleAt = i
			// Only an acting head (Q.) signs under the authority line alone; after KT., TM.,
			// TL. or TUQ. the signer's own title is a line of its own, and the authority
			// line's words are someone else's title or the collective body.
			if record.Fold(l.text[ps:pe]) == "q" {
				s.putText("signer_title", rest, span{l: l, start: rs, end: len(l.text)}, strengthLayout)
			}
		}
		s.signer(tail, titleAt+1)
		return true
	}
	// Without an authority line the block sits by "Nơi nhận", after the body: the enacting
	// authority under the heading ("CHỦ TỊCH ỦY BAN NHÂN DÂN …") is no signer's title.
	for i, l := range tail {
		if noiNhan.MatchString(l.text) {
			tail = tail[max(0, i-2):]
			break
		}
	}
	// Without one: the last chức vụ line followed by a name.
	for i := len(tail) - 1; i >= 0; i-- {
		t, sp := listTail(tail[i])
		if t == "" {
			continue
		}
		if !upperText(t) {
			// The title at the end of a line the "Nơi nhận" column ran into.
			if t, sp = titleAtEnd(t, sp); t == "" {
				continue
			}
		}
		if _, near := snapTitle(t); !near && !titleWords.MatchString(record.Fold(t)) {
			continue
		}
		if s.signer(tail, i+1) {
			s.putTitle(t, sp)
			return true
		}
	}
	return false
}

// innerAuthority reports whether an authority line follows the one at i, next or after the
// rest of a collective body's name wrapped onto a line of its own ("TM. ỦY BAN NHÂN" / "DÂN"
// / "KT. CHỦ TỊCH"): an upper-case line that is no title.
func innerAuthority(tail []*line, i int) bool {
	for j := i + 1; j < len(tail) && j <= i+2; j++ {
		if authority.MatchString(tail[j].fold) {
			return true
		}
		t, _ := trimMarks(listTail(tail[j]))
		if _, title := snapTitle(t); !upperText(t) || title || titleWords.MatchString(record.Fold(t)) {
			return false
		}
	}
	return false
}

// deputyTitle corrects a title read under "KT. <head's title>" that is the head's own title:
// Decree 30 has a deputy sign for (ký thay) the head, so the signer's title is the deputy's,
// "PHÓ GIÁM ĐỐC" under "KT. GIÁM ĐỐC", "THỨ TRƯỞNG" under "KT. BỘ TRƯỞNG"; the line read
// "GIÁM ĐỐC" lost its first word under the seal or to the "Nơi nhận" column. The deputy's
// title is inferred, not read, so it is a guess, kept with what was read, for review.
func (s *state) deputyTitle(head string, sp span) {
	f, ok := s.out["signer_title"]
	h, known := snapTitle(head)
	if !ok || !known || record.Fold(f.Value) != record.Fold(h) {
		return
	}
	deputy := "PHÓ " + h
	if record.Fold(h) == "bo truong" {
		deputy = "THỨ TRƯỞNG"
	}
	if !knownTitle(deputy) {
		return
	}
	read := f.Value
	if f.Read != "" {
		read = f.Read
	}
	delete(s.out, "signer_title")
	s.putCorrected("signer_title", deputy, read, sp, strengthGuess)
}

// titleAtEnd returns the known title that ends t, two words or more, and its span: the
// signature column's title read on one line with the "Nơi nhận" column's words before it.
func titleAtEnd(t string, sp span) (string, span) {
	fs := strings.Fields(t)
	// A pen stroke read as dashes after the title ("BỘTRƯỜNG _") is no part of it.
	for len(fs) > 0 && !strings.ContainsFunc(fs[len(fs)-1], unicode.IsLetter) {
		fs = fs[:len(fs)-1]
	}
	for n := min(len(fs)-1, 5); n >= 1; n-- {
		cand := strings.Join(fs[len(fs)-n:], " ")
		if !upperText(cand) {
			continue
		}
		if n == 1 {
			// One word is a title only with its spaces lost ("BỘTRƯỜNG").
			if k, ok := foldsTogether(cand); !ok || !strings.Contains(k, " ") {
				continue
			}
		} else if !knownTitle(cand) {
			continue
		}
		off := strings.LastIndex(t, fs[len(fs)-n])
		return cand, span{l: sp.l, start: sp.start + off, end: sp.start + off + len(cand)}
	}
	return "", span{}
}

// signer reads the name within a few lines after from; it skips "(Đã ký)" and seal noise.
func (s *state) signer(ls []*line, from int) bool {
	for j := from; j < len(ls) && j < from+6; j++ {
		t, sp := listTail(ls[j])
		if t == "" {
			t, sp = dashedName(ls[j])
		}
		if t == "" || strings.HasPrefix(t, "(") || notName.MatchString(record.Fold(t)) {
			continue
		}
		if titleWords.MatchString(record.Fold(t)) && upperText(t) {
			continue
		}
		if name, st := nameAtEnd(blankQuotes(t)); name != "" && !upperText(name) {
			// Decree 30 prints the signer's name in bold lower case; an upper-case run is a
			// heading, a title or a body's name.
			off := sp.start + st
			s.putText("signer", name, span{l: sp.l, start: off, end: off + len(name)}, strengthLayout)
			return true
		}
	}
	return false
}

var noiNhan = regexp.MustCompile(`^\s*(?i:n[oơ]i\s*nh[aậ]n)\s*:?`)

// listTail drops the "Nơi nhận" list item that OCR ran into the signature column
// ("- Như Điều 3; CHỦ TỊCH") and returns what is left of the line.
func listTail(l *line) (string, span) {
	t := l.text
	st := 0
	if i := strings.LastIndex(t, ";"); i >= 0 {
		st = i + 1
	} else if strings.HasPrefix(strings.TrimSpace(t), "-") || strings.HasPrefix(strings.TrimSpace(t), "+") {
		return "", span{}
	}
	if m := noiNhan.FindStringIndex(t[st:]); m != nil {
		st += m[1]
	}
	a, b := trimValue(t, st, len(t))
	if b <= a {
		return "", span{}
	}
	return t[a:b], span{l: l, start: a, end: b}
}

// dashedName returns the name of line l read between a pen stroke's dashes ("-Hồ Thành Đạt -"),
// which listTail takes for a "Nơi nhận" item: a recipient's item is "- " and a body or a
// group with its small letters ("- Bộ Nội vụ;"), never two to six capitalised words alone.
func dashedName(l *line) (string, span) {
	a := strings.IndexFunc(l.text, unicode.IsLetter)
	b := strings.LastIndexFunc(l.text, unicode.IsLetter)
	if a < 0 || !strings.HasPrefix(strings.TrimSpace(l.text), "-") {
		return "", span{}
	}
	_, n := utf8.DecodeRuneInString(l.text[b:])
	t := l.text[a : b+n]
	if !nameLine.MatchString(t) || upperText(t) {
		return "", span{}
	}
	return t, span{l: l, start: a, end: b + n}
}

// quoteMarks are read before a word of a signer's name from the stroke of a pen signature
// above it ("Đào Mạnh 'Thịnh"); no Vietnamese name has one.
var quoteMarks = strings.NewReplacer("'", " ", "\"", " ", "‘", "   ", "’", "   ", "“", "   ", "”", "   ")

// blankQuotes turns the quote marks of t into spaces, byte for byte, so offsets in t hold.
func blankQuotes(t string) string { return quoteMarks.Replace(t) }

// nameAtEnd returns the trailing run of two to six capitalised words of t and its offset.
func nameAtEnd(t string) (string, int) {
	if nameLine.MatchString(t) {
		return t, 0
	}
	fs := strings.Fields(t)
	n := 0
	for i := len(fs) - 1; i >= 0 && n < 6; i-- {
		if !nameLine.MatchString(fs[i] + " " + fs[i]) {
			break
		}
		n++
	}
	if n < 2 {
		return "", 0
	}
	name := strings.Join(fs[len(fs)-n:], " ")
	return name, strings.LastIndex(t, fs[len(fs)-n])
}

// putTitle records a signer's title, corrected to the known title it misses by one letter
// when that title is the only one so near ("GHỦ TỊCH" → "CHỦ TỊCH"); the correction is kept
// on the field's evidence as a lower finding strength.
func (s *state) putTitle(t string, sp span) {
	if fixed, ok := snapTitle(t); ok && fixed != t {
		s.putCorrected("signer_title", fixed, t, sp, strengthLayout*strengthCorrected)
		return
	}
	s.putText("signer_title", t, sp, strengthLayout)
}
