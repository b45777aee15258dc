package scan

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"image"
	"image/color"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

var update = flag.Bool("update", false, "rewrite testdata/bad from the generators in this file")

// badFiles are the generators of testdata/bad. The files are committed so that the corpus
// can also be fed to other tools; -update writes them again.
func badFiles(t testing.TB) map[string][]byte {
	page := pngBytes(t, markedPage(300, 424))
	jpg := jpegBytes(t, markedPage(300, 424))
	pdf := imagePDF(t, page)
	noise := make([]byte, 2000)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range noise {
		noise[i] = byte(r.UintN(256))
	}
	zeros := make([]byte, 10<<20)
	return map[string][]byte{
		"empty.png":      {},
		"truncated.png":  page[:len(page)/2],
		"truncated.jpg":  jpg[:len(jpg)/2],
		"truncated.tif":  multiTIFF([]*image.Gray{markedPage(300, 424)}, 300)[:3000],
		"corrupt.pdf":    append([]byte("%PDF-1.4\n"), noise...),
		"encrypted.pdf":  encryptPDF(t, pdf, "mật khẩu"),
		"bomb.png":       pngBomb(60000, 60000),
		"many-pages.pdf": imagePDF(t, page, page, page),
		"many-pages.tif": multiTIFF([]*image.Gray{markedPage(30, 40), markedPage(30, 40), markedPage(30, 40)}, 300),
		"text.pdf":       []byte("Biên bản họp ngày 12/3/2024\nKính gửi: Ủy ban nhân dân xã\n"),
		"notes.txt":      []byte("Ghi chú: hồ sơ thiếu giấy khai sinh.\n"),
		"photo.heic":     append([]byte("\x00\x00\x00\x18ftypheic"), noise[:100]...),
		"zip-slip.zip":   zipBytes(t, zipEntry{name: "scans/../../etc/cron.d/x.png", data: page}),
		"zip-abs.zip":    zipBytes(t, zipEntry{name: "/tmp/x.png", data: page}),
		"zip-bomb.zip":   zipBytes(t, zipEntry{name: "page.tif", data: zeros, method: 8}),
		"zip-nested.zip": zipBytes(t, zipEntry{name: "inner.zip", data: zipBytes(t, zipEntry{name: "a.png", data: page})}),
	}
}

func TestBadFiles(t *testing.T) {
	dir := filepath.Join("testdata", "bad")
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, data := range badFiles(t) {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Parallel()
	tests := []struct {
		file string
		lim  Limits
		want error
		// countToo: Count must reject it as well (it reads headers only, so pixel data
		// problems only show when decoding).
		countToo bool
	}{
		{"empty.png", Limits{}, ErrEmpty, true},
		{"truncated.png", Limits{}, ErrCorrupt, false},
		{"truncated.jpg", Limits{}, ErrCorrupt, false},
		{"truncated.tif", Limits{}, ErrCorrupt, false},
		{"corrupt.pdf", Limits{}, ErrCorrupt, true},
		{"encrypted.pdf", Limits{}, ErrEncrypted, true},
		{"bomb.png", Limits{}, ErrTooLarge, false},
		{"many-pages.pdf", Limits{MaxPages: 2}, ErrTooManyPages, true},
		{"many-pages.tif", Limits{MaxPages: 2}, ErrTooManyPages, true},
		{"text.pdf", Limits{}, ErrMislabelled, true},
		{"notes.txt", Limits{}, ErrUnsupported, true},
		{"photo.heic", Limits{}, ErrUnsupported, true},
		{"many-pages.pdf", Limits{MaxFileBytes: 100}, ErrTooLarge, true},
		{"zip-slip.zip", Limits{}, ErrUnsupported, false},
		{"zip-abs.zip", Limits{}, ErrUnsupported, false},
		{"zip-bomb.zip", Limits{}, ErrTooLarge, false},
		{"zip-nested.zip", Limits{}, ErrUnsupported, false},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatalf("reading corpus (run go test -run TestBadFiles -update): %v", err)
			}
			if filepath.Ext(tc.file) == ".zip" {
				_, err = Unzip(data, tc.lim)
			} else {
				err = Pages(t.Context(), tc.file, data, tc.lim, func(Raw) error { return nil })
			}
			checkInputErr(t, err, tc.want)
			if tc.countToo {
				_, err := Count(tc.file, data, tc.lim)
				checkInputErr(t, err, tc.want)
			}
		})
	}
}

func checkInputErr(t *testing.T, err, want error) {
	t.Helper()
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v (%T), want an *InputError wrapping %v", err, err, want)
	}
	if !errors.Is(err, want) {
		t.Errorf("err = %v, wrapping %v; want %v", err, ie.Err, want)
	}
	if ie.Detail == "" {
		t.Error("no detail for the clerk")
	}
	t.Logf("%v", err)
}

// page is what a test expects of one decoded page.
type page struct {
	Size   image.Point
	DPI    float64
	Corner string // where the dark quarter is, see markedPage
}

