package scan

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
)

// This file reads the few header fields the Go decoders do not expose: resolution (PNG
// pHYs, JFIF, EXIF, TIFF, BMP), EXIF/TIFF orientation, and the chain of TIFF pages.

// ifd is a TIFF image file directory inside a TIFF structure (a TIFF file or an EXIF block).
type ifd struct {
	t       tiffData
	entries map[uint16]ifdEntry
	next    uint32
}

type ifdEntry struct {
	typ   uint16
	count uint32
	raw   [4]byte // value, or offset of the value when it is longer than 4 bytes
}

type tiffData struct {
	b  []byte
	bo binary.ByteOrder
}

var errBadTIFF = errors.New("bad TIFF structure")

func parseTIFFHeader(b []byte) (tiffData, uint32, error) {
	if len(b) < 8 {
		return tiffData{}, 0, errBadTIFF
	}
	var bo binary.ByteOrder
	switch string(b[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return tiffData{}, 0, errBadTIFF
	}
	if bo.Uint16(b[2:]) != 42 {
		return tiffData{}, 0, errBadTIFF
	}
	return tiffData{b: b, bo: bo}, bo.Uint32(b[4:]), nil
}

func (t tiffData) readIFD(off uint32) (ifd, error) {
	if int64(off) < 8 || int64(off)+2 > int64(len(t.b)) {
		return ifd{}, errBadTIFF
	}
	n := int64(t.bo.Uint16(t.b[off:]))
	end := int64(off) + 2 + 12*n
	if end+4 > int64(len(t.b)) {
		return ifd{}, errBadTIFF
	}
	d := ifd{t: t, entries: make(map[uint16]ifdEntry, n), next: t.bo.Uint32(t.b[end:])}
	for i := int64(0); i < n; i++ {
		e := t.b[int64(off)+2+12*i:]
		var en ifdEntry
		en.typ = t.bo.Uint16(e[2:])
		en.count = t.bo.Uint32(e[4:])
		copy(en.raw[:], e[8:12])
		d.entries[t.bo.Uint16(e)] = en
	}
	return d, nil
}

var tiffTypeSize = map[uint16]int64{1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8}

// num returns the first value of a numeric tag.
func (d ifd) num(tag uint16) (float64, bool) {
	e, ok := d.entries[tag]
	if !ok || e.count == 0 {
		return 0, false
	}
	size := tiffTypeSize[e.typ]
	if size == 0 {
		return 0, false
	}
	val := e.raw[:]
	if size*int64(e.count) > 4 {
		off := int64(d.t.bo.Uint32(e.raw[:]))
		if off+size > int64(len(d.t.b)) {
			return 0, false
		}
		val = d.t.b[off : off+size]
	}
	bo := d.t.bo
	switch e.typ {
	case 1, 7:
		return float64(val[0]), true
	case 3:
		return float64(bo.Uint16(val)), true
	case 4:
		return float64(bo.Uint32(val)), true
	case 8:
		return float64(int16(bo.Uint16(val))), true
	case 9:
		return float64(int32(bo.Uint32(val))), true
	case 5, 10:
		num, den := float64(bo.Uint32(val)), float64(bo.Uint32(val[4:]))
		if e.typ == 10 {
			num, den = float64(int32(bo.Uint32(val))), float64(int32(bo.Uint32(val[4:])))
		}
		if den == 0 {
			return 0, false
		}
		return num / den, true
	case 11:
		return float64(math.Float32frombits(bo.Uint32(val))), true
	case 12:
		return math.Float64frombits(bo.Uint64(val)), true
	}
	return 0, false
}

const (
	tagNewSubfileType = 254
	tagWidth          = 256
	tagHeight         = 257
	tagCompression    = 259
	tagOrientation    = 274
	tagXResolution    = 282
	tagResolutionUnit = 296
)

// dpi reads XResolution/ResolutionUnit (TIFF and EXIF share the tags). Unit 1 means "no
// absolute unit" and gives no DPI.
func (d ifd) dpi() float64 {
	x, ok := d.num(tagXResolution)
	if !ok || x <= 0 {
		return 0
	}
	unit, ok := d.num(tagResolutionUnit)
	if !ok {
		unit = 2 // the TIFF default is inch
	}
	switch unit {
	case 2:
		return x
	case 3:
		return x * 2.54
	}
	return 0
}

// orientation returns the EXIF/TIFF orientation 1–8, 1 when absent or invalid.
func (d ifd) orientation() int {
	o, ok := d.num(tagOrientation)
	if !ok || o < 1 || o > 8 {
		return 1
	}
	return int(o)
}

// tiffPages returns the offsets of the full-resolution page IFDs, skipping reduced-resolution
// thumbnails. It stops at loops and after maxPages+1 pages, so the caller can report
// ErrTooManyPages without the walk itself being unbounded.
func tiffPages(t tiffData, first uint32, maxPages int) ([]uint32, error) {
	var pages []uint32
	seen := map[uint32]bool{}
	for off := first; off != 0; {
		if seen[off] || len(seen) > 4*maxPages+16 {
			break
		}
		seen[off] = true
		d, err := t.readIFD(off)
		if err != nil {
			if len(pages) > 0 {
				break // a broken link after good pages: keep what can be read
			}
			return nil, err
		}
		if sub, ok := d.num(tagNewSubfileType); !ok || int(sub)&1 == 0 {
			pages = append(pages, off)
			if len(pages) > maxPages {
				break
			}
		}
		off = d.next
	}
	if len(pages) == 0 {
		return nil, errBadTIFF
	}
	return pages, nil
}

// pngDPI reads the pHYs chunk, which must come before the image data.
func pngDPI(b []byte) float64 {
	b = b[min(len(b), 8):]
	for len(b) >= 12 {
		n := int64(binary.BigEndian.Uint32(b))
		typ := string(b[4:8])
		if typ == "IDAT" || typ == "IEND" || n+12 > int64(len(b)) {
			return 0
		}
		if typ == "pHYs" && n >= 9 {
			ppu := float64(binary.BigEndian.Uint32(b[8:]))
			if b[16] == 1 { // unit: metre; whole dots per metre, so round what 0.0254 m makes of it
				return math.Round(ppu*0.0254*10) / 10
			}
			return 0
		}
		b = b[12+n:]
	}
	return 0
}

// jpegMeta reads the resolution (JFIF, else EXIF) and the EXIF orientation from the
// segments before the image data.
func jpegMeta(b []byte) (dpi float64, orient int) {
	orient = 1
	var exifDPI float64
	b = b[min(len(b), 2):]
	for len(b) >= 4 && b[0] == 0xff {
		marker := b[1]
		if marker == 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker == 0x01 || marker == 0xff {
			b = b[1:]
			continue
		}
		if marker == 0xda || marker == 0xd9 { // start of scan: no more metadata
			break
		}
		n := int(binary.BigEndian.Uint16(b[2:]))
		if n < 2 || 2+n > len(b) {
			break
		}
		seg := b[4 : 2+n]
		switch {
		case marker == 0xe0 && bytes.HasPrefix(seg, []byte("JFIF\x00")) && len(seg) >= 12:
			x := float64(binary.BigEndian.Uint16(seg[8:]))
			switch seg[7] {
			case 1:
				dpi = x
			case 2:
				dpi = x * 2.54
			}
		case marker == 0xe1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")):
			if t, off, err := parseTIFFHeader(seg[6:]); err == nil {
				if d, err := t.readIFD(off); err == nil {
					orient = d.orientation()
					exifDPI = d.dpi()
				}
			}
		}
		b = b[2+n:]
	}
	if dpi == 0 {
		dpi = exifDPI
	}
	return dpi, orient
}

// bmpDPI reads biXPelsPerMeter from the BITMAPINFOHEADER.
func bmpDPI(b []byte) float64 {
	if len(b) < 42 || binary.LittleEndian.Uint32(b[14:]) < 40 {
		return 0
	}
	return math.Round(float64(int32(binary.LittleEndian.Uint32(b[38:])))*0.0254*10) / 10
}
