package scan

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzLimits keep one fuzzed input cheap while still above what the seeds need.
var fuzzLimits = Limits{MaxFileBytes: 4 << 20, MaxPixels: 4 << 20, MaxPages: 8}

// fuzzNames are the names a fuzzed file is uploaded under: the extension decides nothing
// but whether a mislabelled file is noticed.
var fuzzNames = []string{"scan.pdf", "scan.tif", "scan.png", "scan.jpg", "scan.webp", "scan.bmp", "scan.gif", "scan"}

// addFiles adds every file under dirs as a seed.
func addFiles(f *testing.F, dirs ...string) {
	for _, dir := range dirs {
		paths, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, p := range paths {
			if data, err := os.ReadFile(p); err == nil && len(data) <= int(fuzzLimits.MaxFileBytes) {
				f.Add(data, uint8(0))
			}
		}
	}
}

// FuzzPages feeds any bytes, under any of the upload names, to Count and Pages (the guards
// and the decoders of PDF, TIFF and the image formats) and checks that
//   - a rejection is an *InputError wrapping one of the sentinels, never a panic or another
//     error, so the document gets a reason a person can act on;
//   - no page exceeds the pixel limit and no file the page limit, the guards that keep a
//     small file from exhausting memory;
//   - pages come numbered 1, 2, … and, when both succeed, as many as Count announced.
func FuzzPages(f *testing.F) {
	addFiles(f, "testdata/good", "testdata/bad")
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		name := fuzzNames[int(kind)%len(fuzzNames)]
		n, cerr := Count(name, data, fuzzLimits)
		checkInputError(t, "Count", cerr)
		if cerr == nil && (n < 1 || n > fuzzLimits.MaxPages) {
			t.Fatalf("Count = %d, want 1..%d", n, fuzzLimits.MaxPages)
		}
		got := 0
		perr := Pages(context.Background(), name, data, fuzzLimits, func(r Raw) error {
			got++
			if r.Number != got {
				t.Fatalf("page %d numbered %d", got, r.Number)
			}
			b := r.Image.Bounds()
			if px := int64(b.Dx()) * int64(b.Dy()); px <= 0 || px > fuzzLimits.MaxPixels {
				t.Fatalf("page %d of %dx%d, outside 1..%d pixels", got, b.Dx(), b.Dy(), fuzzLimits.MaxPixels)
			}
			if r.DPI < 0 || math.IsNaN(r.DPI) || math.IsInf(r.DPI, 0) {
				t.Fatalf("page %d: dpi %v", got, r.DPI)
			}
			return nil
		})
		checkInputError(t, "Pages", perr)
		if got > fuzzLimits.MaxPages {
			t.Fatalf("%d pages, more than the limit %d", got, fuzzLimits.MaxPages)
		}
		if cerr == nil && perr == nil && got != n {
			t.Fatalf("Count = %d but Pages gave %d pages", n, got)
		}
	})
}

func checkInputError(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("%s: %v (%T), want an *InputError", what, err, err)
	}
	for _, s := range []error{ErrCorrupt, ErrEncrypted, ErrTooLarge, ErrTooManyPages, ErrUnsupported, ErrEmpty, ErrMislabelled} {
		if errors.Is(err, s) {
			return
		}
	}
	t.Fatalf("%s: %v wraps no sentinel", what, err)
}

// FuzzUnzip checks that any archive is either refused with an *InputError or gives files
// whose names stay inside the archive, that are not archives themselves, and that together
// keep within the budget of one upload.
func FuzzUnzip(f *testing.F) {
	paths, _ := filepath.Glob("testdata/bad/zip-*.zip")
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		files, err := Unzip(data, fuzzLimits)
		checkInputError(t, "Unzip", err)
		if err != nil {
			return
		}
		if len(files) > fuzzLimits.MaxPages {
			t.Fatalf("%d files, more than the limit %d", len(files), fuzzLimits.MaxPages)
		}
		var total int64
		for _, fl := range files {
			total += int64(len(fl.Data))
			n := fl.Name
			if n == "" || strings.HasPrefix(n, "/") || strings.Contains(n, `\`) || n == ".." || strings.HasPrefix(n, "../") || strings.Contains(n, "/../") {
				t.Fatalf("entry name %q leaves the archive", n)
			}
			if formatFromName(n) == fmtZip {
				t.Fatalf("nested archive %q", n)
			}
		}
		if total > fuzzLimits.MaxFileBytes {
			t.Fatalf("%d bytes inflated, more than the limit %d", total, fuzzLimits.MaxFileBytes)
		}
	})
}

// FuzzHeaderMeta reads resolution and orientation from any header bytes, as the decoders
// do before decoding: the readers must not panic, and give a finite non-negative DPI and
// an EXIF orientation of 1 to 8.
func FuzzHeaderMeta(f *testing.F) {
	for _, p := range []string{"testdata/bad/truncated.jpg", "testdata/bad/truncated.png", "testdata/bad/truncated.tif", "testdata/bad/many-pages.tif"} {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if dpi := pngDPI(data); dpi < 0 || math.IsNaN(dpi) || math.IsInf(dpi, 0) {
			t.Fatalf("pngDPI = %v", dpi)
		}
		dpi, orient := jpegMeta(data)
		if dpi < 0 || math.IsNaN(dpi) || math.IsInf(dpi, 0) || orient < 1 || orient > 8 {
			t.Fatalf("jpegMeta = %v, %d", dpi, orient)
		}
		td, first, err := parseTIFFHeader(data)
		if err != nil {
			return
		}
		offs, err := tiffPages(td, first, fuzzLimits.MaxPages)
		if err != nil {
			return
		}
		if len(offs) > fuzzLimits.MaxPages+1 {
			t.Fatalf("%d TIFF pages listed with a limit of %d", len(offs), fuzzLimits.MaxPages)
		}
		for _, off := range offs {
			d, err := td.readIFD(off)
			if err != nil {
				continue
			}
			if dpi := d.dpi(); dpi < 0 || math.IsNaN(dpi) || math.IsInf(dpi, 0) {
				t.Fatalf("TIFF dpi = %v", dpi)
			}
			if o := d.orientation(); o < 1 || o > 8 {
				t.Fatalf("TIFF orientation = %d", o)
			}
		}
	})
}
