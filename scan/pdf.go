package scan

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// renderDPI is the resolution of pages rendered by pdftoppm, lowered for huge pages so that
// they stay within Limits.MaxPixels.
const renderDPI = 300

// pdfInfoTimeout bounds the pdfinfo call of Count, which has no context.
const pdfInfoTimeout = time.Minute

// pdfConfig is built here rather than with model.NewDefaultConfiguration, which creates and
// reads a configuration directory in the user's home unless a process-wide switch is set.
func pdfConfig() *model.Configuration {
	return &model.Configuration{
		Reader15:                  true,
		ValidationMode:            model.ValidationRelaxed,
		UnsupportedResourcePolicy: model.UnsupportedResourceSkip,
		Optimize:                  true,
		OptimizeResourceDicts:     true,
		Offline:                   true,
		Limits:                    model.DefaultResourceLimits(),
		Cmd:                       model.EXTRACTIMAGES,
	}
}

// pageGeom is a page's visible box in points (before /Rotate) and its clockwise rotation.
type pageGeom struct {
	w, h float64
	rot  int
}

func (g pageGeom) known() bool { return g.w > 0 && g.h > 0 }

var errPDFEncrypted = inputErr(ErrEncrypted, "encrypted PDF: remove the password and upload again")

// openPDF parses the PDF with pdfcpu. Its public functions only convert pdfcpu's own panics
// into errors, so others are recovered here.
func openPDF(data []byte) (pc *model.Context, geoms []pageGeom, err error) {
	defer func() {
		if r := recover(); r != nil {
			pc, geoms, err = nil, nil, fmt.Errorf("pdfcpu panic: %v", r)
		}
	}()
	pc, err = api.ReadValidateAndOptimize(bytes.NewReader(data), pdfConfig())
	if err != nil {
		return nil, nil, err
	}
	pbs, err := pc.PageBoundaries(nil)
	if err != nil {
		return nil, nil, err
	}
	geoms = make([]pageGeom, len(pbs))
	for i, pb := range pbs {
		r := pb.CropBox()
		if r == nil {
			r = pb.MediaBox()
		}
		if r != nil {
			geoms[i] = pageGeom{w: r.Width(), h: r.Height(), rot: ((pb.Rot % 360) + 360) % 360}
		}
	}
	return pc, geoms, nil
}

func pdfCount(data []byte) (int, error) {
	if _, geoms, err := openPDF(data); err == nil {
		return len(geoms), nil
	} else if errors.Is(err, pdfcpu.ErrWrongPassword) {
		return 0, errPDFEncrypted
	}
	ctx, cancel := context.WithTimeout(context.Background(), pdfInfoTimeout)
	defer cancel()
	f, err := writeTemp(data)
	if err != nil {
		return 0, err
	}
	defer os.Remove(f)
	geoms, err := popplerInfo(ctx, f)
	return len(geoms), err
}

// pdfPages takes each page's image straight from the PDF when the page is one scanned image
// that Go can decode (the common case, and much faster than rendering), and renders it with
// pdftoppm otherwise: JBIG2 or JPX images, several images or vector text, or any pdfcpu failure.
func pdfPages(ctx context.Context, data []byte, lim Limits, fn func(Raw) error) error {
	pc, geoms, perr := openPDF(data)
	if errors.Is(perr, pdfcpu.ErrWrongPassword) {
		return errPDFEncrypted
	}
	var tmp string
	defer func() {
		if tmp != "" {
			os.Remove(tmp)
		}
	}()
	file := func() (string, error) {
		if tmp == "" {
			f, err := writeTemp(data)
			if err != nil {
				return "", err
			}
			tmp = f
		}
		return tmp, nil
	}
	if perr != nil {
		f, err := file()
		if err != nil {
			return err
		}
		if geoms, err = popplerInfo(ctx, f); err != nil {
			return err
		}
	}
	if err := lim.checkPages(len(geoms)); err != nil {
		return err
	}
	if len(geoms) == 0 {
		return inputErr(ErrCorrupt, "the PDF has no pages: export it again")
	}
	for i, g := range geoms {
		n := i + 1
		if err := ctx.Err(); err != nil {
			return err
		}
		var raw Raw
		ok := false
		if pc != nil {
			var err error
			raw, ok, err = embeddedPage(pc, n, g, lim)
			if err != nil {
				return onPage(n, err)
			}
		}
		if !ok {
			f, err := file()
			if err != nil {
				return err
			}
			if raw, err = renderPage(ctx, f, n, g, lim); err != nil {
				return onPage(n, err)
			}
		}
		raw.Number = n
		if err := fn(raw); err != nil {
			return err
		}
	}
	return nil
}

