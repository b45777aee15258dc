package pii

import (
	"strings"
	"unicode/utf8"

	"github.com/sohoa/sohoa/record"
)

// How ID numbers are told from the other numbers of Vietnamese records.
//
// A number is a chain of digit groups joined by exactly one separator (space, no-break
// space, ".", "-" or "_"): "001 085 012 345", "001.085-012345", "0010 8501 2345". Digits glued
// to letters still count ("CCCD:001085012345", "số001085012345"). In a chain:
//   - a single run of 9 or 12 digits is an ID number, and so is any run of 13 or more (OCR
//     glues an ID to a neighbouring digit, and nothing that long is meant for readers);
//     runs of 10 and 11 are phone numbers and tax codes and stay;
//   - consecutive groups of two or more digits that add up to 9 digits, or to 12 digits
//     starting with 0 (every CCCD starts with the 0 of its province code), are an ID number.
//     Checking every such window, not only whole chains, finds an ID written after a table's
//     row number ("1 001 085 012 345").
//
// Groups that read as something else take no part in windows:
//   - money: a dotted thousands grouping with a non-zero lead ("150.000.000"), or one grouped
//     by spaces or dots and followed by đồng, đ or VNĐ, when it is the whole chain but for
//     dates (so "074 185.296", an ID with mixed separators, is no amount). Amounts never start with 0, which
//     keeps "001.085.012.345" an ID; a dotted 9-digit CMND with a non-zero lead
//     ("271.234.567") is masked only after an ID label (CMND, CCCD, căn cước ...), since bare it
//     is far more often an amount. A plain 9- or 12-digit amount followed by đồng stays too;
//   - dates: d.m.yyyy or yyyy-m-d with the same separator twice and a plausible day, month
//     and year;
//   - international phone numbers: a chain right after "+".
//
// Document numbers ("15/2023/NĐ-CP") and slashed dates are split by "/", which joins nothing.
// The windows cost O(groups × 12) per chain, and the whole scan is one pass over the text.
func numberSpans(s string) []span {
	var out []span
	groups := digitGroups(s)
	for len(groups) > 0 {
		n := 1
		for n < len(groups) && joins(s[groups[n-1].end:groups[n].start]) {
			n++
		}
		out = chainSpans(s, groups[:n], out)
		groups = groups[n:]
	}
	return out
}

// group is one run of ASCII digits at bytes [start, end) of a text.
type group struct{ start, end int }

func (g group) len() int { return g.end - g.start }

func digitGroups(s string) []group {
	var out []group
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		out = append(out, group{i, j})
		i = j
	}
	return out
}

// joins reports whether sep, the text between two digit groups, makes them one number.
func joins(sep string) bool {
	switch sep {
	case " ", ".", "-", "_", "\u00a0":
		return true
	}
	return false
}

// chainSpans appends the ID numbers of one chain of digit groups to out.
func chainSpans(s string, chain []group, out []span) []span {
	// Looking for a label costs more than the rest of the scan, so only the rare chains
	// that could be an amount or a phone number look for one.
	labelled := func() bool { return idLabelBefore(s, chain[0].start) }
	if chain[0].start > 0 && s[chain[0].start-1] == '+' && !labelled() {
		return out
	}
	for _, g := range chain {
		switch n := g.len(); {
		case n == 9 || n == 12:
			if s[g.start] == '0' || !currencyAfter(s, g.end) || labelled() {
				out = append(out, span{g.start, g.end, idNumber})
			}
		case n >= 13:
			out = append(out, span{g.start, g.end, idNumber})
		}
	}
	blocked := make([]bool, len(chain))
	blockDates(s, chain, blocked)
	if money := blockMoney(s, chain, blocked); money != nil && labelled() {
		for _, k := range money {
			blocked[k] = false
		}
	}
	for i := range chain {
		digits := 0
		for j := i; j < len(chain) && !blocked[j] && chain[j].len() >= 2; j++ {
			digits += chain[j].len()
			if digits > 12 {
				break
			}
			if j > i && (digits == 9 || digits == 12 && s[chain[i].start] == '0') {
				out = append(out, span{chain[i].start, chain[j].end, idNumber})
			}
		}
	}
	return out
}

// blockMoney marks the groups of amounts, and returns their indexes: each longest stretch
// of the chain joined by one kind of separator, "." or " ", that is grouped in thousands,
// when the separator is "." or a currency follows, and the stretch is the whole chain but for
// dates ("074 185.296" and "174.185 296" are IDs written with mixed separators).
func blockMoney(s string, chain []group, blocked []bool) (money []int) {
	for i := 0; i < len(chain)-1; {
		sep := s[chain[i].end:chain[i+1].start]
		j := i + 1
		for j+1 < len(chain) && s[chain[j].end:chain[j+1].start] == sep {
			j++
		}
		if (i == 0 || blocked[i-1]) && (j == len(chain)-1 || blocked[j+1]) && (sep == "." || sep == " ") && thousands(s, chain[i:j+1]) &&
			(sep == "." || currencyAfter(s, chain[j].end)) {
			for k := i; k <= j; k++ {
				blocked[k] = true
				money = append(money, k)
			}
		}
		i = j
	}
	return money
}

// thousands reports whether groups are an amount grouped in thousands: a lead of one to three
// digits not starting with 0, then groups of three.
func thousands(s string, groups []group) bool {
	if groups[0].len() > 3 || s[groups[0].start] == '0' {
		return false
	}
	for _, g := range groups[1:] {
		if g.len() != 3 {
			return false
		}
	}
	return true
}

// blockDates marks the groups of dates written d.m.yyyy or yyyy-m-d (any one joining
// separator, used twice).
func blockDates(s string, chain []group, blocked []bool) {
	for i := 0; i+2 < len(chain); i++ {
		a, b, c := chain[i], chain[i+1], chain[i+2]
		if s[a.end:b.start] != s[b.end:c.start] {
			continue
		}
		day, month, year := a, b, c
		if a.len() == 4 {
			year, day = a, c
		}
		if year.len() == 4 && inRange(s, year, 1900, 2100) && day.len() <= 2 && inRange(s, day, 1, 31) &&
			month.len() <= 2 && inRange(s, month, 1, 12) {
			blocked[i], blocked[i+1], blocked[i+2] = true, true, true
		}
	}
}

func inRange(s string, g group, lo, hi int) bool {
	v := 0
	for i := g.start; i < g.end; i++ {
		v = v*10 + int(s[i]-'0')
	}
	return v >= lo && v <= hi
}

// idLabels are words that announce an ID number, folded (record.Fold).
var idLabels = []string{"cmnd", "cccd", "cmt", "can cuoc", "chung minh", "dinh danh", "identity", "id card", "id no"}

// idLabelBefore reports whether one of idLabels stands in the 40 bytes before end.
func idLabelBefore(s string, end int) bool {
	start := max(0, end-40)
	for start < end && !utf8.RuneStart(s[start]) {
		start++
	}
	before := record.Fold(s[start:end])
	for _, l := range idLabels {
		if strings.Contains(before, l) {
			return true
		}
	}
	return false
}

// currencyAfter reports whether a currency (đồng, đ, VNĐ, VND) follows the number ending at
// byte end, maybe after one space.
func currencyAfter(s string, end int) bool {
	rest := s[end:]
	rest = strings.TrimPrefix(rest, " ")
	rest = record.Fold(rest[:min(len(rest), 8)])
	if strings.HasPrefix(rest, "dong") || strings.HasPrefix(rest, "vnd") {
		return true
	}
	return strings.HasPrefix(rest, "d") && (len(rest) == 1 || !isLetter(rest[1]))
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 }
