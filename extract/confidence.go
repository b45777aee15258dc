package extract

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/sohoa/sohoa/model"
	"github.com/sohoa/sohoa/record"
	"golang.org/x/text/unicode/norm"
)

// A field's confidence is a calibrated probability that its value is exactly right. The
// extractor first scores the evidence (OCR confidence of the words times how strongly the
// value was found, see put); Calibrated then maps that score, together with whether the
// value validates and whether it is plausible for its field, through a logistic model per
// field family whose coefficients were fitted offline on generated sets with development
// seeds (`sohoa eval --seed S --fit-out rows.jsonl`, then `sohoa eval --fit rows.jsonl`) and
// are committed below, so the model is small, explainable and reproducible.

// Families group fields whose evidence behaves alike; each has its own coefficients.
const (
	FamilyDate    = "date"    // dates
	FamilyID      = "id"      // identity numbers, tax codes, parcel and document numbers
	FamilyName    = "name"    // a person's name
	FamilySigner  = "signer"  // the signer's name, read from the signature block
	FamilyIssuer  = "issuer"  // the agency that issued the document
	FamilyTitle   = "title"   // the signer's title
	FamilyChoice  = "choice"  // one of a few fixed values: yes/no, sex, the signing authority
	FamilySubject = "subject" // the trích yếu of an issued document
	FamilyText    = "text"    // everything else (places, addresses, relations …)
)

// choiceFields are the text fields whose value is one of a few fixed codes the extractor
// matches whole (KT, TM, TL, TUQ, Q): such a value is wrong only when another code was
// printed, so its evidence is not that of free text, where one slipped mark makes it wrong.
var choiceFields = map[string]bool{"signing_authority": true}

// Family returns the family of field name whose taxonomy format is format.
func Family(name, format string) string {
	switch {
	case name == "signer":
		return FamilySigner
	case name == "subject":
		return FamilySubject
	case name == "issuer":
		return FamilyIssuer
	case strings.HasSuffix(name, "_title"):
		return FamilyTitle
	case format == "bool" || format == "sex" || choiceFields[name]:
		return FamilyChoice
	case format == "date":
		return FamilyDate
	case format == "name":
		return FamilyName
	case format == "text" || format == "":
		return FamilyText
	default:
		return FamilyID
	}
}

// Kind returns the kind of value a family's fields hold, for the checks that look at the value
// itself (plausibility, mending, word pairs): the signer is a person's name and the subject
// free text, though each is calibrated on its own. Their evidence is not that of the other
// fields of their kind: the signer is read from the signature block's layout (its finding
// strength is strengthLayout, under a label's) and is rarely wrong, the trích yếu is a long
// line or several under the heading or after V/v; fitted with the rest of their kind, both
// were held under the threshold whatever they showed.
func Kind(family string) string {
	switch family {
	case FamilySigner:
		return FamilyName
	case FamilySubject:
		return FamilyText
	}
	return family
}

// Evidence is what the calibration model sees of one field: its own evidence and two facts
// about the document it was read from.
type Evidence struct {
	Family    string  `json:"family"`
	Score     float64 `json:"score"`     // the raw evidence score, 0–1 (OCR confidence × finding strength)
	Valid     bool    `json:"valid"`     // the value passed its format's validation
	Plausible bool    `json:"plausible"` // the value looks like what the field holds
	// TypeConfidence is the classifier's confidence in the document's type (1 when the type
	// was given, not classified): a page whose heading and number disagree or are unreadable
	// is a page whose other lines were read badly too.
	TypeConfidence float64 `json:"type_confidence"`
	// NumberMismatch says the number's type code is not the document type's (a decision
	// numbered …/TB-…, a handwritten number read as "7/Ô"): Decree 30 makes them agree, so
	// the header was misread.
	NumberMismatch bool `json:"number_mismatch"`
	// Unfamiliar counts the value's word pairs no right value of the trained lexicon has
	// (model.Model.Unfamiliar): a diacritic slip that makes another real word.
	Unfamiliar float64 `json:"unfamiliar"`
	// FieldRate is the field's record in the trained model (model.Model.FieldRate): how often
	// this field of this type was right before, as a logit relative to 90%.
	FieldRate float64 `json:"field_rate"`
}

