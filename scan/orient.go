package scan

import (
	"image"
	"image/draw"
)

// orientImage applies an EXIF/TIFF orientation (1–8) so that the image is as it should be
// displayed. Gray and RGBA-like images are transformed in their own layout; anything else is
// first converted to RGBA (photos from phones are the usual case, and only those with an
// orientation other than 1 pay for it).
func orientImage(img image.Image, orient int) image.Image {
	if orient <= 1 || orient > 8 {
		return img
	}
	switch m := img.(type) {
	case *image.Gray:
		pix, stride, r := orientPix(m.Pix, m.Stride, m.Rect, 1, orient)
		return &image.Gray{Pix: pix, Stride: stride, Rect: r}
	case *image.NRGBA:
		pix, stride, r := orientPix(m.Pix, m.Stride, m.Rect, 4, orient)
		return &image.NRGBA{Pix: pix, Stride: stride, Rect: r}
	case *image.RGBA:
		pix, stride, r := orientPix(m.Pix, m.Stride, m.Rect, 4, orient)
		return &image.RGBA{Pix: pix, Stride: stride, Rect: r}
	}
	b := img.Bounds()
	rgba := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(rgba, rgba.Rect, img, b.Min, draw.Src)
	return orientImage(rgba, orient)
}

// orientPix transforms packed pixels of bpp bytes each; pix[0] is the pixel at r.Min, as in
// every image of the standard library (sub-images included). The result starts at (0,0).
func orientPix(pix []byte, stride int, r image.Rectangle, bpp, orient int) ([]byte, int, image.Rectangle) {
	w, h := r.Dx(), r.Dy()
	nw, nh := w, h
	if orient >= 5 {
		nw, nh = h, w
	}
	out := make([]byte, nw*nh*bpp)
	ostride := nw * bpp
	right, bottom := (w-1)*bpp, (h-1)*stride
	// The source index is linear in the destination coordinates: start + dx·stepX + dy·stepY
	// (see the EXIF orientation table).
	var start, stepX, stepY int
	switch orient {
	case 2:
		start, stepX, stepY = right, -bpp, stride
	case 3:
		start, stepX, stepY = right+bottom, -bpp, -stride
	case 4:
		start, stepX, stepY = bottom, bpp, -stride
	case 5:
		start, stepX, stepY = 0, stride, bpp
	case 6:
		start, stepX, stepY = bottom, -stride, bpp
	case 7:
		start, stepX, stepY = right+bottom, -stride, -bpp
	case 8:
		start, stepX, stepY = right, stride, -bpp
	}
	for dy := 0; dy < nh; dy++ {
		row := out[dy*ostride : (dy+1)*ostride]
		s := start + dy*stepY
		if bpp == 1 {
			for dx := range row {
				row[dx] = pix[s]
				s += stepX
			}
			continue
		}
		for dx := 0; dx < nw; dx++ {
			copy(row[dx*bpp:dx*bpp+bpp], pix[s:s+bpp])
			s += stepX
		}
	}
	return out, ostride, image.Rect(0, 0, nw, nh)
}

// orientForTurn is the orientation code that turns an image clockwise by a quarter-turn
// multiple.
func orientForTurn(cw int) int {
	switch ((cw % 360) + 360) % 360 {
	case 90:
		return 6
	case 180:
		return 3
	case 270:
		return 8
	}
	return 1
}

// turnGray rotates g clockwise by 0/90/180/270 degrees.
func turnGray(g *image.Gray, cw int) *image.Gray {
	o := orientForTurn(cw)
	if o == 1 {
		return g
	}
	pix, stride, r := orientPix(g.Pix, g.Stride, g.Rect, 1, o)
	return &image.Gray{Pix: pix, Stride: stride, Rect: r}
}
