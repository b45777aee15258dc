package pdf

import (
	"bytes"
	"compress/zlib"
	_ "embed"
	"fmt"
)

// glyphless is Tesseract's pdf.ttf: two glyphs, .notdef and one empty glyph 1024 units wide
// on a 2048-unit em. Every character of the text layer is drawn with glyph 1; nothing shows
// (and the text is drawn in invisible mode anyway), but a real embedded font keeps strict
// readers and PDF/A checks content. See glyphless.NOTICE for its licence.
//
//go:embed glyphless.ttf
var glyphless []byte

// glyphWidth is the advance of every character in text space units (1/1000 em): the
// font's one glyph is half an em wide. The text layer scales words horizontally from it.
const glyphWidth = 500

// ascent and descent are the font's extent above and below the baseline in text space
// units: viewers draw a character's box from them (see writeFont), and poppler a word's
// (see startBelow).
const (
	ascent  = 800
	descent = 200
)

// writeFont writes the Type0 font the text layers use: character codes are two bytes
// (Identity-H), each code is its own CID, every CID maps to glyph 1 (Acrobat refuses to
// extract text drawn with glyph 0), and the ToUnicode CMap maps each code back to the same
// UTF-16 code unit.
func (w *Writer) writeFont() {
	w.object(objFont, fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /GlyphLessFont /Encoding /Identity-H "+
		"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>", objCIDFont, objToUnicode))
	w.object(objCIDFont, fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /GlyphLessFont "+
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "+
		"/FontDescriptor %d 0 R /DW %d /CIDToGIDMap %d 0 R >>", objFontDescriptor, glyphWidth, objCIDToGID))
	w.stream(objCIDToGID, "/Filter /FlateDecode", cidToGIDMap())
	w.stream(objToUnicode, "", toUnicodeCMap())
	// Viewers and extractors draw a character's box from the ascent and descent. A line is
	// written at about its height as font size, and OCR finds the baseline at 0.79 of a line's
	// box from its top (median over 589 lines of 23 pages): 800 above it and 200 below put
	// the box where the word is.
	w.object(objFontDescriptor, fmt.Sprintf("<< /Type /FontDescriptor /FontName /GlyphLessFont /Flags 5 "+
		"/FontBBox [0 -%d %d %d] /ItalicAngle 0 /Ascent %d /Descent -%d /CapHeight %d /StemV 80 "+
		"/FontFile2 %d 0 R >>", descent, glyphWidth, ascent, ascent, descent, ascent, objFontFile))
	w.stream(objFontFile, fmt.Sprintf("/Length1 %d", len(glyphless)), glyphless)
}

// cidToGIDMap returns the deflated map of all 65536 CIDs to glyph 1 (two big-endian bytes
// each): 128 KiB that compress to a few hundred bytes.
func cidToGIDMap() []byte {
	raw := bytes.Repeat([]byte{0, 1}, 1<<16)
	var b bytes.Buffer
	zw := zlib.NewWriter(&b)
	zw.Write(raw)
	zw.Close()
	return b.Bytes()
}

// toUnicodeCMap maps every two-byte code to the same UTF-16 code unit, and gapCode to two
// spaces. Ranges stay within one high byte, as bfrange requires, and skip the surrogate
// block, which text never uses (characters outside the BMP are written as U+FFFD).
func toUnicodeCMap() []byte {
	var ranges []int
	for hi := 0; hi < 256; hi++ {
		if hi >= 0xD8 && hi <= 0xDF {
			continue
		}
		ranges = append(ranges, hi)
	}
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	// A bfrange section may hold at most 100 entries.
	for len(ranges) > 0 {
		n := min(len(ranges), 100)
		fmt.Fprintf(&b, "%d beginbfrange\n", n)
		for _, hi := range ranges[:n] {
			fmt.Fprintf(&b, "<%02X00> <%02XFF> <%02X00>\n", hi, hi, hi)
		}
		b.WriteString("endbfrange\n")
		ranges = ranges[n:]
	}
	fmt.Fprintf(&b, "1 beginbfchar\n<%04X> <00200020>\nendbfchar\n", gapCode)
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}