// embeddedPage returns the page's only image when it looks like the whole page. ok is false
// when the page should be rendered instead; err is set only for a guard that rendering would
// not fix (a too-large image).
func embeddedPage(pc *model.Context, n int, g pageGeom, lim Limits) (raw Raw, ok bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			raw, ok, err = Raw{}, false, nil
		}
	}()
	// The image dictionaries declare the sizes: check them before pdfcpu decodes anything,
	// so that a small PDF holding a huge image is refused without allocating it.
	objNrs := pdfcpu.ImageObjNrs(pc, n)
	for _, nr := range objNrs {
		obj := pc.Optimize.ImageObjects[nr]
		if obj == nil || obj.ImageDict == nil {
			continue
		}
		w, h := obj.ImageDict.IntEntry("Width"), obj.ImageDict.IntEntry("Height")
		if w != nil && h != nil {
			if err := lim.checkPixels(*w, *h); errors.Is(err, ErrTooLarge) {
				return Raw{}, false, err
			}
		}
	}
	if len(objNrs) != 1 {
		return Raw{}, false, nil
	}
	imgs, err := pdfcpu.ExtractPageImages(pc, n, false)
	if err != nil {
		return Raw{}, false, nil
	}
	var only *model.Image
	for _, im := range imgs {
		if im.Thumb {
			continue
		}
		if only != nil {
			return Raw{}, false, nil
		}
		im := im
		only = &im
	}
	if only == nil || !g.known() {
		return Raw{}, false, nil
	}
	var f format
	switch only.FileType {
	case "jpg":
		f = fmtJPEG
	case "png":
		f = fmtPNG
	case "tif":
		f = fmtTIFF
	default: // jbig2, jpx: Go cannot decode them, poppler can
		return Raw{}, false, nil
	}
	b, err := io.ReadAll(only.Reader)
	if err != nil {
		return Raw{}, false, nil
	}
	img, err := decodeGuarded(f, bytes.NewReader(b), lim)
	if err != nil {
		var ie *InputError
		if errors.As(err, &ie) && errors.Is(ie, ErrTooLarge) {
			return Raw{}, false, err
		}
		return Raw{}, false, nil
	}
	iw, ih := img.Bounds().Dx(), img.Bounds().Dy()
	// An image with other proportions than the page is a logo or a photo on a page that
	// has more content, and a mostly black one was probably stored inverted (pdfcpu ignores
	// /Decode arrays and masks): let poppler draw those.
	if math.Abs(math.Log(float64(iw)/float64(ih))-math.Log(g.w/g.h)) > 0.08 || mostlyDark(img) {
		return Raw{}, false, nil
	}
	dpi := float64(iw) / (g.w / 72)
	img = orientImage(img, orientForTurn(g.rot))
	return Raw{Image: img, DPI: math.Round(dpi)}, true, nil
}

// mostlyDark samples the image: a scan is mostly light paper.
func mostlyDark(img image.Image) bool {
	b := img.Bounds()
	var sum, n uint64
	for y := b.Min.Y; y < b.Max.Y; y += max(1, b.Dy()/64) {
		for x := b.Min.X; x < b.Max.X; x += max(1, b.Dx()/64) {
			r, g, bl, _ := img.At(x, y).RGBA()
			sum += uint64(r+g+bl) / 3 >> 8
			n++
		}
	}
	return n > 0 && sum/n < 60
}

// renderPage renders one page with poppler's pdftoppm at 300 dpi, or lower when the page is
// so large that 300 dpi would exceed the pixel limit. The page comes in colour, as raw PPM
// (no PNG to compress and decompress), so that Prepare can drop red seals and signatures,
// which born-digital documents carry as coloured images over the text.
func renderPage(ctx context.Context, file string, n int, g pageGeom, lim Limits) (Raw, error) {
	dpi := float64(renderDPI)
	if g.known() {
		area := g.w / 72 * g.h / 72
		if area*dpi*dpi > float64(lim.MaxPixels) {
			dpi = math.Floor(math.Sqrt(float64(lim.MaxPixels) / area))
		}
		if dpi < 50 {
			return Raw{}, inputErr(ErrTooLarge, "page of %.0f×%.0f cm is too large to scan at a readable resolution: split it into smaller pages",
				g.w/72*2.54, g.h/72*2.54)
		}
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "pdftoppm", "-r", strconv.FormatFloat(dpi, 'f', -1, 64),
		"-f", strconv.Itoa(n), "-l", strconv.Itoa(n), "-singlefile", file)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return Raw{}, ctx.Err()
		}
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return Raw{}, fmt.Errorf("running pdftoppm (poppler-utils must be installed): %w", err)
		}
		return Raw{}, popplerErr(stderr.String())
	}
	if stdout.Len() == 0 {
		return Raw{}, popplerErr(stderr.String())
	}
	img, err := decodePPM(stdout.Bytes(), lim)
	if err != nil {
		return Raw{}, err
	}
	return Raw{Image: img, DPI: dpi}, nil
}

