package record

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzParseDossierID checks that any text either is refused with ErrDossierID or gives a
// code that is upper-case ASCII without spaces, parses again to itself, and keeps the
// three parts of a mã hồ sơ: unit code, receiving date YYMMDD, sequence number.
func FuzzParseDossierID(f *testing.F) {
	for _, s := range []string{
		"000.00.01.H29-260310-0420", "000.00.15.H29-251201-0001", "38.98.H29-210519-0013", "H15.50.05.13-261008-0975",
		" g09-250101-0912345 ", "H29.1-251201-0001", "000.00.15.H29-251201-001", "000.00.15.H29-2512010-0001", "",
		"A.B.C.D.E.F-250101-0001", "h29-251301-0001", "h29-250230-0001",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseDossierID(s)
		if err != nil {
			if !errors.Is(err, ErrDossierID) {
				t.Fatalf("ParseDossierID(%q) = %v, want ErrDossierID", s, err)
			}
			return
		}
		code := id.String()
		for _, r := range code {
			if r > 0x7f || r == ' ' || r >= 'a' && r <= 'z' {
				t.Fatalf("ParseDossierID(%q) = %q: not upper-case ASCII without spaces", s, code)
			}
		}
		if again, err := ParseDossierID(code); err != nil || again != id {
			t.Fatalf("ParseDossierID(%q) = %q, which parses to %q, %v", s, code, again, err)
		}
		parts := strings.Split(code, "-")
		if len(parts) != 3 || len(parts[1]) != 6 || len(parts[2]) < 4 || len(parts[2]) > 7 {
			t.Fatalf("ParseDossierID(%q) = %q: want unit-YYMMDD-sequence", s, code)
		}
		if _, err := time.Parse("060102", parts[1]); err != nil {
			t.Fatalf("ParseDossierID(%q) = %q: the receiving date %s is no day: %v", s, code, parts[1], err)
		}
	})
}

// TestParseDossierIDDay: the middle part of a code is the day the dossier was received, so
// six digits that name no day are refused (accepted before the fuzz test checked it).
func TestParseDossierIDDay(t *testing.T) {
	for _, s := range []string{"H29-251301-0001", "H29-250230-0001", "H29-250100-0001", "H29-250229-0001"} {
		if _, err := ParseDossierID(s); !errors.Is(err, ErrDossierID) {
			t.Errorf("ParseDossierID(%q) = %v, want ErrDossierID", s, err)
		}
	}
	for _, s := range []string{"H29-240229-0001", "H29-251231-0001", "H29-000101-0001"} {
		if _, err := ParseDossierID(s); err != nil {
			t.Errorf("ParseDossierID(%q): %v", s, err)
		}
	}
}
