package ocr

import (
	"strings"
	"testing"

	"github.com/sohoa/sohoa/record"
)

func word(text string, conf float64, line int, x1, y1, x2, y2 int) tessWord {
	return tessWord{Text: text, Confidence: conf, Box: record.Box{x1, y1, x2, y2}, Block: 1, Par: 1, Line: line}
}

func texts(words []tessWord) string {
	var out []string
	for _, w := range words {
		out = append(out, w.Text)
	}
	return strings.Join(out, " ")
}

func TestDropDoubles(t *testing.T) {
	t.Parallel()
	// An underlined motto in heavy print, as Tesseract read it on a generated page: once
	// on a line of its own with its first and last letters cut and its boxes shifted, and
	// once whole on the line it shares with the document number.
	cut := []tessWord{
		word("ộc", 93, 2, 1479, 306, 1495, 316), word("lập", 93, 2, 1540, 306, 1575, 347),
		word("-", 93, 2, 1625, 329, 1641, 337), word("Tự", 97, 2, 1670, 296, 1714, 361),
		word("do", 93, 2, 1738, 307, 1767, 347), word("-", 93, 2, 1810, 329, 1825, 336),
		word("Hạnh", 97, 2, 1941, 306, 1968, 347), word("phú", 85, 2, 2015, 307, 2066, 347),
	}
	whole := []tessWord{
		word("Số:", 93, 3, 432, 347, 498, 389), word("07/2022/TT-BTP", 92, 3, 517, 350, 885, 389),
		word("Độc", 96, 3, 1436, 309, 1524, 357), word("lập", 93, 3, 1554, 319, 1609, 358),
		word("-", 93, 3, 1616, 297, 1644, 379), word("Tự", 97, 3, 1655, 309, 1726, 357),
		word("do", 93, 3, 1769, 319, 1794, 347), word("-", 93, 3, 1807, 297, 1829, 379),
		word("Hạnh", 97, 3, 1883, 319, 1938, 357), word("phúc", 97, 3, 1984, 319, 2096, 358),
	}
	title := []tessWord{word("CỘNG", 96, 1, 1246, 237, 1392, 292), word("HÒA", 95, 1, 1409, 237, 1519, 283)}
	below := []tessWord{word("Hà", 97, 4, 1374, 424, 1437, 464), word("Nội,", 96, 4, 1453, 423, 1541, 472)}

	got := texts(dropDoubles(concat(title, cut, whole, below)))
	if want := "CỘNG HÒA Số: 07/2022/TT-BTP Độc lập - Tự do - Hạnh phúc Hà Nội,"; got != want {
		t.Errorf("motto read twice: got %q, want %q", got, want)
	}

	// The cut copy clearly more confident than the whole one: the whole one's motto goes,
	// its document number stays.
	for i := range cut {
		cut[i].Confidence = 99
	}
	for i := 2; i < len(whole); i++ {
		whole[i].Confidence = 85
	}
	got = texts(dropDoubles(concat(cut, whole)))
	if want := "ộc lập - Tự do - Hạnh phú Số: 07/2022/TT-BTP"; got != want {
		t.Errorf("whole copy less confident: got %q, want %q", got, want)
	}

	// Another page: each copy lacks one letter, and only 12 of the first copy's 19
	// characters lie on words of the second ("Độc" and "Hạnh" are off by half a word).
	// The two are as confident, and the copy on a line of its own goes.
	first := []tessWord{
		word("Độc", 96, 1, 1362, 361, 1413, 394), word("lập", 93, 1, 1451, 361, 1481, 394),
		word("-", 93, 1, 1524, 381, 1537, 385), word("Tự", 97, 1, 1558, 347, 1598, 407),
		word("do", 93, 1, 1618, 347, 1658, 407), word("-", 93, 1, 1682, 381, 1694, 385),
		word("Hạnh", 97, 1, 1793, 362, 1817, 394), word("phú", 97, 1, 1856, 362, 1900, 394),
	}
	second := []tessWord{
		word("Số:", 97, 2, 514, 393, 569, 428), word("03/2024/NĐ-CP", 95, 2, 586, 396, 885, 428),
		word("ộc", 93, 2, 1396, 372, 1437, 403), word("lập", 93, 2, 1464, 372, 1509, 404),
		word("-", 93, 2, 1517, 357, 1537, 415), word("Tự", 97, 2, 1556, 357, 1600, 415),
		word("do", 93, 2, 1621, 362, 1658, 395), word("-", 93, 2, 1677, 357, 1702, 415),
		word("Hạnh", 97, 2, 1744, 372, 1791, 403), word("phúc", 97, 2, 1830, 372, 1925, 404),
	}
	got = texts(dropDoubles(concat(first, second)))
	if want := "Số: 03/2024/NĐ-CP ộc lập - Tự do - Hạnh phúc"; got != want {
		t.Errorf("copies off by half a word: got %q, want %q", got, want)
	}

	// Lines that only touch (tall boxes of adjacent lines, a word beside another) are kept.
	apart := concat(title, below, []tessWord{word("XÃ", 96, 5, 1420, 275, 1500, 320)})
	if got := dropDoubles(apart); len(got) != len(apart) {
		t.Errorf("lines that only touch: kept %q", texts(got))
	}
}
