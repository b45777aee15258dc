package extract

import (
	"regexp"
	"strings"
	"time"

	"github.com/sohoa/sohoa/classify"
	"github.com/sohoa/sohoa/record"
)

// form describes how a labelled form is read: its labels, the sections some labels open (the
// mother's block of a birth certificate), and which field each label fills in each section.
type form struct {
	labels []labelDef
	opens  map[string]string
	// fields maps "section.kind" to a field; "*.kind" applies in every section, "kind" only
	// outside any section.
	fields map[string]string
	// columns marks a two-column form; colSections names the sections of the left and right
	// columns.
	columns     bool
	colSections [2]string
	// multiline fields may go on to the next line when it holds no label.
	multiline map[string]bool
}

func (f *form) field(section, kind string) string {
	if v, ok := f.fields[section+"."+kind]; ok {
		return v
	}
	if v, ok := f.fields["*."+kind]; ok {
		return v
	}
	if section == "" {
		return f.fields[kind]
	}
	return ""
}

// Label patterns shared by several forms, on folded text.
const (
	pName    = `(?:h|ii)o\s*,?\s*(?:chu\s*dem\s*,?\s*)?(?:va\s*)?ten`                       // "Họ" read "IIo" too
	pDOB     = `(?:ngay\s*,?\s*thang\s*,?\s*nam\s*sinh|ngay\s*sinh|sinh\s*ngay|nam\s*sinh)` // the last when OCR garbled "Ngày, tháng,"
	pRegNo   = `^[^a-z0-9]*so\s*[:.]`
	pIDNum   = `so\s*dinh\s*danh\s*ca\s*nhan`
	pIDPaper = `giay\s*to\s*tuy\s*than`
)

// clipped matches label p at the start of a line whose first letters the scan's edge or
// OCR lost ("ôi tên là:", "øày sinh:", "ja chỉ:"): up to two characters of anything before
// the rest of the label.
func clipped(p string) string {
	return `^[^a-z0-9]*\S{0,2}` + p
}

func stops(patterns ...string) []labelDef {
	out := make([]labelDef, len(patterns))
	for i, p := range patterns {
		out[i] = lbl("stop", p)
	}
	return out
}