// features are the model inputs: intercept, logit of the score, invalid, implausible, logit
// of the type confidence, number mismatch, unfamiliar word pairs, the field's record.
func (e Evidence) features() [8]float64 {
	f := [8]float64{1, logit(e.Score), 0, 0, logit(e.TypeConfidence), 0, e.Unfamiliar, e.FieldRate}
	if e.Family == FamilyChoice {
		// Recognition's confidence in a short code ("KT.", a few pixels of ink) says little:
		// such values were right 297 times of 297 on the development sets (html 1818-1820
		// and 501, native 101) with raw scores from 0.28 to 0.97; a misread code is not
		// matched at all. Whether the document is of the type read is what counts.
		f[1] = 0
	}
	if !e.Valid {
		f[2] = 1
	}
	if !e.Plausible {
		f[3] = 1
	}
	if e.NumberMismatch {
		f[5] = 1
	}
	return f
}

func logit(p float64) float64 {
	p = min(max(p, 0.01), 0.99)
	return math.Log(p / (1 - p))
}

// Features returns the model inputs of e (for fitting the coefficients).
func (e Evidence) Features() []float64 { f := e.features(); return f[:] }

// Calibrated returns the probability that a field with evidence e is exactly right: by the
// model in use (model.Active, trained by `sohoa train`) when it calibrates e's family, else by
// the committed table.
func Calibrated(e Evidence) float64 {
	p := calibrated(e)
	if e.Family != FamilyChoice && e.Score <= strengthGuess {
		// A value found by no label or place (a guess), or whose digits were filled in by
		// hand or read unsure (issue 18), is never a sure value: the few such values a fit
		// sees leave its weight to the document's type confidence, which vouched for a
		// hand-filled number at 0.97. It keeps at most its own evidence score.
		p = min(p, e.Score)
	}
	return p
}

// calibrated is the logistic calibration of e by the model in use, else the committed table.
func calibrated(e Evidence) float64 {
	f := e.features()
	if p, ok := model.Active().Probability(e.Family, f[:]); ok {
		return p
	}
	w, ok := calibration[e.Family]
	if !ok {
		w = calibration[FamilyText]
	}
	z := 0.0
	for i := range f {
		z += w[i] * f[i]
	}
	return 1 / (1 + math.Exp(-z))
}

// rawConfidence, when set, makes Extract report the uncalibrated evidence score as a
// field's confidence: the input the coefficients are fitted on. Only `sohoa eval --fit-out`
// sets it, before any extraction starts.
var rawConfidence bool

// SetRawConfidence switches Extract between calibrated (false, the default) and raw scores.
// It must be called before extraction starts; it is not safe to call concurrently with it.
func SetRawConfidence(raw bool) { rawConfidence = raw }

// plausible reports whether value looks like what field name of the given family holds:
// an issuer is an agency name, not a code; a person's name is letters and starts with a
// Vietnamese surname; free text has no mark the syllable model would change; a title comes
// from the known list of titles (with any KT./TM./Q./TL./TUQ. prefix removed).
func plausible(family, value string) bool {
	switch Kind(family) {
	case FamilyIssuer:
		if knownAgency(value) {
			return true // "BỘ Y TẾ" is short, but a body the closed vocabulary names
		}
		if !wellFormedIssuer(value) {
			return false
		}
		letters, digits, words := 0, 0, len(strings.Fields(value))
		for _, r := range value {
			switch {
			case unicode.IsLetter(r):
				letters++
			case unicode.IsDigit(r):
				digits++
			}
		}
		return words >= 2 && letters >= 6 && digits*5 < letters
	case FamilyName:
		words := strings.Fields(value)
		if len(words) < 2 || len(words) > 12 {
			return false
		}
		for _, r := range value {
			if !unicode.IsLetter(r) && r != ' ' {
				return false
			}
		}
		for _, w := range words {
			if vowelGroups(w) > 1 {
				return false // two syllables run together ("BÍCHUYÊN"): a space was lost
			}
			if misspelt(w) {
				return false // "VIET" for "VIỆT", "LIEN" for "LIÊN": a mark lost
			}
		}
		// "Trân Đức Quân": the surname's mark lost, or the surname cut off; "Huỳnh Mai Vần": a
		// given name's.
		return knownSurname(value) && !uncommonName(value)
	case FamilyID:
		// Numbers, codes and serials are letters, digits and their separators; "$", "§" or a
		// quote in one is a misread character.
		for _, r := range value {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(" /.-&,", r) {
				return false
			}
		}
		return true
	case FamilyTitle:
		return knownTitle(value)
	case FamilyText:
		if family == FamilySubject && (suspect(value) || splitSyllable(value) || cutShort(value) || misshapenSubject(value)) {
			return false
		}
		return !slipped(value) && !unknownProvinceAtEnd(value) && !runTogether(value) && !twoTones(value) &&
			!strings.ContainsFunc(value, strayInText) && !strayApostrophe(value) && !mixedCase(value) &&
			!slices.ContainsFunc(strings.Fields(value), func(w string) bool {
				return badFinal(strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }))
			})
	}
	return true
}

