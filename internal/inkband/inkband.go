// Package inkband finds the band of a page image that holds the most ink: the part of a page
// worth showing Tesseract when the whole page is not needed (orientation detection, and the
// reading that settles an unsure orientation). It depends only on the standard library.
package inkband

import "image"

// Densest returns the band of g, 1/share of its length across the text lines, that holds the
// most ink (pixels darker than 128): rows of the page for lines running across it, columns
// when down is true (lines running down the page). The band is full length along the lines.
func Densest(g *image.Gray, share int, down bool) image.Rectangle {
	b := g.Rect
	n, along := b.Dy(), b.Dx()
	if down {
		n, along = b.Dx(), b.Dy()
	}
	ink := make([]int, n)
	// Every other line and every fourth pixel along it are plenty to find where the text is.
	for i := 0; i < n; i += 2 {
		for j := 0; j < along; j += 4 {
			x, y := b.Min.X+j, b.Min.Y+i
			if down {
				x, y = b.Min.X+i, b.Min.Y+j
			}
			if g.Pix[g.PixOffset(x, y)] < 128 {
				ink[i]++
			}
		}
	}
	size := max(1, n/share)
	start, sum, best := 0, 0, -1
	for i := range n {
		sum += ink[i]
		if i >= size {
			sum -= ink[i-size]
		}
		if i >= size-1 && sum > best {
			start, best = i-size+1, sum
		}
	}
	if down {
		return image.Rect(b.Min.X+start, b.Min.Y, b.Min.X+start+size, b.Max.Y)
	}
	return image.Rect(b.Min.X, b.Min.Y+start, b.Max.X, b.Min.Y+start+size)
}