func buildForms() map[string]*form {
	common := stops(`dan\s*toc`, `quoc\s*tich`, `ghi\s*bang\s*chu`, `noi\s*cu\s*tru(?:\s*cuoi\s*cung)?`, `quan\s*he\s*voi[a-z\s]*`, `ghi\s*chu`, `ton\s*giao`, `nghe\s*nghiep`)
	return map[string]*form{
		"giay_khai_sinh": {
			labels: append([]labelDef{
				lbl("mother", pName+`\s*(?:nguoi\s*)?me`), lbl("father", pName+`\s*(?:nguoi\s*)?cha`),
				lbl("decl", pName+`\s*nguoi\s*(?:di\s*)?(?:khai\s*sinh|yeu\s*cau|dang\s*ky)`),
				lbl("name", pName+`(?:\s*khai\s*sinh)?`), lbl("dob", pDOB),
				lbl("sex", `gioi\s*tinh`), lbl("eth", `dan\s*toc`), lbl("nat", `quoc\s*tich`),
				lbl("pob", `noi\s*sinh`), lbl("origin", `que\s*quan`), lbl("id", pIDNum),
				lbl("stop", pIDPaper), lbl("regplace", `noi\s*dang\s*ky(?:\s*khai\s*sinh)?|(?:da\s*)?dang\s*ky\s*khai\s*sinh\s*tai`),
				lbl("regdate", `ngay\s*,?\s*thang\s*,?\s*nam\s*dang\s*ky|ngay\s*dang\s*ky`),
				lbl("regno", pRegNo), lbl("book", `quyen\s*so`),
			}, common...),
			opens: map[string]string{"mother": "mother", "father": "father", "decl": "decl", "regplace": "reg"},
			fields: map[string]string{
				"name": "full_name", "dob": "date_of_birth", "sex": "sex", "eth": "ethnicity", "nat": "nationality",
				"pob": "place_of_birth", "origin": "place_of_origin", "id": "id_number",
				"*.mother": "mother_name", "*.father": "father_name", "mother.dob": "mother_birth_year", "father.dob": "father_birth_year",
				"*.regplace": "registration_place", "*.regdate": "registration_date", "regno": "registration_number",
				"reg.regno": "registration_number", "*.book": "book_number",
			},
			multiline: map[string]bool{"place_of_birth": true, "place_of_origin": true, "registration_place": true},
		},
		"giay_chung_nhan_ket_hon": {
			labels: append([]labelDef{
				lbl("wname", pName+`\s*(?:nguoi\s*)?vo`), lbl("hname", pName+`\s*(?:nguoi\s*)?chong`),
				lbl("dob", pDOB), lbl("id", pIDNum), lbl("idpaper", pIDPaper),
				lbl("regplace", `noi\s*dang\s*ky(?:\s*ket\s*hon)?`), lbl("regdate", `ngay\s*,?\s*thang\s*,?\s*nam\s*dang\s*ky|ngay\s*dang\s*ky`),
				lbl("regno", pRegNo), lbl("stop", `nguoi\s*ky`),
			}, common...),
			opens: map[string]string{"wname": "wife", "hname": "husband", "regplace": "reg"},
			fields: map[string]string{
				"*.wname": "wife_name", "*.hname": "husband_name",
				"wife.dob": "wife_date_of_birth", "husband.dob": "husband_date_of_birth",
				"wife.id": "wife_id_number", "husband.id": "husband_id_number",
				"wife.idpaper": "wife_id_number", "husband.idpaper": "husband_id_number",
				"*.regplace": "registration_place", "*.regdate": "registration_date", "*.regno": "registration_number",
			},
			columns: true, colSections: [2]string{"wife", "husband"},
			multiline: map[string]bool{"registration_place": true},
		},
		"trich_luc_khai_tu": {
			labels: append([]labelDef{
				lbl("decl", pName+`\s*nguoi\s*(?:di\s*)?(?:khai\s*tu|yeu\s*cau)`),
				lbl("name", pName+`(?:\s*khai\s*sinh)?`), lbl("dob", pDOB), lbl("sex", `gioi\s*tinh`),
				lbl("id", pIDNum), lbl("idpaper", pIDPaper),
				// "chết" read "chất" (ê and â differ by the letter under the same hat).
				lbl("dod", `(?:da\s*)?ch[ea]t\s*vao\s*luc|ngay\s*,?\s*thang\s*,?\s*nam\s*ch[ea]t|ngay\s*ch[ea]t`),
				lbl("pod", `noi\s*ch[ea]t`), lbl("cause", `nguyen\s*nhan\s*ch[ea]t`),
				lbl("stop", `so\s*giay\s*bao\s*tu[a-z\s/]*`), lbl("stop", `thuc\s*hien\s*trich\s*luc\s*tu`),
				lbl("regplace", `(?:da\s*duoc\s*)?dang\s*ky\s*khai\s*tu\s*tai|noi\s*dang\s*ky(?:\s*khai\s*tu)?`),
				lbl("regdate", `ngay\s*,?\s*thang\s*,?\s*nam\s*dang\s*ky|ngay\s*dang\s*ky`), lbl("regno", pRegNo),
			}, common...),
			opens: map[string]string{"decl": "decl", "regplace": "reg"},
			fields: map[string]string{
				"name": "full_name", "dob": "date_of_birth", "sex": "sex", "id": "id_number", "idpaper": "id_number",
				"dod": "date_of_death", "pod": "place_of_death", "cause": "cause_of_death",
				"*.regplace": "registration_place", "*.regdate": "registration_date", "reg.regno": "registration_date",
			},
			multiline: map[string]bool{"registration_place": true, "place_of_death": true},
		},
		"xac_nhan_cu_tru": {
			labels: append([]labelDef{
				lbl("head", pName+`\s*chu\s*ho`), lbl("name", pName+`(?:\s*khai\s*sinh)?`), lbl("dob", pDOB),
				lbl("sex", `gioi\s*tinh`), lbl("id", pIDNum), lbl("stop", pIDNum+`\s*(?:cua\s*)?chu\s*ho`),
				lbl("rel", `(?:moi\s*)?quan\s*he\s*voi\s*chu\s*ho`), lbl("res", `noi\s*thuong\s*tru`),
				lbl("stop", `noi\s*tam\s*tru`), lbl("stop", `noi\s*o\s*hien\s*(?:tai|nay)`), lbl("res", `noi\s*cu\s*tru`),
				lbl("stop", `que\s*quan`), lbl("stop", `so\s*(?:cmnd|can\s*cuoc)[a-z\s]*`),
			}, common...),
			fields: map[string]string{
				"name": "full_name", "dob": "date_of_birth", "sex": "sex", "id": "id_number", "res": "residence",
				"head": "head_of_household", "rel": "relation_to_head",
			},
			multiline: map[string]bool{"residence": true},
		},
		"can_cuoc": {
			labels: []labelDef{
				lbl("id", `so\s*(?:/\s*no\s*\.?)?\s*:|^[^a-z0-9]*no\s*\.?\s*:`),
				lbl("id", pIDNum+`(?:\s*/?\s*personal\s*identification\s*(?:number|no\.?)?)?|personal\s*identification\s*number`),
				lbl("name", pName+`(?:\s*khai\s*sinh)?(?:\s*/?\s*full\s*name)?|full\s*name`),
				lbl("dob", pDOB+`(?:\s*/?\s*date\s*of\s*birth)?|date\s*of\s*birth`),
				lbl("sex", `gioi\s*tinh(?:\s*/?\s*sex)?|sex`), lbl("nat", `quoc\s*tich(?:\s*/?\s*nationality)?|nationality`),
				lbl("origin", `que\s*quan(?:\s*/?\s*p[li1]ac[eo]\s*of\s*origin)?|p[li1]ac[eo]\s*of\s*origin`),
				lbl("origin", `noi\s*dang\s*ky\s*khai\s*sinh(?:\s*/?\s*p[li1]ac[eo]\s*of\s*birth)?|p[li1]ac[eo]\s*of\s*birth`),
				lbl("res", `noi\s*(?:thuong\s*tru|cu\s*tru)(?:\s*/?\s*p[li1]ac[eo]\s*of\s*residence)?|p[li1]ac[eo]\s*of\s*residence`),
				lbl("exp", `co\s*gia\s*tri\s*den(?:\s*/?\s*date\s*of\s*expiry)?|ngay\s*,?\s*thang\s*,?\s*nam\s*het\s*han(?:\s*/?\s*date\s*of\s*expiry)?|date\s*of\s*expiry`),
				lbl("issue", `ngay\s*,?\s*thang\s*,?\s*nam\s*cap(?:\s*/?\s*date\s*of\s*issue)?|date\s*of\s*issue|ngay\s*[,.]?\s*thang\s*,?\s*nam\s*/\s*date\s*,?\s*month\s*,?\s*year|month\s*,?\s*year`),
				lbl("stop", `dac\s*diem\s*nhan\s*dang(?:\s*/?\s*personal\s*identification)?`),
			},
			fields: map[string]string{
				"id": "id_number", "name": "full_name", "dob": "date_of_birth", "sex": "sex", "nat": "nationality",
				"origin": "place_of_origin", "res": "residence", "exp": "expiry_date", "issue": "issue_date",
			},
			multiline: map[string]bool{"residence": true, "place_of_origin": true},
		},
		"cmnd": {
			labels: []labelDef{
				lbl("id", `^[^a-z0-9]*so\s*[:.]?`), lbl("name", pName+`(?:\s*khai\s*sinh)?`), lbl("dob", pDOB),
				lbl("origin", `nguyen\s*quan`),
				lbl("res", `noi\s*(?:dkhk|dang\s*ky\s*ho\s*khau)\s*(?:thuong\s*tru)?|noi\s*thuong\s*tru`),
				lbl("stop", `dan\s*toc`), lbl("stop", `ton\s*giao`),
			},
			fields:    map[string]string{"id": "id_number_old", "name": "full_name", "dob": "date_of_birth", "origin": "place_of_origin", "res": "residence"},
			multiline: map[string]bool{"residence": true, "place_of_origin": true},
		},
		"gcn_quyen_su_dung_dat": {
			labels: []labelDef{
				lbl("owner", `(?:ho\s*)?(?:ong\s*/\s*ba|ong|ba|nguoi\s*su\s*dung\s*dat)\s*:`),
				// "Năm sinh" read "Năn: sinh" (m as n, a speck as a colon).
				lbl("oyear", `na[mn]\s*[:.]?\s*sinh`),
				lbl("oid", `(?:cmnd|cccd|cmt|can\s*cuoc(?:\s*cong\s*dan)?|chung\s*minh\s*nhan\s*dan|so\s*dinh\s*danh(?:\s*ca\s*nhan)?|ho\s*chieu)(?:\s*so)?`),
				lbl("stop", `dia\s*chi\s*thuong\s*(?:tru|chu)`),
				lbl("parcel", `thua\s*dat\s*so`), lbl("sheet", `to\s*ban\s*do\s*so`), lbl("addr", `dia\s*chi`),
				lbl("area", `dien\s*tich`), lbl("useform", `hinh\s*thuc\s*su\s*dung`),
				lbl("purpose", `muc\s*dich\s*su\s*dung|loai\s*dat`), lbl("term", `thoi\s*han\s*su\s*dung`),
				lbl("origin", `nguon\s*goc\s*su\s*dung`),
				lbl("regno", `(?:so\s*)?vao\s*so\s*cap\s*(?:gcn|giay\s*chung\s*nhan)`),
				lbl("stop", `nha\s*o\s*:`), lbl("stop", `ghi\s*chu`), lbl("stop", `bang\s*chu`),
			},
			opens: map[string]string{"parcel": "parcel"},
			fields: map[string]string{
				"owner": "owner_name", "oyear": "owner_birth_year", "oid": "owner_id_number",
				"*.parcel": "parcel_number", "*.sheet": "map_sheet_number", "parcel.addr": "address", "*.area": "area_m2",
				"*.useform": "use_form", "*.purpose": "land_use_purpose", "*.term": "use_term", "*.origin": "land_origin",
				"*.regno": "registry_number",
			},
			multiline: map[string]bool{"land_use_purpose": true, "use_term": true, "address": true},
		},
		"gcn_dang_ky_doanh_nghiep": {
			labels: []labelDef{
				lbl("code", `ma\s*so\s*doanh\s*nghiep(?:\s*/\s*ma\s*so\s*thue)?`),
				// The rest of these labels names them whole, whatever OCR made of "Tên" ("Lên").
				lbl("cname", `(?:[tl]?en\s*)?(?:cong\s*ty|doanh\s*nghiep)\s*viet\s*bang\s*tieng\s*viet`),
				lbl("cforeign", `(?:[tl]?en\s*)?(?:cong\s*ty|doanh\s*nghiep)\s*viet\s*bang\s*tieng\s*nuoc\s*ngoai`),
				lbl("cshort", `(?:[tl]?en\s*)?(?:cong\s*ty|doanh\s*nghiep)\s*viet\s*tat`),
				lbl("addr", `dia\s*chi\s*tru\s*so\s*chinh`),
				lbl("stop", `dien\s*thoai`), lbl("stop", `fax`), lbl("stop", `email`), lbl("stop", `website`),
				lbl("cap", `von\s*dieu\s*le`), lbl("stop", `bang\s*chu`), lbl("stop", `menh\s*gia[a-z\s]*`), lbl("stop", `tong\s*so\s*co\s*phan`),
				lbl("rep", `nguoi\s*dai\s*dien\s*theo\s*phap\s*luat(?:\s*cua\s*(?:cong\s*ty|doanh\s*nghiep))?`),
				lbl("owner", `(?:thong\s*tin\s*ve\s*)?chu\s*so\s*huu`),
				lbl("name", pName), lbl("title", `chuc\s*danh`),
				lbl("repid", `so\s*giay\s*(?:chung\s*thuc\s*ca\s*nhan|to\s*phap\s*ly\s*cua\s*ca\s*nhan)|`+pIDNum),
				lbl("stop", `loai\s*giay\s*(?:to\s*)?(?:chung\s*thuc|phap\s*ly)[a-z\s]*`),
				lbl("stop", `gioi\s*tinh`), lbl("stop", pDOB), lbl("stop", `dan\s*toc`), lbl("stop", `quoc\s*tich`),
				lbl("stop", `ngay\s*cap`), lbl("stop", `noi\s*cap`),
				lbl("stop", `dia\s*chi\s*(?:thuong\s*tru|lien\s*lac)|noi\s*dang\s*ky\s*ho\s*khau\s*thuong\s*tru|cho\s*o\s*hien\s*tai`),
				lbl("first", `dang\s*ky\s*lan\s*dau`),
			},
			opens: map[string]string{"rep": "rep", "owner": "owner"},
			fields: map[string]string{
				"*.code": "enterprise_code", "*.cname": "company_name", "*.cforeign": "company_name_foreign",
				"*.cshort": "company_name_short", "*.addr": "head_office_address", "*.cap": "charter_capital_vnd",
				"rep.name": "legal_representative", "rep.title": "legal_representative_title",
				"rep.repid": "legal_representative_id_number", "*.first": "first_registration_date",
			},
			multiline: map[string]bool{"head_office_address": true, "company_name": true, "company_name_foreign": true},
		},
		"don": {
			labels: []labelDef{
				lbl("to", `kinh\s*gui`),
				lbl("name", pName+`(?:\s*nguoi\s*(?:yeu\s*cau|lam\s*don|de\s*nghi|viet\s*don))?|toi\s*ten\s*la|ten\s*toi\s*la|`+clipped(`oi\s*ten\s*la`)),
				lbl("dob", pDOB+`|`+clipped(`ay\s*sinh\s*:`)),
				lbl("id", `(?:so\s*)?(?:cccd|cmnd|can\s*cuoc(?:\s*cong\s*dan)?|chung\s*minh\s*nhan\s*dan|dinh\s*danh\s*ca\s*nhan)(?:\s*so)?|`+pIDNum+`|`+pIDPaper),
				lbl("addr", `dia\s*chi(?:\s*thuong\s*tru|\s*lien\s*he|\s*lien\s*lac)?|noi\s*(?:cu\s*tru|thuong\s*tru|o\s*hien\s*(?:nay|tai))|cho\s*o\s*hien\s*(?:nay|tai)|tru\s*quan|`+clipped(`a\s*chi\s*:`)),
				lbl("phone", `(?:so\s*)?dien\s*thoai(?:\s*lien\s*he)?|sdt`),
				lbl("req", `noi\s*dung\s*(?:de\s*nghi|yeu\s*cau)\s*:|ly\s*do\s*:`),
				// "Tôi đề nghị …", "Nay tôi làm đơn này đề nghị …": the sentence is the request;
				// a line that opens with "đề nghị" is that sentence wrapped after its "Tôi".
				lbl("reqs", `(?:nay\s*)?toi\s*(?:lam\s*don\s*nay\s*)?(?:kinh\s*)?de\s*nghi|kinh\s*de\s*nghi|^[^a-z0-9]*de\s*nghi\s*quy|noi\s*dung\s*(?:de\s*nghi|yeu\s*cau)|ly\s*do`),
				lbl("stop", `gioi\s*tinh`), lbl("stop", `dan\s*toc`), lbl("stop", `quoc\s*tich`), lbl("stop", `ngay\s*cap`),
				lbl("stop", `noi\s*cap`), lbl("stop", `nghe\s*nghiep`), lbl("stop", `email`),
			},
			fields: map[string]string{
				"to": "recipient", "name": "applicant_name", "dob": "applicant_date_of_birth", "id": "applicant_id_number",
				"addr": "applicant_address", "phone": "applicant_phone", "req": "request", "reqs": "request",
			},
			multiline: map[string]bool{"request": true, "applicant_address": true},
		},
	}
}

