package eval

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const testImages = "../testdata/shared/tesseract-test"

// readTranscript returns the upstream transcription of a test image.
func readTranscript(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testImages, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRawTesseract(t *testing.T) {
	t.Parallel()
	photo := filepath.Join(testImages, "phototest.tif")
	ref := readTranscript(t, "phototest.txt")

	// A two-page scanned PDF of phototest, made by tesseract's own PDF renderer.
	dir := t.TempDir()
	list := filepath.Join(dir, "list.txt")
	if err := os.WriteFile(list, []byte(photo+"\n"+photo+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mk := exec.CommandContext(t.Context(), "tesseract", list, filepath.Join(dir, "two"), "-l", "eng", "pdf")
	mk.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	if out, err := mk.CombinedOutput(); err != nil {
		t.Fatalf("making the test PDF: %v: %s", err, out)
	}
	pdf := filepath.Join(dir, "two.pdf")
	// Misnamed on purpose: the PDF is told by its bytes.
	misnamed := filepath.Join(dir, "two.png")
	if err := os.Rename(pdf, misnamed); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name, path, lang string
		pages            int
		maxCER           float64
	}{
		{"TIFF", photo, "eng", 1, 0.01},
		{"TIFF, Vietnamese model", photo, "", 1, 0.02},
		{"PDF rendered by pdftoppm", misnamed, "eng", 2, 0.01},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			pages, err := RawTesseract(t.Context(), c.path, c.lang)
			if err != nil {
				t.Fatal(err)
			}
			if len(pages) != c.pages {
				t.Fatalf("got %d pages, want %d", len(pages), c.pages)
			}
			for i, p := range pages {
				cer := CER(ref, p)
				t.Logf("page %d: CER %.4f", i+1, cer)
				if cer > c.maxCER {
					t.Errorf("page %d: CER %.3f above %.3f; text:\n%s", i+1, cer, c.maxCER, p)
				}
			}
		})
	}
}

func TestRawTesseractVietnamese(t *testing.T) {
	t.Parallel()
	pages, err := RawTesseract(t.Context(), filepath.Join(testImages, "viet.tif"), "vie")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.TrimSpace(readTranscript(t, "viet.tif.gt.txt"))
	if len(pages) != 1 || strings.TrimSpace(pages[0]) != want {
		t.Errorf("RawTesseract(viet.tif) = %q, want [%q]", pages, want)
	}
}

func TestRawTesseractErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	notImage := filepath.Join(dir, "junk.png")
	if err := os.WriteFile(notImage, []byte("not an image"), 0o644); err != nil {
		t.Fatal(err)
	}
	badPDF := filepath.Join(dir, "bad.pdf")
	if err := os.WriteFile(badPDF, []byte("%PDF-1.7\nnonsense"), 0o644); err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	cases := []struct {
		name string
		ctx  context.Context
		path string
		is   error // nil: any error
	}{
		{"missing file", t.Context(), filepath.Join(dir, "nope.tif"), os.ErrNotExist},
		{"not an image", t.Context(), notImage, nil},
		{"broken PDF", t.Context(), badPDF, nil},
		{"cancelled", cancelled, filepath.Join(testImages, "phototest.tif"), context.Canceled},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := RawTesseract(c.ctx, c.path, "eng")
			if err == nil || (c.is != nil && !errors.Is(err, c.is)) {
				t.Errorf("RawTesseract = %v, want an error matching %v", err, c.is)
			}
		})
	}
}

// BenchmarkRawTesseract measures one run of the tesseract command on phototest.tif.
func BenchmarkRawTesseract(b *testing.B) {
	path := filepath.Join(testImages, "phototest.tif")
	for b.Loop() {
		if _, err := RawTesseract(b.Context(), path, "eng"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRawTesseractUNLV scores raw tesseract on the two real UNLV scans against their
// upstream transcriptions: the kind of baseline `sohoa eval` reports, on real paper.
func TestRawTesseractUNLV(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"8071_093.3B", "8087_054.3B"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			pages, err := RawTesseract(t.Context(), filepath.Join(testImages, name+".tif"), "eng")
			if err != nil {
				t.Fatal(err)
			}
			ref := readTranscript(t, name+".txt")
			hyp := strings.Join(pages, "\n")
			cer, wer, bag := CER(ref, hyp), WER(ref, hyp), BagOfWordsAccuracy(ref, hyp)
			t.Logf("CER %.4f, WER %.4f, bag of words %.4f", cer, wer, bag)
			// Loose bounds, a little under what tesseract 5.3 reaches (CER 0.09 and 0.08,
			// bag of words 0.94 and 0.90): they catch a broken run, not a drift.
			if cer > 0.15 || bag < 0.85 {
				t.Errorf("CER %.3f above 0.15 or bag-of-words accuracy %.3f below 0.85", cer, bag)
			}
		})
	}
}