// titledInCapitals are the types whose name stands in capitals under the type heading
// ("LUẬT / LƯU TRỮ"); every other trích yếu is in sentence case (Decree 30, Phụ lục I).
var titledInCapitals = map[string]bool{"luat": true, "phap_lenh": true}

// plausibleIn is plausible for a field of a document of type docType: a trích yếu all in
// capitals ("ÔNG THÔNG TỊN ĐIỆN TỬ CHÍNH PHỦ", the portal's stamp) is not one, but for a
// law's or an ordinance's name.
func plausibleIn(docType, family, value string) bool {
	if family == FamilySubject && upperText(value) && !titledInCapitals[docType] {
		return false
	}
	return plausible(family, value)
}

// specked is a stop or a colon that a word of running text follows in lower case ("giải
// quyết: thủ. tục"): a trích yếu is one phrase, so such a mark inside it is a speck.
var specked = regexp.MustCompile(`\p{L}[.:]\s+\p{Ll}`)

// misshapenSubject reports whether a trích yếu breaks the shape Decree 30 gives it: one
// phrase, without a stop or colon inside it (specked), and with none of the signs the titles
// of the real legal texts in shared/data/vbpl never use ("&fột" for một).
func misshapenSubject(v string) bool {
	return specked.MatchString(v) || strings.ContainsRune(v, '&') || strayEnd(v)
}

// strayEnd reports whether a trích yếu ends on a speck: a mark with no letter or digit ("…
// các cơ quan, đơn vị -", a pen stroke or the seal's edge read after it), or a lone letter
// after a number ("… năm 2025 L"), which no title ends with.
func strayEnd(v string) bool {
	ws := strings.Fields(v)
	if len(ws) < 2 {
		return false
	}
	last, prev := ws[len(ws)-1], ws[len(ws)-2]
	if !strings.ContainsFunc(last, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		return !strings.ContainsAny(last, ")”\"")
	}
	lone := len([]rune(last)) == 1 && unicode.IsLetter([]rune(last)[0])
	return lone && strings.IndexFunc(prev, func(r rune) bool { return !unicode.IsDigit(r) }) < 0
}

// twoTones reports whether a word of v carries two tone marks ("Hàò Nội", "@iệó"): a
// Vietnamese syllable has one at most, so OCR read a speck as a mark or joined two syllables.
func twoTones(v string) bool {
	for _, w := range strings.Fields(v) {
		if toneMarks(w) > 1 {
			return true
		}
	}
	return false
}

// strayInText reports whether r is a sign that Vietnamese administrative text does not use
// and OCR makes of a speck or a damaged letter ("1$ 5/2020" for 183/2020, "Về @iệó" for Về
// việc, "chỉ ¡ tiết"): the titles of the real legal texts in shared/data/vbpl use only
// / , - . ; : ( ) “ ” – and %.
func strayInText(r rune) bool {
	return strings.ContainsRune("$@¡¿§©®¢¥€£~^|\\#¶¤µ«»", r)
}

// mixedCase reports whether a word of v has a capital after a small letter ("căn CƯớC" read
// for cước, "CƯớC"): words are printed in lower case, capitalised or in capitals, and a
// code with small letters keeps them last ("TTr", "TTg"), so such a word was misread.
func mixedCase(v string) bool {
	prevLower := false
	for _, r := range v {
		if unicode.IsUpper(r) && prevLower {
			return true
		}
		prevLower = unicode.IsLower(r)
	}
	return false
}