// invitationForm reads the time and venue of a giấy mời. Its time's label opens a line: the
// closing sentence asks the guest to "sắp xếp thời gian tham dự", which is no time. That
// sentence ("Rất mong …", "Trân trọng …") ends the venue when it runs on the venue's line,
// as it does where the venue is short or the line finder joins the two.
var invitationForm = &form{
	labels: []labelDef{
		lbl("time", `^[^a-z0-9]*thoi\s*gian`), lbl("venue", `dia\s*diem`),
		lbl("stop", `chu\s*tri`), lbl("stop", `thanh\s*phan(?:\s*tham\s*du)?`), lbl("stop", `noi\s*dung`),
		lbl("stop", `rat\s*mong`), lbl("stop", `tran\s*trong`),
	},
	fields:    map[string]string{"*.time": "event_time", "*.venue": "venue"},
	multiline: map[string]bool{"venue": true},
}

// form reads the labelled values of f from every page. A value runs from its label to the
// next label on the line; a label at the end of a line takes the next line.
func (s *state) form(f *form) {
	skipUntil := -1
	if _, ok := s.dt.Format("title"); ok {
		skipUntil = s.title()
	}
	section := ""
	labelled := map[string]bool{}
	defer s.unread(labelled)
	for pi, ls := range s.lines {
		if f.columns {
			ls = s.columnLines(pi, ls, f.labels)
		}
		for i, l := range ls {
			if pi == 0 && l.idx <= skipUntil {
				continue
			}
			hits := findLabels(f.labels, l.fold)
			seen := map[string]int{}
			for k, h := range hits {
				if sec, ok := f.opens[h.kind]; ok {
					section = sec
				}
				sec := section
				if f.columns {
					switch {
					case l.col >= 0:
						sec = f.colSections[l.col]
					case countKind(hits, h.kind) >= 2:
						sec = f.colSections[min(seen[h.kind], 1)]
					}
					seen[h.kind]++
				}
				name := f.field(sec, h.kind)
				if name == "" {
					continue
				}
				labelled[name] = true
				fe := len(l.fold)
				if k+1 < len(hits) {
					fe = hits[k+1].start
				}
				st, en := l.orig(h.end, fe)
				if h.kind == "reqs" {
					st, en = l.orig(h.start, fe)
				}
				st, en = trimValue(l.text, st, en)
				sp, strength := span{l: l, start: st, end: en}, strengthLabel
				next := (*line)(nil)
				if i+1 < len(ls) {
					next = ls[i+1]
				}
				if en <= st {
					if k != len(hits)-1 || next == nil {
						continue
					}
					nh := findLabels(f.labels, next.fold)
					ne := len(next.fold)
					if len(nh) > 0 {
						ne = nh[0].start
					}
					a, b := next.orig(0, ne)
					a, b = trimValue(next.text, a, b)
					if b <= a {
						continue
					}
					sp, strength = span{l: next, start: a, end: b}, strengthNextLine
					if i+2 < len(ls) {
						next = ls[i+2]
					} else {
						next = nil
					}
				}
				atEnd := k == len(hits)-1 && next != nil && strings.Trim(sp.l.text[sp.end:], " ,;:-–") == ""
				format, _ := s.dt.Format(name)
				if atEnd && (f.multiline[name] || format == "name") {
					if t := strings.TrimSpace(next.text); t != "" && (name != "request" || !startsUpper(t)) && len(findLabels(f.labels, next.fold)) == 0 && !separator.MatchString(t) && !datePlace.MatchString(next.fold) &&
						(f.multiline[name] && !upperText(t) || upperTail(sp.text(), t, f.multiline[name]) && (format == "name" || f.multiline[name])) {
						a, b := trimValue(next.text, 0, len(next.text))
						if _, done := s.out[name]; !done && b > a {
							// The line's own punctuation stays: "…Trần Hưng Đạo," / "xã …".
							head := sp.text()
							if strings.HasPrefix(strings.TrimSpace(sp.l.text[sp.end:]), ",") {
								head += ","
							}
							tail := next.text[a:b]
							if h.kind == "reqs" && strings.HasPrefix(next.text[b:], ".") {
								tail += "."
							}
							s.putFormText(name, head+" "+tail, sp, strength)
							continue
						}
					}
				}
				if !s.setForm(name, sp, strength) && atEnd && len(findLabels(f.labels, next.fold)) == 0 {
					// "Giấy tờ tùy thân: Căn cước công dân" / "số 0801…": the value that did not
					// normalise may end on the next line.
					if a, b := trimValue(next.text, 0, len(next.text)); b > a {
						if v, valid, ok := s.e.normalise(format, sp.text()+" "+next.text[a:b], s.now); ok && v != "" {
							s.put(name, v, valid, span{l: next, start: a, end: b}, strengthNextLine)
						}
					}
				}
			}
		}
	}
	s.requestParagraph(f)
	s.formExtras()
}

