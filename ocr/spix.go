package ocr

import (
	"encoding/binary"
	"image"
	"math/bits"
	"slices"
)

// appendSPIX appends g to buf in Leptonica's serialisation (IFF_SPIX, what pixWriteMem
// writes and pixReadMem reads back by its "spix" header): six 32-bit header words (tag,
// width, height, depth, words per row, colours), the raster's size, then the raster as
// Leptonica holds it in memory, rows padded to whole 32-bit words and each word's pixels
// stored most significant byte first in a native (little-endian) word. Reading it is one
// copy, where Leptonica decodes a PGM byte by byte and a BMP comes back with a colour map.
// The format carries no resolution: the engine passes that as user_defined_dpi.
func appendSPIX(buf []byte, g *image.Gray) []byte {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	wpl := (w + 3) / 4
	raster := 4 * wpl * h
	le := binary.LittleEndian
	buf = le.AppendUint32(buf, 0x78697073) // "spix"
	for _, v := range []int{w, h, 8, wpl, 0, raster} {
		buf = le.AppendUint32(buf, uint32(v))
	}
	start := len(buf)
	buf = slices.Grow(buf, raster)[:start+raster]
	out := buf[start:]
	for y := range h {
		row := g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y+y):][:w]
		dst := out[y*4*wpl:][:4*wpl]
		x := 0
		for ; x+8 <= w; x += 8 {
			// Reversing all eight bytes and swapping the halves reverses each half.
			le.PutUint64(dst[x:], bits.RotateLeft64(bits.ReverseBytes64(le.Uint64(row[x:])), 32))
		}
		for ; x+4 <= w; x += 4 {
			le.PutUint32(dst[x:], binary.BigEndian.Uint32(row[x:]))
		}
		clear(dst[x:])
		for ; x < w; x++ {
			dst[x&^3|(3-x&3)] = row[x]
		}
	}
	return buf
}