// strayApostrophe reports whether v holds an apostrophe that is not one of the Central
// Highlands' names, always between two capitals ("H'Mông", "Đắk R'Lấp", "Ksor H'Bơ"): OCR
// reads a broken letter's hook so ("Hu 'ng Đạo" for Hưng Đạo).
func strayApostrophe(v string) bool {
	rs := []rune(v)
	for i, r := range rs {
		if r != '\'' && r != '’' {
			continue
		}
		if i == 0 || i+1 == len(rs) || !unicode.IsUpper(rs[i-1]) || !unicode.IsUpper(rs[i+1]) {
			return true
		}
	}
	return false
}

// wellFormedIssuer reports whether an issuer that is not a known body whole could be one:
// every word a Vietnamese syllable (one tone mark at most, and a syllable closed by c, ch, p
// or t carrying the sắc or nặng tone: "HẢÁI CHÂT" is no commune's name), and a province
// named after TỈNH a known one ("… TỈNH THỪA THIÊN HUẾ ĐỘ BẠN, CƯỜNG" ran on into what the seal
// left of the next line).
func wellFormedIssuer(v string) bool {
	words := strings.Fields(v)
	for _, w := range words {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
		if misspelt(w) {
			return false
		}
	}
	for i, w := range words[:max(len(words)-1, 0)] {
		if i > 0 && vocabKey(w) == "tinh" {
			if _, ok := nearest(provinces, vocabKey(strings.Join(words[i+1:], " "))); !ok {
				return false
			}
		}
	}
	return !strings.ContainsFunc(v, strayInName) && !runOnBody(words) && !localityFirst(words)
}

// localityFirst reports whether a body's name opens with its locality ("TỈNH BÀ RỊA - VŨNG TÀU
// ỦY BAN NHÂN DÂN XÃ …": the parent's locality line read into the issuer): a body names itself
// first and its locality after, but for the party's and the youth union's committees named
// by their level ("TỈNH ỦY", "HUYỆN ĐOÀN").
func localityFirst(words []string) bool {
	if len(words) < 2 {
		return false
	}
	first, second := vocabKey(words[0]), vocabKey(words[1])
	if first == "thanh" || first == "thi" {
		if len(words) < 3 || second != "pho" && second != "xa" && second != "tran" {
			return false
		}
		second = vocabKey(words[2])
	}
	return localityWord.MatchString(first) && second != "uy" && second != "doan"
}

// strayInName reports whether r has no place in the name of a body: agency names are
// letters, digits ("BỆNH VIỆN 175") and the punctuation of their lists; a colon, a quote, an
// "@" or a "§" is noise read into it ("SỞ KHOA HỌC: VÀ CÔNG NGH 920 "Z@").
func strayInName(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsSpace(r) && !unicode.Is(unicode.Mn, r) && !strings.ContainsRune(",.-–()", r)
}

// runOnBody reports whether words are a known body followed by words that are not its
// locality ("PHÒNG ĐĂNG KÝ KINH DOANH LÀN"): after a body's name the header names only where
// it is (TỈNH …, XÃ …), unless the body's own name ends with that word ("THANH TRA TỈNH").
func runOnBody(words []string) bool {
	for n := len(words) - 1; n >= 1; n-- {
		if !knownAgency(strings.Join(words[:n], " ")) {
			continue
		}
		last := vocabKey(words[n-1])
		if last == "tinh" || last == "thanhpho" || last == "pho" {
			return false
		}
		rest := strings.Join(words[n:], " ")
		for _, lw := range localityWords {
			k := vocabKey(rest)
			if strings.HasPrefix(k, lw.key) {
				return false
			}
		}
		return true
	}
	return false
}

// toneMarks counts the tone marks of a word (the circumflex, breve and horn are not tones).
func toneMarks(w string) int {
	n := 0
	for _, r := range norm.NFD.String(w) {
		switch r {
		case '\u0300', '\u0301', '\u0303', '\u0309', '\u0323':
			n++
		}
	}
	return n
}

// misspelt reports whether word w breaks a rule of Vietnamese spelling that a syllable of a
// name never breaks: two tone marks, a checked syllable's tone, a hatted diphthong, a final.
func misspelt(w string) bool {
	return toneMarks(w) > 1 || !checkedToneOK(w) || !hattedDiphthong(w) || badFinal(w) || noRhyme(w)
}

// impossibleRhyme is a vowel followed by what never follows it in a Vietnamese syllable: i
// after â, ă or ê ("ĐẾI", the received stamp's ĐẾN misread; the language writes ây, ay, êu),
// y after ă or ê, and ă ending a syllable; on the letters with their tone marks taken off.
var impossibleRhyme = regexp.MustCompile(`[âăê]i|[ăê]y|ă$`)