func countKind(hs []hit, kind string) int {
	n := 0
	for _, h := range hs {
		if h.kind == kind {
			n++
		}
	}
	return n
}

// columnLines splits the lines of page pi that are printed in two columns. Where the line
// finder read the columns across, line by line (the wife's name, the husband's name, the
// wife's date of birth …), the lines left of the labelled right column are the left column's,
// and each run of column lines is put in column order, left before right: every label then
// falls in its own column's section and a value's next line is the one printed under it.
func (s *state) columnLines(pi int, ls []*line, labels []labelDef) []*line {
	width := s.pages[pi].Width
	if width == 0 {
		for _, l := range ls {
			for _, w := range l.words {
				width = max(width, w.w.Box[2])
			}
		}
	}
	var out []*line
	for _, l := range ls {
		out = append(out, splitColumns(l, width)...)
	}
	edge, ok := rightColumnEdge(out, labels)
	if !ok {
		return out
	}
	for i, l := range out {
		if x0, x1, ok := l.extent(); ok && l.col < 0 && x0 < edge && x1 < edge {
			left := *l
			left.col = 0
			out[i] = &left
		}
	}
	return columnOrder(out)
}

// rightColumnEdge is the left edge of a form's right column: the leftmost start of the
// right-hand lines that hold a label. ok is false when no labelled line stands on the right,
// as on a form in one column, whose signatures alone may sit right.
func rightColumnEdge(ls []*line, labels []labelDef) (int, bool) {
	edge, ok := 0, false
	for _, l := range ls {
		x0, _, has := l.extent()
		if l.col != 1 || !has || len(findLabels(labels, l.fold)) == 0 {
			continue
		}
		if !ok || x0 < edge {
			edge, ok = x0, true
		}
	}
	return edge, ok
}