func TestPagesGood(t *testing.T) {
	t.Parallel()
	marked := markedPage(600, 848)
	photo := markedPage(600, 400)
	g4, err := os.ReadFile("../testdata/shared/tesseract-test/8087_054.3B.tif")
	if err != nil {
		t.Fatal(err)
	}
	webp, err := os.ReadFile("testdata/good/blue-purple-pink.lossy.webp")
	if err != nil {
		t.Fatal(err)
	}
	upside := turnGray(marked, 180)
	tests := []struct {
		name string
		data []byte
		want []page
	}{
		{"page.png", withPHYs(pngBytes(t, markedPage(400, 566)), 200), []page{{image.Pt(400, 566), 200, "tl"}}},
		{"a4-no-dpi.png", pngBytes(t, markedPage(1240, 1754)), []page{{image.Pt(1240, 1754), 150, "tl"}}},
		{"rotated-6.jpg", withEXIF(jpegBytes(t, photo), 6, 300), []page{{image.Pt(400, 600), 300, "tr"}}},
		{"rotated-3.jpg", withEXIF(jpegBytes(t, photo), 3, 300), []page{{image.Pt(600, 400), 300, "br"}}},
		{"rotated-8.jpg", withEXIF(jpegBytes(t, photo), 8, 300), []page{{image.Pt(400, 600), 300, "bl"}}},
		{"three.pdf", imagePDF(t, pngBytes(t, marked), jpegBytes(t, upside), pngBytes(t, marked)),
			[]page{{image.Pt(600, 848), 300, "tl"}, {image.Pt(600, 848), 300, "br"}, {image.Pt(600, 848), 300, "tl"}}},
		// The owner password only restricts editing: anyone may open and read it.
		{"owner-password.pdf", encryptPDF(t, imagePDF(t, pngBytes(t, marked)), ""), []page{{image.Pt(600, 848), 300, "tl"}}},
		{"rotated-page.pdf", rotatePDF(t, imagePDF(t, pngBytes(t, marked), pngBytes(t, marked)), 90, "1"),
			[]page{{image.Pt(848, 600), 300, "tr"}, {image.Pt(600, 848), 300, "tl"}}},
		// A small image on a big page is not a scan of the page: rendered whole, in colour.
		{"logo.pdf", imagePDFSized(t, types.Dim{Width: 595.2, Height: 841.8}, pngBytes(t, photo)),
			[]page{{image.Pt(2480, 3508), 300, "none"}}},
		{"vector.pdf", textPDF(2), []page{{image.Pt(2480, 3509), 300, "none"}, {image.Pt(2480, 3509), 300, "none"}}},
		{"three.tif", multiTIFF([]*image.Gray{markedPage(400, 600), upside, markedPage(600, 400)}, 200),
			[]page{{image.Pt(400, 600), 200, "tl"}, {image.Pt(600, 848), 200, "br"}, {image.Pt(600, 400), 200, "tl"}}},
		{"unlv-g4.tif", g4, []page{{image.Pt(2560, 3300), 300, "none"}}},
		{"photo.webp", webp, []page{{image.Pt(150, 100), 300, "none"}}},
		{"page.bmp", bmpBytes(t, marked), []page{{image.Pt(600, 848), 73, "tl"}}}, // no DPI: A4 assumed
		{"png-named.pdf", pngBytes(t, marked), []page{{image.Pt(600, 848), 73, "tl"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []page
			err := Pages(t.Context(), tc.name, tc.data, Limits{}, func(r Raw) error {
				if r.Number != len(got)+1 {
					t.Errorf("page number %d, want %d", r.Number, len(got)+1)
				}
				got = append(got, page{r.Image.Bounds().Size(), r.DPI, darkCorner(r.Image)})
				return nil
			})
			if err != nil {
				t.Fatalf("Pages: %v", err)
			}
			// Pages without the marker have text: only their size and DPI are checked.
			for i := range got {
				if i < len(tc.want) && tc.want[i].Corner == "none" {
					got[i].Corner = "none"
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("pages (-want +got):\n%s", diff)
			}
			n, err := Count(tc.name, tc.data, Limits{})
			if err != nil || n != len(tc.want) {
				t.Errorf("Count = %d, %v; want %d", n, err, len(tc.want))
			}
		})
	}
}

func TestPagesStops(t *testing.T) {
	t.Parallel()
	pdf := imagePDF(t, pngBytes(t, markedPage(60, 85)), pngBytes(t, markedPage(60, 85)))
	tif := multiTIFF([]*image.Gray{markedPage(30, 40), markedPage(30, 40)}, 300)
	errStop := errors.New("stop")
	for name, data := range map[string][]byte{"a.pdf": pdf, "a.tif": tif} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			calls := 0
			err := Pages(t.Context(), name, data, Limits{}, func(Raw) error { calls++; return errStop })
			if !errors.Is(err, errStop) || calls != 1 {
				t.Errorf("err = %v after %d calls, want errStop after 1", err, calls)
			}
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			if err := Pages(ctx, name, data, Limits{}, func(Raw) error { return nil }); !errors.Is(err, context.Canceled) {
				t.Errorf("cancelled: err = %v", err)
			}
		})
	}
}

