package ocr

import (
	"strings"

	"github.com/sohoa/sohoa/internal/mrz"
	"github.com/sohoa/sohoa/record"
)

// fixMRZ finds the machine-readable zone of an ID card among a page's lines (three lines in
// a row, each with a long run of the zone's characters and its "<" fillers) and puts it
// right with mrz.Repair. Each zone line becomes one word; the marks OCR read around it
// (a speck as "s", a stroke as "ộ") are dropped, since nothing else is printed there.
func fixMRZ(lines [][]record.Word) [][]record.Word {
	for i := 0; i+3 <= len(lines); i++ {
		var read [3]string
		var parts [3][]record.Word
		zone := true
		for j := range 3 {
			parts[j] = zoneWords(lines[i+j])
			read[j] = joinText(parts[j])
			zone = zone && len(read[j]) >= mrz.Width-6 && strings.Contains(read[j], "<")
		}
		if !zone {
			continue
		}
		fixed, _ := mrz.Repair(read)
		fixed[2] = nameAsPrinted(fixed[2], lines[:i])
		for j := range 3 {
			if len(fixed[j]) != mrz.Width {
				continue // not brought to the zone's width: left as read
			}
			w := parts[j][0]
			var conf float64
			for _, p := range parts[j] {
				w.Box = w.Box.Union(p.Box)
				conf += p.Confidence
			}
			w.Text, w.Confidence = fixed[j], conf/float64(len(parts[j]))
			lines[i+j] = []record.Word{w}
		}
		i += 2
	}
	return lines
}

// zoneWords returns the words of line that could be part of a zone line: three or more
// of the zone's characters (letters A–Z in either case, digits, "<", "«"), and at most one
// other in five, which mrz.Repair then drops (".H0ANG<<THI…", "THA0Ũ<<<…").
func zoneWords(line []record.Word) []record.Word {
	var out []record.Word
	for _, w := range line {
		in, other := 0, 0
		for _, r := range w.Text {
			if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '<' || r == '«' {
				in++
			} else {
				other++
			}
		}
		if in >= 3 && 4*other <= in {
			out = append(out, w)
		}
	}
	return out
}

func joinText(ws []record.Word) string {
	var b strings.Builder
	for _, w := range ws {
		b.WriteString(w.Text)
	}
	return b.String()
}

// Letters OCR confuses in the zone's typeface, for matching the name line with the name
// printed on the card.
var nameConfusions = map[[2]byte]bool{}

func init() {
	for _, p := range []string{"TI", "LI", "JI", "OD", "OQ", "UV", "CG", "EF"} {
		nameConfusions[[2]byte{p[0], p[1]}] = true
		nameConfusions[[2]byte{p[1], p[0]}] = true
	}
}

// nameAsPrinted checks each name in the zone's name line ("LUONG<<MTNH<LAN") against the
// words printed above the zone: a name found there as it is stays, and one that is found
// only with letters OCR confuses in its place ("MINH" in "LƯƠNG MINH LAN", folded) is
// taken as printed. The printed name is in a different typeface, so the two readings
// seldom share an error.
func nameAsPrinted(name string, above [][]record.Word) string {
	if len(name) != mrz.Width {
		return name
	}
	printed := map[string]bool{}
	for _, l := range above {
		for _, w := range l {
			printed[strings.ToUpper(record.Fold(w.Text))] = true
		}
	}
	parts := strings.Split(name, "<")
	for i, p := range parts {
		if p == "" || printed[p] {
			continue
		}
		var match string
		n := 0
		for w := range printed {
			if confusable(p, w) && w != match {
				match = w
				n++
			}
		}
		if n == 1 {
			parts[i] = match
		}
	}
	return strings.Join(parts, "<")
}

// confusable reports whether a and b have the same length and differ only in letters OCR
// confuses.
func confusable(a, b string) bool {
	if len(a) != len(b) || a == b {
		return false
	}
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] && !nameConfusions[[2]byte{a[i], b[i]}] {
			return false
		}
	}
	return true
}