// columnOrder puts each run of consecutive column lines in column order, left before right,
// keeping the order within a column; a line across both columns ends a run.
func columnOrder(ls []*line) []*line {
	out := make([]*line, 0, len(ls))
	for i := 0; i < len(ls); {
		if ls[i].col < 0 {
			out = append(out, ls[i])
			i++
			continue
		}
		j := i
		for j < len(ls) && ls[j].col >= 0 {
			j++
		}
		for _, c := range []int{0, 1} {
			for _, l := range ls[i:j] {
				if l.col == c {
					out = append(out, l)
				}
			}
		}
		i = j
	}
	return out
}

// title reads the heading of an application (ĐƠN ĐỀ NGHỊ …, TỜ KHAI …) with an upper-case
// line that continues it, and returns the index of the last heading line.
func (s *state) title() int {
	headLine, ok := s.e.cls.HeadingLine(s.pages)
	first := s.firstPage()
	if !ok || headLine >= len(first) {
		return -1
	}
	l := first[headLine]
	a, b := trimValue(l.text, 0, len(l.text))
	text := l.text[a:b]
	last := headLine
	if headLine+1 < len(first) {
		n := first[headLine+1]
		t := strings.TrimSpace(n.text)
		if t != "" && upperText(t) && !kinhGui.MatchString(n.fold) && !separator.MatchString(t) {
			text += " " + t
			last++
		}
	}
	// The heading line alone is what the classifier matched to the type's heading, as sure as
	// a printed label; a line that continues it is taken by its capitals alone.
	strength := strengthLabel
	if last > headLine {
		strength = strengthLayout
	}
	s.putText("title", text, span{l: l, start: a, end: b}, strength)
	return last
}