// noRhyme reports whether word w holds an impossible rhyme (see impossibleRhyme).
func noRhyme(w string) bool { return impossibleRhyme.MatchString(toneless(w)) }

// toneless is w in lower case without its tone marks; the vowels' own marks (â, ê, ư …) stay.
func toneless(w string) string {
	return norm.NFC.String(strings.Map(func(r rune) rune {
		switch r {
		case '\u0300', '\u0301', '\u0303', '\u0309', '\u0323':
			return -1
		}
		return r
	}, norm.NFD.String(strings.ToLower(w))))
}

// badFinal reports whether word w breaks a rule of Vietnamese spelling: the finals nh and ch
// follow only a, ê, i and y ("anh", "ênh", "inh", "uynh", "ach", "ếch", "ích"), so "Nữnh" for
// Ninh, "Thânh", "Đôch" are misreadings. Words without a mark may be loan words and pass.
func badFinal(w string) bool {
	if !hasDiacritics(w) {
		return false
	}
	base := []rune(toneless(w))
	n := len(base)
	if n < 3 || base[n-1] != 'h' || base[n-2] != 'n' && base[n-2] != 'c' {
		return false
	}
	return !strings.ContainsRune("aêiy", base[n-3])
}

// minSlipWords is the fewest words a free-text value needs before the syllable model's wish
// to change a mark counts against it: with less context ("Con dâu") the model guesses.
const minSlipWords = 4

// slipped reports whether the syllable model (package spell, counted from real legal texts)
// would change a mark in free text v: a slip that makes another real syllable ("dữ liệu dần
// cư" for "dân cư") passes every other check, and in a field the extractor does not mend
// itself it stays in the value.
func slipped(v string) bool {
	if len(strings.Fields(v)) < minSlipWords {
		return false
	}
	_, changed := mend(v)
	return changed
}

// runTogether reports whether free text v holds two Vietnamese syllables read as one word
// ("kết quảhồ sơ": a space lost): a word with a Vietnamese mark is one syllable, one group
// of vowels. Words without marks may be loan words ("Internet") and are not judged.
func runTogether(v string) bool {
	for _, w := range strings.Fields(v) {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
		if hasDiacritics(w) && vowelGroups(w) > 1 {
			return true
		}
	}
	return false
}

// knownAgency reports whether v is, whole, a body of the closed vocabulary of issuers.
func knownAgency(v string) bool {
	k := vocabKey(v)
	return slices.ContainsFunc(agencies, func(a string) bool { return vocabKey(a) == k })
}

// titles are the signers' titles the domain spec lists (head and deputy forms).
var titles = []string{
	"chủ tịch", "phó chủ tịch", "bộ trưởng", "thứ trưởng", "giám đốc", "phó giám đốc",
	"chánh văn phòng", "phó chánh văn phòng", "trưởng phòng", "phó trưởng phòng",
	"tổng giám đốc", "phó tổng giám đốc", "cục trưởng", "phó cục trưởng", "vụ trưởng",
	"phó vụ trưởng", "thủ tướng", "phó thủ tướng", "chủ nhiệm", "phó chủ nhiệm",
	"tổng cục trưởng", "phó tổng cục trưởng", "chánh án", "phó chánh án", "viện trưởng",
	"phó viện trưởng", "hiệu trưởng", "phó hiệu trưởng", "trưởng ban", "phó trưởng ban",
	"bí thư", "phó bí thư", "chi cục trưởng", "phó chi cục trưởng", "thủ trưởng",
	"công chức tư pháp - hộ tịch", "công chức tư pháp – hộ tịch", "trưởng công an", "cán bộ hộ tịch",
}

var foldedTitles = func() []string {
	out := make([]string, len(titles))
	for i, t := range titles {
		out[i] = record.Fold(t)
	}
	return out
}()

// knownTitle reports whether v is a known title, alone or followed by its unit ("GIÁM ĐỐC
// SỞ TƯ PHÁP"). An authority prefix (KT., TM. …) is not the signer's own title.
func knownTitle(v string) bool {
	l := record.CollapseSpace(record.Fold(v))
	for _, p := range []string{"kt.", "tm.", "q.", "tl.", "tuq.", "ktl."} {
		if strings.HasPrefix(l, p) {
			return false
		}
	}
	for _, t := range foldedTitles {
		if l == t || strings.HasPrefix(l, t+" ") {
			return true
		}
	}
	return false
}

