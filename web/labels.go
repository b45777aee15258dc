package web

import (
	"slices"

	"github.com/sohoa/sohoa/record"
)

// fieldLabels names the taxonomy's field codes in Vietnamese, in the order the review page
// lists them: a clerk reads a document top to bottom, so identity and issuing details come
// before the body and the signature. Codes missing here are shown as they are, last.
var fieldLabels = []struct{ Code, Label string }{
	{"number", "Số, ký hiệu"},
	{"issued_date", "Ngày ban hành"},
	{"place", "Địa danh"},
	{"issuer", "Cơ quan ban hành"},
	{"subject", "Trích yếu"},
	{"recipient", "Nơi nhận / Kính gửi"},
	{"event_time", "Thời gian"},
	{"venue", "Địa điểm"},
	{"signing_authority", "Thẩm quyền ký"},
	{"signer_title", "Chức vụ người ký"},
	{"signer", "Người ký"},
	{"normative", "Văn bản quy phạm pháp luật"},
	{"title", "Tên đơn"},
	{"serial", "Số seri"},
	{"id_number", "Số định danh cá nhân"},
	{"id_number_old", "Số CMND"},
	{"full_name", "Họ và tên"},
	{"date_of_birth", "Ngày sinh"},
	{"sex", "Giới tính"},
	{"ethnicity", "Dân tộc"},
	{"nationality", "Quốc tịch"},
	{"place_of_birth", "Nơi sinh"},
	{"place_of_origin", "Quê quán"},
	{"residence", "Nơi thường trú"},
	{"head_of_household", "Chủ hộ"},
	{"relation_to_head", "Quan hệ với chủ hộ"},
	{"mother_name", "Họ tên mẹ"},
	{"mother_birth_year", "Năm sinh của mẹ"},
	{"father_name", "Họ tên cha"},
	{"father_birth_year", "Năm sinh của cha"},
	{"wife_name", "Họ tên vợ"},
	{"wife_date_of_birth", "Ngày sinh của vợ"},
	{"wife_id_number", "Số định danh của vợ"},
	{"husband_name", "Họ tên chồng"},
	{"husband_date_of_birth", "Ngày sinh của chồng"},
	{"husband_id_number", "Số định danh của chồng"},
	{"date_of_death", "Ngày chết"},
	{"place_of_death", "Nơi chết"},
	{"cause_of_death", "Nguyên nhân chết"},
	{"owner_name", "Người sử dụng đất"},
	{"owner_birth_year", "Năm sinh người sử dụng đất"},
	{"owner_id_number", "Số giấy tờ nhân thân"},
	{"parcel_number", "Thửa đất số"},
	{"map_sheet_number", "Tờ bản đồ số"},
	{"address", "Địa chỉ thửa đất"},
	{"area_m2", "Diện tích (m²)"},
	{"use_form", "Hình thức sử dụng"},
	{"land_use_purpose", "Mục đích sử dụng"},
	{"use_term", "Thời hạn sử dụng"},
	{"land_origin", "Nguồn gốc sử dụng"},
	{"registry_number", "Số vào sổ cấp GCN"},
	{"enterprise_code", "Mã số doanh nghiệp"},
	{"company_name", "Tên doanh nghiệp"},
	{"company_name_foreign", "Tên bằng tiếng nước ngoài"},
	{"company_name_short", "Tên viết tắt"},
	{"company_type", "Loại hình doanh nghiệp"},
	{"head_office_address", "Địa chỉ trụ sở chính"},
	{"charter_capital_vnd", "Vốn điều lệ (đồng)"},
	{"legal_representative", "Người đại diện theo pháp luật"},
	{"legal_representative_title", "Chức danh người đại diện"},
	{"legal_representative_id_number", "Số giấy tờ của người đại diện"},
	{"first_registration_date", "Ngày đăng ký lần đầu"},
	{"change_count", "Số lần thay đổi"},
	{"last_change_date", "Ngày thay đổi gần nhất"},
	{"applicant_name", "Họ tên người làm đơn"},
	{"applicant_date_of_birth", "Ngày sinh người làm đơn"},
	{"applicant_id_number", "Số định danh người làm đơn"},
	{"applicant_address", "Địa chỉ người làm đơn"},
	{"applicant_phone", "Số điện thoại"},
	{"request", "Nội dung đề nghị"},
	{"date", "Ngày làm đơn"},
	{"registration_place", "Nơi đăng ký"},
	{"registration_date", "Ngày đăng ký"},
	{"registration_number", "Số đăng ký"},
	{"book_number", "Quyển số"},
	{"issue_date", "Ngày cấp"},
	{"expiry_date", "Có giá trị đến"},
}

// typeInfo is what the pages' scripts know of a document type.
type typeInfo struct {
	Code   string            `json:"code"`
	Name   string            `json:"name"`
	Fields []string          `json:"fields"`  // in review order
	Format map[string]string `json:"formats"` // field → value format, for input hints
}

// clientTypes lists the taxonomy's types with their fields in review order.
func clientTypes(tax *record.Taxonomy) []typeInfo {
	rank := make(map[string]int, len(fieldLabels))
	for i, l := range fieldLabels {
		rank[l.Code] = i
	}
	out := make([]typeInfo, 0, len(tax.Types))
	for _, t := range tax.Types {
		names := t.FieldNames()
		slices.SortStableFunc(names, func(a, b string) int {
			ra, oka := rank[a]
			rb, okb := rank[b]
			switch {
			case oka && okb:
				return ra - rb
			case oka:
				return -1
			case okb:
				return 1
			}
			return 0 // FieldNames is already sorted by name
		})
		formats := make(map[string]string, len(names))
		for _, n := range names {
			formats[n], _ = t.Format(n)
		}
		out = append(out, typeInfo{Code: t.Code, Name: t.Name, Fields: names, Format: formats})
	}
	return out
}

func labelMap() map[string]string {
	m := make(map[string]string, len(fieldLabels))
	for _, l := range fieldLabels {
		m[l.Code] = l.Label
	}
	return m
}