func TestPagesPixelLimit(t *testing.T) {
	t.Parallel()
	// Each format's header is read before its pixels: a 600×848 page is over a 0.5 MP limit.
	marked := markedPage(600, 848)
	for name, data := range map[string][]byte{
		"a.png": pngBytes(t, marked),
		"a.jpg": jpegBytes(t, marked),
		"a.bmp": bmpBytes(t, marked),
		"a.tif": multiTIFF([]*image.Gray{marked}, 300),
		"a.pdf": imagePDF(t, pngBytes(t, marked)),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := Pages(t.Context(), name, data, Limits{MaxPixels: 500_000}, func(Raw) error { return nil })
			checkInputErr(t, err, ErrTooLarge)
		})
	}
}

func TestUnzip(t *testing.T) {
	t.Parallel()
	a, b := []byte("%PDF-1.4 a"), []byte("\x89PNG b")
	data := zipBytes(t,
		zipEntry{name: "hồ sơ/", data: nil},
		zipEntry{name: "hồ sơ/trang 1.pdf", data: a, method: 8},
		zipEntry{name: "__MACOSX/hồ sơ/._trang 1.pdf", data: []byte("x")},
		zipEntry{name: "hồ sơ\\trang 2.png", data: b},
		zipEntry{name: ".DS_Store", data: []byte("x")},
	)
	got, err := Unzip(data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := []File{{Name: "hồ sơ/trang 1.pdf", Data: a}, {Name: "hồ sơ/trang 2.png", Data: b}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}

	bad := []struct {
		name string
		data []byte
		lim  Limits
		want error
	}{
		{"empty", nil, Limits{}, ErrEmpty},
		{"not a zip", []byte("PK\x03\x04 broken"), Limits{}, ErrCorrupt},
		{"too many entries", data, Limits{MaxPages: 1}, ErrTooManyPages},
		{"over the size budget", zipBytes(t, zipEntry{name: "a.tif", data: bytes.Repeat([]byte("ab"), 50_000), method: 8}),
			Limits{MaxFileBytes: 50_000}, ErrTooLarge},
		{"windows drive", zipBytes(t, zipEntry{name: "C:\\x.png", data: b}), Limits{}, ErrUnsupported},
		{"backslash climb", zipBytes(t, zipEntry{name: "..\\x.png", data: b}), Limits{}, ErrUnsupported},
		{"nested by content", zipBytes(t, zipEntry{name: "x.bin", data: zipBytes(t, zipEntry{name: "y", data: b})}), Limits{}, ErrUnsupported},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Unzip(tc.data, tc.lim)
			checkInputErr(t, err, tc.want)
		})
	}
}

func TestSniff(t *testing.T) {
	t.Parallel()
	tests := map[string]format{
		"\x89PNG\r\n\x1a\n....":        fmtPNG,
		"\xff\xd8\xff\xe0":             fmtJPEG,
		"junk\n%PDF-1.7\n":             fmtPDF,
		"II*\x00\x08\x00\x00\x00":      fmtTIFF,
		"MM\x00*\x00\x00\x00\x08":      fmtTIFF,
		"II+\x00":                      fmtBigTIFF,
		"RIFF\x00\x00\x00\x00WEBPVP8 ": fmtWebP,
		"GIF89a":                       fmtGIF,
		"PK\x03\x04":                   fmtZip,
		"Kính gửi":                     fmtText,
		"\x00\x01\x02\x03":             fmtUnknown,
	}
	for in, want := range tests {
		if got := sniff([]byte(in)); got != want {
			t.Errorf("sniff(%q) = %v, want %v", in, got, want)
		}
	}
	// A multi-byte rune cut at the 4 KiB sniffing window is still text.
	long := bytes.Repeat([]byte("ữ"), 2000)
	if got := sniff(long); got != fmtText {
		t.Errorf("sniff(long Vietnamese text) = %v", got)
	}
}

func TestDecodePPM(t *testing.T) {
	t.Parallel()
	// 2550 wide: "255" appears in the width too.
	header := "P6\n2550 2\n255\n"
	data := append([]byte(header), make([]byte, 3*2550*2)...)
	data[len(header)] = 200 // red of the first pixel
	img, err := decodePPM(data, Limits{}.withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds().Size(); got != image.Pt(2550, 2) {
		t.Errorf("size %v, want 2550×2", got)
	}
	if got := img.RGBAAt(0, 0); got != (color.RGBA{200, 0, 0, 255}) {
		t.Errorf("first pixel %v, want red 200", got)
	}
	for _, bad := range []string{"P5\n1 1\n255\n\x00", "P6\n2 2\n255\n\x00\x00", "P6\nx 2\n255\n", ""} {
		if _, err := decodePPM([]byte(bad), Limits{}.withDefaults()); !errors.Is(err, ErrCorrupt) {
			t.Errorf("decodePPM(%q) = %v, want ErrCorrupt", bad, err)
		}
	}
}
