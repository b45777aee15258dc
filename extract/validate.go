package extract

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// ErrInvalidCCCD reports a 12-digit identity number that cannot be a real one.
var ErrInvalidCCCD = errors.New("invalid CCCD number")

// mstWeights are the check-digit weights of the mã số thuế (Thông tư 105/2020/TT-BTC).
var mstWeights = [9]int{31, 29, 23, 19, 17, 13, 7, 5, 3}

// ValidMST reports whether s is a well-formed mã số doanh nghiệp / mã số thuế: 10 digits, or
// 10 digits, "-" and a 3-digit branch suffix, with a correct check digit. Prefixes whose check
// would be 10 were never issued, so they are rejected rather than mapped to 0.
func ValidMST(s string) bool {
	if len(s) != 10 && (len(s) != 14 || s[10] != '-') {
		return false
	}
	for i := 0; i < len(s); i++ {
		if i == 10 {
			continue
		}
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	if s[:2] == "00" || s[2:9] == "0000000" || len(s) == 14 && s[11:] == "000" {
		return false
	}
	sum := 0
	for i, w := range mstWeights {
		sum += int(s[i]-'0') * w
	}
	check := 10 - sum%11
	return check < 10 && int(s[9]-'0') == check
}

// cccdProvinces are the birth-registration province codes of Thông tư 07/2016/TT-BCA
// Phụ lục I (the 63 provinces before 2025; numbers issued since keep them).
var cccdProvinces = map[string]string{
	"001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn", "008": "Tuyên Quang",
	"010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu", "014": "Sơn La", "015": "Yên Bái",
	"017": "Hòa Bình", "019": "Thái Nguyên", "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang",
	"025": "Phú Thọ", "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
	"033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định", "037": "Ninh Bình",
	"038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh", "044": "Quảng Bình", "045": "Quảng Trị",
	"046": "Thừa Thiên Huế", "048": "Đà Nẵng", "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định",
	"054": "Phú Yên", "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
	"064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng", "070": "Bình Phước",
	"072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai", "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh",
	"080": "Long An", "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long",
	"087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
	"094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}

// ValidCCCD checks the structure of a 12-digit số định danh cá nhân / CCCD number: the
// province table, and a birth year (century digit + two digits) not in the future. It returns
// nil or an error wrapping ErrInvalidCCCD that says what is wrong. There is no check digit.
func ValidCCCD(id string) error { return validCCCDAt(id, time.Now()) }

func validCCCDAt(id string, now time.Time) error {
	if len(id) != 12 {
		return fmt.Errorf("%w: %d digits, want 12", ErrInvalidCCCD, len(id))
	}
	for _, r := range id {
		if r < '0' || r > '9' {
			return fmt.Errorf("%w: %q is not a digit", ErrInvalidCCCD, r)
		}
	}
	if _, ok := cccdProvinces[id[:3]]; !ok {
		return fmt.Errorf("%w: province code %s is not in the Thông tư 07/2016 table", ErrInvalidCCCD, id[:3])
	}
	if y := cccdBirthYear(id); y > now.Year() {
		return fmt.Errorf("%w: birth year %d is in the future", ErrInvalidCCCD, y)
	}
	return nil
}

// cccdBirthYear derives the birth year from the century-and-sex digit and the two year digits.
func cccdBirthYear(id string) int {
	g := int(id[3] - '0')
	yy, _ := strconv.Atoi(id[4:6])
	return 1900 + g/2*100 + yy
}

// cccdSex is "Nam" for an even century-and-sex digit and "Nữ" for an odd one.
func cccdSex(id string) string {
	if (id[3]-'0')%2 == 0 {
		return "Nam"
	}
	return "Nữ"
}
