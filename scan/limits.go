package scan

import "fmt"

// Limits bound the work one file may cause. Zero values mean the defaults in brackets.
type Limits struct {
	MaxFileBytes int64 // [200 MiB]
	MaxPixels    int64 // per page, checked from the header BEFORE full decode [80_000_000]
	MaxPages     int   // per file [500]
}

const (
	defaultMaxFileBytes = 200 << 20
	defaultMaxPixels    = 80_000_000
	defaultMaxPages     = 500
)

func (l Limits) withDefaults() Limits {
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = defaultMaxFileBytes
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = defaultMaxPixels
	}
	if l.MaxPages <= 0 {
		l.MaxPages = defaultMaxPages
	}
	return l
}

func (l Limits) checkFileSize(n int64) error {
	if n > l.MaxFileBytes {
		return inputErr(ErrTooLarge, "file of %s exceeds the limit of %s: split it into smaller files",
			humanBytes(n), humanBytes(l.MaxFileBytes))
	}
	return nil
}

func (l Limits) checkPages(n int) error {
	if n > l.MaxPages {
		return inputErr(ErrTooManyPages, "file has %d pages, more than the limit of %d: split it into smaller files",
			n, l.MaxPages)
	}
	return nil
}

// checkPixels is called with the size declared in a header, before any pixel memory is
// allocated, so that a small file declaring a huge image cannot exhaust memory.
func (l Limits) checkPixels(w, h int) error {
	if w <= 0 || h <= 0 {
		return inputErr(ErrCorrupt, "image declares an invalid size %d×%d: the file is damaged, scan it again", w, h)
	}
	if int64(w)*int64(h) > l.MaxPixels {
		return inputErr(ErrTooLarge, "image %d×%d exceeds the limit of %s megapixels per page: scan at 300 dpi or less",
			w, h, formatMega(l.MaxPixels))
	}
	return nil
}

func formatMega(px int64) string {
	if px%1_000_000 == 0 {
		return fmt.Sprint(px / 1_000_000)
	}
	return fmt.Sprintf("%.1f", float64(px)/1e6)
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}
