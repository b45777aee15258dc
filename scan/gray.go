package scan

import (
	"image"
	"image/color"
)

// Red seals (con dấu) and stamps are stamped over the signature and often over text. They
// are dropped the way scanners with a red dropout lamp drop them: red ink reflects red light
// almost as well as paper does, and black ink does not, so in the red channel the seal all but
// disappears while text under it stays black. Where a pixel is clearly redder than it is
// bright (r above its luma by redMargin), its gray value is its red channel lifted once more
// by the same excess, 2r − luma (the lift comes after the background is flattened, see
// grayAndRed): a stamp's ink reflects only about 85% of the red the paper
// does, so the red channel alone left stamps light gray but legible, and Tesseract read
// "SAO Y BẢN CHÍNH" into the text and lost the line under it (46 sealed or stamped pages of
// seed 12: 614 → 478 character edits). Black text under red ink stays dark. The
// earlier rule (whiten pixels with r ≥ 100, r−g ≥ 60, r−b ≥ 45) left the anti-aliased and
// unevenly inked parts of seals and the outlines of stamps as gray debris that Tesseract read
// as letters, turned black text under a seal fully white where JPEG chroma bled into it, and
// made the text under a seal look bolder than the rest.
const redMargin = 8

// luma is BT.601, the weights JPEG uses for Y, in 16-bit fixed point.
func luma(r, g, b int32) uint8 {
	return uint8((19595*r + 38470*g + 7471*b + 1<<15) >> 16)
}

// toGray converts img to a new *image.Gray starting at (0,0), with paper-white behind
// transparent pixels and red ink lifted (addRed).
func toGray(img image.Image, dropRed bool) *image.Gray {
	g, red := grayAndRed(img, dropRed)
	addRed(g, red)
	return g
}

