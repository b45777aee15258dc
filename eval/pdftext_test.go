package eval

import (
	"context"
	"errors"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPDFText extracts the text of a searchable PDF of two pages, phototest and a blank
// page, made by tesseract's own PDF renderer.
func TestPDFText(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	blank := filepath.Join(dir, "blank.png")
	writeWhitePNG(t, blank, 640, 480)
	list := filepath.Join(dir, "list.txt")
	photo := filepath.Join(testImages, "phototest.tif")
	if err := os.WriteFile(list, []byte(photo+"\n"+blank+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mk := exec.CommandContext(t.Context(), "tesseract", list, filepath.Join(dir, "two"), "-l", "eng", "pdf")
	mk.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	if out, err := mk.CombinedOutput(); err != nil {
		t.Fatalf("making the test PDF: %v: %s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "two.pdf"))
	if err != nil {
		t.Fatal(err)
	}

	pages, err := PDFText(t.Context(), data)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 2 {
		t.Fatalf("got %d pages, want 2: %q", len(pages), pages)
	}
	if cer := CER(readTranscript(t, "phototest.txt"), pages[0]); cer > 0.01 {
		t.Errorf("page 1: CER %.3f above 0.01; text:\n%s", cer, pages[0])
	}
	if strings.TrimSpace(pages[1]) != "" {
		t.Errorf("blank page 2 has text %q", pages[1])
	}
}

func writeWhitePNG(t *testing.T, path string, w, h int) {
	t.Helper()
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = 0xff
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, g); err != nil {
		t.Fatal(err)
	}
}

func TestPDFTextErrors(t *testing.T) {
	t.Parallel()
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	cases := []struct {
		name string
		ctx  context.Context
		data string
		is   error // nil: any error
	}{
		{"not a PDF", t.Context(), "not a PDF", nil},
		{"broken PDF", t.Context(), "%PDF-1.7\nnonsense", nil},
		{"cancelled", cancelled, "%PDF-1.7\nnonsense", context.Canceled},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := PDFText(c.ctx, []byte(c.data))
			if err == nil || (c.is != nil && !errors.Is(err, c.is)) {
				t.Errorf("PDFText = %v, want an error matching %v", err, c.is)
			}
		})
	}
}

func TestSplitPages(t *testing.T) {
	t.Parallel()
	cases := []struct {
		out  string
		want []string
	}{
		{"", []string{}},
		{"\f", []string{""}},
		{"a\nb\n\f", []string{"a\nb\n"}},
		{"a\f\fc\f", []string{"a", "", "c"}},
		{"a\fb", []string{"a", "b"}}, // no form feed after the last page: kept as it is
	}
	for _, c := range cases {
		if got := splitPages(c.out); !cmp.Equal(c.want, got) {
			t.Errorf("splitPages(%q) = %q, want %q", c.out, got, c.want)
		}
	}
}