// calibrate replaces every field's raw score by its calibrated probability.
func (s *state) calibrate() {
	if rawConfidence {
		return
	}
	doc := DocEvidence(s.dt, s.typeConfidence(), s.out)
	for name, f := range s.out {
		format, _ := s.dt.Format(name)
		e := EvidenceOf(name, format, f, doc)
		f.Confidence = reported(e)
		s.out[name] = f
	}
}

// typeConfidence is the classifier's confidence in the type being extracted, or 1 when the
// classifier would choose another type (the type was set by a clerk or a caller).
func (s *state) typeConfidence() float64 {
	c := s.e.cls.Classify(s.pages)
	if c.Type != s.dt.Code {
		return 1
	}
	return c.Confidence
}

// Doc is the document-level evidence every field of one document shares.
type Doc struct {
	Type           string
	TypeConfidence float64
	NumberMismatch bool
	// CodeMismatch says the number's body code is not the issuer's initials (see
	// issuerCodeMismatch): one of the two was misread.
	CodeMismatch bool
}

// DocEvidence returns the document-level evidence of fields extracted as type dt with
// classifier confidence typeConf.
func DocEvidence(dt record.DocType, typeConf float64, fields record.Fields) Doc {
	d := Doc{Type: dt.Code, TypeConfidence: typeConf}
	if n, ok := fields["number"]; ok && len(dt.Abbr) > 0 {
		d.NumberMismatch = !slices.Contains(dt.Abbr, numberTypeCode(n.Value))
	}
	if n, ok := fields["number"]; ok {
		if is, ok := fields["issuer"]; ok {
			d.CodeMismatch = issuerCodeMismatch(is.Value, n.Value, dt.Abbr)
		}
	}
	return d
}

// localityWord opens the locality after a body's own name ("ỦY BAN NHÂN DÂN | TỈNH LÀO CAI"),
// which the body's code leaves out (UBND).
var localityWord = regexp.MustCompile(`^(?:tinh|thanh|huyen|quan|xa|phuong|thi)$`)

// issuerCodeMismatch reports whether the ký hiệu of number names another body than issuer.
// Decree 30 (Phụ lục I) writes the issuing body's abbreviation in the number (12/QĐ-UBND,
// 306/SNNMT-VP, 08/2019/TT-BGDĐT), made of the initials of its name without "và" and
// without the locality (SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG: SNNMT; ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ:
// UBND). When no segment of the ký hiệu is the issuer's initials, one of the two was misread:
// an issuer read from the line above a lost one, a code cut short ("540/TTr-SN"). Empty
// values and a number without a ký hiệu say nothing.
func issuerCodeMismatch(issuer, number string, typeCodes []string) bool {
	i := strings.LastIndex(number, "/")
	ini := initials(issuer)
	if i < 0 || issuer == "" || len(ini) < 2 {
		return false
	}
	var codes []string
	for _, seg := range strings.Split(number[i+1:], "-") {
		// A session or a year in the code ("QH15") is no letter of the body's name.
		seg = strings.TrimRightFunc(seg, unicode.IsDigit)
		if seg != "" && !slices.Contains(typeCodes, seg) {
			codes = append(codes, record.Fold(seg))
		}
	}
	if len(codes) == 0 {
		return false
	}
	// A body's kind may be left out of its code ("CỤC VĂN THƯ VÀ LƯU TRỮ NHÀ NƯỚC":
	// VTLTNN), and the Prime Minister signs as TTg.
	for _, c := range codes {
		if c == ini || c == ini[1:] || ini == "ttcp" && c == "ttg" {
			return false
		}
	}
	return true
}

// initials returns the folded initials of a body's name up to its locality, without "và".
func initials(name string) string {
	var b strings.Builder
	ws := strings.FieldsFunc(record.Fold(name), func(r rune) bool { return !unicode.IsLetter(r) })
	for i, w := range ws {
		// "NGÂN HÀNG NHÀ NƯỚC VIỆT NAM" is NHNN: the country, like a locality, is left out.
		if i > 0 && (localityWord.MatchString(w) || w == "viet" && i+1 < len(ws) && ws[i+1] == "nam") {
			break
		}
		if w != "va" {
			b.WriteString(w[:1])
		}
	}
	return b.String()
}

