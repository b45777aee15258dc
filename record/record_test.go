package record

import (
	"bytes"
	"errors"
	"os"
	"testing"
)

func TestFold(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"Số hóa hồ sơ":            "so hoa ho so",
		"ĐỘC LẬP - Tự do":         "doc lap - tu do",
		"Nguyễn Thị Hương":        "nguyen thi huong",
		"ho\u0302\u0300 so\u031b": "ho so", // NFD input folds the same way
	}
	for in, want := range cases {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskID(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"001090123456": "001*******56", "1234": "****", "": ""} {
		if got := MaskID(in); got != want {
			t.Errorf("MaskID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseDossierID(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"000.00.15.H29-251201-0001", "38.98.H29-210519-0013", "H15.50.05.13-261008-0975", " 000.00.01.h29-260310-0420 "} {
		if _, err := ParseDossierID(ok); err != nil {
			t.Errorf("ParseDossierID(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "abc", "000.00.15.H29-2512-0001", "000.00.15.H29-251201-01", "../etc-251201-0001"} {
		if _, err := ParseDossierID(bad); !errors.Is(err, ErrDossierID) {
			t.Errorf("ParseDossierID(%q) = %v, want ErrDossierID", bad, err)
		}
	}
}

func TestTaxonomy(t *testing.T) {
	t.Parallel()
	tax, err := LoadTaxonomy()
	if err != nil {
		t.Fatal(err)
	}
	qd, ok := tax.Type("quyet_dinh")
	if !ok {
		t.Fatal("quyet_dinh missing")
	}
	if f, _ := qd.Format("issued_date"); f != "date" {
		t.Errorf("quyet_dinh.issued_date format = %q, want date", f)
	}
	tt, _ := tax.Type("to_trinh")
	if f, _ := tt.Format("recipient"); f != "text" {
		t.Errorf("to_trinh extra field recipient format = %q, want text", f)
	}
	cccd, _ := tax.Type("can_cuoc")
	if f, _ := cccd.Format("id_number"); f != "id12" {
		t.Errorf("can_cuoc.id_number = %q, want id12", f)
	}
}

// TestTaxonomyMatchesShared keeps the embedded copy identical to the shared spec when the
// spec is beside the project (it always is in make test and CI).
func TestTaxonomyMatchesShared(t *testing.T) {
	t.Parallel()
	shared, err := os.ReadFile("../../shared/spec/taxonomy.yaml")
	if err != nil {
		t.Skipf("shared spec not beside the project: %v", err)
	}
	if !bytes.Equal(shared, taxonomyYAML) {
		t.Fatal("record/taxonomy.yaml differs from shared/spec/taxonomy.yaml: copy the shared file over")
	}
}