// headerNumberLabel is the "Số:" of a header line.
var headerNumberLabel = regexp.MustCompile(`^\W*so\s*[:.]`)

var (
	changeCount = regexp.MustCompile(`dang\s*ky\s*thay\s*doi\s*lan\s*thu\s*:?\s*(\d{1,3})\s*[:,.]?\s*(ngay\s*.*)`)
	serialPat   = regexp.MustCompile(`(?:^|[^\p{L}\p{N}])(\p{Lu}{2})\s?(\d{8}|\d{6})(?:$|[^\p{L}\p{N}])`)
	mrzPat      = regexp.MustCompile(`idvnm\d{9}\d(\d{12})`)
	// mrzDates is the second line of a card's machine-readable zone: birth date, its check
	// digit, sex, expiry date, its check digit, nationality (ICAO 9303, TD1).
	mrzDates     = regexp.MustCompile(`^\s*(\d{6})(\d)[MF<](\d{6})(\d)VNM`)
	lamTai       = regexp.MustCompile(`(?i)^l[aà]m\s*t[aạ]i\s*:?\s*`)
	companyTypes = regexp.MustCompile(`^(?:cong\s*ty|doanh\s*nghiep\s*tu\s*nhan|hop\s*tac\s*xa)`)
)

// formExtras reads the fields that have no label of their own: numbers and dates of the
// header and signature, serials, fallbacks from the MRZ.
func (s *state) formExtras() {
	first := s.firstPage()
	if _, ok := s.dt.Format("number"); ok {
		if n, ok := classify.FindNumber(s.pages); ok {
			if ls := s.linesOf(n.Page); n.Line < len(ls) {
				s.put("number", n.Value, docnumPattern.MatchString(n.Value), span{l: ls[n.Line], start: n.Start, end: n.End}, strengthLabel)
			}
		} else {
			// "Số:" printed in the header but no number read after it (written by hand, under
			// a stamp): the field is there, unread.
			for i, l := range first {
				if i < headerLines && headerNumberLabel.MatchString(l.fold) {
					s.unread(map[string]bool{"number": true})
					break
				}
			}
		}
	}
	switch s.dt.Code {
	case "xac_nhan_cu_tru", "gcn_dang_ky_doanh_nghiep":
		stop := -1
		if h, ok := s.e.cls.HeadingLine(s.pages); ok {
			stop = h
		}
		if n, ok := classify.FindNumber(s.pages); ok && (stop < 0 || n.Line < stop) {
			stop = n.Line
		}
		s.issuer(first, stop)
	}
	if _, ok := s.dt.Format("issued_date"); ok {
		s.lastDate("issued_date", "")
	}
	if _, ok := s.dt.Format("date"); ok {
		s.lastDate("date", "place")
	}
	switch s.dt.Code {
	case "gcn_quyen_su_dung_dat":
		s.landSerial()
		s.landIssuer()
	case "gcn_dang_ky_doanh_nghiep":
		s.businessExtras(first)
	case "can_cuoc", "cmnd":
		s.idFallback()
		s.expiryFallback()
	}
	if f, ok := s.out["expiry_date"]; ok {
		// An expiry date lies in the future by nature; only the calendar is checked.
		if _, err := time.Parse("2006-01-02", f.Value); err == nil {
			f.Valid = true
			s.out["expiry_date"] = f
		}
	}
}

