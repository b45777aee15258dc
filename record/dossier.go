package record

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// ErrDossierID reports a dossier code that does not have the shape of a mã hồ sơ.
var ErrDossierID = errors.New("invalid dossier code")

// dossierPattern accepts the Thông tư 01/2018 code (unit code - YYMMDD - sequence) and the
// observed variants (shared/spec/domain.md §6.1): 1–4 dot-separated unit segments and a
// 4–7 digit sequence.
var dossierPattern = regexp.MustCompile(`^[0-9A-Z]{1,4}(?:\.[0-9A-Z]{1,4}){0,4}-\d{6}-\d{4,7}$`)

// DossierID is a dossier code (mã hồ sơ), e.g. "000.00.15.H29-251201-0001".
type DossierID string

// ParseDossierID trims and upper-cases s and checks its shape.
func ParseDossierID(s string) (DossierID, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if !dossierPattern.MatchString(s) {
		return "", fmt.Errorf("%w %q: want a unit code, the receiving date YYMMDD and a sequence number, e.g. 000.00.15.H29-251201-0001", ErrDossierID, s)
	}
	// The pattern takes any six digits; the middle part is a day the dossier was received.
	if day := strings.Split(s, "-")[1]; !realDay(day) {
		return "", fmt.Errorf("%w %q: %s is not a date YYMMDD (year, month, day), e.g. 251201 for 1 December 2025", ErrDossierID, s, day)
	}
	return DossierID(s), nil
}

// realDay reports whether yymmdd names a day of the calendar (Feb 29 only in leap years).
func realDay(yymmdd string) bool {
	_, err := time.Parse("060102", yymmdd)
	return err == nil
}

func (d DossierID) String() string { return string(d) }
