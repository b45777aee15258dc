package scan

import (
	"image"
	"image/color"
)

// Red seals (con dấu) are stamped over the signature and often over text. Ink that is
// clearly red is mapped to white before the conversion to gray, so that the seal does not
// hide the words under it; where the seal covers black text, the pixel is dark in every
// channel and stays dark.
const (
	redMinR     = 100 // red channel at least this bright
	redMinOverG = 60  // and this much above green
	redMinOverB = 45  // and above blue
)

func isRed(r, g, b int32) bool {
	return r >= redMinR && r-g >= redMinOverG && r-b >= redMinOverB
}

// luma is BT.601, the weights JPEG uses for Y, in 16-bit fixed point.
func luma(r, g, b int32) uint8 {
	return uint8((19595*r + 38470*g + 7471*b + 1<<15) >> 16)
}

// toGray converts img to a new *image.Gray starting at (0,0), with paper-white behind
// transparent pixels. The common decoder outputs have direct paths; anything else goes
// through color.Color, which is slower but correct.
func toGray(img image.Image, dropRed bool) *image.Gray {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	g := image.NewGray(image.Rect(0, 0, w, h))
	switch m := img.(type) {
	case *image.Gray:
		for y := 0; y < h; y++ {
			copy(g.Pix[y*g.Stride:y*g.Stride+w], m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.YCbCr:
		ycbcrToGray(g, m, dropRed)
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
				dst[x] = grayOf(r, gg, bl, dropRed)
			}
		}
	case *image.RGBA:
		for y := 0; y < h; y++ {
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := g.Pix[y*g.Stride : y*g.Stride+w]
			for x := range dst {
				p := src[4*x : 4*x+4 : 4*x+4]
				white := 255 - int32(p[3]) // premultiplied: add the white showing through
				dst[x] = grayOf(int32(p[0])+white, int32(p[1])+white, int32(p[2])+white, dropRed)
			}
		}
	case *image.Paletted:
		var lut [256]uint8
		for i := range lut {
			lut[i] = 255
		}
		for i, c := range m.Palette {
			lut[i] = grayOfColor(c, dropRed)
		}
		for y := 0; y < h; y++ {
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := g.Pix[y*g.Stride : y*g.Stride+w]
			for x := range dst {
				dst[x] = lut[src[x]]
			}
		}
	case *image.CMYK: // Adobe JPEGs
		for y := 0; y < h; y++ {
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := g.Pix[y*g.Stride : y*g.Stride+w]
			for x := range dst {
				p := src[4*x : 4*x+4 : 4*x+4]
				k := 255 - int32(p[3])
				dst[x] = grayOf((255-int32(p[0]))*k/255, (255-int32(p[1]))*k/255, (255-int32(p[2]))*k/255, dropRed)
			}
		}
	case *image.RGBA64: // 16-bit colour PNG and TIFF
		for y := 0; y < h; y++ {
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := g.Pix[y*g.Stride : y*g.Stride+w]
			for x := range dst {
				p := src[8*x : 8*x+8 : 8*x+8] // big-endian: the high bytes are enough
				white := 255 - int32(p[6])
				dst[x] = grayOf(int32(p[0])+white, int32(p[2])+white, int32(p[4])+white, dropRed)
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
				dst[x] = grayOfColor(img.At(b.Min.X+x, b.Min.Y+y), dropRed)
			}
		}
	}
	return g
}

func grayOf(r, g, b int32, dropRed bool) uint8 {
	if dropRed && isRed(r, g, b) {
		return 255
	}
	return luma(r, g, b)
}

func grayOfColor(c color.Color, dropRed bool) uint8 {
	r, g, b, a := c.RGBA() // premultiplied, 16 bit
	white := 0xffff - a
	return grayOf(int32((r+white)>>8), int32((g+white)>>8), int32((b+white)>>8), dropRed)
}

// ycbcrToGray takes Y as the gray value (it is the luma already) and looks at the chroma
// only where the seal test can pass: r-g ≥ 60 and r-b ≥ 45 imply Cr ≥ 128+28.
func ycbcrToGray(g *image.Gray, m *image.YCbCr, dropRed bool) {
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
			ci := crow + (b.Min.X+x)>>hs - cx0
			cr := int32(m.Cr[ci]) - 128
			if cr < 28 {
				continue
			}
			cb := int32(m.Cb[ci]) - 128
			yy := int32(dst[x])
			// JFIF YCbCr→RGB in 16-bit fixed point, as in image/color.
			r := yy + (91881*cr+1<<15)>>16
			gg := yy - (22554*cb+46802*cr+1<<15)>>16
			bl := yy + (116130*cb+1<<15)>>16
			if isRed(r, gg, bl) {
				dst[x] = 255
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