// decodePPM reads a binary PPM (P6, 8 bits per sample) as pdftoppm writes it: "P6", width,
// height and 255 separated by white space, one white-space character, then the samples.
func decodePPM(data []byte, lim Limits) (*image.RGBA, error) {
	bad := inputErr(ErrCorrupt, "the PDF page could not be rendered (unexpected output from pdftoppm): export or scan it again")
	var fields [4]string
	i := 0
	for k := range fields {
		for i < len(data) && isSpace(data[i]) {
			i++
		}
		j := i
		for j < len(data) && j-i < 12 && !isSpace(data[j]) {
			j++
		}
		fields[k], i = string(data[i:j]), j
	}
	w, errW := strconv.Atoi(fields[1])
	h, errH := strconv.Atoi(fields[2])
	if fields[0] != "P6" || fields[3] != "255" || errW != nil || errH != nil {
		return nil, bad
	}
	if err := lim.checkPixels(w, h); err != nil {
		return nil, err
	}
	samples := data[min(i+1, len(data)):] // after the one white-space character
	if len(samples) < 3*w*h {
		return nil, bad
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for s, d := 0, 0; s < 3*w*h; s, d = s+3, d+4 {
		img.Pix[d], img.Pix[d+1], img.Pix[d+2], img.Pix[d+3] = samples[s], samples[s+1], samples[s+2], 255
	}
	return img, nil
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

func popplerErr(stderr string) error {
	if strings.Contains(stderr, "password") {
		return errPDFEncrypted
	}
	msg := strings.TrimSpace(stderr)
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return inputErr(ErrCorrupt, "the PDF is damaged and cannot be read (%s): export or scan it again", msg)
}

var (
	pdfInfoPages = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)
	pdfInfoSize  = regexp.MustCompile(`(?m)^Page\s+(\d+)\s+size:\s+([\d.]+)\s+x\s+([\d.]+)`)
	pdfInfoRot   = regexp.MustCompile(`(?m)^Page\s+(\d+)\s+rot:\s+(\d+)`)
)

// popplerInfo reads the page count and sizes with pdfinfo, for PDFs pdfcpu cannot parse.
func popplerInfo(ctx context.Context, file string) ([]pageGeom, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "pdfinfo", file)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return nil, fmt.Errorf("running pdfinfo (poppler-utils must be installed): %w", err)
		}
		return nil, popplerErr(stderr.String())
	}
	m := pdfInfoPages.FindSubmatch(stdout.Bytes())
	if m == nil {
		return nil, popplerErr(stderr.String())
	}
	count, err := strconv.Atoi(string(m[1]))
	if err != nil || count <= 0 {
		return nil, inputErr(ErrCorrupt, "the PDF has no pages: export it again")
	}
	geoms := make([]pageGeom, count)
	if count > defaultMaxPages*4 {
		return geoms, nil // too many anyway; the caller rejects it without sizes
	}
	// Per-page sizes: a second call, since the first one told how many pages to ask for.
	stdout.Reset()
	stderr.Reset()
	cmd = exec.CommandContext(ctx, "pdfinfo", "-f", "1", "-l", strconv.Itoa(count), file)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return geoms, nil // sizes unknown: render at the default resolution
	}
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		line := sc.Text()
		if m := pdfInfoSize.FindStringSubmatch(line); m != nil {
			p, _ := strconv.Atoi(m[1])
			w, _ := strconv.ParseFloat(m[2], 64)
			h, _ := strconv.ParseFloat(m[3], 64)
			if p >= 1 && p <= count {
				geoms[p-1].w, geoms[p-1].h = w, h
			}
		} else if m := pdfInfoRot.FindStringSubmatch(line); m != nil {
			p, _ := strconv.Atoi(m[1])
			r, _ := strconv.Atoi(m[2])
			if p >= 1 && p <= count {
				geoms[p-1].rot = r
			}
		}
	}
	return geoms, nil
}

func writeTemp(data []byte) (string, error) {
	f, err := os.CreateTemp("", "sohoa-scan-*.pdf")
	if err != nil {
		return "", fmt.Errorf("creating temporary PDF file: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", fmt.Errorf("writing temporary PDF file: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("writing temporary PDF file: %w", err)
	}
	return f.Name(), nil
}