// numberTypeCode is the type segment of a số và ký hiệu: "QĐ" in 12/QĐ-UBND and in
// 12/2024/QĐ-UBND, "" when the number has none.
func numberTypeCode(v string) string {
	i := strings.LastIndex(v, "/")
	if i < 0 {
		return ""
	}
	code, _, _ := strings.Cut(v[i+1:], "-")
	return code
}

// reported is the confidence stored for evidence e, in hundredths. It is never 0 or 1: 1.00
// would claim that no check could ever be wrong.
func reported(e Evidence) float64 { return round2(min(max(Calibrated(e), 0.01), 0.99)) }

// wordy are the families whose values are words, for which word pairs mean something.
var wordy = map[string]bool{FamilyText: true, FamilyIssuer: true, FamilyName: true, FamilyTitle: true}

// EvidenceOf returns the evidence of field f (whose Confidence is still the raw score) of a
// document with evidence doc.
func EvidenceOf(name, format string, f record.Field, doc Doc) Evidence {
	fam := Family(name, format)
	e := Evidence{Family: fam, Score: f.Confidence, Valid: f.Valid, Plausible: plausibleIn(doc.Type, fam, f.Value),
		TypeConfidence: doc.TypeConfidence, NumberMismatch: doc.NumberMismatch, FieldRate: model.Active().FieldRate(doc.Type, name)}
	if doc.CodeMismatch && (name == "issuer" || name == "number") {
		e.Plausible = false // the issuer and the number's code disagree: which is wrong is not known
	}
	if wordy[Kind(fam)] {
		e.Unfamiliar = model.Active().Unfamiliar(f.Value)
	}
	return e
}

// vowelGroups counts the runs of vowels in a word. A Vietnamese syllable has one (the nucleus,
// with a glide: "uyê", "oa", "iê"), so a word of a Vietnamese name with two was two syllables
// that OCR joined.
func vowelGroups(w string) int {
	n, in := 0, false
	for _, r := range record.Fold(w) {
		v := strings.ContainsRune("aeiouy", r)
		if v && !in {
			n++
		}
		in = v
	}
	return n
}

// checkedToneOK applies a rule of Vietnamese spelling: a syllable closed by c, ch, p or t
// carries the sắc or nặng tone ("Việt", "Phúc", "Đạt"), so a name word closed so without
// either lost a mark in recognition. Words of other shapes pass.
func checkedToneOK(w string) bool {
	f := record.Fold(w)
	if vowelGroups(w) != 1 || !(strings.HasSuffix(f, "c") || strings.HasSuffix(f, "ch") || strings.HasSuffix(f, "p") || strings.HasSuffix(f, "t")) {
		return true
	}
	d := norm.NFD.String(w)
	return strings.ContainsRune(d, '\u0301') || strings.ContainsRune(d, '\u0323')
}

// bareDiphthong is a diphthong written without the mark Vietnamese spelling gives it: iê and
// yê always wear the circumflex ("Liên", "Yến"), and uô or ươ before a final consonant
// ("Muốn", "Trường"); on the letters with their tone marks taken off.
var bareDiphthong = regexp.MustCompile(`[iy]e|uo[cmnpt]`)

// hattedDiphthong reports whether the diphthongs of word w wear their marks: "KIM LIEN" lost
// the circumflex of LIÊN, which no Vietnamese syllable goes without.
func hattedDiphthong(w string) bool { return !bareDiphthong.MatchString(toneless(w)) }

// provinceAtEnd is a text that ends with "tỉnh" and a capitalised name: an address's last
// segment, or a subject's "… trên địa bàn tỉnh Quảng Ninh".
var provinceAtEnd = regexp.MustCompile(`(?:^|[\s,])[Tt]ỉnh\s+(\p{Lu}[\p{L}\s-]*)$`)

// unknownProvinceAtEnd reports whether text ends with a province that is none: OCR or the line
// finder cut its name ("…, tỉnh Đắk" for Đắk Lắk) or ran it on.
func unknownProvinceAtEnd(text string) bool {
	m := provinceAtEnd.FindStringSubmatch(strings.TrimRight(text, " .;"))
	if m == nil {
		return false
	}
	_, ok := nearest(provinces, vocabKey(m[1]))
	return !ok
}
