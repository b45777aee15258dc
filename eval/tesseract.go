package eval

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sohoa/sohoa/record"
)

// ErrNoPages reports an input from which no page image could be made.
var ErrNoPages = errors.New("no pages")

// DefaultLang is the Tesseract language RawTesseract uses when given none.
const DefaultLang = "vie"

// RawTesseract runs the tesseract command with --psm 3 on the unprocessed pages of the file
// at path and returns one NFC text per page: the baseline the pipeline's preparation has to
// beat. PNG, JPEG and (multi-page) TIFF go to tesseract as they are; a PDF is first rendered
// by pdftoppm at 300 DPI in gray. An empty lang means DefaultLang. Tesseract runs with
// OMP_THREAD_LIMIT=1 because its OpenMP threads slow it down when several run at once.
func RawTesseract(ctx context.Context, path, lang string) ([]string, error) {
	if lang == "" {
		lang = DefaultLang
	}
	isPDF, err := hasPDFMagic(path)
	if err != nil {
		return nil, err
	}
	input, want := path, 0
	if isPDF {
		dir, err := os.MkdirTemp("", "sohoa-eval-")
		if err != nil {
			return nil, fmt.Errorf("making a directory for the pages of %s: %w", path, err)
		}
		defer os.RemoveAll(dir)
		if input, want, err = renderPDF(ctx, path, dir); err != nil {
			return nil, err
		}
	}
	out, err := run(ctx, "tesseract", input, "stdout", "--psm", "3", "-l", lang)
	if err != nil {
		return nil, fmt.Errorf("recognising %s: %w", path, err)
	}
	// Tesseract 5 writes a form feed between pages (older versions after each page).
	pages := strings.Split(string(out), "\f")
	if want > 0 && len(pages) == want+1 && strings.TrimSpace(pages[want]) == "" {
		pages = pages[:want]
	}
	for i, p := range pages {
		pages[i] = record.NFC(strings.TrimRight(p, "\n"))
	}
	return pages, nil
}

// hasPDFMagic tells a PDF by its first bytes rather than its name, since uploads are often
// misnamed.
func hasPDFMagic(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, fmt.Errorf("opening %s: %w", path, err)
	}
	defer f.Close()
	head := make([]byte, 5)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return false, fmt.Errorf("reading %s: %w", path, err)
	}
	return bytes.Equal(head[:n], []byte("%PDF-")), nil
}

// renderPDF renders every page of the PDF at path into dir and returns a list file naming
// the page images in order (tesseract reads such a list as one multi-page input, loading
// its model once) and the page count.
func renderPDF(ctx context.Context, path, dir string) (list string, pages int, err error) {
	if _, err := run(ctx, "pdftoppm", "-r", "300", "-gray", "-png", path, filepath.Join(dir, "page")); err != nil {
		return "", 0, fmt.Errorf("rendering %s: %w", path, err)
	}
	// pdftoppm pads page numbers to one width, so name order is page order.
	images, err := filepath.Glob(filepath.Join(dir, "page-*.png"))
	if err != nil {
		return "", 0, fmt.Errorf("listing the pages of %s: %w", path, err)
	}
	if len(images) == 0 {
		return "", 0, fmt.Errorf("rendering %s: %w", path, ErrNoPages)
	}
	slices.Sort(images)
	list = filepath.Join(dir, "pages.txt")
	if err := os.WriteFile(list, []byte(strings.Join(images, "\n")+"\n"), 0o600); err != nil {
		return "", 0, fmt.Errorf("writing the page list of %s: %w", path, err)
	}
	return list, len(images), nil
}

// run runs a command and returns its standard output; on failure the error carries the end
// of its standard error, which is where tesseract and poppler's tools say what went wrong.
func run(ctx context.Context, name string, args ...string) ([]byte, error) {
	return runInput(ctx, nil, name, args...)
}

// runInput is run with stdin as the command's standard input.
func runInput(ctx context.Context, stdin io.Reader, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = stdin
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("running %s: %w", name, ctx.Err())
		}
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 500 {
			msg = "…" + strings.ToValidUTF8(msg[len(msg)-500:], "")
		}
		if msg != "" {
			return nil, fmt.Errorf("running %s: %w: %s", name, err, msg)
		}
		return nil, fmt.Errorf("running %s: %w", name, err)
	}
	return out, nil
}