// lastDate reads the last "<place>, ngày … tháng … năm …" line of the document.
func (s *state) lastDate(dateField, placeField string) {
	for pi := len(s.lines) - 1; pi >= 0; pi-- {
		ls := s.lines[pi]
		for i := len(ls) - 1; i >= 0; i-- {
			l := ls[i]
			d, m := matchDate(ls, i)
			if m == nil {
				continue
			}
			before := strings.TrimSpace(l.text[:l.off[m[0]]])
			if !strings.HasSuffix(before, ",") && placeField != "" && before != "" {
				if !strings.Contains(record.Fold(before), "lam tai") {
					continue
				}
			}
			s.putDate(dateField, l, d, m)
			if placeField != "" {
				a, b := trimValue(l.text, 0, l.off[m[0]])
				if lt := lamTai.FindStringIndex(l.text[a:b]); lt != nil {
					a += lt[1]
				}
				if b > a {
					s.putPlace(placeField, span{l: l, start: a, end: b})
				}
			}
			return
		}
	}
}

func (s *state) landSerial() {
	for _, ls := range s.lines {
		for _, l := range ls {
			if strings.Contains(l.fold, "vao so") || strings.Contains(l.fold, "thua") {
				continue
			}
			if m := serialPat.FindStringSubmatchIndex(l.text); m != nil {
				s.put("serial", l.text[m[2]:m[3]]+" "+l.text[m[4]:m[5]], true, span{l: l, start: m[2], end: m[5]}, strengthGuess+0.2)
				return
			}
		}
	}
}

// landIssuer reads the body that signs a land certificate from the block under the date, or
// from its first authority line when the date was not read:
// "TM. ỦY BAN NHÂN DÂN" / "KT. GIÁM ĐỐC" / "SỞ TÀI NGUYÊN VÀ" / "MÔI TRƯỜNG TỈNH X" /
// "PHÓ GIÁM ĐỐC". As in the header, the last body named is the issuer and one above it its
// parent; the titles after KT. or on their own line are the signer's.
func (s *state) landIssuer() {
	for pi := len(s.lines) - 1; pi >= 0; pi-- {
		ls := s.lines[pi]
		for i := len(ls) - 1; i >= 0; i-- {
			d, m := matchDate(ls, i)
			if m == nil {
				continue
			}
			from := i + 1
			if d != ls[i] {
				from++ // the date's second line
			}
			if t, sp, ok := lastBody(ls[min(from, len(ls)):]); ok {
				s.putIssuer(t, sp, strengthLayout)
			}
			return
		}
	}
	ls := s.lastPage()
	for i := max(0, len(ls)-20); i < len(ls); i++ {
		if m := authority.FindStringIndex(ls[i].fold); m != nil && m[0] == 0 {
			if t, sp, ok := lastBody(ls[i:]); ok {
				s.putIssuer(t, sp, strengthLayout)
			}
			return
		}
	}
}

// lastBody returns the last body named in a signature block's upper-case lines, up to the
// signer's own title or name, and where it starts.
func lastBody(ls []*line) (string, span, bool) {
	var body []part
	for j := 0; j < len(ls) && j < 8; j++ {
		l := ls[j]
		st := 0
		prefixed := false
		if m := authority.FindStringIndex(l.fold); m != nil && m[0] == 0 {
			st, _ = l.orig(m[1], m[1])
			prefixed = true
		}
		a, b := trimValue(l.text, st, len(l.text))
		t, sp := trimMarks(l.text[a:b], span{l: l, start: a, end: b})
		if t == "" || separator.MatchString(t) {
			continue
		}
		f := strings.Join(strings.Fields(record.Fold(t)), " ")
		if len(body) > 0 && !prefixed && upperText(t) && !newBody(joinParts(body), t) && unfinished(joinParts(body)) {
			// "SỞ TÀI NGUYÊN VÀ MÔI" over "TRƯỜNG TỈNH X": TRƯỜNG is no title here.
			body = append(body, part{sp: sp, text: t})
			continue
		}
		if !upperText(t) || titleWords.MatchString(f) || danglingTitle.MatchString(f) || nearTitle(t) {
			if prefixed {
				continue // "KT. GIÁM ĐỐC": the authority's title, the block goes on
			}
			break // the signer's title or name
		}
		if len(body) == 0 || prefixed || newBody(joinParts(body), t) {
			body = nil
		}
		body = append(body, part{sp: sp, text: t})
	}
	if len(body) == 0 {
		return "", span{}, false
	}
	return joinParts(body), body[0].sp, true
}