// grayAndRed converts img to gray with red ink at its red channel, and returns beside it the
// excess of each red pixel's red channel over its luma (nil when no pixel is red). The
// excess is added only after the background is flattened: lifted first, the seal's strokes
// stand brighter than the paper, the background estimate (the brightest paper near each
// point) takes them for paper, and the page around a seal turns gray, dark enough that
// Tesseract dropped the card text printed over it. The common decoder outputs have direct
// paths; anything else goes through color.Color, which is slower but correct.
func grayAndRed(img image.Image, dropRed bool) (*image.Gray, *image.Gray) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	g := image.NewGray(image.Rect(0, 0, w, h))
	red := &redPlane{w: w, h: h}
	switch m := img.(type) {
	case *image.Gray:
		for y := 0; y < h; y++ {
			copy(g.Pix[y*g.Stride:y*g.Stride+w], m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.YCbCr:
		ycbcrToGray(g, red, m, dropRed)
	case *image.NRGBA:
		for y := 0; y < h; y++ {
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := g.Pix[y*g.Stride : y*g.Stride+w]
			for x := range dst {
				p := src[4*x : 4*x+4 : 4*x+4]
				r, gg, bl, a := int32(p[0]), int32(p[1]), int32(p[2]), int32(p[3])
				if a != 255 { // composite over white paper
					r = (r*a + 255*(255-a)) / 255
					gg = (gg*a + 255*(255-a)) / 255
					bl = (bl*a + 255*(255-a)) / 255
				}
				v, e := grayOf(r, gg, bl, dropRed)
				dst[x] = red.put(x, y, v, e)
			}
		}
	case *image.RGBA:
		for y := 0; y < h; y++ {
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := g.Pix[y*g.Stride : y*g.Stride+w]
			for x := range dst {
				p := src[4*x : 4*x+4 : 4*x+4]
				white := 255 - int32(p[3]) // premultiplied: add the white showing through
				v, e := grayOf(int32(p[0])+white, int32(p[1])+white, int32(p[2])+white, dropRed)
				dst[x] = red.put(x, y, v, e)
			}
		}
	case *image.Paletted:
		var lut [256]uint8
		var excess [256]uint8
		for i := range lut {
			lut[i] = 255
		}
		for i, c := range m.Palette {
			lut[i], excess[i] = grayOfColor(c, dropRed)
		}
		for y := 0; y < h; y++ {
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := g.Pix[y*g.Stride : y*g.Stride+w]
			for x := range dst {
				dst[x] = red.put(x, y, lut[src[x]], excess[src[x]])
			}
		}
	case *image.CMYK: // Adobe JPEGs
		for y := 0; y < h; y++ {
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := g.Pix[y*g.Stride : y*g.Stride+w]
			for x := range dst {
				p := src[4*x : 4*x+4 : 4*x+4]
				k := 255 - int32(p[3])
				v, e := grayOf((255-int32(p[0]))*k/255, (255-int32(p[1]))*k/255, (255-int32(p[2]))*k/255, dropRed)
				dst[x] = red.put(x, y, v, e)
			}
		}
	case *image.RGBA64: // 16-bit colour PNG and TIFF
		for y := 0; y < h; y++ {
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := g.Pix[y*g.Stride : y*g.Stride+w]
			for x := range dst {
				p := src[8*x : 8*x+8 : 8*x+8] // big-endian: the high bytes are enough
				white := 255 - int32(p[6])
				v, e := grayOf(int32(p[0])+white, int32(p[2])+white, int32(p[4])+white, dropRed)
				dst[x] = red.put(x, y, v, e)
			}
		}
	case *image.Gray16:
		for y := 0; y < h; y++ {
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := g.Pix[y*g.Stride : y*g.Stride+w]
			for x := range dst {
				dst[x] = src[2*x] // the high byte
			}
		}
	default:
		for y := 0; y < h; y++ {
			dst := g.Pix[y*g.Stride : y*g.Stride+w]
			for x := range dst {
				v, e := grayOfColor(img.At(b.Min.X+x, b.Min.Y+y), dropRed)
				dst[x] = red.put(x, y, v, e)
			}
		}
	}
	return g, red.img
}

// redPlane collects the excess of red pixels, allocating its image at the first one.
type redPlane struct {
	img  *image.Gray
	w, h int
}

// put records the excess of pixel (x, y) and returns its gray value.
func (p *redPlane) put(x, y int, gray, excess uint8) uint8 {
	if excess != 0 {
		if p.img == nil {
			p.img = image.NewGray(image.Rect(0, 0, p.w, p.h))
		}
		p.img.Pix[y*p.img.Stride+x] = excess
	}
	return gray
}

// addRed lifts each red pixel of g by its excess, to 2r − luma (see redMargin).
func addRed(g, red *image.Gray) {
	if red == nil {
		return
	}
	for i, e := range red.Pix {
		if e != 0 {
			g.Pix[i] = uint8(min(int(g.Pix[i])+int(e), 255))
		}
	}
}

// grayOf returns the gray value of a pixel (its red channel where it is red ink, else its
// luma) and its excess (how far the red channel is above the luma, 0 unless red ink).
func grayOf(r, g, b int32, dropRed bool) (uint8, uint8) {
	y := luma(r, g, b)
	if dropRed && r > int32(y)+redMargin {
		return uint8(min(r, 255)), uint8(min(r-int32(y), 255))
	}
	return y, 0
}

func grayOfColor(c color.Color, dropRed bool) (uint8, uint8) {
	r, g, b, a := c.RGBA() // premultiplied, 16 bit
	white := 0xffff - a
	return grayOf(int32((r+white)>>8), int32((g+white)>>8), int32((b+white)>>8), dropRed)
}

// ycbcrToGray takes Y as the gray value (it is the luma already). For the red dropout only
// Cr matters: in JFIF, r = Y + 1.402·(Cr−128), so r exceeds the luma by redMargin exactly
// where 1.402·(Cr−128) > redMargin, and that lift is also the excess.
func ycbcrToGray(g *image.Gray, red *redPlane, m *image.YCbCr, dropRed bool) {
	b := m.Rect
	w, h := b.Dx(), b.Dy()
	hs, vs := chromaShift(m.SubsampleRatio)
	for y := 0; y < h; y++ {
		sy := b.Min.Y + y
		yrow := m.Y[m.YOffset(b.Min.X, sy):]
		dst := g.Pix[y*g.Stride : y*g.Stride+w]
		copy(dst, yrow[:w])
		if !dropRed {
			continue
		}
		crow := (sy>>vs - b.Min.Y>>vs) * m.CStride
		cx0 := b.Min.X >> hs
		for x := range dst {
			cr := int32(m.Cr[crow+(b.Min.X+x)>>hs-cx0]) - 128
			// 91881 is 1.402 in 16-bit fixed point, as in image/color.
			if lift := (91881*cr + 1<<15) >> 16; lift > redMargin {
				dst[x] = red.put(x, y, uint8(min(int32(dst[x])+lift, 255)), uint8(min(lift, 255)))
			}
		}
	}
}

// chromaShift returns how many bits to shift x and y by to index the chroma planes.
func chromaShift(r image.YCbCrSubsampleRatio) (hs, vs int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return 1, 0
	case image.YCbCrSubsampleRatio420:
		return 1, 1
	case image.YCbCrSubsampleRatio440:
		return 0, 1
	case image.YCbCrSubsampleRatio411:
		return 2, 0
	case image.YCbCrSubsampleRatio410:
		return 2, 1
	}
	return 0, 0
}