func (s *state) businessExtras(first []*line) {
	for _, ls := range s.lines {
		for _, l := range ls {
			m := changeCount.FindStringSubmatchIndex(l.fold)
			if m == nil {
				continue
			}
			a, b := l.orig(m[2], m[3])
			s.put("change_count", l.text[a:b], true, span{l: l, start: a, end: b}, strengthLabel)
			c, d := l.orig(m[4], m[5])
			s.set("last_change_date", span{l: l, start: c, end: d}, strengthLabel)
		}
	}
	if h, ok := s.e.cls.HeadingLine(s.pages); ok {
		for j := h + 1; j < len(first) && j <= h+3; j++ {
			l := first[j]
			t := strings.TrimSpace(l.text)
			if upperText(t) && companyTypes.MatchString(l.fold) {
				a, b := trimValue(l.text, 0, len(l.text))
				s.putText("company_type", l.text[a:b], span{l: l, start: a, end: b}, strengthLayout)
				break
			}
		}
	}
}

// idFallback takes the identity number from the MRZ, or the first number of the right length,
// when no label was read.
func (s *state) idFallback() {
	name, n := "id_number", 12
	if s.dt.Code == "cmnd" {
		name, n = "id_number_old", 9
	}
	if _, ok := s.out[name]; ok {
		return
	}
	re := digitRuns[n]
	for _, ls := range s.lines {
		for _, l := range ls {
			if m := mrzPat.FindStringSubmatchIndex(l.fold); m != nil && n == 12 {
				a, b := l.orig(m[2], m[3])
				s.set(name, span{l: l, start: a, end: b}, strengthLayout)
				return
			}
		}
	}
	for _, ls := range s.lines {
		for _, l := range ls {
			if m := re.FindStringSubmatchIndex(l.text); m != nil {
				s.set(name, span{l: l, start: m[2], end: m[3]}, strengthGuess)
				return
			}
		}
	}
}

// expiryFallback takes a card's expiry date from its machine-readable zone when no label was
// read: the "Có giá trị đến" line is small print beside the photo that OCR loses, while the
// zone's date carries a check digit, so a misread digit does not pass. A card expires in this
// century.
func (s *state) expiryFallback() {
	if _, ok := s.out["expiry_date"]; ok {
		return
	}
	if _, ok := s.dt.Format("expiry_date"); !ok {
		return
	}
	for _, ls := range s.lines {
		for _, l := range ls {
			m := mrzDates.FindStringSubmatchIndex(l.text)
			if m == nil {
				continue
			}
			d := l.text[m[6]:m[7]]
			if mrzCheck(d) != int(l.text[m[8]]-'0') {
				continue
			}
			v := "20" + d[:2] + "-" + d[2:4] + "-" + d[4:6]
			if _, err := time.Parse("2006-01-02", v); err != nil {
				continue
			}
			s.put("expiry_date", v, true, span{l: l, start: m[6], end: m[7]}, strengthLayout)
			return
		}
	}
}

// mrzCheck is the ICAO 9303 check digit of a run of digits: weights 7, 3, 1 repeated, modulo 10.
func mrzCheck(digits string) int {
	sum := 0
	for i, r := range digits {
		sum += int(r-'0') * [3]int{7, 3, 1}[i%3]
	}
	return sum % 10
}

// upperTail reports whether next, a line under an upper-case value, is the rest of that value
// wrapped in a narrow column ("LÂM MAI" / "UYÊN", "… TRANSPORT COMPANY" / "LIMITED"):
// upper-case words that are not a title, one to three of them unless the field is one that
// runs over lines (long): a company's name wraps wherever the line is full ("… MỘT THÀNH
// VIÊN XÂY" / "DỰNG VÀ THƯƠNG MẠI MINH ANH"), and the next label ends it.
func upperTail(value, next string, long bool) bool {
	return upperText(value) && upperText(next) && (long || len(strings.Fields(next)) <= 3) && !titleWords.MatchString(record.Fold(next))
}

func startsUpper(t string) bool {
	for _, r := range t {
		return strings.ToUpper(string(r)) == string(r) && strings.ToLower(string(r)) != string(r)
	}
	return false
}

// unread records, for each field whose label was printed but whose value could not be read
// (written over, faded, under a stamp), an empty invalid value, so that the document goes to
// review with the field named instead of being filed without it.
func (s *state) unread(labelled map[string]bool) {
	for name := range labelled {
		if _, ok := s.out[name]; ok {
			continue
		}
		if _, ok := s.dt.Format(name); ok {
			s.out[name] = record.Field{Valid: false}
		}
	}
}
